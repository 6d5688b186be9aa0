/** An agent at the counter (线下受理、线上审批): a loan, a withdrawal of any ground or an account transfer accepted for a citizen present with their ID, and what it submitted. */
import { useState } from 'preact/hooks';
import { asProblem, newIdempotencyKey, Problem } from '../api.js';
import type { Ctx } from '../context.js';
import { useLoad, useResendKey } from '../context.js';
import { itemText, statusText } from '../follow.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Button, DateText, Facts, Field, Page, ProblemBox, parseYuan, Table } from '../ui.js';
import { cityName } from './public.js';
import { TRANSFER_STATE } from './transfers.js';
import { BANK, bodyOf, GROUNDS, groundField, groundText, type Input } from './withdrawals.js';

type Submitted = {
  applicationId: string;
  itemCode: string;
  status: string | null;
  acceptedAt: string;
  idNumber: string | null;
};

/** What this counter submitted, newest first, each with its status as the centre holds it now. */
function Submissions({ ctx, round }: { ctx: Ctx; round: number }) {
  const submitted = useLoad(
    () => ctx.call<{ applications: Submitted[] }>('GET', '/v1/agent/applications'),
    `agent:${round}`,
  );
  return html`<${ProblemBox} problem=${submitted.problem} />
    ${
      submitted.data
        ? html`<${Table}
          caption=${t('本网点已提交的申请', 'What this counter submitted')}
          head=${[t('申请', 'Application'), t('事项', 'Item'), t('申请人', 'Applicant'), t('状态', 'Status'), t('受理时间', 'Accepted')]}
          rows=${submitted.data.applications.map((a) => [
            html`<code data-testid="agent-application" data-status=${a.status ?? ''}>${a.applicationId}</code>`,
            itemText(a.itemCode),
            a.idNumber ?? '',
            a.status ? statusText(a.status) : '—',
            html`<${DateText} value=${a.acceptedAt} />`,
          ])}
        />`
        : null
    }`;
}

export function AgentCounter({ ctx }: { ctx: Ctx }) {
  const city = ctx.session?.claims.city ?? '';
  const [values, setValues] = useState<Record<string, string>>({
    idNumber: '',
    onlineSigningNo: '',
    housePriceFen: '',
    requestedFen: '200000',
    termMonths: '240',
  });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [local, setLocal] = useState<Record<string, string>>({});
  const [round, setRound] = useState(0);
  const [key, setKey] = useState(() => newIdempotencyKey('agent-loan'));
  const set = (name: string) => (event: Event) =>
    setValues({ ...values, [name]: (event.target as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const body: Record<string, unknown> = {
      idNumber: values.idNumber?.trim(),
      lendingCity: city,
      propertyCity: city,
      termMonths: Number(values.termMonths),
      method: 'equal-installment',
      declaredHomeOrder: 'first',
      otherMonthlyDebtFen: 0,
      maritalStatus: 'single',
    };
    for (const name of ['requestedFen', 'housePriceFen']) {
      const text = values[name]?.trim() ?? '';
      if (text === '') continue;
      const fen = parseYuan(text);
      if (fen === undefined) errors[name] = t('请输入金额（元）', 'Enter an amount in yuan');
      else body[name] = fen;
    }
    if (values.onlineSigningNo?.trim()) body.onlineSigningNo = values.onlineSigningNo.trim();
    setLocal(errors);
    if (Object.keys(errors).length > 0) return;
    setProblem(undefined);
    try {
      await ctx.call('POST', '/v1/agent/loan-applications', { body, idempotencyKey: key });
      setKey(newIdempotencyKey('agent-loan'));
      setRound(round + 1);
    } catch (error) {
      setProblem(error instanceof Problem ? error : undefined);
    }
  };

  const input = (
    name: string,
    label: string,
    mode = 'text',
  ) => html`<${Field} name=${name} label=${label} problem=${problem} localError=${local[name]}>
    ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode=${mode} autocomplete="off" value=${values[name]} onInput=${set(name)} />`}
  <//>`;
  return html`<${Page} title=${t('柜台受理：住房公积金贷款', 'Counter: HPF loan')}>
    <p>${t('申请人本人到场，核验身份证件后录入（单身申请人，等额本息）。', 'The applicant is present and their ID checked (single applicant, equal instalments).')}</p>
    <form onSubmit=${submit}>
      ${input('idNumber', t('申请人身份证号', "Applicant's ID number"))}
      ${input('onlineSigningNo', t('网签备案号（可不填）', 'Online-signing record number (optional)'))}
      ${input('housePriceFen', t('房屋总价（元，无网签备案号时）', 'House price (yuan, without a record)'), 'decimal')}
      ${input('requestedFen', t('申请金额（元）', 'Amount (yuan)'), 'decimal')}
      ${input('termMonths', t('贷款期限（月）', 'Term (months)'), 'numeric')}
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit">${t('受理', 'Accept')}<//>
    </form>
    <${Submissions} ctx=${ctx} round=${round} />
  <//>`;
}

/** The applicant's ID and account, typed at the counter; the rest is the citizen's form (withdrawals.ts). */
const APPLICANT: Input[] = [
  { path: 'idNumber', label: ['申请人身份证号', "Applicant's ID number"], kind: 'text' },
  { path: 'personalAccountNo', label: ['个人账号', 'Personal account number'], kind: 'text' },
];
/** The payee is the applicant's own account: the citizen's labels say "your own". */
const PAYEE: Input[] = BANK.map((input) =>
  input.path === 'bankAccount.holderName'
    ? { ...input, label: ['账户户名（申请人本人）', 'Account holder (the applicant)'] }
    : input,
);

type Accepted = {
  applicationId: string;
  status: string;
  committedDeadline?: string;
  transferState?: string;
};

/** The answer of an accepted submission, and the way to the counter's list. */
function AcceptedBox({ accepted, testId }: { accepted: Accepted; testId: string }) {
  return html`<div class="result" role="status" data-testid=${testId} data-status=${accepted.status}>
    <p><strong>${t('已受理：', 'Accepted: ')}<code>${accepted.applicationId}</code></strong></p>
    <${Facts} items=${[
      [t('状态', 'Status'), statusText(accepted.status)],
      ...(accepted.transferState
        ? [
            [
              t('资金进度', 'Where the money is'),
              t(
                ...(TRANSFER_STATE[accepted.transferState] ?? [
                  accepted.transferState,
                  accepted.transferState,
                ]),
              ),
            ] as [string, unknown],
          ]
        : []),
      [
        t('承诺办结', 'Committed by'),
        accepted.committedDeadline ? html`<${DateText} value=${accepted.committedDeadline} />` : '—',
      ],
    ]} />
    <a href="#/agent">${t('本网点已提交的申请', 'What this counter submitted')}</a>
  </div>`;
}

/** 提取 at the counter, every ground of the citizen's form, paid to the applicant's own bank account. */
export function AgentWithdrawal({ ctx }: { ctx: Ctx }) {
  const city = ctx.session?.claims.city ?? '';
  const [type, setType] = useState('rent');
  const [values, setValues] = useState<Record<string, string>>({ 'property.city': city, loanCity: city });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [local, setLocal] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [accepted, setAccepted] = useState<Accepted | undefined>();
  const keyFor = useResendKey('agent-withdrawal');
  const ground = GROUNDS.find((g) => g.type === type) ?? GROUNDS[0];

  const submit = async (event: Event) => {
    event.preventDefault();
    const formed = bodyOf(type, (values.personalAccountNo ?? '').trim(), values);
    setLocal(formed.errors);
    if (Object.keys(formed.errors).length > 0) return;
    const body = { ...formed.body, idNumber: (values.idNumber ?? '').trim() };
    setBusy(true);
    setProblem(undefined);
    setAccepted(undefined);
    try {
      setAccepted(
        await ctx.call<Accepted>('POST', '/v1/agent/withdrawals', { body, idempotencyKey: keyFor(body) }),
      );
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const field = groundField({ values, setValues, problem, local });
  return html`<${Page} title=${t('柜台受理：住房公积金提取', 'Counter: HPF withdrawal')}>
    <p>${t('申请人本人到场，核验身份证件后录入；提取款只付至申请人本人的银行账户。', "The applicant is present and their ID checked; the money goes to the applicant's own bank account only.")}</p>
    <form onSubmit=${submit} novalidate data-testid="agent-withdrawal-form">
      <${Field} name="type" label=${t('提取类型', 'Withdrawal type')} problem=${problem}>
        ${(
          attrs: Record<string, unknown>,
        ) => html`<select ...${attrs} value=${type} onChange=${(e: Event) => setType((e.target as HTMLSelectElement).value)}>
          ${GROUNDS.map((g) => html`<option value=${g.type}>${t(...g.label)}</option>`)}
        </select>`}
      <//>
      <fieldset><legend>${t('申请人', 'Applicant')}</legend>${APPLICANT.map(field)}</fieldset>
      <fieldset><legend>${groundText(type)}</legend>${ground?.inputs.map(field)}</fieldset>
      <fieldset><legend>${t('收款账户', 'Payee bank account')}</legend>${PAYEE.map(field)}</fieldset>
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit" disabled=${busy}>${t('受理', 'Accept')}<//>
    </form>
    ${accepted ? html`<${AcceptedBox} accepted=${accepted} testId="agent-withdrawal" />` : null}
  <//>`;
}

/** 转移接续 at a counter of the receiving centre: the sealed account elsewhere moves to the applicant's account here. */
export function AgentTransfer({ ctx }: { ctx: Ctx }) {
  const city = ctx.session?.claims.city ?? '';
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const [accepted, setAccepted] = useState<Accepted | undefined>();
  const keyFor = useResendKey('agent-transfer');

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = {
      idNumber: (values.idNumber ?? '').trim(),
      personalAccountNo: (values.personalAccountNo ?? '').trim(),
      toCity: city,
    };
    setBusy(true);
    setProblem(undefined);
    setAccepted(undefined);
    try {
      setAccepted(
        await ctx.call<Accepted>('POST', '/v1/agent/transfers', { body, idempotencyKey: keyFor(body) }),
      );
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: string, label: string) =>
    html`<${Field} name=${name} label=${label} problem=${problem}>
      ${(attrs: Record<string, unknown>) => html`<input ...${attrs} autocomplete="off" value=${values[name] ?? ''} onInput=${(e: Event) => setValues({ ...values, [name]: (e.target as HTMLInputElement).value })} />`}
    <//>`;
  return html`<${Page} title=${t('柜台受理：转移接续', 'Counter: account transfer')}>
    <p>${t(
      `申请人本人到场，核验身份证件后录入；原单位已封存的异地账户转入申请人在${cityName(city)}的账户。`,
      `The applicant is present and their ID checked; their sealed account in another city moves to their account in ${cityName(city)}.`,
    )}</p>
    <form onSubmit=${submit} novalidate data-testid="agent-transfer-form">
      ${field('idNumber', t('申请人身份证号', "Applicant's ID number"))}
      ${field('personalAccountNo', t('转出账号（原单位已封存）', 'Account moved from (sealed)'))}
      <${Facts} items=${[[t('转入城市', 'City moved to'), cityName(city)]]} />
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit" disabled=${busy}>${t('受理', 'Accept')}<//>
    </form>
    ${accepted ? html`<${AcceptedBox} accepted=${accepted} testId="agent-transfer" />` : null}
  <//>`;
}
