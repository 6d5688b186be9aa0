/** A signed-in citizen: every account in the ten cities, each ledger, loans with their schedule, certificates. */
import { useEffect, useState } from 'preact/hooks';
import { newIdempotencyKey, Problem } from '../api.js';
import type { Ctx } from '../context.js';
import { useLoad } from '../context.js';
import { APPLICATION_STATUS } from '../follow.js';
import { html } from '../html.js';
import { type Bilingual, nameOf, pick, t } from '../i18n.js';
import { Button, DateText, Facts, Field, Loading, Money, Page, ProblemBox, Table } from '../ui.js';
import { PrepaymentForm } from './prepayment.js';
import { LoanCalculatorForm } from './public.js';

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
  // Read again after a prepayment: the new schedule and outstanding principal.
  const [version, setVersion] = useState(0);
  const { data, problem } = useLoad(
    () => ctx.call<Loan>('GET', `/v1/me/loans/${encodeURIComponent(loanId)}`),
    `${loanId}:${version}`,
  );
  // The form (and its answer) stays while the loan is read again, and after a payoff.
  const [prepayable, setPrepayable] = useState(false);
  useEffect(() => {
    if (data?.status === 'active') setPrepayable(true);
  }, [data?.status]);
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
    ${prepayable ? html`<${PrepaymentForm} ctx=${ctx} loanId=${loanId} onPaid=${() => setVersion(version + 1)} />` : null}
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

type Calculated = { amountFen: number; limit: { limitFen: number } };
type Application = {
  applicationId: string;
  status: string;
  decision?: { outcome: string; approvedFen?: number; amountFen?: number };
  reasons?: { code: string; message: Bilingual }[];
  committedDeadline?: string;
};

/** A loan application: first the calculator's preview with the citizen's own balance and base, then the application. */
export function LoanApplication({ ctx }: { ctx: Ctx }) {
  const accounts = useLoad(() => ctx.call<{ accounts: Account[] }>('GET', '/v1/me/accounts'), 'accounts');
  const [preview, setPreview] = useState<
    { result: Calculated; request: Record<string, unknown> } | undefined
  >();
  const [extra, setExtra] = useState({
    onlineSigningNo: '',
    declaredHomeOrder: 'first',
    maritalStatus: 'single',
    spouseIdNumber: '',
    spouseCoApplies: false,
  });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [application, setApplication] = useState<Application | undefined>();
  const [key] = useState(() => newIdempotencyKey('loan'));

  const poll = async (id: string) => {
    for (let i = 0; i < 30; i++) {
      const current = await ctx.call<Application>(
        'GET',
        `/v1/me/loan-applications/${encodeURIComponent(id)}`,
      );
      setApplication({ ...current, applicationId: id });
      if (current.status !== 'awaiting_facts') return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };

  const apply = async (event: Event) => {
    event.preventDefault();
    if (!preview) return;
    setProblem(undefined);
    const { city, housePriceFen, termMonths, method } = preview.request;
    const body: Record<string, unknown> = {
      lendingCity: city,
      propertyCity: city,
      requestedFen: preview.result.amountFen,
      termMonths,
      method,
      declaredHomeOrder: extra.declaredHomeOrder,
      otherMonthlyDebtFen: 0,
      maritalStatus: extra.maritalStatus,
    };
    if (extra.onlineSigningNo.trim() !== '') body.onlineSigningNo = extra.onlineSigningNo.trim();
    else body.housePriceFen = housePriceFen;
    if (extra.maritalStatus === 'married')
      Object.assign(body, {
        spouseIdNumber: extra.spouseIdNumber.trim(),
        spouseCoApplies: extra.spouseCoApplies,
      });
    try {
      const accepted = await ctx.call<Application>('POST', '/v1/me/loan-applications', {
        body,
        idempotencyKey: key,
      });
      setApplication(accepted);
      await poll(accepted.applicationId);
    } catch (error) {
      setProblem(error instanceof Problem ? error : undefined);
    }
  };

  const own = accounts.data?.accounts ?? [];
  const initial = own.length
    ? {
        balanceFen: (own.reduce((sum, a) => sum + a.balanceFen, 0) / 100).toFixed(2),
        monthlyDepositBaseFen: (Math.max(...own.map((a) => a.monthlyDepositBaseFen)) / 100).toFixed(2),
      }
    : undefined;
  const setField = (name: string) => (event: Event) => {
    const target = event.target as HTMLInputElement;
    setExtra({ ...extra, [name]: target.type === 'checkbox' ? target.checked : target.value });
  };
  return html`<${Page} title=${t('申请住房公积金贷款', 'Apply for an HPF loan')}>
    <${ProblemBox} problem=${accounts.problem} />
    ${!accounts.data && !accounts.problem ? html`<${Loading} />` : null}
    ${
      initial
        ? html`<h2>${t('第一步：试算（按您的账户余额与缴存基数）', 'Step 1: preview (with your balance and deposit base)')}</h2>
        <${LoanCalculatorForm} ctx=${ctx} initial=${initial} onResult=${(result: Calculated, request: Record<string, unknown>) => setPreview({ result, request })} />`
        : null
    }
    ${
      preview && !application
        ? html`<h2>${t('第二步：提交申请', 'Step 2: apply')}</h2>
        <form onSubmit=${apply}>
          <p>${t('申请金额', 'Amount')}: <${Money} fen=${preview.result.amountFen} /></p>
          <${Field} name="onlineSigningNo" label=${t('网签备案号（可不填，不填转人工审核）', 'Online-signing record number (optional: without it, staff review)')} problem=${problem}>
            ${(attrs: Record<string, unknown>) => html`<input ...${attrs} value=${extra.onlineSigningNo} onInput=${setField('onlineSigningNo')} />`}
          <//>
          <${Field} name="declaredHomeOrder" label=${t('购房套数', 'Home order')} problem=${problem}>
            ${(
              attrs: Record<string, unknown>,
            ) => html`<select ...${attrs} value=${extra.declaredHomeOrder} onChange=${setField('declaredHomeOrder')}>
              <option value="first">${t('首套', 'First home')}</option><option value="second">${t('二套', 'Second home')}</option></select>`}
          <//>
          <${Field} name="maritalStatus" label=${t('婚姻状况', 'Marital status')} problem=${problem}>
            ${(
              attrs: Record<string, unknown>,
            ) => html`<select ...${attrs} value=${extra.maritalStatus} onChange=${setField('maritalStatus')}>
              <option value="single">${t('未婚 / 离异 / 丧偶', 'Single')}</option><option value="married">${t('已婚', 'Married')}</option></select>`}
          <//>
          ${
            extra.maritalStatus === 'married'
              ? html`<${Field} name="spouseIdNumber" label=${t('配偶身份证号', "Spouse's ID number")} hint=${t('配偶须用本人账号登录确认后，平台才会查询其信息。', 'Nothing about your spouse is looked up until they confirm with their own sign-in.')} problem=${problem}>
                ${(attrs: Record<string, unknown>) => html`<input ...${attrs} autocomplete="off" value=${extra.spouseIdNumber} onInput=${setField('spouseIdNumber')} />`}
              <//>
              <div class="field"><label><input type="checkbox" name="spouseCoApplies" checked=${extra.spouseCoApplies} onChange=${setField('spouseCoApplies')} /> ${t('配偶作为共同申请人', 'My spouse co-applies')}</label></div>`
              : null
          }
          <${ProblemBox} problem=${problem} />
          <${Button} type="submit">${t('提交申请', 'Submit the application')}<//>
        </form>`
        : null
    }
    ${
      application
        ? html`<div class="result" role="status" data-testid="application" data-status=${application.status}>
          <p>${t('申请编号', 'Application')}: <a href=${`#/me/loan-applications/${encodeURIComponent(application.applicationId)}`} data-testid="application-link"><code>${application.applicationId}</code></a> · ${t('查看、撤回、请配偶确认', 'follow, withdraw, ask your spouse to confirm')}</p>
          <p class="big">${t('状态', 'Status')}: <strong>${t(...(APPLICATION_STATUS[application.status] ?? [application.status, application.status]))}</strong></p>
          ${application.committedDeadline ? html`<p>${t('承诺办结', 'Committed by')}: <${DateText} value=${application.committedDeadline} /></p>` : null}
          <ul>${application.reasons?.map((r) => html`<li>${pick(r.message)}</li>`)}</ul>
        </div>`
        : null
    }
  <//>`;
}
