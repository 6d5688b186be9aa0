/** Pages anyone may open: the catalogue and its guides, the ten centres, the calculator, verification. */
import { useState } from 'preact/hooks';
import { CITIES, CITY_CODES, isCityCode } from '../../../shared/config/cities.js';
import { Problem } from '../api.js';
import type { Ctx } from '../context.js';
import { useLoad } from '../context.js';
import { html } from '../html.js';
import { type Bilingual, nameOf, pick, t } from '../i18n.js';
import { Button, DateText, Facts, Field, Loading, Money, Page, ProblemBox, parseYuan } from '../ui.js';

type Service = {
  code: string;
  nameZh: string;
  nameEn: string;
  scope: string;
  available?: boolean;
  committedWorkingDays?: number;
  acceptanceStandard?: Bilingual;
  materials?: { nameZh: string; nameEn: string; fetchedByPlatform: boolean; condition?: Bilingual }[];
  guideSteps?: Bilingual[];
  handlingModes?: string[];
};

const SCOPE: Record<string, [string, string]> = {
  crossProvince: ['跨省通办', 'Cross-province'],
  regional: ['区域通办', 'Regional'],
};

export function Catalogue({ ctx }: { ctx: Ctx }) {
  const { data, problem } = useLoad(
    () => ctx.call<{ services: Service[] }>('GET', '/v1/services'),
    'services',
  );
  return html`<${Page} title=${t('服务事项', 'Services')}>
    <p>${t('淮海经济区十市住房公积金业务，全程网办。', 'Housing provident fund services of the ten Huaihai cities, online end to end.')}</p>
    <${ProblemBox} problem=${problem} />
    ${!data && !problem ? html`<${Loading} />` : null}
    <ul class="cards">
      ${data?.services.map(
        (s) => html`<li class="card">
          <a href=${`#/services/${s.code}`}>${nameOf(s)}</a>
          <span class="tag">${t(...(SCOPE[s.scope] ?? [s.scope, s.scope]))}</span>
          ${
            s.committedWorkingDays !== undefined
              ? html`<span class="muted">${t(`承诺 ${s.committedWorkingDays} 个工作日`, `${s.committedWorkingDays} working days committed`)}</span>`
              : null
          }
        </li>`,
      )}
    </ul>
  <//>`;
}

export function Guide({ ctx, code }: { ctx: Ctx; code: string }) {
  const { data, problem } = useLoad(
    () => ctx.call<Service>('GET', `/v1/services/${encodeURIComponent(code)}`),
    code,
  );
  return html`<${Page} title=${data ? nameOf(data) : t('办事指南', 'Guide')}>
    <${ProblemBox} problem=${problem} />
    ${!data && !problem ? html`<${Loading} />` : null}
    ${
      data
        ? html`<h2>${t('受理标准', 'Who may apply')}</h2><p>${pick(data.acceptanceStandard)}</p>
        <h2>${t('申请材料', 'Materials')}</h2>
        <ul>${data.materials?.map(
          (
            m,
          ) => html`<li>${nameOf(m)}${m.condition ? html` <span class="muted">（${pick(m.condition)}）</span>` : null}
            ${m.fetchedByPlatform ? html` <span class="tag tag-ok">${t('平台在线获取，无需提交', 'fetched online: nothing to bring')}</span>` : null}</li>`,
        )}</ul>
        <h2>${t('办理流程', 'Steps')}</h2>
        <ol>${data.guideSteps?.map((s) => html`<li>${pick(s)}</li>`)}</ol>
        ${
          data.committedWorkingDays !== undefined
            ? html`<p>${t(`承诺时限：${data.committedWorkingDays} 个工作日`, `Committed time: ${data.committedWorkingDays} working days`)}</p>`
            : null
        }
        ${code === 'OFFSITE_LOAN' || code === 'LOCAL_LOAN' ? html`<p><a href="#/calculator">${t('贷款试算', 'Loan calculator')}</a></p>` : null}`
        : null
    }
    <p><a href="#/">${t('返回服务事项', 'Back to the services')}</a></p>
  <//>`;
}

type City = {
  code: string;
  nameZh: string;
  nameEn: string;
  provinceZh: string;
  provinceEn: string;
  parameters: Record<string, unknown> & {
    ruleVersion: string;
    effectiveFrom: string;
    demo?: boolean;
    depositBaseFloorFen: number;
    depositBaseCeilingFen: number;
    depositRateMinBasisPoints: number;
    depositRateMaxBasisPoints: number;
    loanCapSingleFen: number;
    loanCapCoupleFen: number;
    balanceMultiple: number;
    minContinuousDepositMonths: number;
    downPaymentRatioFirstHomeBasisPoints: number;
    downPaymentRatioSecondHomeBasisPoints: number;
    maxLoanTermMonths: number;
  };
};

const percent = (bp: number) => `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 2)}%`;

export function Cities({ ctx }: { ctx: Ctx }) {
  const { data, problem } = useLoad(
    () => ctx.call<{ asOf: string; cities: City[] }>('GET', '/v1/cities'),
    'cities',
  );
  return html`<${Page} title=${t('十市中心与政策参数', 'The ten centres and their parameters')}>
    <${ProblemBox} problem=${problem} />
    ${!data && !problem ? html`<${Loading} />` : null}
    ${data ? html`<p class="muted">${t('截至', 'As of')} <${DateText} value=${data.asOf} /></p>` : null}
    ${data?.cities.map((c) => {
      const p = c.parameters;
      return html`<article class="card" aria-labelledby=${`city-${c.code}`}>
        <h2 id=${`city-${c.code}`}>${nameOf(c)} <span class="muted">${t(c.provinceZh, c.provinceEn)} · ${c.code}</span></h2>
        <${Facts} items=${[
          [
            t('缴存基数', 'Deposit base'),
            html`<${Money} fen=${p.depositBaseFloorFen} /> – <${Money} fen=${p.depositBaseCeilingFen} />`,
          ],
          [
            t('缴存比例', 'Deposit rate'),
            `${percent(p.depositRateMinBasisPoints)} – ${percent(p.depositRateMaxBasisPoints)}`,
          ],
          [
            t('贷款最高额度（单方 / 双方）', 'Loan cap (one / two depositors)'),
            html`<${Money} fen=${p.loanCapSingleFen} /> / <${Money} fen=${p.loanCapCoupleFen} />`,
          ],
          [t('余额倍数', 'Balance multiple'), `× ${p.balanceMultiple}`],
          [t('连续缴存月数', 'Continuous months'), String(p.minContinuousDepositMonths)],
          [
            t('首付比例（首套 / 二套）', 'Down payment (first / second home)'),
            `${percent(p.downPaymentRatioFirstHomeBasisPoints)} / ${percent(p.downPaymentRatioSecondHomeBasisPoints)}`,
          ],
          [
            t('最长贷款期限', 'Longest term'),
            t(`${p.maxLoanTermMonths} 个月`, `${p.maxLoanTermMonths} months`),
          ],
          [
            t('规则版本', 'Rule version'),
            html`<code>${p.ruleVersion}</code>${p.demo ? html` <span class="tag">${t('演示数据', 'DEMO')}</span>` : null}`,
          ],
        ]} />
      </article>`;
    })}
  <//>`;
}

// The centres' codes and names from the platform's own list (pure data, bundled as is).
export { CITY_CODES };
export const cityName = (code: string) => {
  const city = isCityCode(code) ? CITIES[code] : undefined;
  return city ? t(city.nameZh, city.nameEn) : code;
};

type Calculation = {
  limit: {
    limitFen: number;
    bindingBound: string;
    capFen: number;
    balanceBoundFen: number;
    capacityBoundFen: number;
    priceBoundFen: number;
  };
  explanation: Bilingual;
  rate: { annualRatePercent: string };
  amountFen: number;
  schedule: {
    instalments: {
      number: number;
      dueMonth: string;
      paymentFen: number;
      principalFen: number;
      interestFen: number;
      remainingPrincipalFen: number;
    }[];
  };
};

/** Money fields typed in yuan, sent in fen. */
const YUAN_FIELDS = ['housePriceFen', 'balanceFen', 'monthlyDepositBaseFen', 'requestedFen'] as const;

/** The calculator's form: also the preview of the loan application (citizen.ts). */
export function LoanCalculatorForm({
  ctx,
  initial = {},
  onResult,
}: {
  ctx: Ctx;
  initial?: Record<string, string>;
  onResult?: (result: Calculation, request: Record<string, unknown>) => void;
}) {
  const [values, setValues] = useState<Record<string, string>>({
    city: '320300',
    housePriceFen: '1500000',
    termMonths: '240',
    method: 'equal-installment',
    balanceFen: '60000',
    monthlyDepositBaseFen: '12000',
    requestedFen: '',
    ...initial,
  });
  const [problem, setProblem] = useState<Problem | undefined>();
  const [local, setLocal] = useState<Record<string, string>>({});
  const [result, setResult] = useState<Calculation | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (event: Event) =>
    setValues({ ...values, [name]: (event.target as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const body: Record<string, unknown> = {
      city: values.city,
      method: values.method,
      termMonths: Number(values.termMonths),
    };
    for (const name of YUAN_FIELDS) {
      const text = values[name] ?? '';
      if (name === 'requestedFen' && text.trim() === '') continue;
      const fen = parseYuan(text);
      if (fen === undefined)
        errors[name] = t('请输入金额（元，最多两位小数）', 'Enter an amount in yuan (at most two decimals)');
      else body[name] = fen;
    }
    setLocal(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const answer = await ctx.call<Calculation>('POST', '/v1/calculators/loan', { body });
      setResult(answer);
      onResult?.(answer, body);
    } catch (error) {
      setResult(undefined);
      setProblem(error instanceof Problem ? error : undefined);
    } finally {
      setBusy(false);
    }
  };

  const yuanInput = (
    name: string,
    label: string,
  ) => html`<${Field} name=${name} label=${label} problem=${problem} localError=${local[name]}>
    ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode="decimal" autocomplete="off" value=${values[name]} onInput=${set(name)} />`}
  <//>`;

  const first = result?.schedule.instalments[0];
  return html`<form onSubmit=${submit} novalidate>
    <${Field} name="city" label=${t('贷款城市', 'Lending city')} problem=${problem}>
      ${(
        attrs: Record<string, unknown>,
      ) => html`<select ...${attrs} value=${values.city} onChange=${set('city')}>
        ${CITY_CODES.map((c) => html`<option value=${c}>${cityName(c)}</option>`)}
      </select>`}
    <//>
    ${yuanInput('housePriceFen', t('房屋总价（元）', 'House price (yuan)'))}
    <${Field} name="termMonths" label=${t('贷款期限（月）', 'Term (months)')} problem=${problem}>
      ${(attrs: Record<string, unknown>) => html`<input ...${attrs} inputmode="numeric" value=${values.termMonths} onInput=${set('termMonths')} />`}
    <//>
    <${Field} name="method" label=${t('还款方式', 'Repayment method')} problem=${problem}>
      ${(
        attrs: Record<string, unknown>,
      ) => html`<select ...${attrs} value=${values.method} onChange=${set('method')}>
        <option value="equal-installment">${t('等额本息', 'Equal instalments')}</option>
        <option value="equal-principal">${t('等额本金', 'Equal principal')}</option>
      </select>`}
    <//>
    ${yuanInput('balanceFen', t('公积金账户余额（元）', 'Account balance (yuan)'))}
    ${yuanInput('monthlyDepositBaseFen', t('月缴存基数（元）', 'Monthly deposit base (yuan)'))}
    ${yuanInput('requestedFen', t('申请金额（元，可不填）', 'Amount wanted (yuan, optional)'))}
    <${ProblemBox} problem=${problem} />
    <${Button} type="submit" disabled=${busy}>${t('试算', 'Calculate')}<//>
    ${
      result
        ? html`<div class="result" aria-live="polite" data-testid="calculation">
          <p class="big">${t('可贷额度', 'Loan limit')}: <strong data-testid="limit"><${Money} fen=${result.limit.limitFen} /></strong></p>
          <p>${pick(result.explanation)}</p>
          <${Facts} items=${[
            [t('城市最高额度', 'City cap'), html`<${Money} fen=${result.limit.capFen} />`],
            [t('余额倍数计算', 'Balance × multiple'), html`<${Money} fen=${result.limit.balanceBoundFen} />`],
            [
              t('还款能力计算', 'Repayment capacity'),
              html`<${Money} fen=${result.limit.capacityBoundFen} />`,
            ],
            [
              t('房价 ×（1 − 首付比例）', 'Price × (1 − down payment)'),
              html`<${Money} fen=${result.limit.priceBoundFen} />`,
            ],
            [t('年利率', 'Annual rate'), result.rate.annualRatePercent],
            [t('试算金额', 'Amount'), html`<${Money} fen=${result.amountFen} />`],
            ...(first
              ? [
                  [t('首月还款', 'First instalment'), html`<${Money} fen=${first.paymentFen} />`] as [
                    string,
                    unknown,
                  ],
                ]
              : []),
          ]} />
        </div>`
        : null
    }
  </form>`;
}

export function Calculator({ ctx }: { ctx: Ctx }) {
  return html`<${Page} title=${t('贷款试算', 'Loan calculator')}>
    <p>${t('无需登录，不保存任何信息。', 'No sign-in; nothing is stored.')}</p>
    <${LoanCalculatorForm} ctx=${ctx} />
  <//>`;
}

type Certificate = { status: string; kind?: string; verificationCode?: string; [key: string]: unknown };

export function Verify({ ctx, code: initial }: { ctx: Ctx; code?: string | undefined }) {
  const [code, setCode] = useState(initial ?? '');
  const [checked, setChecked] = useState<string | undefined>(initial);
  const { data, problem } = useLoad(
    () =>
      checked
        ? ctx.call<Certificate>('GET', `/v1/certificates/${encodeURIComponent(checked)}`)
        : Promise.resolve(undefined),
    checked ?? '',
  );
  const STATUS: Record<string, [string, string]> = {
    valid: ['有效', 'Valid'],
    expired: ['已过期', 'Expired'],
    revoked: ['已作废', 'Revoked'],
  };
  return html`<${Page} title=${t('证明核验', 'Verify a certificate')}>
    <form onSubmit=${(e: Event) => {
      e.preventDefault();
      setChecked(code.trim());
      location.hash = `#/verify/${encodeURIComponent(code.trim())}`;
    }}>
      <${Field} name="verificationCode" label=${t('核验码', 'Verification code')} problem=${problem}>
        ${(attrs: Record<string, unknown>) => html`<input ...${attrs} value=${code} autocomplete="off" onInput=${(e: Event) => setCode((e.target as HTMLInputElement).value)} />`}
      <//>
      <${Button} type="submit">${t('核验', 'Verify')}<//>
    </form>
    <${ProblemBox} problem=${problem} />
    ${
      data
        ? html`<div class="result" data-testid="verification">
          <p class="big">${t('状态', 'Status')}: <strong class=${`status-${data.status}`}>${t(...(STATUS[data.status] ?? [data.status, data.status]))}</strong></p>
          <${Facts} items=${Object.entries(data)
            .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
            .map(([k, v]) => [k, String(v)] as [string, unknown])} />
          <p><a href=${`${ctx.config.apiBaseUrl}/v1/certificates/${encodeURIComponent(checked ?? '')}`} target="_blank" rel="noopener">${t('打印版', 'Print view')}</a></p>
        </div>`
        : null
    }
  <//>`;
}
