/** A citizen's withdrawals (提取): one form for every ground the API offers, then the application followed. */
import { useState } from 'preact/hooks';
import { asProblem, type Problem } from '../api.js';
import type { Ctx } from '../context.js';
import { useLoad, useResendKey } from '../context.js';
import { FollowApplication, type Followed, timeLeftText } from '../follow.js';
import { html } from '../html.js';
import { nameOf, t } from '../i18n.js';
import { Button, DateText, Field, Loading, Money, Page, ProblemBox, parseYuan } from '../ui.js';
import { CITY_CODES, cityName } from './public.js';

type Account = {
  personalAccountNo: string;
  centre: { code: string; nameZh: string; nameEn: string };
  status: string;
  balanceFen: number;
};

/** One input of a ground's body: its dotted path is the body's member and the server's `field`. */
export type Input = {
  path: string;
  label: [string, string];
  kind: 'text' | 'yuan' | 'date' | 'city' | 'year' | 'category';
  optional?: boolean;
};

const AMOUNT: Input = { path: 'amountFen', label: ['提取金额（元）', 'Amount (yuan)'], kind: 'yuan' };
const PROPERTY: Input[] = [
  { path: 'property.onlineSigningNo', label: ['网签备案号', 'Online-signing record number'], kind: 'text' },
  { path: 'property.city', label: ['房屋所在城市', 'Property city'], kind: 'city' },
];

/** The grounds of functions/withdrawal/contract.ts, each with its own members. */
export const GROUNDS: { type: string; label: [string, string]; inputs: Input[] }[] = [
  {
    type: 'purchase',
    label: ['购买自住住房', 'Buying a home'],
    inputs: [AMOUNT, ...PROPERTY],
  },
  {
    type: 'rent',
    label: ['租赁住房', 'Renting a home'],
    inputs: [
      AMOUNT,
      {
        path: 'spouseIdNumber',
        label: ['配偶身份证号（已婚时填写）', "Spouse's ID number (if married)"],
        kind: 'text',
        optional: true,
      },
    ],
  },
  {
    type: 'renovation',
    label: ['自住住房装修', 'Renovating your home'],
    inputs: [
      AMOUNT,
      ...PROPERTY,
      { path: 'invoice.invoiceNo', label: ['发票号码', 'Invoice number'], kind: 'text' },
      { path: 'invoice.amountFen', label: ['发票金额（元）', 'Invoice amount (yuan)'], kind: 'yuan' },
      { path: 'invoice.issuedOn', label: ['开票日期', 'Issued on'], kind: 'date' },
      { path: 'invoice.evidenceRef', label: ['发票材料编号', 'Invoice file reference'], kind: 'text' },
    ],
  },
  {
    type: 'property-fee',
    label: ['支付物业费', 'Paying the property fee'],
    inputs: [
      AMOUNT,
      ...PROPERTY,
      { path: 'feeNotice.noticeNo', label: ['缴费通知单号', 'Fee notice number'], kind: 'text' },
      { path: 'feeNotice.amountFen', label: ['通知单金额（元）', 'Notice amount (yuan)'], kind: 'yuan' },
      { path: 'feeNotice.feeYear', label: ['物业费年度', 'Fee year'], kind: 'year' },
      { path: 'feeNotice.evidenceRef', label: ['通知单材料编号', 'Notice file reference'], kind: 'text' },
    ],
  },
  {
    type: 'offsite-repay',
    label: ['偿还异地公积金贷款', 'Repaying an HPF loan in another city'],
    inputs: [{ path: 'loanCity', label: ['贷款城市', 'Loan city'], kind: 'city' }],
  },
  {
    type: 'retirement',
    label: ['离休、退休（销户）', 'Retirement (closes the account)'],
    inputs: [
      {
        path: 'retirementRecord.retirementDate',
        label: ['退休日期（提前退休时填写）', 'Retirement date (early retirement only)'],
        kind: 'date',
        optional: true,
      },
      {
        path: 'retirementRecord.documentNo',
        label: ['退休证编号', 'Retirement document number'],
        kind: 'text',
        optional: true,
      },
      {
        path: 'retirementRecord.category',
        label: ['退休类别', 'Retirement category'],
        kind: 'category',
        optional: true,
      },
    ],
  },
  {
    type: 'emigration',
    label: ['出境定居（销户）', 'Settling abroad (closes the account)'],
    inputs: [
      { path: 'settlement.country', label: ['定居国家或地区', 'Country or region'], kind: 'text' },
      { path: 'settlement.documentNo', label: ['定居证明编号', 'Settlement document number'], kind: 'text' },
      { path: 'settlement.issuedOn', label: ['证明签发日期', 'Issued on'], kind: 'date' },
    ],
  },
];
const groundOf = (type: string) =>
  GROUNDS.find((g) => g.type === type) ?? (GROUNDS[0] as (typeof GROUNDS)[0]);
export const groundText = (type: string) => {
  const ground = GROUNDS.find((g) => g.type === type);
  return ground ? t(...ground.label) : type;
};

export const BANK: Input[] = [
  { path: 'bankAccount.accountNumber', label: ['收款银行账号', 'Bank account number'], kind: 'text' },
  { path: 'bankAccount.holderName', label: ['户名（须为本人）', 'Holder (your own name)'], kind: 'text' },
  { path: 'bankAccount.bankName', label: ['开户银行', 'Bank'], kind: 'text' },
];

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  target[head] ??= {};
  setPath(target[head] as Record<string, unknown>, rest.join('.'), value);
}

/** The form's values as the ground's body; the inputs that are not an amount or a year, marked. */
export function bodyOf(
  type: string,
  accountNo: string,
  values: Record<string, string>,
): { body: Record<string, unknown>; errors: Record<string, string> } {
  const body: Record<string, unknown> = { type, personalAccountNo: accountNo };
  const errors: Record<string, string> = {};
  for (const input of [...groundOf(type).inputs, ...BANK]) {
    const text = (values[input.path] ?? '').trim();
    if (text === '' && input.optional) continue;
    if (input.kind === 'yuan') {
      const fen = parseYuan(text);
      if (fen === undefined)
        errors[input.path] = t(
          '请输入金额（元，最多两位小数）',
          'Enter an amount in yuan (at most two decimals)',
        );
      else setPath(body, input.path, fen);
    } else if (input.kind === 'year') {
      if (!/^\d{4}$/.test(text)) errors[input.path] = t('请输入四位年份', 'Enter a four-digit year');
      else setPath(body, input.path, Number(text));
    } else if (input.path === 'bankAccount.accountNumber') {
      // Written in groups of four on a card; sent as the digits.
      setPath(body, input.path, text.replace(/\s+/g, ''));
    } else setPath(body, input.path, text);
  }
  return { body, errors };
}

/** One input's control (a city or category list, a date, a text box), shared with the agent's counter. */
export const inputControl =
  (input: Input, value: string, onInput: (event: Event) => void) => (attrs: Record<string, unknown>) => {
    switch (input.kind) {
      case 'city':
        return html`<select ...${attrs} value=${value} onChange=${onInput}>
          ${CITY_CODES.map((c) => html`<option value=${c}>${cityName(c)}</option>`)}
        </select>`;
      case 'category':
        return html`<select ...${attrs} value=${value} onChange=${onInput}>
          <option value="">${t('（不填）', '(none)')}</option>
          <option value="statutory">${t('法定退休', 'Statutory')}</option>
          <option value="special-work">${t('特殊工种', 'Special work')}</option>
          <option value="ill-health">${t('病退', 'Ill health')}</option>
        </select>`;
      case 'date':
        return html`<input ...${attrs} type="date" value=${value} onInput=${onInput} />`;
      default:
        return html`<input ...${attrs} inputmode=${input.kind === 'text' ? undefined : 'decimal'} autocomplete="off" value=${value} onInput=${onInput} />`;
    }
  };

/** A ground's input as a labelled field (its id and name the body's dotted path), for the citizen's form and the counter's. */
export function groundField(form: {
  values: Record<string, string>;
  setValues: (values: Record<string, string>) => void;
  problem: Problem | undefined;
  local: Record<string, string>;
}) {
  const { values, setValues, problem, local } = form;
  const set = (path: string) => (event: Event) =>
    setValues({ ...values, [path]: (event.target as HTMLInputElement).value });
  return (input: Input) =>
    html`<${Field} name=${input.path} id=${`f-${input.path.replaceAll('.', '-')}`} label=${t(...input.label)} problem=${problem} localError=${local[input.path]}>${inputControl(input, values[input.path] ?? '', set(input.path))}<//>`;
}

/** The apply form: account, ground, its members, the payee account; one Idempotency-Key per body. */
export function WithdrawalApplication({ ctx }: { ctx: Ctx }) {
  const accounts = useLoad(() => ctx.call<{ accounts: Account[] }>('GET', '/v1/me/accounts'), 'accounts');
  const [accountNo, setAccountNo] = useState('');
  const [type, setType] = useState('purchase');
  const [values, setValues] = useState<Record<string, string>>({
    'property.city': '320300',
    loanCity: '320300',
  });
  const [local, setLocal] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const keyFor = useResendKey('wd');
  const own = accounts.data?.accounts ?? [];
  const chosen = accountNo || own.find((a) => a.status !== 'closed')?.personalAccountNo || '';

  const submit = async (event: Event) => {
    event.preventDefault();
    const { body, errors } = bodyOf(type, chosen, values);
    setLocal(errors);
    if (Object.keys(errors).length > 0) return;
    const key = keyFor(body);
    setBusy(true);
    setProblem(undefined);
    try {
      const accepted = await ctx.call<{ applicationId: string }>('POST', '/v1/me/withdrawals', {
        body,
        idempotencyKey: key,
      });
      location.hash = `#/me/withdrawals/${encodeURIComponent(accepted.applicationId)}`;
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const field = groundField({ values, setValues, problem, local });

  return html`<${Page} title=${t('申请提取住房公积金', 'Withdraw from your HPF account')}>
    <${ProblemBox} problem=${accounts.problem} />
    ${!accounts.data && !accounts.problem ? html`<${Loading} />` : null}
    ${
      accounts.data
        ? html`<form onSubmit=${submit} novalidate data-testid="withdrawal-form">
          <${Field} name="personalAccountNo" label=${t('提取账户', 'Account')} problem=${problem}>
            ${(
              attrs: Record<string, unknown>,
            ) => html`<select ...${attrs} value=${chosen} onChange=${(e: Event) => setAccountNo((e.target as HTMLSelectElement).value)}>
              ${own.map((a) => html`<option value=${a.personalAccountNo}>${nameOf(a.centre)} ${a.personalAccountNo}</option>`)}
            </select>`}
          <//>
          ${(() => {
            const account = own.find((a) => a.personalAccountNo === chosen);
            return account
              ? html`<p class="hint">${t('余额', 'Balance')}: <${Money} fen=${account.balanceFen} /></p>`
              : null;
          })()}
          <${Field} name="type" label=${t('提取原因', 'Ground')} problem=${problem}>
            ${(
              attrs: Record<string, unknown>,
            ) => html`<select ...${attrs} value=${type} onChange=${(e: Event) => setType((e.target as HTMLSelectElement).value)}>
              ${GROUNDS.map((g) => html`<option value=${g.type}>${t(...g.label)}</option>`)}
            </select>`}
          <//>
          <fieldset><legend>${groundText(type)}</legend>${groundOf(type).inputs.map(field)}</fieldset>
          <fieldset><legend>${t('收款账户', 'Payee bank account')}</legend>${BANK.map(field)}</fieldset>
          <${ProblemBox} problem=${problem} />
          <${Button} type="submit" disabled=${busy || chosen === ''}>${t('提交提取申请', 'Submit the withdrawal')}<//>
        </form>`
        : null
    }
    <p><a href="#/me">${t('返回我的账户', 'Back to my accounts')}</a></p>
  <//>`;
}

type Withdrawal = Followed & {
  type: string;
  personalAccountNo: string;
  bankAccount: { accountNumber: string; holderName: string; bankName: string };
  acceptedAt: string;
  payoutFen?: number;
  /** The bank returned the payout (退票) and it was credited back to the account. */
  payoutReturned?: { amountFen: number; returnedAt: string };
};

/** Statuses after which nothing changes without staff: the page stops asking. */
const SETTLED = ['review', 'pending_confirmation', 'rejected', 'paid', 'withdrawn'];

/** One withdrawal followed by its id. */
export function WithdrawalDetail({ ctx, id }: { ctx: Ctx; id: string }) {
  return html`<${Page} title=${`${t('提取申请', 'Withdrawal')} ${id}`}>
    <${FollowApplication}
      ctx=${ctx}
      path=${`/v1/me/withdrawals/${encodeURIComponent(id)}`}
      settled=${SETTLED}
      testid="withdrawal"
      data=${(w: Withdrawal) => (w.payoutReturned ? { payout: 'returned' } : {})}
      facts=${(withdrawal: Withdrawal) => [
        [t('提取原因', 'Ground'), groundText(withdrawal.type)],
        [t('账户', 'Account'), withdrawal.personalAccountNo],
        [
          t('收款账户', 'Payee'),
          html`<span data-testid="payee">${withdrawal.bankAccount.bankName} ${withdrawal.bankAccount.accountNumber} ${withdrawal.bankAccount.holderName}</span>`,
        ],
        [t('受理时间', 'Accepted'), html`<${DateText} value=${withdrawal.acceptedAt} />`],
        [t('承诺办结', 'Committed by'), html`<${DateText} value=${withdrawal.committedDeadline} />`],
        [t('剩余时限', 'Time left'), timeLeftText(withdrawal)],
        ...(withdrawal.payoutFen !== undefined
          ? [[t('已支付', 'Paid'), html`<${Money} fen=${withdrawal.payoutFen} />`] as [string, unknown]]
          : []),
        ...(withdrawal.payoutReturned
          ? [
              [
                t('银行退票', 'Returned by the bank'),
                html`<span data-testid="payout-returned">${t('已退回账户', 'credited back to the account')} <${Money} fen=${withdrawal.payoutReturned.amountFen} /> · <${DateText} value=${withdrawal.payoutReturned.returnedAt} /></span>`,
              ] as [string, unknown],
            ]
          : []),
      ]}
    />
    <p><a href="#/me/applications">${t('我的办件', 'My applications')}</a> · <a href="#/me/withdrawals">${t('再申请一笔提取', 'Apply for another withdrawal')}</a></p>
  <//>`;
}
