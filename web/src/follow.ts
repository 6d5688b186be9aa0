/**
 * Following an application (办理进度), the one way every follow page shows it: asked again every
 * second until it needs no more automatic step, then its status, facts, reasons and timeline.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Problem } from './api.js';
import type { Ctx } from './context.js';
import { html } from './html.js';
import { type Bilingual, lang, pick, t } from './i18n.js';
import { Facts, Loading, ProblemBox, Table } from './ui.js';

export const APPLICATION_STATUS: Record<string, [string, string]> = {
  awaiting_facts: ['正在获取缴存信息', 'fetching the deposit facts'],
  review: ['人工审核中', 'with staff for review'],
  pending_confirmation: ['待复核', 'awaiting the second confirmation'],
  approved: ['已批准', 'approved'],
  rejected: ['未获批准', 'rejected'],
  disbursed: ['已放款', 'disbursed'],
  paid: ['已支付', 'paid'],
  withdrawn: ['已撤回', 'withdrawn'],
};

export const statusText = (s: string) => t(...(APPLICATION_STATUS[s] ?? [s, s]));

/** The items a citizen or a counter applies for (their names in shared/catalogue/catalogue.ts), by code. */
const ITEM_NAMES: Record<string, [string, string]> = {
  OFFSITE_LOAN: ['住房公积金贷款', 'HPF loan'],
  PURCHASE_WITHDRAW: ['购房提取', 'Purchase withdrawal'],
  RENT_WITHDRAW: ['租房提取', 'Rent withdrawal'],
  RENOVATION_WITHDRAW: ['装修提取', 'Renovation withdrawal'],
  PROPERTY_FEE_WITHDRAW: ['物业费提取', 'Property-fee withdrawal'],
  OFFSITE_REPAY_WITHDRAW: ['提取偿还异地贷款', 'Withdrawal to repay an off-site loan'],
  RETIRE_WITHDRAW: ['退休提取', 'Retirement withdrawal'],
  EMIGRATE_WITHDRAW: ['出境定居提取', 'Emigration withdrawal'],
  ACCOUNT_TRANSFER: ['转移接续', 'Account transfer'],
};

export const itemText = (code: string) => t(...(ITEM_NAMES[code] ?? [code, code]));

/** What every application has for its follow page. */
export type Followed = {
  applicationId: string;
  status: string;
  committedDeadline: string;
  timeline: { status: string; at: string; by: string; note?: string }[];
  timeLeft: { overdue: boolean; workingDaysLeft?: number | null };
  reasons?: { code: string; message: Bilingual }[];
};

export function timeLeftText(w: Pick<Followed, 'timeLeft'>): string {
  if (w.timeLeft.overdue) return t('已超过承诺时限', 'Past the committed deadline');
  if (w.timeLeft.workingDaysLeft === undefined || w.timeLeft.workingDaysLeft === null)
    return t('已办结', 'Settled');
  return t(`剩余 ${w.timeLeft.workingDaysLeft} 个工作日`, `${w.timeLeft.workingDaysLeft} working days left`);
}

/** An instant as Beijing date and time: the steps of one day apart. */
const instantText = (at: string) =>
  new Date(at).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'short',
  });

/** An application's timeline (办理进度): when, which status, the note. */
export function Timeline({ steps }: { steps: Followed['timeline'] }) {
  return html`<${Table}
    caption=${t('办理进度', 'Timeline')}
    head=${[t('时间', 'When'), t('状态', 'Status'), t('说明', 'Note')]}
    rows=${steps.map((step) => [html`<time datetime=${step.at}>${instantText(step.at)}</time>`, statusText(step.status), step.note ?? ''])}
  />`;
}

/** A result the page announces (role=status): a lead line, its facts as a definition list, then anything more. */
export function ResultBox({
  testid,
  data = {},
  lead,
  items,
  children,
}: {
  testid: string;
  data?: Record<string, string>;
  lead?: ComponentChildren;
  items: [string, ComponentChildren][];
  children?: ComponentChildren;
}) {
  const attributes = Object.fromEntries(Object.entries(data).map(([name, value]) => [`data-${name}`, value]));
  return html`<div class="result" role="status" data-testid=${testid} ...${attributes}>
    ${lead}
    <${Facts} items=${items} />
    ${children}
  </div>`;
}

/**
 * One application followed by its path: `settled` are the statuses after which nothing changes
 * without staff, so the page stops asking. `actions` may replace the application (a cancellation's
 * answer) or report a problem, shown in the same box.
 */
export function FollowApplication<T extends Followed>({
  ctx,
  path,
  settled,
  testid,
  data,
  facts,
  actions,
}: {
  ctx: Ctx;
  path: string;
  settled: readonly string[];
  testid: string;
  data?: (application: T) => Record<string, string>;
  facts: (application: T) => [string, ComponentChildren][];
  actions?: (
    application: T,
    replace: (next: T) => void,
    fail: (problem: Problem | undefined) => void,
  ) => unknown;
}) {
  const [application, setApplication] = useState<T | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  useEffect(() => {
    let live = true;
    setApplication(undefined);
    setProblem(undefined);
    (async () => {
      for (let i = 0; i < 60 && live; i++) {
        try {
          const current = await ctx.call<T>('GET', path);
          if (!live) return;
          setApplication(current);
          if (settled.includes(current.status)) return;
        } catch (error) {
          if (live) setProblem(error instanceof Problem ? error : undefined);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    })();
    return () => {
      live = false;
    };
  }, [path]);
  return html`<${ProblemBox} problem=${problem} />
    ${!application && !problem ? html`<${Loading} />` : null}
    ${
      application
        ? html`<${ResultBox}
            testid=${testid}
            data=${{ status: application.status, ...(data?.(application) ?? {}) }}
            lead=${html`<p class="big">${t('状态', 'Status')}: <strong>${statusText(application.status)}</strong></p>`}
            items=${facts(application)}
          >
            ${application.reasons?.length ? html`<ul data-testid="reasons">${application.reasons.map((r) => html`<li>${pick(r.message)}</li>`)}</ul>` : null}
          <//>
          ${actions?.(application, setApplication, setProblem)}
          <${Timeline} steps=${application.timeline} />`
        : null
    }`;
}
