/** A signed-in citizen: every account in the ten cities, each ledger, loans with their schedule, certificates. */
import { useState } from 'preact/hooks';
import { newIdempotencyKey, Problem } from '../api.js';
import type { Ctx } from '../context.js';
import { useLoad } from '../context.js';
import { html } from '../html.js';
import { nameOf, t } from '../i18n.js';
import { Button, DateText, Facts, Field, Loading, Money, Page, ProblemBox, Table } from '../ui.js';

type Account = {
  personalAccountNo: string;
  centre: { code: string; nameZh: string; nameEn: string };
  status: string;
  balanceFen: number;
  monthlyDepositBaseFen: number;
  employeeRateBasisPoints: number;
  employerRateBasisPoints: number;
  continuousDepositMonths: number;
  lastDepositMonth?: string;
  depositor: string;
};

const STATUS: Record<string, [string, string]> = {
  normal: ['正常', 'normal'],
  sealed: ['封存', 'sealed'],
  closed: ['销户', 'closed'],
};
const statusText = (s: string) => t(...(STATUS[s] ?? [s, s]));

export function Accounts({ ctx }: { ctx: Ctx }) {
  const { data, problem } = useLoad(
    () => ctx.call<{ accounts: Account[] }>('GET', '/v1/me/accounts'),
    'accounts',
  );
  const total = data?.accounts.reduce((sum, a) => sum + a.balanceFen, 0) ?? 0;
  return html`<${Page} title=${t('我的公积金账户', 'My HPF accounts')}>
    <${ProblemBox} problem=${problem} />
    ${!data && !problem ? html`<${Loading} />` : null}
    ${
      data
        ? html`<p>${t(`十市共 ${data.accounts.length} 个账户，余额合计 `, `${data.accounts.length} accounts in the ten cities, balance in total `)}<${Money} fen=${total} /></p>
        <ul class="cards" data-testid="accounts">
          ${data.accounts.map(
            (a) => html`<li class="card" data-city=${a.centre.code}>
              <h2>${nameOf(a.centre)} <span class="muted">${a.personalAccountNo}</span></h2>
              <${Facts} items=${[
                [t('余额', 'Balance'), html`<${Money} fen=${a.balanceFen} />`],
                [t('状态', 'Status'), statusText(a.status)],
                [t('月缴存基数', 'Monthly base'), html`<${Money} fen=${a.monthlyDepositBaseFen} />`],
                [
                  t('连续缴存', 'Continuous'),
                  t(`${a.continuousDepositMonths} 个月`, `${a.continuousDepositMonths} months`),
                ],
                ...(a.lastDepositMonth
                  ? [[t('最近缴存', 'Last deposit'), a.lastDepositMonth] as [string, unknown]]
                  : []),
              ]} />
              <a href=${`#/me/accounts/${a.personalAccountNo}`}>${t('明细', 'Ledger')}</a>
            </li>`,
          )}
        </ul>`
        : null
    }
  <//>`;
}

type Entry = {
  reference: string;
  kind: string;
  amountFen: number;
  balanceAfterFen: number;
  valueDate: string;
};
const KIND: Record<string, [string, string]> = {
  remittance: ['汇缴', 'remittance'],
  'back-pay': ['补缴', 'back-pay'],
  interest: ['结息', 'interest'],
  withdrawal: ['提取', 'withdrawal'],
};

export function Ledger({ ctx, accountNo }: { ctx: Ctx; accountNo: string }) {
  const [pages, setPages] = useState<string[]>(['']);
  const cursor = pages[pages.length - 1] ?? '';
  const { data, problem } = useLoad(
    () =>
      ctx.call<{ balanceFen: number; entries: Entry[]; nextCursor?: string }>(
        'GET',
        `/v1/me/accounts/${encodeURIComponent(accountNo)}/ledger?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      ),
    `${accountNo}:${cursor}`,
  );
  return html`<${Page} title=${`${t('账户明细', 'Ledger')} ${accountNo}`}>
    <${ProblemBox} problem=${problem} />
    ${!data && !problem ? html`<${Loading} />` : null}
    ${
      data
        ? html`<p>${t('余额', 'Balance')}: <${Money} fen=${data.balanceFen} /></p>
        <${Table}
          caption=${t('明细（最新在前）', 'Entries (newest first)')}
          head=${[t('日期', 'Date'), t('业务', 'Kind'), t('金额', 'Amount'), t('余额', 'Balance')]}
          rows=${data.entries.map((e) => [
            html`<${DateText} value=${e.valueDate} />`,
            t(...(KIND[e.kind] ?? [e.kind, e.kind])),
            html`<${Money} fen=${e.amountFen} />`,
            html`<${Money} fen=${e.balanceAfterFen} />`,
          ])}
        />
        ${data.nextCursor ? html`<${Button} kind="secondary" onClick=${() => setPages([...pages, data.nextCursor as string])}>${t('更早的明细', 'Older entries')}<//>` : null}`
        : null
    }
    <p><a href="#/me">${t('返回我的账户', 'Back to my accounts')}</a></p>
  <//>`;
}

type Loan = {
  loanId: string;
  lendingCity?: string;
  principalFen?: number;
  outstandingPrincipalFen?: number;
  status?: string;
  schedule?: { instalments?: Instalment[] };
  instalments?: Instalment[];
  [key: string]: unknown;
};
type Instalment = {
  number: number;
  dueMonth: string;
  paymentFen: number;
  principalFen: number;
  interestFen: number;
  remainingPrincipalFen: number;
};

export function Loans({ ctx }: { ctx: Ctx }) {
  const { data, problem } = useLoad(() => ctx.call<{ loans: Loan[] }>('GET', '/v1/me/loans'), 'loans');
  return html`<${Page} title=${t('我的贷款', 'My loans')}>
    <${ProblemBox} problem=${problem} />
    ${!data && !problem ? html`<${Loading} />` : null}
    ${data && data.loans.length === 0 ? html`<p>${t('暂无住房公积金贷款。', 'No HPF loan.')} <a href="#/me/apply">${t('申请贷款', 'Apply for a loan')}</a></p>` : null}
    <ul class="cards">
      ${data?.loans.map(
        (l) => html`<li class="card"><a href=${`#/me/loans/${l.loanId}`}>${l.loanId}</a>
          ${l.principalFen !== undefined ? html` · <${Money} fen=${l.principalFen} />` : null} ${l.status ? html`<span class="tag">${l.status}</span>` : null}</li>`,
      )}
    </ul>
  <//>`;
}

export function LoanDetail({ ctx, loanId }: { ctx: Ctx; loanId: string }) {
  const { data, problem } = useLoad(
    () => ctx.call<Loan>('GET', `/v1/me/loans/${encodeURIComponent(loanId)}`),
    loanId,
  );
  const instalments = data?.schedule?.instalments ?? data?.instalments ?? [];
  return html`<${Page} title=${`${t('贷款', 'Loan')} ${loanId}`}>
    <${ProblemBox} problem=${problem} />
    ${!data && !problem ? html`<${Loading} />` : null}
    ${
      data
        ? html`<${Facts} items=${Object.entries(data)
            .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
            .map(
              ([k, v]) =>
                [k, /Fen$/.test(k) ? html`<${Money} fen=${v as number} />` : String(v)] as [string, unknown],
            )} />
        <${Table}
          caption=${t('还款计划', 'Repayment schedule')}
          head=${[t('期次', 'No.'), t('月份', 'Month'), t('月供', 'Payment'), t('本金', 'Principal'), t('利息', 'Interest'), t('剩余本金', 'Remaining')]}
          rows=${instalments.map((i) => [String(i.number), i.dueMonth, html`<${Money} fen=${i.paymentFen} />`, html`<${Money} fen=${i.principalFen} />`, html`<${Money} fen=${i.interestFen} />`, html`<${Money} fen=${i.remainingPrincipalFen} />`])}
        />`
        : null
    }
  <//>`;
}

export function Certificates({ ctx }: { ctx: Ctx }) {
  const accounts = useLoad(() => ctx.call<{ accounts: Account[] }>('GET', '/v1/me/accounts'), 'accounts');
  const [accountNo, setAccountNo] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [issued, setIssued] = useState<Record<string, unknown> | undefined>();
  const [key] = useState(() => newIdempotencyKey('cert'));
  const chosen = accountNo || accounts.data?.accounts[0]?.personalAccountNo || '';
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    try {
      setIssued(
        await ctx.call('POST', '/v1/me/certificates', {
          body: { kind: 'deposit-usage', personalAccountNo: chosen },
          idempotencyKey: `${key}-${chosen}`,
        }),
      );
    } catch (error) {
      setProblem(error instanceof Problem ? error : undefined);
    }
  };
  const code = issued ? String(issued.verificationCode ?? '') : '';
  return html`<${Page} title=${t('缴存使用证明', 'Deposit and usage certificate')}>
    <${ProblemBox} problem=${accounts.problem} />
    <form onSubmit=${submit}>
      <${Field} name="personalAccountNo" label=${t('账户', 'Account')} problem=${problem}>
        ${(
          attrs: Record<string, unknown>,
        ) => html`<select ...${attrs} value=${chosen} onChange=${(e: Event) => setAccountNo((e.target as HTMLSelectElement).value)}>
          ${accounts.data?.accounts.map((a) => html`<option value=${a.personalAccountNo}>${nameOf(a.centre)} ${a.personalAccountNo}</option>`)}
        </select>`}
      <//>
      <${ProblemBox} problem=${problem} />
      <${Button} type="submit">${t('开具证明', 'Issue the certificate')}<//>
    </form>
    ${
      issued
        ? html`<div class="result" data-testid="certificate">
          <p>${t('核验码', 'Verification code')}: <code data-testid="verification-code">${code}</code></p>
          <p><a href=${`${ctx.config.apiBaseUrl}/v1/certificates/${encodeURIComponent(code)}`} target="_blank" rel="noopener">${t('打印版（含二维码）', 'Print view (with QR code)')}</a>
          · <a href=${`#/verify/${encodeURIComponent(code)}`}>${t('核验', 'Verify')}</a></p>
        </div>`
        : null
    }
  <//>`;
}
