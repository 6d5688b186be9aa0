/**
 * Voluntary deposits (灵活就业人员自愿缴存): the citizen opens an account with no employer, orders a
 * month's payment (缴款单), follows and cancels it; the centre's collecting bank (归集银行) confirms
 * the payment, the only thing that credits the account.
 */
import { useState } from 'preact/hooks';
import { asProblem, Problem } from '../api.js';
import { type Ctx, useLoad, useResendKey } from '../context.js';
import { html } from '../html.js';
import { nameOf, t } from '../i18n.js';
import { Button, DateText, Facts, Field, Loading, Money, Page, ProblemBox, parseYuan, Table } from '../ui.js';
import { CITY_CODES, cityName } from './public.js';

type Account = {
  personalAccountNo: string;
  centre: { code: string; nameZh: string; nameEn: string };
  status: string;
  balanceFen: number;
  monthlyDepositBaseFen: number;
  employeeRateBasisPoints: number;
  depositor: string;
};

type Order = {
  orderId: string;
  personalAccountNo: string;
  month: string;
  status: string;
  amountFen: number;
  expiresAt: string;
  paidAt?: string;
  bankReference?: string;
};

const ORDER_STATUS: Record<string, [string, string]> = {
  awaiting_payment: ['待缴款', 'awaiting payment'],
  paid: ['已到账', 'paid'],
  cancelled: ['已取消', 'cancelled'],
  expired: ['已过期', 'expired'],
};
export const orderStatusText = (s: string) => t(...(ORDER_STATUS[s] ?? [s, s]));

/** A field the page refuses before sending: the problem marks it like the server's would. */
const localProblem = (field: string, zh: string, en: string) =>
  new Problem(400, 'VALIDATION_FAILED', { 'zh-CN': zh, en }, [{ field, message: { 'zh-CN': zh, en } }]);

/** "12" or "7.5" (%) → basis points. */
function parsePercent(text: string): number | undefined {
  const match = /^(\d{1,2})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** This month in Beijing (the platform's calendar). */
const beijingMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

export function VoluntaryAccounts({ ctx }: { ctx: Ctx }) {
  const [version, setVersion] = useState(0);
  const accounts = useLoad(
    () => ctx.call<{ accounts: Account[] }>('GET', '/v1/me/accounts'),
    `accounts:${version}`,
  );
  const own = (accounts.data?.accounts ?? []).filter((a) => a.depositor === 'self');
  const [form, setForm] = useState({ city: '320300', name: '', base: '', rate: '12' });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const keyFor = useResendKey('voluntary');
  const set = (name: keyof typeof form) => (event: Event) =>
    setForm({ ...form, [name]: (event.target as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    const monthlyDepositBaseFen = parseYuan(form.base);
    const rateBasisPoints = parsePercent(form.rate);
    if (monthlyDepositBaseFen === undefined || monthlyDepositBaseFen === 0)
      return setProblem(
        localProblem(
          'monthlyDepositBaseFen',
          '请填写月缴存基数（元，大于 0）。',
          'Enter the monthly base in yuan, above 0.',
        ),
      );
    if (rateBasisPoints === undefined)
      return setProblem(localProblem('rateBasisPoints', '请填写缴存比例（%）。', 'Enter the rate in %.'));
    const body = { city: form.city, name: form.name.trim(), monthlyDepositBaseFen, rateBasisPoints };
    setBusy(true);
    setProblem(undefined);
    try {
      const opened = await ctx.call<{ personalAccountNo: string }>('POST', '/v1/me/voluntary-accounts', {
        body,
        idempotencyKey: keyFor(body),
      });
      location.hash = `#/me/voluntary/${encodeURIComponent(opened.personalAccountNo)}`;
    } catch (error) {
      setProblem(asProblem(error));
      setVersion(version + 1);
    } finally {
      setBusy(false);
    }
  };

  return html`<${Page} title=${t('自愿缴存', 'Voluntary deposits')}>
    <p class="hint">${t(
      '个体工商户、灵活就业人员可自愿缴存住房公积金：无单位，个人按同一比例缴纳两部分。',
      'The self-employed and flexibly employed may deposit on their own: no employer, both shares at one rate.',
    )}</p>
    <${ProblemBox} problem=${accounts.problem} />
    ${!accounts.data && !accounts.problem ? html`<${Loading} />` : null}
    ${
      own.length > 0
        ? html`<ul class="cards" data-testid="voluntary-accounts">${own.map(
            (a) => html`<li class="card" data-account=${a.personalAccountNo}>
              <h2>${nameOf(a.centre)} <span class="muted">${a.personalAccountNo}</span></h2>
              <${Facts} items=${[
                [t('余额', 'Balance'), html`<${Money} fen=${a.balanceFen} />`],
                [t('月缴存基数', 'Monthly base'), html`<${Money} fen=${a.monthlyDepositBaseFen} />`],
              ]} />
              <a href=${`#/me/voluntary/${a.personalAccountNo}`}>${t('缴款单', 'Payment orders')}</a>
            </li>`,
          )}</ul>`
        : accounts.data
          ? html`<p data-testid="no-voluntary">${t('尚无自愿缴存账户。', 'No voluntary account yet.')}</p>`
          : null
    }
    <h2>${t('开立自愿缴存账户', 'Open a voluntary account')}</h2>
    <form onSubmit=${submit} novalidate data-testid="voluntary-open">
      <${Field} name="city" label=${t('缴存城市', 'City')} problem=${problem}>
        ${(
          attrs: Record<string, unknown>,
        ) => html`<select ...${attrs} value=${form.city} onChange=${set('city')}>
          ${CITY_CODES.map((c) => html`<option value=${c}>${cityName(c)}</option>`)}
        </select>`}
      <//>
      <${Field} name="name" label=${t('姓名', 'Name')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} autocomplete="name" value=${form.name} onInput=${set('name')} />`}
      <//>
      <${Field} name="monthlyDepositBaseFen" label=${t('月缴存基数（元）', 'Monthly deposit base (yuan)')} hint=${t('不低于当地最低工资，不高于上限。', "Between the city's floor and ceiling.")} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode="decimal" value=${form.base} onInput=${set('base')} />`}
      <//>
      <${Field} name="rateBasisPoints" label=${t('缴存比例（%）', 'Rate (%)')} hint=${t('5%–12%，个人与单位部分同一比例。', '5%–12%, the same for both shares.')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode="decimal" value=${form.rate} onInput=${set('rate')} />`}
      <//>
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit" disabled=${busy}>${t('开户', 'Open the account')}<//>
    </form>
  <//>`;
}

export function VoluntaryAccount({ ctx, accountNo }: { ctx: Ctx; accountNo: string }) {
  const [version, setVersion] = useState(0);
  const base = `/v1/me/voluntary-accounts/${encodeURIComponent(accountNo)}/remittances`;
  const orders = useLoad(() => ctx.call<{ orders: Order[] }>('GET', base), `${accountNo}:${version}`);
  const [month, setMonth] = useState(beijingMonth());
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const keyFor = useResendKey('order');
  // After an order is made, the same month again (its order cancelled) is a new request: a new key.
  const [made, setMade] = useState(0);

  const order = async (event: Event) => {
    event.preventDefault();
    const body = { month: month.trim() };
    setBusy(true);
    setProblem(undefined);
    try {
      await ctx.call('POST', base, { body, idempotencyKey: keyFor({ ...body, made }) });
      setMade(made + 1);
      setVersion(version + 1);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const cancel = async (orderId: string) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await ctx.call('POST', `${base}/${encodeURIComponent(orderId)}/cancellation`);
      setVersion(version + 1);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const list = orders.data?.orders ?? [];
  return html`<${Page} title=${`${t('自愿缴存账户', 'Voluntary account')} ${accountNo}`}>
    <form onSubmit=${order} novalidate data-testid="order-form">
      <${Field} name="month" label=${t('缴存月份（年-月）', 'Month (YYYY-MM)')} hint=${t('自开户月起，至次月缴款日止。', 'From the opening month, until the due day of the next month.')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} type="month" value=${month} onInput=${(e: Event) => setMonth((e.target as HTMLInputElement).value)} />`}
      <//>
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit" disabled=${busy}>${t('生成缴款单', 'Make the payment order')}<//>
    </form>
    <p class="hint">${t(
      '凭缴款单号到中心的归集银行缴款；银行确认到账后才记入账户。',
      "Pay at the centre's collecting bank with the order number; it is credited once the bank confirms.",
    )}</p>
    <${ProblemBox} problem=${orders.problem} />
    ${!orders.data && !orders.problem ? html`<${Loading} />` : null}
    ${orders.data && list.length === 0 ? html`<p>${t('暂无缴款单。', 'No payment order yet.')}</p>` : null}
    ${
      list.length > 0
        ? html`<ul class="cards" data-testid="orders">${list.map(
            (o) => html`<li class="card" data-order=${o.orderId} data-status=${o.status}>
              <h2>${o.month} · ${orderStatusText(o.status)}</h2>
              <${Facts} items=${[
                [t('缴款单号', 'Order'), html`<code data-testid="order-id">${o.orderId}</code>`],
                [t('金额', 'Amount'), html`<${Money} fen=${o.amountFen} />`],
                o.status === 'paid' && o.paidAt
                  ? [t('到账', 'Paid'), html`<${DateText} value=${o.paidAt} />`]
                  : [t('缴款期限', 'Pay by'), html`<${DateText} value=${o.expiresAt} />`],
              ]} />
              ${
                o.status === 'awaiting_payment'
                  ? html`<${Button} kind="secondary" disabled=${busy} onClick=${() => cancel(o.orderId)}>${t('取消缴款单', 'Cancel the order')}<//>`
                  : null
              }
            </li>`,
          )}</ul>`
        : null
    }
    <p><a href="#/me/voluntary">${t('自愿缴存', 'Voluntary deposits')}</a> · <a href="#/me">${t('我的账户', 'My accounts')}</a></p>
  <//>`;
}

/** The collecting bank's teller: the order number, the amount received, the bank's reference, when. */
export function PaymentConfirmation({ ctx }: { ctx: Ctx }) {
  const [form, setForm] = useState({ orderId: '', amount: '', bankReference: '' });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [answer, setAnswer] = useState<{ alreadyConfirmed: boolean; order: Order } | undefined>();
  const [busy, setBusy] = useState(false);
  const keyFor = useResendKey('payment');
  const [stamp, setStamp] = useState<{ payment: string; paidAt: string } | undefined>();
  const set = (name: keyof typeof form) => (event: Event) =>
    setForm({ ...form, [name]: (event.target as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    const amountFen = parseYuan(form.amount);
    if (amountFen === undefined)
      return setProblem(
        localProblem('amountFen', '请填写到账金额（元）。', 'Enter the amount received in yuan.'),
      );
    const payment = { orderId: form.orderId.trim(), amountFen, bankReference: form.bankReference.trim() };
    // A resend of the same payment keeps its time of arrival, so it is the same body under the same key.
    const same = JSON.stringify(payment);
    const paidAt = stamp?.payment === same ? stamp.paidAt : new Date().toISOString();
    setStamp({ payment: same, paidAt });
    const body = { ...payment, paidAt };
    setBusy(true);
    setProblem(undefined);
    setAnswer(undefined);
    try {
      setAnswer(
        await ctx.call('POST', '/v1/agent/payment-confirmations', { body, idempotencyKey: keyFor(body) }),
      );
    } catch (error) {
      const refused = asProblem(error);
      // The amount differs from the order: the server names no field, the page marks the amount.
      setProblem(
        refused.code === 'PAYMENT_AMOUNT_MISMATCH' && !refused.field('amountFen')
          ? new Problem(refused.status, refused.code, refused.text, [
              ...refused.errors,
              { field: 'amountFen', message: refused.text },
            ])
          : refused,
      );
    } finally {
      setBusy(false);
    }
  };

  return html`<${Page} title=${t('缴款到账确认', 'Confirm a payment received')}>
    <p class="hint">${t(
      '归集银行确认自愿缴存缴款单的款项已到账，确认后记入缴存人账户。',
      "The collecting bank confirms a voluntary deposit's payment arrived; it is then credited.",
    )}</p>
    <form onSubmit=${submit} novalidate data-testid="payment-form">
      <${Field} name="orderId" label=${t('缴款单号', 'Order number')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} autocomplete="off" value=${form.orderId} onInput=${set('orderId')} />`}
      <//>
      <${Field} name="amountFen" label=${t('到账金额（元）', 'Amount received (yuan)')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode="decimal" value=${form.amount} onInput=${set('amount')} />`}
      <//>
      <${Field} name="bankReference" label=${t('银行流水号', 'Bank reference')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} autocomplete="off" value=${form.bankReference} onInput=${set('bankReference')} />`}
      <//>
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit" disabled=${busy}>${t('确认到账', 'Confirm the payment')}<//>
    </form>
    ${
      answer
        ? html`<div class="result" role="status" data-testid="payment-confirmed" data-status=${answer.order.status}>
          <p class="big">${answer.alreadyConfirmed ? t('此笔款项此前已确认。', 'This payment was confirmed before.') : t('已确认到账。', 'Payment confirmed.')}</p>
          <${Table}
            caption=${t('缴款单', 'Payment order')}
            head=${[t('缴款单号', 'Order'), t('月份', 'Month'), t('金额', 'Amount'), t('状态', 'Status')]}
            rows=${[[answer.order.orderId, answer.order.month, html`<${Money} fen=${answer.order.amountFen} />`, orderStatusText(answer.order.status)]]}
          />
        </div>`
        : null
    }
  <//>`;
}
