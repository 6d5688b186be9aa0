/** Moving an account to another region city (转移接续): apply, follow where the money is, cancel. */
import { useState } from 'preact/hooks';
import { asProblem, Problem } from '../api.js';
import { type Ctx, useLoad, useResendKey } from '../context.js';
import { FollowApplication, type Followed, timeLeftText } from '../follow.js';
import { html } from '../html.js';
import { nameOf, t } from '../i18n.js';
import { Button, DateText, Field, Loading, Money, Page, ProblemBox } from '../ui.js';
import { CITY_CODES, cityName } from './public.js';

type Account = {
  personalAccountNo: string;
  centre: { code: string; nameZh: string; nameEn: string };
  status: string;
};

const ACCOUNT_STATUS: Record<string, [string, string]> = {
  normal: ['正常', 'normal'],
  sealed: ['封存', 'sealed'],
  closed: ['销户', 'closed'],
};

export function TransferApplication({ ctx }: { ctx: Ctx }) {
  const accounts = useLoad(() => ctx.call<{ accounts: Account[] }>('GET', '/v1/me/accounts'), 'accounts');
  const own = accounts.data?.accounts ?? [];
  const [accountNo, setAccountNo] = useState('');
  const [toCity, setToCity] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const keyFor = useResendKey('move');
  // The account left behind is the sealed one (封存); the city moved to, one of the others.
  const chosen =
    accountNo ||
    own.find((a) => a.status === 'sealed')?.personalAccountNo ||
    own.find((a) => a.status !== 'closed')?.personalAccountNo ||
    '';
  const fromCity = chosen.slice(0, 6);
  const target =
    toCity || own.find((a) => a.centre.code !== fromCity && a.status === 'normal')?.centre.code || '';

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = { personalAccountNo: chosen, toCity: target };
    setBusy(true);
    setProblem(undefined);
    try {
      const accepted = await ctx.call<{ applicationId: string }>('POST', '/v1/me/transfers', {
        body,
        idempotencyKey: keyFor(body),
      });
      location.hash = `#/me/transfers/${encodeURIComponent(accepted.applicationId)}`;
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return html`<${Page} title=${t('转移接续', 'Move an account to another city')}>
    <p class="hint">${t(
      '原单位已封存的账户，余额与缴存月数转入新城市的账户。',
      'A sealed account’s balance and deposit months move to your account in the new city.',
    )}</p>
    <${ProblemBox} problem=${accounts.problem} />
    ${!accounts.data && !accounts.problem ? html`<${Loading} />` : null}
    ${
      accounts.data
        ? html`<form onSubmit=${submit} novalidate data-testid="transfer-form">
          <${Field} name="personalAccountNo" label=${t('转出账户', 'Account moved from')} problem=${problem}>
            ${(
              attrs: Record<string, unknown>,
            ) => html`<select ...${attrs} value=${chosen} onChange=${(e: Event) => setAccountNo((e.target as HTMLSelectElement).value)}>
              ${own.map((a) => html`<option value=${a.personalAccountNo}>${nameOf(a.centre)} ${a.personalAccountNo}（${t(...(ACCOUNT_STATUS[a.status] ?? [a.status, a.status]))}）</option>`)}
            </select>`}
          <//>
          <${Field} name="toCity" label=${t('转入城市', 'City moved to')} problem=${problem}>
            ${(
              attrs: Record<string, unknown>,
            ) => html`<select ...${attrs} value=${target} onChange=${(e: Event) => setToCity((e.target as HTMLSelectElement).value)}>
              ${CITY_CODES.map((c) => html`<option value=${c}>${cityName(c)}</option>`)}
            </select>`}
          <//>
          <${ProblemBox} problem=${problem} />
          <${Button} type="submit" disabled=${busy || chosen === ''}>${t('申请转移', 'Apply for the move')}<//>
        </form>`
        : null
    }
  <//>`;
}

type Transfer = Followed & {
  fromCity: string;
  city: string;
  sendingAccountNo: string;
  receivingAccountNo: string;
  transferState: string;
  amountFen?: number;
  interestFen?: number;
};

/** Where the money is (shared/transfers/saga.ts RECEIVING_STATES). */
export const TRANSFER_STATE: Record<string, [string, string]> = {
  'letter-sent': ['联系函已发出，等待转出地答复', 'letter sent, awaiting the sending centre'],
  refused: ['转出地未同意，资金未转移', 'refused by the sending centre: nothing moved'],
  cancelled: ['已撤回，资金未转移', 'cancelled: nothing moved'],
  'no-answer': ['转出地逾期未答复，人工处理中', 'no answer in time: with staff'],
  credited: ['已转入新账户', 'credited to the new account'],
  returned: ['资金已退回原账户', 'sent back to the old account'],
};

/** Open while the sending centre has not moved the money: the citizen may still cancel. */
const CANCELLABLE = ['awaiting_facts', 'review'];
const SETTLED = ['rejected', 'paid', 'withdrawn'];

export function TransferDetail({ ctx, id }: { ctx: Ctx; id: string }) {
  const [busy, setBusy] = useState(false);
  const cancel = async (replace: (next: Transfer) => void, fail: (problem: Problem | undefined) => void) => {
    setBusy(true);
    fail(undefined);
    try {
      replace(await ctx.call<Transfer>('POST', `/v1/me/transfers/${encodeURIComponent(id)}/cancellation`));
    } catch (error) {
      fail(error instanceof Problem ? error : undefined);
    } finally {
      setBusy(false);
    }
  };
  const money = (label: string, fen: number | undefined) =>
    fen === undefined ? [] : [[label, html`<${Money} fen=${fen} />`] as [string, unknown]];

  return html`<${Page} title=${`${t('转移接续', 'Account move')} ${id}`}>
    <${FollowApplication}
      ctx=${ctx}
      path=${`/v1/me/transfers/${encodeURIComponent(id)}`}
      settled=${SETTLED}
      testid="transfer"
      data=${(transfer: Transfer) => ({ state: transfer.transferState })}
      facts=${(transfer: Transfer) => [
        [t('转出', 'From'), `${cityName(transfer.fromCity)} ${transfer.sendingAccountNo}`],
        [t('转入', 'To'), `${cityName(transfer.city)} ${transfer.receivingAccountNo}`],
        [
          t('资金进度', 'Where the money is'),
          t(...(TRANSFER_STATE[transfer.transferState] ?? [transfer.transferState, transfer.transferState])),
        ],
        ...money(t('转移金额', 'Amount moved'), transfer.amountFen),
        ...money(t('其中利息', 'Of which interest'), transfer.interestFen),
        [t('承诺办结', 'Committed by'), html`<${DateText} value=${transfer.committedDeadline} />`],
        [t('剩余时限', 'Time left'), timeLeftText(transfer)],
      ]}
      actions=${(
        transfer: Transfer,
        replace: (next: Transfer) => void,
        fail: (p: Problem | undefined) => void,
      ) =>
        CANCELLABLE.includes(transfer.status)
          ? html`<${Button} kind="secondary" disabled=${busy} onClick=${() => cancel(replace, fail)}>${t('撤回申请', 'Cancel the move')}<//>`
          : null}
    />
    <p><a href="#/me/applications">${t('我的办件', 'My applications')}</a> · <a href="#/me/transfers">${t('转移接续', 'Move an account')}</a></p>
  <//>`;
}
