/**
 * 贷款试算: the loan decision's own limit, rate and schedule for facts a person states, with the
 * rule versions in force today. Pure: `loanLimit` (the decision's four bounds) and
 * `repaymentSchedule` (the schedule a disbursement books) are called, never re-derived. Nothing
 * is stored and nothing identifies the person; eligibility (continuous months, loans held, age at
 * maturity, the register's price) is judged on the application from fetched facts.
 */
import { addMonths, monthOf } from '../calendar/dates.js';
import type { CityCode } from '../config/cities.js';
import { parametersInForce } from '../rules/centre-parameters.js';
import { formatRatePercent, type HomeOrder, type IsoDate, nationalRulesInForce } from '../rules/national.js';
import { type LoanMessage, loanLimit } from './decision-rule.js';
import { type RepaymentMethod, repaymentSchedule } from './schedule.js';

export interface LoanEstimateInput {
  city: CityCode;
  housePriceFen: number;
  termMonths: number;
  method: RepaymentMethod;
  homeOrder: HomeOrder;
  /** The balance of the person's normal accounts (their sum across centres). */
  balanceFen: number;
  /** The deposit base the decision counts as income; a stated income stands in for it when absent. */
  monthlyDepositBaseFen?: number;
  monthlyIncomeFen?: number;
  otherMonthlyDebtFen: number;
  /** A depositing spouse applying together: the couple cap, and their balance and base count. */
  coApplicant?: { balanceFen: number; monthlyDepositBaseFen: number };
  /** What the person would ask for; the estimate is for the whole limit when absent. */
  requestedFen?: number;
}

export interface LoanEstimateError {
  field: string;
  code: 'INCOME_REQUIRED' | 'TERM_TOO_LONG';
  message: LoanMessage;
}

/** What the rule cannot estimate (no income stated, a term above the rule's longest): a 400 at the edge. */
export function loanEstimateErrors(input: LoanEstimateInput, today: IsoDate): LoanEstimateError[] {
  const errors: LoanEstimateError[] = [];
  if (input.monthlyDepositBaseFen === undefined && input.monthlyIncomeFen === undefined) {
    errors.push({
      field: 'monthlyDepositBaseFen',
      code: 'INCOME_REQUIRED',
      message: {
        'zh-CN': '请填写月缴存基数（或月收入）',
        en: 'State the monthly deposit base (or a monthly income)',
      },
    });
  }
  const params = parametersInForce(input.city, today);
  const maxTerm = Math.min(params.maxLoanTermMonths, nationalRulesInForce(today).maxLoanTermMonths);
  if (input.termMonths > maxTerm) {
    errors.push({
      field: 'termMonths',
      code: 'TERM_TOO_LONG',
      message: {
        'zh-CN': `贷款期限最长 ${maxTerm} 个月`,
        en: `The longest loan term is ${maxTerm} months`,
      },
    });
  }
  return errors;
}

/** The estimate on `today` (Beijing date): call `loanEstimateErrors` first. */
export function estimateLoan(input: LoanEstimateInput, today: IsoDate) {
  const params = parametersInForce(input.city, today);
  const income = input.monthlyDepositBaseFen ?? input.monthlyIncomeFen ?? 0;
  const terms = loanLimit({
    params,
    contractDate: today,
    homeOrder: input.homeOrder,
    couple: input.coApplicant !== undefined,
    household: input.coApplicant !== undefined,
    balanceSumFen: input.balanceFen + (input.coApplicant?.balanceFen ?? 0),
    monthlyIncomeFen: income + (input.coApplicant?.monthlyDepositBaseFen ?? 0),
    otherMonthlyDebtFen: input.otherMonthlyDebtFen,
    housePriceFen: input.housePriceFen,
    termMonths: input.termMonths,
    method: input.method,
  });
  const { limit, rate } = terms;
  const amountFen = Math.min(input.requestedFen ?? limit.limitFen, limit.limitFen);
  const schedule =
    amountFen > 0
      ? repaymentSchedule({
          principalFen: amountFen,
          annualRateHundredthsBp: rate.annualRateHundredthsBp,
          termMonths: input.termMonths,
          method: input.method,
          // As a disbursement today would book it: the first instalment next month.
          firstDueMonth: addMonths(monthOf(today), 1),
        })
      : null;
  return {
    asOf: today,
    city: input.city,
    homeOrder: input.homeOrder,
    rate: {
      annualRateHundredthsBp: rate.annualRateHundredthsBp,
      annualRatePercent: formatRatePercent(rate.annualRateHundredthsBp),
      termBand: rate.termBand,
    },
    limit,
    /** Why the limit is what it is: the bound that binds, in words. */
    explanation: terms.explain(limit.bindingBound),
    downPaymentBasisPoints: terms.downPaymentBasisPoints,
    maxTermMonths: terms.maxTermMonths,
    amountFen,
    schedule,
    ruleVersions: {
      centreParameters: params.ruleVersion,
      centreParametersDemo: params.demo,
      loanRate: rate.ruleVersion,
      national: nationalRulesInForce(today).ruleVersion,
    },
    note: {
      'zh-CN':
        '本结果为试算，不保存任何信息；是否符合贷款条件（连续缴存月数、未还清贷款、年龄、网签备案价格等）以申请时各中心核实的信息为准。',
      en: 'An estimate; nothing is stored. Eligibility (continuous deposit months, loans held, age, the registered price) is decided on application from the facts the centres hold.',
    },
  };
}

export type LoanEstimate = ReturnType<typeof estimateLoan>;
