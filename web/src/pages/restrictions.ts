/**
 * 我的限制与公示: what the joint-enforcement list bars the citizen from, until when, whom to contact
 * and how to object; and every disclosure of their facts (which centre learnt what, for what).
 */
import type { Ctx } from '../context.js';
import { useLoad } from '../context.js';
import { html } from '../html.js';
import { pick, t } from '../i18n.js';
import { DateText, Facts, Loading, Page, ProblemBox, Table } from '../ui.js';
import { cityName } from './public.js';

type Restriction = {
  recordId: string;
  city: string;
  contact: string;
  kindName: { 'zh-CN': string; en: string };
  decisionDocumentNo: string;
  decisionDate: string;
  bars: { service: 'withdrawals' | 'loans'; until: string; inForce: boolean }[];
  objection: string;
};
type Disclosure = {
  disclosedAt: string;
  disclosedBy: string;
  learntBy: string;
  purpose: string;
  applicationId: string;
  fields: string[];
};

const SERVICE: Record<string, [string, string]> = {
  withdrawals: ['提取', 'withdrawals'],
  loans: ['贷款', 'loans'],
};

/** Why a centre learnt the facts (shared/messaging/envelope.ts FACTS_PURPOSES, enforcement look-ups). */
const PURPOSE: Record<string, [string, string]> = {
  'loan-application': ['贷款申请', 'loan application'],
  'loan-application-spouse': ['配偶的贷款申请', "spouse's loan application"],
  'loan-application-co-applicant': ['共同申请贷款', 'loan co-application'],
  'enforcement-lookup': ['联合惩戒查询', 'enforcement look-up'],
};

export function MyRestrictions({ ctx }: { ctx: Ctx }) {
  const restrictions = useLoad(
    () => ctx.call<{ restrictions: Restriction[] }>('GET', '/v1/me/restrictions'),
    'restrictions',
  );
  const disclosures = useLoad(
    () => ctx.call<{ disclosures: Disclosure[] }>('GET', '/v1/me/disclosures'),
    'disclosures',
  );
  return html`<${Page} title=${t('我的限制与公示', 'My restrictions and disclosures')}>
    <h2>${t('限制（联合惩戒）', 'Restrictions (joint enforcement)')}</h2>
    <${ProblemBox} problem=${restrictions.problem} />
    ${!restrictions.data && !restrictions.problem ? html`<${Loading} />` : null}
    ${
      restrictions.data?.restrictions.length === 0
        ? html`<p data-testid="no-restrictions">${t('您没有任何限制，可正常办理提取和贷款。', 'Nothing restricts you: withdrawals and loans are open to you.')}</p>`
        : null
    }
    <ul class="cards" data-testid="restrictions">
      ${restrictions.data?.restrictions.map(
        (r) => html`<li class="card" data-record=${r.recordId}>
          <h3>${pick(r.kindName)} · ${cityName(r.city)}</h3>
          <${Facts} items=${[
            ...r.bars.map(
              (bar) =>
                [
                  t(
                    `禁止${SERVICE[bar.service]?.[0] ?? bar.service}`,
                    `No ${SERVICE[bar.service]?.[1] ?? bar.service}`,
                  ),
                  // The end date is exclusive (shared/enforcement/rules.ts barsOf).
                  html`<span data-testid=${`bar-${bar.service}`} data-in-force=${String(bar.inForce)}>${t('至 ', 'before ')}${bar.until}${t(' 前', '')}${bar.inForce ? '' : t('（已到期）', ' (ended)')}</span>`,
                ] as [string, unknown],
            ),
            [t('处理决定书', 'Decision'), `${r.decisionDocumentNo} · ${r.decisionDate}`],
            [t('联系', 'Contact'), r.contact],
            [t('异议途径', 'How to object'), r.objection],
          ]} />
        </li>`,
      )}
    </ul>
    <h2>${t('信息公示（谁查询了我的信息）', 'Disclosures (who learnt my facts)')}</h2>
    <${ProblemBox} problem=${disclosures.problem} />
    ${!disclosures.data && !disclosures.problem ? html`<${Loading} />` : null}
    ${
      disclosures.data?.disclosures.length === 0
        ? html`<p data-testid="no-disclosures">${t('您的信息尚未向其他中心提供。', 'None of your facts has been given to another centre.')}</p>`
        : null
    }
    ${
      disclosures.data && disclosures.data.disclosures.length > 0
        ? html`<${Table}
          caption=${t('信息披露记录（最新在前）', 'Disclosures (newest first)')}
          head=${[t('时间', 'When'), t('提供方', 'From'), t('获取方', 'To'), t('用途', 'For'), t('信息项', 'Facts')]}
          rows=${disclosures.data.disclosures.map((d) => [
            html`<${DateText} value=${d.disclosedAt} />`,
            cityName(d.disclosedBy),
            cityName(d.learntBy),
            html`${t(...(PURPOSE[d.purpose] ?? [d.purpose, d.purpose]))} <code>${d.applicationId}</code>`,
            d.fields.join(', '),
          ])}
        />`
        : null
    }
  <//>`;
}
