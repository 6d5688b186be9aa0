/** An agent at the counter (线下受理、线上审批): a loan or a withdrawal accepted for a citizen present with their ID, and what it submitted. */
import { useState } from 'preact/hooks';
import { newIdempotencyKey, Problem } from '../api.js';
import type { Ctx } from '../context.js';
import { useLoad } from '../context.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Button, DateText, Facts, Field, Page, ProblemBox, parseYuan, Table } from '../ui.js';

type Submitted = {
  applicationId: string;
  itemCode?: string;
  status: string;
  acceptedAt?: string;
  city?: string;
};

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
  const submitted = useLoad(
    () => ctx.call<{ applications: Submitted[] }>('GET', '/v1/agent/applications'),
    `agent:${round}`,
  );
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
    <${ProblemBox} problem=${submitted.problem} />
    ${
      submitted.data
        ? html`<${Table}
          caption=${t('本网点已提交的申请', 'What this counter submitted')}
          head=${[t('申请', 'Application'), t('事项', 'Item'), t('状态', 'Status'), t('受理时间', 'Accepted')]}
          rows=${submitted.data.applications.map((a) => [
            html`<code data-testid="agent-application">${a.applicationId}</code>`,
            a.itemCode ?? '',
            a.status,
            a.acceptedAt ? html`<${DateText} value=${a.acceptedAt} />` : '',
          ])}
        />`
        : null
    }
  <//>`;
}

type AcceptedWithdrawal = { applicationId: string; status: string; committedDeadline?: string };

/** The withdrawal types a counter takes here, and whether each names an amount and a home. */
const WITHDRAWAL_TYPES: [string, string, string, { amount: boolean; property: boolean }][] = [
  ['rent', '租房提取', 'Rent', { amount: true, property: false }],
  ['purchase', '购房提取', 'Home purchase', { amount: true, property: true }],
  ['retirement', '退休提取（销户）', 'Retirement (closes the account)', { amount: false, property: false }],
];

/** 提取 at the counter: for a citizen present with their ID, paid to their own bank account. */
export function AgentWithdrawal({ ctx }: { ctx: Ctx }) {
  const city = ctx.session?.claims.city ?? '';
  const [values, setValues] = useState<Record<string, string>>({
    type: 'rent',
    idNumber: '',
    personalAccountNo: '',
    amountFen: '',
    onlineSigningNo: '',
    accountNumber: '',
    holderName: '',
    bankName: '',
  });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [local, setLocal] = useState<Record<string, string>>({});
  const [key, setKey] = useState(() => newIdempotencyKey('agent-withdrawal'));
  const [accepted, setAccepted] = useState<AcceptedWithdrawal | undefined>();
  const set = (name: string) => (event: Event) =>
    setValues({ ...values, [name]: (event.target as HTMLInputElement).value });
  const kind = WITHDRAWAL_TYPES.find(([value]) => value === values.type)?.[3] ?? {
    amount: false,
    property: false,
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const body: Record<string, unknown> = {
      type: values.type,
      idNumber: values.idNumber?.trim(),
      personalAccountNo: values.personalAccountNo?.trim(),
      bankAccount: {
        accountNumber: values.accountNumber?.trim(),
        holderName: values.holderName?.trim(),
        bankName: values.bankName?.trim(),
      },
    };
    if (kind.amount) {
      const fen = parseYuan(values.amountFen ?? '');
      if (fen === undefined) errors.amountFen = t('请输入金额（元）', 'Enter an amount in yuan');
      else body.amountFen = fen;
    }
    if (kind.property) body.property = { onlineSigningNo: values.onlineSigningNo?.trim(), city };
    setLocal(errors);
    if (Object.keys(errors).length > 0) return;
    setProblem(undefined);
    setAccepted(undefined);
    try {
      setAccepted(
        await ctx.call<AcceptedWithdrawal>('POST', '/v1/agent/withdrawals', { body, idempotencyKey: key }),
      );
      setKey(newIdempotencyKey('agent-withdrawal'));
    } catch (error) {
      setProblem(error instanceof Problem ? error : undefined);
    }
  };

  const input = (name: string, label: string, mode = 'text') =>
    html`<${Field} name=${name} label=${label} problem=${problem} localError=${local[name]}>
      ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode=${mode} autocomplete="off" value=${values[name]} onInput=${set(name)} />`}
    <//>`;
  return html`<${Page} title=${t('柜台受理：住房公积金提取', 'Counter: HPF withdrawal')}>
    <p>${t('申请人本人到场，核验身份证件后录入；提取款只付至申请人本人的银行账户。', "The applicant is present and their ID checked; the money goes to the applicant's own bank account only.")}</p>
    <form onSubmit=${submit}>
      <${Field} name="type" label=${t('提取类型', 'Withdrawal type')} problem=${problem}>
        ${(
          attrs: Record<string, unknown>,
        ) => html`<select ...${attrs} value=${values.type} onChange=${set('type')}>
          ${WITHDRAWAL_TYPES.map(([value, zh, en]) => html`<option value=${value}>${t(zh, en)}</option>`)}
        </select>`}
      <//>
      ${input('idNumber', t('申请人身份证号', "Applicant's ID number"))}
      ${input('personalAccountNo', t('个人账号', 'Personal account number'), 'numeric')}
      ${kind.amount ? input('amountFen', t('提取金额（元）', 'Amount (yuan)'), 'decimal') : null}
      ${kind.property ? input('onlineSigningNo', t('网签备案号', 'Online-signing record number')) : null}
      ${input('accountNumber', t('收款银行账号', 'Bank account number'), 'numeric')}
      ${input('holderName', t('账户户名（申请人本人）', 'Account holder (the applicant)'))}
      ${input('bankName', t('开户银行', 'Bank'))}
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit">${t('受理', 'Accept')}<//>
    </form>
    ${
      accepted
        ? html`<div class="result" role="status" data-testid="agent-withdrawal">
          <p><strong>${t('已受理：', 'Accepted: ')}<code>${accepted.applicationId}</code></strong></p>
          <${Facts} items=${[
            [t('状态', 'Status'), accepted.status],
            [
              t('承诺办结', 'Committed by'),
              accepted.committedDeadline ? html`<${DateText} value=${accepted.committedDeadline} />` : '—',
            ],
          ]} />
          <a href="#/agent">${t('本网点已提交的申请', 'What this counter submitted')}</a>
        </div>`
        : null
    }
  <//>`;
}
