/** Centre staff: the work queue with time left against committed deadlines, decisions, the second confirmation (复核) and disbursement (放款). */
import { useState } from 'preact/hooks';
import { newIdempotencyKey, Problem } from '../api.js';
import type { Ctx } from '../context.js';
import { useLoad, useResendKey } from '../context.js';
import { html } from '../html.js';
import { type Bilingual, pick, t } from '../i18n.js';
import { Button, DateText, Facts, Field, Loading, Money, Page, ProblemBox, Table } from '../ui.js';
import { cityName } from './public.js';

type QueuedApplication = {
  applicationId: string;
  itemCode: string;
  status: string;
  channel: string;
  amountFen?: number | null;
  acceptedAt: string;
  committedDeadline?: string;
  workingDaysLeft?: number;
  overdue?: boolean;
  reasons?: { code: string; message: Bilingual }[];
  pendingDecision?: { outcome: string; decidedBy: string; decidedAt: string; amountFen?: number } | null;
};

const QUEUES: [string, string, string][] = [
  ['review', '待审核', 'To decide'],
  ['pending_confirmation', '待复核', 'To confirm'],
  ['approved', '待放款', 'To disburse'],
];

type Disbursed = {
  loanId: string;
  principalFen: number;
  firstDueMonth: string;
  schedule: { paymentFen: number }[];
  applicationToDisbursementMinutes: number;
};

/** 放款: an approved loan's contract and schedule; the key is the loan's, so a second press replays. */
function Disburse({
  ctx,
  application,
  onDone,
}: {
  ctx: Ctx;
  application: QueuedApplication;
  onDone: (loan: Disbursed) => void;
}) {
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const act = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      onDone(
        await ctx.call<Disbursed>(
          'POST',
          `/v1/staff/loans/${encodeURIComponent(`${application.applicationId}-L`)}/disbursement`,
          { idempotencyKey: `disburse-${application.applicationId}` },
        ),
      );
    } catch (error) {
      setProblem(error instanceof Problem ? error : undefined);
    } finally {
      setBusy(false);
    }
  };
  return html`<div class="decide">
    <${ProblemBox} problem=${problem} />
    <div class="actions"><${Button} disabled=${busy} onClick=${act}>${t('放款', 'Disburse')}<//></div>
  </div>`;
}

function timeLeft(a: QueuedApplication) {
  if (a.overdue) return html`<strong class="status-expired">${t('已超期', 'Overdue')}</strong>`;
  if (a.workingDaysLeft === undefined) return '—';
  return t(`剩余 ${a.workingDaysLeft} 个工作日`, `${a.workingDaysLeft} working days left`);
}

function Decide({
  ctx,
  application,
  onDone,
}: {
  ctx: Ctx;
  application: QueuedApplication;
  onDone: () => void;
}) {
  const confirming = application.status === 'pending_confirmation';
  // A Chinese reason and, for a citizen reading in English, an English one of its own (the API
  // takes reasonEn as optional and shows the Chinese when it is absent).
  const [reason, setReason] = useState({ zh: '', en: '' });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [key] = useState(() => newIdempotencyKey('confirm'));
  const [busy, setBusy] = useState(false);
  const act = async (outcome: string) => {
    setBusy(true);
    setProblem(undefined);
    const body: Record<string, unknown> = { outcome };
    if (reason.zh.trim() !== '') body.reasonZh = reason.zh.trim();
    if (reason.en.trim() !== '') body.reasonEn = reason.en.trim();
    try {
      await ctx.call(
        'POST',
        `/v1/staff/applications/${encodeURIComponent(application.applicationId)}/${confirming ? 'confirmation' : 'decision'}`,
        { body, ...(confirming ? { idempotencyKey: `${key}-${outcome}` } : {}) },
      );
      onDone();
    } catch (error) {
      setProblem(error instanceof Problem ? error : undefined);
    } finally {
      setBusy(false);
    }
  };
  const id = application.applicationId;
  return html`<div class="decide">
    <${Field} name="reasonZh" id=${`reason-${id}`} label=${t('意见（中文，可不填）', 'Reason in Chinese (optional)')} problem=${problem}>
      ${(attrs: Record<string, unknown>) => html`<input ...${attrs} lang="zh-CN" value=${reason.zh} onInput=${(e: Event) => setReason({ ...reason, zh: (e.target as HTMLInputElement).value })} />`}
    <//>
    <${Field} name="reasonEn" id=${`reason-en-${id}`} label=${t('意见（英文，可不填）', 'Reason in English (optional)')} hint=${t('英文界面的申请人看到这一句；不填则看到中文意见。', 'What an applicant reading in English sees; left empty, they see the Chinese reason.')} problem=${problem}>
      ${(attrs: Record<string, unknown>) => html`<input ...${attrs} lang="en" value=${reason.en} onInput=${(e: Event) => setReason({ ...reason, en: (e.target as HTMLInputElement).value })} />`}
    <//>
    <${ProblemBox} problem=${problem} />
    <div class="actions">
      ${
        confirming
          ? html`<${Button} disabled=${busy} onClick=${() => act('confirm')}>${t('复核通过', 'Confirm')}<//>
            <${Button} kind="secondary" disabled=${busy} onClick=${() => act('return')}>${t('退回', 'Return')}<//>`
          : html`<${Button} disabled=${busy} onClick=${() => act('approve')}>${t('同意', 'Approve')}<//>
            <${Button} kind="secondary" disabled=${busy} onClick=${() => act('reject')}>${t('不予受理', 'Reject')}<//>`
      }
    </div>
  </div>`;
}

export function WorkQueue({ ctx }: { ctx: Ctx }) {
  const [status, setStatus] = useState('review');
  const [round, setRound] = useState(0);
  const [notice, setNotice] = useState('');
  const [loan, setLoan] = useState<Disbursed | undefined>();
  const { data, problem } = useLoad(
    () => ctx.call<{ applications: QueuedApplication[] }>('GET', `/v1/staff/applications?status=${status}`),
    `${status}:${round}`,
  );
  return html`<${Page} title=${t('工作台', 'Work queue')}>
    <div class="tabs" role="group" aria-label=${t('队列', 'Queue')}>
      ${QUEUES.map(
        ([value, zh, en]) =>
          html`<button type="button" class=${`btn ${status === value ? 'btn-primary' : 'btn-secondary'}`} aria-pressed=${status === value} onClick=${() => {
            setStatus(value);
            setNotice('');
            setLoan(undefined);
          }}>${t(zh, en)}</button>`,
      )}
    </div>
    ${notice ? html`<p class="result" role="status" data-testid="notice">${notice}</p>` : null}
    ${
      loan
        ? html`<div class="result" role="status" data-testid="disbursed">
          <p><strong>${t('已放款：', 'Disbursed: ')}<code>${loan.loanId}</code></strong></p>
          <${Facts} items=${[
            [t('贷款本金', 'Principal'), html`<${Money} fen=${loan.principalFen} />`],
            [t('首期还款月', 'First instalment'), loan.firstDueMonth],
            [
              t('月还款额（首期）', 'First payment'),
              html`<${Money} fen=${loan.schedule[0]?.paymentFen ?? 0} />`,
            ],
            [t('期数', 'Instalments'), String(loan.schedule.length)],
            [
              t('受理至放款', 'Application to disbursement'),
              t(
                `${loan.applicationToDisbursementMinutes} 分钟`,
                `${loan.applicationToDisbursementMinutes} minutes`,
              ),
            ],
          ]} />
        </div>`
        : null
    }
    <${ProblemBox} problem=${problem} />
    ${!data && !problem ? html`<${Loading} />` : null}
    ${data && data.applications.length === 0 ? html`<p>${t('队列为空。', 'Nothing in this queue.')}</p>` : null}
    <ul class="cards" data-testid="queue">
      ${data?.applications.map(
        (a) => html`<li class="card" data-application=${a.applicationId}>
          <h2>${a.itemCode} <span class="muted">${a.applicationId}</span></h2>
          <${Facts} items=${[
            [t('受理时间', 'Accepted'), html`<${DateText} value=${a.acceptedAt} />`],
            [
              t('承诺办结', 'Committed by'),
              a.committedDeadline ? html`<${DateText} value=${a.committedDeadline} />` : '—',
            ],
            [t('剩余时限', 'Time left'), timeLeft(a)],
            ...(typeof a.amountFen === 'number'
              ? [[t('金额', 'Amount'), html`<${Money} fen=${a.amountFen} />`] as [string, unknown]]
              : []),
            ...(a.pendingDecision
              ? [
                  [t('初审', 'Decided'), `${a.pendingDecision.outcome} · ${a.pendingDecision.decidedBy}`] as [
                    string,
                    unknown,
                  ],
                ]
              : []),
          ]} />
          <ul>${a.reasons?.map((r) => html`<li>${pick(r.message)}</li>`)}</ul>
          ${
            a.status === 'approved'
              ? a.itemCode === 'OFFSITE_LOAN'
                ? html`<${Disburse} ctx=${ctx} application=${a} onDone=${(disbursed: Disbursed) => {
                    setLoan(disbursed);
                    setRound(round + 1);
                  }} />`
                : null
              : html`<${Decide} ctx=${ctx} application=${a} onDone=${() => {
                  setNotice(
                    `${a.applicationId} · ${a.status === 'review' ? t('已提交初审，待另一名工作人员复核', 'decided; a second staff member confirms it') : t('已复核', 'confirmed')}`,
                  );
                  setRound(round + 1);
                }} />`
          }
        </li>`,
      )}
    </ul>
  <//>`;
}

type StatsCell = {
  lendingCity: string;
  depositCity: string;
  loanCount: number;
  amountFen: number;
  demo?: boolean;
};

/** Regional lending statistics as a bar chart: loans of each lending city by the borrowers' deposit city. */
export function RegionalStats({ ctx }: { ctx: Ctx }) {
  const { data, problem } = useLoad(
    () =>
      ctx.call<{ cells: StatsCell[]; total: { loanCount: number; amountFen: number } }>(
        'GET',
        '/v1/stats/regional-loans',
      ),
    'stats',
  );
  const lending = [...new Set(data?.cells.map((c) => c.lendingCity) ?? [])];
  const most = Math.max(1, ...(data?.cells.map((c) => c.amountFen) ?? [1]));
  return html`<${Page} title=${t('区域贷款统计（贷款城市 × 缴存城市）', 'Regional loans (lending × deposit city)')}>
    <${ProblemBox} problem=${problem} />
    ${!data && !problem ? html`<${Loading} />` : null}
    ${
      data
        ? html`<p>${t('合计', 'Total')}: ${data.total.loanCount} ${t('笔', 'loans')}, <${Money} fen=${data.total.amountFen} />
          ${data.cells.some((c) => c.demo) ? html` <span class="tag">${t('演示数据', 'DEMO')}</span>` : null}</p>
        ${lending.map(
          (city) => html`<figure class="chart" data-testid="chart">
            <figcaption>${t('贷款城市', 'Lending city')}: ${cityName(city)}</figcaption>
            ${data.cells
              .filter((c) => c.lendingCity === city)
              .sort((a, b) => b.amountFen - a.amountFen)
              .map(
                (c) => html`<div class="bar-row">
                  <span class="bar-label">${cityName(c.depositCity)}</span>
                  <span class="bar" style=${`width:${Math.max(2, Math.round((c.amountFen / most) * 100))}%`} aria-hidden="true"></span>
                  <span class="bar-value">${c.loanCount} · <${Money} fen=${c.amountFen} /></span>
                </div>`,
              )}
          </figure>`,
        )}`
        : null
    }
  <//>`;
}

type AuditLine = {
  at: string;
  kind: string;
  staff?: string | null;
  action?: string;
  applicationId?: string;
  outcome?: string | null;
  askedBy?: string | null;
};

/** The centre's audit trail: staff actions and disclosures to other centres, by period. */
export function Audit({ ctx }: { ctx: Ctx }) {
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [query, setQuery] = useState(`from=${from}&to=${to}`);
  const { data, problem } = useLoad(
    () => ctx.call<{ lines: AuditLine[]; nextCursor?: string }>('GET', `/v1/staff/audit?${query}&limit=100`),
    query,
  );
  return html`<${Page} title=${t('审计记录', 'Audit trail')}>
    <form onSubmit=${(e: Event) => {
      e.preventDefault();
      setQuery(`from=${from}&to=${to}`);
    }}>
      <${Field} name="from" label=${t('开始日期', 'From')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} type="date" value=${from} onInput=${(e: Event) => setFrom((e.target as HTMLInputElement).value)} />`}
      <//>
      <${Field} name="to" label=${t('结束日期', 'To')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} type="date" value=${to} onInput=${(e: Event) => setTo((e.target as HTMLInputElement).value)} />`}
      <//>
      <${Button} type="submit">${t('查询', 'Show')}<//>
    </form>
    <${ProblemBox} problem=${problem} />
    ${
      data
        ? html`<${Table}
          caption=${t(`${data.lines.length} 条记录`, `${data.lines.length} lines`)}
          head=${[t('时间', 'When'), t('类别', 'Kind'), t('事项', 'Action'), t('申请', 'Application'), t('结果', 'Outcome'), t('经办 / 查询方', 'Staff / asked by')]}
          rows=${data.lines.map((l) => [
            html`<${DateText} value=${l.at} />`,
            l.kind,
            l.action ?? '',
            l.applicationId ?? '',
            l.outcome ?? '',
            l.staff ?? l.askedBy ?? '',
          ])}
        />`
        : null
    }
  <//>`;
}

type Payout = {
  withdrawalId: string;
  amountFen: number;
  status: 'instructed' | 'return_pending' | 'returned';
  instructedAt: string;
  bankAccount: { accountNumber: string; holderName: string; bankName: string };
  returnNotice?: { bankReference: string; reason: string; recordedBy: string; recordedAt: string };
  returnedAt?: string;
};

const PAYOUT_STATUS: Record<Payout['status'], [string, string]> = {
  instructed: ['已付款', 'paid out'],
  return_pending: ['退票待复核', 'return awaiting the second confirmation'],
  returned: ['已退票，资金已退回账户', 'returned, credited back to the account'],
};

/**
 * 退票: a payout the bank returned. One staff member looks it up by withdrawal id and records the
 * bank's notice; a second one confirms it (复核), and only then is the money credited back.
 */
export function PayoutReturns({ ctx }: { ctx: Ctx }) {
  const [lookup, setLookup] = useState('');
  const [payout, setPayout] = useState<Payout | undefined>();
  const [notice, setNotice] = useState({ bankReference: '', reasonZh: '' });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const keyFor = useResendKey('payout-return');
  const path = (id: string) => `/v1/staff/payouts/${encodeURIComponent(id)}`;
  const run = async (action: () => Promise<Payout>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      setPayout(await action());
    } catch (error) {
      setProblem(error instanceof Problem ? error : undefined);
    } finally {
      setBusy(false);
    }
  };
  const find = (event: Event) => {
    event.preventDefault();
    setPayout(undefined);
    void run(() => ctx.call<Payout>('GET', path(lookup.trim())));
  };
  const record = (event: Event) => {
    event.preventDefault();
    if (!payout) return;
    const body = { bankReference: notice.bankReference.trim(), reasonZh: notice.reasonZh.trim() };
    void run(() =>
      ctx.call<Payout>('POST', `${path(payout.withdrawalId)}/return`, { body, idempotencyKey: keyFor(body) }),
    );
  };
  const confirm = () => {
    if (!payout) return;
    void run(() =>
      ctx.call<Payout>('POST', `${path(payout.withdrawalId)}/return/confirmation`, {
        idempotencyKey: newIdempotencyKey('payout-confirm'),
      }),
    );
  };
  const set = (name: 'bankReference' | 'reasonZh') => (event: Event) =>
    setNotice({ ...notice, [name]: (event.target as HTMLInputElement).value });
  return html`<${Page} title=${t('退票处理', 'Returned payouts')}>
    <form onSubmit=${find} novalidate data-testid="payout-lookup">
      <${Field} name="withdrawalId" label=${t('提取申请编号', 'Withdrawal id')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} autocomplete="off" value=${lookup} onInput=${(e: Event) => setLookup((e.target as HTMLInputElement).value)} />`}
      <//>
      <${Button} type="submit" kind="secondary" disabled=${busy || lookup.trim() === ''}>${t('查询', 'Look up')}<//>
    </form>
    <${ProblemBox} problem=${problem} />
    ${
      payout
        ? html`<div class="result" role="status" data-testid="payout" data-status=${payout.status}>
          <p class="big">${t('状态', 'Status')}: <strong>${t(...PAYOUT_STATUS[payout.status])}</strong></p>
          <${Facts} items=${[
            [t('提取申请', 'Withdrawal'), payout.withdrawalId],
            [t('金额', 'Amount'), html`<${Money} fen=${payout.amountFen} />`],
            [t('付款时间', 'Paid out'), html`<${DateText} value=${payout.instructedAt} />`],
            [
              t('收款账户', 'Payee'),
              `${payout.bankAccount.bankName} ${payout.bankAccount.accountNumber} ${payout.bankAccount.holderName}`,
            ],
            ...(payout.returnNotice
              ? ([
                  [t('银行退票编号', 'Bank reference'), payout.returnNotice.bankReference],
                  [t('退票原因', 'Reason'), payout.returnNotice.reason],
                  [t('登记人', 'Recorded by'), payout.returnNotice.recordedBy],
                ] as [string, unknown][])
              : []),
          ]} />
        </div>
        ${
          payout.status === 'instructed'
            ? html`<form onSubmit=${record} novalidate data-testid="payout-return">
              <h2>${t('登记退票', 'Record the return')}</h2>
              <${Field} name="bankReference" label=${t('银行退票编号', 'Bank reference')} problem=${problem}>
                ${(attrs: Record<string, unknown>) => html`<input ...${attrs} autocomplete="off" value=${notice.bankReference} onInput=${set('bankReference')} />`}
              <//>
              <${Field} name="reasonZh" label=${t('退票原因', 'Reason')} problem=${problem}>
                ${(attrs: Record<string, unknown>) => html`<input ...${attrs} lang="zh-CN" value=${notice.reasonZh} onInput=${set('reasonZh')} />`}
              <//>
              <${Button} type="submit" disabled=${busy}>${t('登记退票', 'Record the return')}<//>
            </form>`
            : null
        }
        ${
          payout.status === 'return_pending'
            ? html`<p class="hint">${t('须由另一名工作人员复核后，资金才退回账户。', 'A second staff member must confirm before the money is credited back.')}</p>
              <${Button} disabled=${busy} onClick=${confirm}>${t('复核退票', 'Confirm the return')}<//>`
            : null
        }`
        : null
    }
  <//>`;
}
