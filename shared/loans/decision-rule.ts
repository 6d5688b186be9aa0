/**
 * HPF loan decision (公积金贷款审批), pure: eligibility, the loan limit (贷款额度) and its binding bound, the
 * rate in force and repricing, per the lending centre's `CentreParameters` and the national rate table.
 * Every reason is stated in plain words a citizen understands, in Chinese and English.
 *
 * Decisions made here (DESIGN.md §2 is silent on them):
 * - Deposit account used (the one whose continuous months count): the lending city's own account if it is
 *   normal (正常缴存); otherwise the normal account with the most continuous months (ties: the larger
 *   balance, then the earlier city in the region list).
 * - Balance bound: the balances of all normal accounts across the region's centres, summed, × the
 *   lending city's multiple. Sealed (封存) and closed accounts do not count.
 * - Repayment capacity: the monthly payment available is ⌊monthly income × the city's ratio⌋ (rounded
 *   down to the fen: it is a ceiling) minus the other monthly debt payments; the bound is
 *   `maxPrincipalForPayment` of that, at the rate, term and method applied for.
 * - Price bound: ⌊house price × (1 − down-payment ratio for the home order)⌋ to the fen.
 * - Limit: the smallest of the four bounds, rounded DOWN to the whole yuan (loans are contracted in
 *   whole yuan, and rounding down never lends past a bound). The bounds themselves are reported exact
 *   to the fen. A tie names the first of cap, balance, capacity, price.
 * - Approved amount: min(requested, limit); the requested amount is not rounded.
 * - Age at maturity: the completed years of age on the last day of the last due month. The first
 *   instalment falls due the month after the contract date unless `firstDueMonth` says otherwise.
 *   Someone born on 29 February turns a year older on 1 March in a common year.
 * - HPF loans used: the loans held (the larger of the index's active loans and the centres' outstanding
 *   loans, since a held loan may show in both) plus the index's repaid loans. Two or more make this
 *   application a third HPF loan, refused where the lending city's `thirdHpfLoan` says so.
 * - Home order: second when any HPF loan has been used, or when declared second or third; otherwise
 *   first. A declared third home is refused (建金〔2010〕179号); its limit is still stated on
 *   second-home terms.
 * - Household (DESIGN.md §2b): a married applicant's spouse counts. A loan the spouse holds (at any
 *   centre, or in the regional index) refuses the application as the household's one HPF loan,
 *   in words that say it is the spouse's and name no city; the spouse's loans used (held + repaid)
 *   add to the applicant's for the home order and the third-loan parameter. A co-applicant who
 *   confirmed: their normal accounts' balances add to the balance bound, a normal account of
 *   theirs makes the couple cap apply, and a joint-enforcement bar on loans of theirs refuses. Their deposit
 *   bases count as income (`countedMonthlyIncome` over both). Continuous months and age are the
 *   applicant's.
 * - The top-level `ruleVersion` is the lending centre's parameter version; the rate's version is in
 *   `rate.ruleVersion`.
 */

import { addMonths, assertYearMonth, lastDayOfMonth, monthOf, type YearMonth } from '../calendar/dates.js';
import { CITIES, CITY_CODES, type CityCode } from '../config/cities.js';
import { barReason, barsInForce, type Restriction } from '../enforcement/rules.js';
import { assertFen, formatBasisPoints, formatYuan } from '../money/money.js';
import type { CentreParameters } from '../rules/centre-parameters.js';
import {
  assertIsoDate,
  type HomeOrder,
  type IsoDate,
  type LoanRateInForce,
  loanRateInForce,
  nationalRulesInForce,
  type RateHundredthsBp,
} from '../rules/national.js';
import {
  type Instalment,
  MAX_SCHEDULE_MONTHS,
  maxPrincipalForPayment,
  REPAYMENT_METHODS,
  type RepaymentMethod,
  repaymentSchedule,
} from './schedule.js';

const FEN_PER_YUAN = 100;
const BASIS_POINTS_PER_UNIT = 10_000n;

/**
 * The repayment capacity search runs up to term × (payment + 1) fen, which must stay a safe integer for
 * the longest schedule: about 150 billion yuan a month, far above any real income.
 */
const MAX_MONTHLY_INCOME_FEN = Math.floor(Number.MAX_SAFE_INTEGER / MAX_SCHEDULE_MONTHS) - 1;

// ---------------------------------------------------------------------------------------------------
// Age

/**
 * Completed years of age on `date` (周岁): the year count goes up on the birthday. Born 29 February: on
 * 1 March in a common year.
 */
export function ageInYearsOn(birthDate: IsoDate, date: IsoDate): number {
  assertIsoDate(birthDate, 'birthDate');
  assertIsoDate(date, 'date');
  if (date < birthDate) throw new RangeError(`date ${date} is before birthDate ${birthDate}`);
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

// ---------------------------------------------------------------------------------------------------
// Repricing

export interface InstalmentRateInput {
  /** The loan's contract (disbursement) date. */
  contractDate: IsoDate;
  homeOrder: HomeOrder;
  /** The loan's contract term: it sets the ≤5-year / >5-year band for the whole loan. */
  termMonths: number;
  dueMonth: YearMonth;
}

export interface InstalmentRate extends LoanRateInForce {
  /** The date whose rate applies: the contract date, or 1 January of the due month's year. */
  rateDate: IsoDate;
}

/**
 * The rate an instalment carries. A loan takes the rate in force on its contract date; a running loan
 * reprices on the next 1 January after a change, so an instalment due in a year after the contract year
 * carries the rate in force on 1 January of that year (the same rate when nothing changed). Contracted
 * 2025-03-01 (first home, 360 months): 2.85 % (2024-05-18) through 2025-12, 2.6 % (2025-05-08) from 2026-01.
 */
export function rateForInstalment(input: InstalmentRateInput): InstalmentRate {
  const { contractDate, homeOrder, termMonths, dueMonth } = input;
  assertIsoDate(contractDate, 'contractDate');
  assertYearMonth(dueMonth, 'dueMonth');
  if (dueMonth < monthOf(contractDate)) {
    throw new RangeError(`dueMonth ${dueMonth} is before the contract month of ${contractDate}`);
  }
  const dueYear = dueMonth.slice(0, 4);
  const rateDate = dueYear > contractDate.slice(0, 4) ? `${dueYear}-01-01` : contractDate;
  return { ...loanRateInForce(rateDate, homeOrder, termMonths), rateDate };
}

// ---------------------------------------------------------------------------------------------------
// Decision input and output

export const ACCOUNT_STATUSES = ['normal', 'sealed', 'closed', 'none'] as const;
/** 正常缴存 / 封存 / 销户 / 无账户. */
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** What one centre reports about the applicant (fetched online from each centre). */
export interface CentreDepositFacts {
  city: CityCode;
  accountStatus: AccountStatus;
  /** Months of continuous, full deposits up to the application (连续足额缴存月数). */
  continuousDepositMonths: number;
  balanceFen: number;
  monthlyDepositFen: number;
  /** The current monthly deposit base (缴存基数), 0 unless the account is normal: the fetched income. */
  monthlyDepositBaseFen?: number;
  /** HPF loans not yet repaid at this centre. */
  outstandingHpfLoans: number;
  /**
   * The centre's report that the person is barred from loans by a joint-enforcement record (失信、骗贷
   * 记录): informative; the decision applies the regional records it reads itself (`restrictions`).
   */
  onViolationList: boolean;
  /** The account's employer is flagged in arrears (欠缴): a fact for staff, never a refusal. */
  employerInArrears?: boolean;
  /** The base was raised shortly before the application: a risk case for staff, never a refusal. */
  depositBaseRaisedRecently?: boolean;
}

export interface ReviewThresholds {
  /** Refer to staff review when the requested amount is above this. */
  requestedAboveFen?: number;
  /** Refer to staff review when more than this many centres report facts for the applicant. */
  depositCentresAbove?: number;
}

export const DECLARED_HOME_ORDERS = ['first', 'second', 'third'] as const;
/** What the applicant declares: 'third' when the household already owns two or more homes. */
export type DeclaredHomeOrder = (typeof DECLARED_HOME_ORDERS)[number];

export const MARITAL_STATUSES = ['single', 'married', 'divorced', 'widowed'] as const;
/** 婚姻状况 (未婚 / 已婚 / 离异 / 丧偶): a married applicant's household is judged with the spouse. */
export type MaritalStatus = (typeof MARITAL_STATUSES)[number];

/** What the lending centre knows of a married applicant's spouse. */
export interface SpouseFacts {
  /** The spouse's HPF loans not yet repaid, summed over the centres that answered. */
  outstandingHpfLoans: number;
  /** The spouse's regional loan index: a loan held there, and loans repaid. */
  regionalLoanIndex: { activeLoans: number; repaidLoans: number };
  /** A co-applicant's per-centre deposit facts, only once they confirmed; absent otherwise. */
  deposits?: readonly CentreDepositFacts[];
}

export interface LoanApplication {
  /** The lending city's parameters in force on the contract date (`parametersInForce`). */
  params: CentreParameters;
  contractDate: IsoDate;
  applicant: {
    birthDate: IsoDate;
    /** Monthly income counted for repayment (the household's, for a couple). */
    monthlyIncomeFen: number;
    /** Other monthly debt payments (其他月还款额). */
    otherMonthlyDebtFen: number;
  };
  /** The spouse deposits too: the couple cap applies (夫妻双方缴存). */
  coApplicantDeposits?: boolean;
  /** Per-centre facts for the applicant; centres with no account may be left out. */
  deposits: readonly CentreDepositFacts[];
  /** The spouse of a married applicant (the household, DESIGN.md §2b). */
  spouse?: SpouseFacts;
  /** The regional loan index (区域贷款信息): HPF loans held now, and repaid. */
  regionalLoanIndex: { activeLoans: number; repaidLoans: number };
  declaredHomeOrder: DeclaredHomeOrder;
  housePriceFen: number;
  requestedFen: number;
  termMonths: number;
  method: RepaymentMethod;
  /** The first instalment's month; the month after the contract date when omitted. */
  firstDueMonth?: YearMonth;
  reviewThresholds?: ReviewThresholds;
  /**
   * The joint-enforcement records region-wide (shared/enforcement/): the applicant's, and a
   * co-applying spouse's once they confirmed. A bar on loans in force on the contract date refuses.
   */
  restrictions?: { applicant: readonly Restriction[]; coApplicant?: readonly Restriction[] };
}

export type LoanOutcome = 'approved' | 'rejected' | 'review';
export type LimitBound = 'cap' | 'balance' | 'capacity' | 'price';

export interface LoanLimit {
  /** The city cap, single or couple. */
  capFen: number;
  /** Σ normal balances × multiple. */
  balanceBoundFen: number;
  /** The largest principal the available monthly payment carries. */
  capacityBoundFen: number;
  /** House price × (1 − down-payment ratio). */
  priceBoundFen: number;
  /** The smallest bound, rounded down to the whole yuan. */
  limitFen: number;
  bindingBound: LimitBound;
  /** The monthly payment available for this loan: ⌊income × ratio⌋ − other debt, not below 0. */
  availableMonthlyPaymentFen: number;
}

export type LoanReasonCode =
  | 'NO_NORMAL_ACCOUNT'
  | 'CONTINUOUS_DEPOSIT_TOO_SHORT'
  | 'OUTSTANDING_HPF_LOAN'
  | 'SPOUSE_OUTSTANDING_HPF_LOAN'
  | 'ON_VIOLATION_LIST'
  | 'CO_APPLICANT_ON_VIOLATION_LIST'
  | 'THIRD_HOME'
  | 'THIRD_LOAN'
  | 'TERM_TOO_LONG'
  | 'AGE_AT_MATURITY_TOO_HIGH'
  | 'NO_LOAN_AVAILABLE'
  | 'AMOUNT_BELOW_REQUEST'
  | 'TREATED_AS_SECOND_HOME'
  | 'REVIEW_AMOUNT_ABOVE_THRESHOLD'
  | 'REVIEW_DECLARED_INCOME'
  | 'REVIEW_MANY_CENTRES';

export interface LoanMessage {
  'zh-CN': string;
  en: string;
}

export interface LoanReason {
  code: LoanReasonCode;
  message: LoanMessage;
}

export interface LoanDecision {
  outcome: LoanOutcome;
  /** Only when approved: min(requested, limit). */
  approvedFen?: number;
  /** Only when referred to review: what would be approved, for the reviewer. */
  proposedFen?: number;
  homeOrder: HomeOrder;
  rate: { annualRateHundredthsBp: RateHundredthsBp; ruleVersion: string };
  limit: LoanLimit;
  /** Why the application is rejected, reduced or referred, and notes such as a second-home finding. */
  reasons: LoanReason[];
  /** The lending centre's parameter version. */
  ruleVersion: string;
  /** The centre whose account's continuous months were counted; absent when none is normal. */
  depositAccountCity?: CityCode;
  /** The first instalment of the approved (or proposed) amount. */
  schedulePreview?: Instalment;
}

// ---------------------------------------------------------------------------------------------------
// Validation

function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
  }
}

function assertDeposits(deposits: readonly CentreDepositFacts[], name: string): void {
  const seen = new Set<string>();
  deposits.forEach((facts, index) => {
    const what = `${name}[${index}]`;
    if (!(CITY_CODES as readonly string[]).includes(facts.city)) {
      throw new RangeError(`${what}.city is not a Huaihai region city code: '${facts.city}'`);
    }
    if (seen.has(facts.city)) throw new RangeError(`${what}: centre ${facts.city} appears twice`);
    seen.add(facts.city);
    if (!(ACCOUNT_STATUSES as readonly string[]).includes(facts.accountStatus)) {
      throw new RangeError(`${what}.accountStatus must be one of ${ACCOUNT_STATUSES.join(', ')}`);
    }
    assertCount(facts.continuousDepositMonths, `${what}.continuousDepositMonths`);
    assertFen(facts.balanceFen, `${what}.balanceFen`);
    assertFen(facts.monthlyDepositFen, `${what}.monthlyDepositFen`);
    if (facts.monthlyDepositBaseFen !== undefined)
      assertFen(facts.monthlyDepositBaseFen, `${what}.monthlyDepositBaseFen`);
    assertCount(facts.outstandingHpfLoans, `${what}.outstandingHpfLoans`);
    if (typeof facts.onViolationList !== 'boolean')
      throw new RangeError(`${what}.onViolationList must be a boolean`);
  });
}

function assertApplication(input: LoanApplication): void {
  const { params, contractDate, applicant, deposits, regionalLoanIndex } = input;
  assertIsoDate(contractDate, 'contractDate');
  if (params.effectiveFrom > contractDate) {
    throw new RangeError(
      `parameters ${params.ruleVersion} take effect after the contract date ${contractDate}: pass the version in force`,
    );
  }
  assertIsoDate(applicant.birthDate, 'applicant.birthDate');
  if (applicant.birthDate > contractDate)
    throw new RangeError('applicant.birthDate is after the contract date');
  assertFen(applicant.monthlyIncomeFen, 'applicant.monthlyIncomeFen');
  if (applicant.monthlyIncomeFen > MAX_MONTHLY_INCOME_FEN) {
    throw new RangeError(
      `applicant.monthlyIncomeFen must be at most ${MAX_MONTHLY_INCOME_FEN}, got ${applicant.monthlyIncomeFen}`,
    );
  }
  assertFen(applicant.otherMonthlyDebtFen, 'applicant.otherMonthlyDebtFen');
  assertCount(regionalLoanIndex.activeLoans, 'regionalLoanIndex.activeLoans');
  assertCount(regionalLoanIndex.repaidLoans, 'regionalLoanIndex.repaidLoans');
  if (!(DECLARED_HOME_ORDERS as readonly string[]).includes(input.declaredHomeOrder)) {
    throw new RangeError(
      `declaredHomeOrder must be one of ${DECLARED_HOME_ORDERS.join(', ')}, got '${String(input.declaredHomeOrder)}'`,
    );
  }
  assertFen(input.housePriceFen, 'housePriceFen');
  assertFen(input.requestedFen, 'requestedFen');
  if (input.housePriceFen < 1) throw new RangeError('housePriceFen must be positive');
  if (input.requestedFen < 1) throw new RangeError('requestedFen must be positive');
  // Over 30 years is a rule (TERM_TOO_LONG); over 50 is not an application at all.
  if (
    !Number.isSafeInteger(input.termMonths) ||
    input.termMonths < 1 ||
    input.termMonths > MAX_SCHEDULE_MONTHS
  ) {
    throw new RangeError(
      `termMonths must be an integer from 1 to ${MAX_SCHEDULE_MONTHS}, got ${input.termMonths}`,
    );
  }
  if (!(REPAYMENT_METHODS as readonly string[]).includes(input.method)) {
    throw new RangeError(`method must be one of ${REPAYMENT_METHODS.join(', ')}, got '${input.method}'`);
  }
  if (input.firstDueMonth !== undefined) {
    assertYearMonth(input.firstDueMonth, 'firstDueMonth');
    if (input.firstDueMonth <= monthOf(contractDate)) {
      throw new RangeError(`firstDueMonth ${input.firstDueMonth} must be after the contract month`);
    }
  }
  assertDeposits(deposits, 'deposits');
  if (input.spouse !== undefined) {
    assertCount(input.spouse.outstandingHpfLoans, 'spouse.outstandingHpfLoans');
    assertCount(input.spouse.regionalLoanIndex.activeLoans, 'spouse.regionalLoanIndex.activeLoans');
    assertCount(input.spouse.regionalLoanIndex.repaidLoans, 'spouse.regionalLoanIndex.repaidLoans');
    if (input.spouse.deposits !== undefined) assertDeposits(input.spouse.deposits, 'spouse.deposits');
  }
  const { requestedAboveFen, depositCentresAbove } = input.reviewThresholds ?? {};
  if (requestedAboveFen !== undefined) assertFen(requestedAboveFen, 'reviewThresholds.requestedAboveFen');
  if (depositCentresAbove !== undefined)
    assertCount(depositCentresAbove, 'reviewThresholds.depositCentresAbove');
}

/** The applicant's own figures, as a client sends them. */
export interface LoanRequestInput {
  /** Declared (display only): checked when given. */
  housePriceFen?: number;
  requestedFen: number;
  termMonths: number;
  /** Any string: checked here. */
  declaredHomeOrder: string;
  /** Declared; the income counted is fetched (`countedMonthlyIncome`). */
  monthlyIncomeFen?: number;
  otherMonthlyDebtFen: number;
}

export type LoanRequestErrorCode =
  | 'AMOUNT_INVALID'
  | 'HOUSE_PRICE_ZERO'
  | 'REQUESTED_ZERO'
  | 'REQUESTED_ABOVE_PRICE'
  | 'INCOME_TOO_HIGH'
  | 'TERM_INVALID'
  | 'HOME_ORDER_INVALID'
  | 'BIRTH_DATE_INVALID';

export interface LoanRequestError {
  field: keyof LoanRequestInput | 'birthDate';
  code: LoanRequestErrorCode;
  message: LoanMessage;
}

const AMOUNT_NAMES: Readonly<
  Record<'housePriceFen' | 'requestedFen' | 'monthlyIncomeFen' | 'otherMonthlyDebtFen', LoanMessage>
> = {
  housePriceFen: { 'zh-CN': '房屋总价', en: 'house price' },
  requestedFen: { 'zh-CN': '申请贷款金额', en: 'loan amount applied for' },
  monthlyIncomeFen: { 'zh-CN': '月收入', en: 'monthly income' },
  otherMonthlyDebtFen: { 'zh-CN': '其他每月还款额', en: 'other monthly debt payments' },
};

function isIsoDate(value: string): boolean {
  try {
    assertIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * What is wrong with a loan request before it is an application, for the API edge to answer 400: every
 * figure `decideLoan` would throw on, and a request above the house price (nonsense, though the price
 * bound would cut it). What the rule refuses (a term over 30 years, no capacity left…) is a decision with
 * its reasons, not an error here. `today` is the acceptance date: a birth date valid then stays valid on
 * the later contract date. Empty when the request can be decided.
 */
/**
 * The monthly income repayment capacity counts (DESIGN.md §2b "Income is a fetched fact"): the
 * deposit bases of the applicant's normal accounts, fetched from the account centres. A declared
 * income above it is not counted: it sends the application to staff review, to be shown with
 * evidence, and the limit stays the one the fetched income gives.
 */
export function countedMonthlyIncome(
  deposits: readonly CentreDepositFacts[],
  declaredFen: number | undefined,
): { monthlyIncomeFen: number; review?: LoanReason } {
  const fetchedFen = deposits
    .filter((facts) => facts.accountStatus === 'normal')
    .reduce((sum, facts) => sum + (facts.monthlyDepositBaseFen ?? 0), 0);
  if (declaredFen === undefined || declaredFen <= fetchedFen) return { monthlyIncomeFen: fetchedFen };
  return {
    monthlyIncomeFen: fetchedFen,
    review: {
      code: 'REVIEW_DECLARED_INCOME',
      message: {
        'zh-CN': `您申报的月收入 ${yuanText(declaredFen)} 元高于公积金缴存基数 ${yuanText(fetchedFen)} 元，需提供收入证明由工作人员审核；可贷额度按缴存基数计算`,
        en: `The monthly income you declared (${yuanText(declaredFen)} yuan) is above your deposit base (${yuanText(fetchedFen)} yuan): staff review it with your evidence; the limit is computed on the deposit base`,
      },
    },
  };
}

export function loanRequestErrors(
  request: LoanRequestInput,
  applicant: { birthDate: IsoDate },
  today: IsoDate,
): LoanRequestError[] {
  assertIsoDate(today, 'today');
  const errors: LoanRequestError[] = [];
  const invalidAmount = (field: keyof typeof AMOUNT_NAMES): LoanRequestError => ({
    field,
    code: 'AMOUNT_INVALID',
    message: {
      'zh-CN': `${AMOUNT_NAMES[field]['zh-CN']}不是有效的金额`,
      en: `The ${AMOUNT_NAMES[field].en} is not a valid amount`,
    },
  });
  const { housePriceFen, requestedFen, monthlyIncomeFen, otherMonthlyDebtFen, termMonths } = request;

  // A declared price is optional (new clients name the online-signing record): checked when given.
  if (housePriceFen !== undefined && !Number.isSafeInteger(housePriceFen)) {
    errors.push(invalidAmount('housePriceFen'));
  } else if (housePriceFen !== undefined && housePriceFen < 1) {
    errors.push({
      field: 'housePriceFen',
      code: 'HOUSE_PRICE_ZERO',
      message: { 'zh-CN': '房屋总价必须大于 0', en: 'The house price must be more than 0' },
    });
  }
  if (!Number.isSafeInteger(requestedFen)) errors.push(invalidAmount('requestedFen'));
  else if (requestedFen < 1) {
    errors.push({
      field: 'requestedFen',
      code: 'REQUESTED_ZERO',
      message: {
        'zh-CN': '申请贷款金额必须大于 0',
        en: 'The loan amount applied for must be more than 0',
      },
    });
  } else if (
    housePriceFen !== undefined &&
    Number.isSafeInteger(housePriceFen) &&
    housePriceFen >= 1 &&
    requestedFen > housePriceFen
  ) {
    errors.push({
      field: 'requestedFen',
      code: 'REQUESTED_ABOVE_PRICE',
      message: {
        'zh-CN': `申请贷款金额 ${yuanText(requestedFen)} 元不能高于房屋总价 ${yuanText(housePriceFen)} 元`,
        en: `The loan amount applied for (${yuanText(requestedFen)} yuan) cannot be more than the house price (${yuanText(housePriceFen)} yuan)`,
      },
    });
  }
  // A declared income is optional: the fetched deposit bases are the income counted.
  if (monthlyIncomeFen !== undefined) {
    if (!Number.isSafeInteger(monthlyIncomeFen) || monthlyIncomeFen < 0) {
      errors.push(invalidAmount('monthlyIncomeFen'));
    } else if (monthlyIncomeFen > MAX_MONTHLY_INCOME_FEN) {
      errors.push({
        field: 'monthlyIncomeFen',
        code: 'INCOME_TOO_HIGH',
        message: {
          'zh-CN': '月收入金额超出可受理的范围，请核对',
          en: 'The monthly income is beyond any amount that can be accepted; please check it',
        },
      });
    }
  }
  if (!Number.isSafeInteger(otherMonthlyDebtFen) || otherMonthlyDebtFen < 0) {
    errors.push(invalidAmount('otherMonthlyDebtFen'));
  }
  // Up to the schedule bound a term is decided (TERM_TOO_LONG past the legal limit); the text states
  // the legal limit, which is what the applicant needs.
  if (!Number.isSafeInteger(termMonths) || termMonths < 1 || termMonths > MAX_SCHEDULE_MONTHS) {
    const max = nationalRulesInForce(today).maxLoanTermMonths;
    errors.push({
      field: 'termMonths',
      code: 'TERM_INVALID',
      message: {
        'zh-CN': `贷款期限须为整月数，最短 1 个月，最长 ${max} 个月（${max / 12} 年）`,
        en: `The loan term must be a whole number of months, from 1 to ${max} months (${max / 12} years)`,
      },
    });
  }
  if (!(DECLARED_HOME_ORDERS as readonly string[]).includes(request.declaredHomeOrder)) {
    errors.push({
      field: 'declaredHomeOrder',
      code: 'HOME_ORDER_INVALID',
      message: {
        'zh-CN': '请申报所购住房为首套、第二套，或第三套及以上',
        en: 'Please declare the home as a first, a second, or a third or further home',
      },
    });
  }
  if (!isIsoDate(applicant.birthDate) || applicant.birthDate > today) {
    errors.push({
      field: 'birthDate',
      code: 'BIRTH_DATE_INVALID',
      message: { 'zh-CN': '出生日期不正确', en: 'The date of birth is not valid' },
    });
  }
  return errors;
}

/** The household as a client declares it. */
export interface HouseholdInput {
  maritalStatus: MaritalStatus;
  spouseIdNumber?: string;
  spouseCoApplies?: boolean;
}

export type HouseholdRequestErrorCode =
  | 'SPOUSE_ID_REQUIRED'
  | 'SPOUSE_ID_IS_OWN'
  | 'SPOUSE_CO_APPLIES_REQUIRED'
  | 'SPOUSE_WITHOUT_MARRIAGE';

export interface HouseholdRequestError {
  field: 'spouseIdNumber' | 'spouseCoApplies';
  code: HouseholdRequestErrorCode;
  message: LoanMessage;
}

/**
 * What is wrong with the household an applicant declares, for the API edge to answer 400 (the
 * spouse's ID number is checked for form where it is read): a married applicant names the spouse
 * (not themselves) and says whether the spouse co-applies; an unmarried one names no spouse.
 * `ownIdNumber` is normalised (upper-case X).
 */
export function householdRequestErrors(input: HouseholdInput, ownIdNumber: string): HouseholdRequestError[] {
  const errors: HouseholdRequestError[] = [];
  if (input.maritalStatus !== 'married') {
    for (const field of ['spouseIdNumber', 'spouseCoApplies'] as const) {
      if (input[field] !== undefined) {
        errors.push({
          field,
          code: 'SPOUSE_WITHOUT_MARRIAGE',
          message: {
            'zh-CN': '婚姻状况为已婚时才填写配偶信息',
            en: 'Spouse details are given only when the marital status is married',
          },
        });
      }
    }
    return errors;
  }
  if (input.spouseIdNumber === undefined) {
    errors.push({
      field: 'spouseIdNumber',
      code: 'SPOUSE_ID_REQUIRED',
      message: {
        'zh-CN': '已婚申请人须填写配偶的居民身份证号码（住房公积金贷款按家庭认定）',
        en: "A married applicant gives the spouse's ID number (HPF loans are judged for the household)",
      },
    });
  } else if (input.spouseIdNumber.toUpperCase() === ownIdNumber.toUpperCase()) {
    errors.push({
      field: 'spouseIdNumber',
      code: 'SPOUSE_ID_IS_OWN',
      message: {
        'zh-CN': '配偶的身份证号码不能是您本人的号码',
        en: "The spouse's ID number cannot be your own",
      },
    });
  }
  if (input.spouseCoApplies === undefined) {
    errors.push({
      field: 'spouseCoApplies',
      code: 'SPOUSE_CO_APPLIES_REQUIRED',
      message: {
        'zh-CN': '请选择配偶是否作为共同申请人',
        en: 'Please say whether your spouse co-applies',
      },
    });
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------
// Plain-words reasons

function cityName(city: CityCode): LoanMessage {
  const c = CITIES[city];
  return { 'zh-CN': `${c.provinceZh}${c.nameZh}`, en: `${c.nameEn} (${c.provinceEn})` };
}

const yuanText = (fen: number): string => formatYuan(fen);

function boundExplanation(
  bound: LimitBound,
  limit: LoanLimit,
  ctx: {
    params: CentreParameters;
    couple: boolean;
    /** A co-applicant's balance and income count: the texts say "you and your spouse". */
    household: boolean;
    balanceSumFen: number;
    homeOrder: HomeOrder;
    downPaymentBp: number;
  },
): LoanMessage {
  const city = cityName(ctx.params.city);
  switch (bound) {
    case 'cap':
      return {
        'zh-CN': `${city['zh-CN']}住房公积金贷款最高额度为 ${yuanText(limit.capFen)} 元（${ctx.couple ? '夫妻双方缴存' : '单方缴存'}）`,
        en: `the highest HPF loan in ${city.en} is ${yuanText(limit.capFen)} yuan (${ctx.couple ? 'both spouses depositing' : 'one depositor'})`,
      };
    case 'balance':
      return {
        'zh-CN': `贷款额度不超过${ctx.household ? '您和配偶（共同申请人）' : '您'}的公积金账户余额 ${yuanText(ctx.balanceSumFen)} 元的 ${ctx.params.balanceMultiple} 倍，即 ${yuanText(limit.balanceBoundFen)} 元`,
        en: `the loan may be at most ${ctx.params.balanceMultiple} times ${ctx.household ? 'the HPF balance of you and your co-applying spouse' : 'your HPF balance'} of ${yuanText(ctx.balanceSumFen)} yuan, that is ${yuanText(limit.balanceBoundFen)} yuan`,
      };
    case 'capacity':
      return {
        'zh-CN': `按${ctx.household ? '您和配偶（共同申请人）' : '您'}的月收入和其他每月还款，每月最多可还 ${yuanText(limit.availableMonthlyPaymentFen)} 元，按此还款能力最多可贷 ${yuanText(limit.capacityBoundFen)} 元`,
        en: `with ${ctx.household ? 'the monthly income of you and your co-applying spouse' : 'your monthly income'} and other monthly debt payments you can repay at most ${yuanText(limit.availableMonthlyPaymentFen)} yuan a month, which carries a loan of at most ${yuanText(limit.capacityBoundFen)} yuan`,
      };
    case 'price': {
      const ratio = formatBasisPoints(ctx.downPaymentBp);
      const zhOrder = ctx.homeOrder === 'first' ? '首套' : '第二套';
      const enOrder = ctx.homeOrder === 'first' ? 'a first home' : 'a second home';
      return {
        'zh-CN': `${zhOrder}住房首付款不低于房价的 ${ratio}，贷款最多为 ${yuanText(limit.priceBoundFen)} 元`,
        en: `the down payment for ${enOrder} is at least ${ratio} of the price, so the loan is at most ${yuanText(limit.priceBoundFen)} yuan`,
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The decision

/** The normal account whose continuous months count: the lending city's own, else the longest run. */
function depositAccountUsed(deposits: readonly CentreDepositFacts[], lendingCity: CityCode) {
  const normal = deposits.filter((facts) => facts.accountStatus === 'normal');
  const own = normal.find((facts) => facts.city === lendingCity);
  if (own !== undefined) return own;
  const order = (city: CityCode): number => CITY_CODES.indexOf(city);
  return [...normal].sort(
    (a, b) =>
      b.continuousDepositMonths - a.continuousDepositMonths ||
      b.balanceFen - a.balanceFen ||
      order(a.city) - order(b.city),
  )[0];
}

const floorToYuan = (fen: number): number => Math.floor(fen / FEN_PER_YUAN) * FEN_PER_YUAN;

/** ⌊amount × basis points / 10000⌋. */
function fractionFloor(amountFen: number, basisPoints: number): number {
  return Number((BigInt(amountFen) * BigInt(basisPoints)) / BASIS_POINTS_PER_UNIT);
}

/** The facts the limit and the rate depend on: what a decision has fetched, or what a person states (贷款试算). */
export interface LoanLimitInput {
  /** The lending city's parameters in force on the contract date. */
  params: CentreParameters;
  contractDate: IsoDate;
  homeOrder: HomeOrder;
  /** Both spouses deposit: the couple cap. */
  couple: boolean;
  /** A co-applicant's balance and income are in the figures (the explanations say "you and your spouse"). */
  household: boolean;
  /** Σ balances of the normal accounts counted. */
  balanceSumFen: number;
  /** The income counted for repayment: the deposit bases. */
  monthlyIncomeFen: number;
  otherMonthlyDebtFen: number;
  housePriceFen: number;
  termMonths: number;
  method: RepaymentMethod;
}

export interface LoanTerms {
  rate: LoanRateInForce;
  limit: LoanLimit;
  /** The longest term allowed, city and national rule together. */
  maxTermMonths: number;
  downPaymentBasisPoints: number;
  /** Why a bound is what it is, in words. */
  explain: (bound: LimitBound) => LoanMessage;
}

/**
 * The rate and the limit: the smallest of the city cap, balance × multiple, repayment capacity and
 * price × (1 − down payment). The one computation `decideLoan` and the loan calculator both use.
 */
export function loanLimit(input: LoanLimitInput): LoanTerms {
  const { params, contractDate, homeOrder, termMonths, method, balanceSumFen } = input;
  // Term: the band is the same for any term over 5 years, so a too-long term still finds its rate.
  const nationalMaxTerm = nationalRulesInForce(contractDate).maxLoanTermMonths;
  const maxTermMonths = Math.min(params.maxLoanTermMonths, nationalMaxTerm);
  const rate = loanRateInForce(contractDate, homeOrder, Math.min(termMonths, nationalMaxTerm));
  const capFen = input.couple ? params.loanCapCoupleFen : params.loanCapSingleFen;
  assertFen(balanceSumFen, 'sum of balances');
  const balanceBoundFen = balanceSumFen * params.balanceMultiple;
  assertFen(balanceBoundFen, 'balance bound');
  const incomeShareFen = fractionFloor(input.monthlyIncomeFen, params.repaymentIncomeRatioBasisPoints);
  const availableMonthlyPaymentFen = Math.max(0, incomeShareFen - input.otherMonthlyDebtFen);
  const capacityBoundFen = maxPrincipalForPayment({
    monthlyPaymentFen: availableMonthlyPaymentFen,
    annualRateHundredthsBp: rate.annualRateHundredthsBp,
    termMonths,
    method,
  });
  const downPaymentBp =
    homeOrder === 'first'
      ? params.downPaymentRatioFirstHomeBasisPoints
      : params.downPaymentRatioSecondHomeBasisPoints;
  const priceBoundFen = fractionFloor(input.housePriceFen, 10_000 - downPaymentBp);
  const bounds: [LimitBound, number][] = [
    ['cap', capFen],
    ['balance', balanceBoundFen],
    ['capacity', capacityBoundFen],
    ['price', priceBoundFen],
  ];
  let binding = bounds[0] as [LimitBound, number];
  for (const bound of bounds) if (bound[1] < binding[1]) binding = bound;
  const limit: LoanLimit = {
    capFen,
    balanceBoundFen,
    capacityBoundFen,
    priceBoundFen,
    limitFen: floorToYuan(binding[1]),
    bindingBound: binding[0],
    availableMonthlyPaymentFen,
  };
  const explain = (bound: LimitBound): LoanMessage =>
    boundExplanation(bound, limit, {
      params,
      couple: input.couple,
      household: input.household,
      balanceSumFen,
      homeOrder,
      downPaymentBp,
    });
  return { rate, limit, maxTermMonths, downPaymentBasisPoints: downPaymentBp, explain };
}

/**
 * Decides an HPF loan application for the lending city: eligibility, the limit (the smallest of the
 * city cap, balance × multiple, repayment capacity and price × (1 − down payment)), the rate in force on
 * the contract date, and the outcome:
 * - 'rejected' when any eligibility rule fails or the limit is 0, every failed rule stated;
 * - 'review' when eligible with a positive limit but a configured threshold is hit (`proposedFen`);
 * - 'approved' otherwise, with min(requested, limit) and, when that is below the request, a reason
 *   naming the bound that binds.
 * Malformed input (not a schema-valid application) throws a RangeError; `loanRequestErrors` lists it
 * for the applicant's own figures, so a request it passes is decided, never thrown on.
 */
export function decideLoan(input: LoanApplication): LoanDecision {
  assertApplication(input);
  const { params, contractDate, applicant, deposits, regionalLoanIndex, termMonths, method } = input;
  const { spouse } = input;
  // A co-applicant's facts count only as given: the caller passes them once the spouse confirmed.
  const coApplicantNormal = (spouse?.deposits ?? []).filter((facts) => facts.accountStatus === 'normal');
  const couple = input.coApplicantDeposits === true || coApplicantNormal.length > 0;
  const reasons: LoanReason[] = [];
  const rejections: LoanReason[] = [];

  // Home order: from the regional loan index and the centres' facts, not only the declaration. A loan
  // held is in the index and at its centre, so the larger count is the loans held, not the sum.
  const outstandingAtCentres = deposits.reduce((sum, facts) => sum + facts.outstandingHpfLoans, 0);
  const heldLoans = Math.max(regionalLoanIndex.activeLoans, outstandingAtCentres);
  const hpfLoansUsed = heldLoans + regionalLoanIndex.repaidLoans;
  // The household's: the spouse's loans held and repaid count with the applicant's.
  const spouseHeldLoans = spouse
    ? Math.max(
        spouse.regionalLoanIndex.activeLoans,
        spouse.outstandingHpfLoans,
        (spouse.deposits ?? []).reduce((sum, facts) => sum + facts.outstandingHpfLoans, 0),
      )
    : 0;
  const spouseLoansUsed = spouse ? spouseHeldLoans + spouse.regionalLoanIndex.repaidLoans : 0;
  const householdLoansUsed = hpfLoansUsed + spouseLoansUsed;
  const homeOrder: HomeOrder =
    householdLoansUsed > 0 || input.declaredHomeOrder !== 'first' ? 'second' : 'first';
  if (homeOrder === 'second' && input.declaredHomeOrder === 'first') {
    reasons.push({
      code: 'TREATED_AS_SECOND_HOME',
      message:
        hpfLoansUsed > 0
          ? {
              'zh-CN':
                '区域贷款信息显示您已使用过住房公积金贷款，本次按第二套住房办理（首付比例和贷款利率按第二套执行）',
              en: 'The regional loan records show you have had an HPF loan before, so this loan is treated as a second home (second-home down payment and rate)',
            }
          : {
              'zh-CN':
                '区域贷款信息显示您的配偶已使用过住房公积金贷款，按家庭认定，本次按第二套住房办理（首付比例和贷款利率按第二套执行）',
              en: 'The regional loan records show your spouse has had an HPF loan before; judged for the household, this loan is treated as a second home (second-home down payment and rate)',
            },
    });
  }

  const balanceSumFen = [
    ...deposits.filter((facts) => facts.accountStatus === 'normal'),
    ...coApplicantNormal,
  ].reduce((sum, facts) => sum + facts.balanceFen, 0);
  const {
    rate,
    limit,
    maxTermMonths: maxTerm,
    explain,
  } = loanLimit({
    params,
    contractDate,
    homeOrder,
    couple,
    household: coApplicantNormal.length > 0,
    balanceSumFen,
    monthlyIncomeFen: applicant.monthlyIncomeFen,
    otherMonthlyDebtFen: applicant.otherMonthlyDebtFen,
    housePriceFen: input.housePriceFen,
    termMonths,
    method,
  });
  if (termMonths > maxTerm) {
    rejections.push({
      code: 'TERM_TOO_LONG',
      message: {
        'zh-CN': `贷款期限最长 ${maxTerm} 个月（${maxTerm / 12} 年），您申请的是 ${termMonths} 个月`,
        en: `The longest loan term is ${maxTerm} months (${maxTerm / 12} years); you applied for ${termMonths} months`,
      },
    });
  }

  // Eligibility.
  const used = depositAccountUsed(deposits, params.city);
  if (used === undefined) {
    rejections.push({
      code: 'NO_NORMAL_ACCOUNT',
      message: {
        'zh-CN': '您在淮海经济区各城市均没有正常缴存的住房公积金账户（账户封存、销户或未开户时不能申请贷款）',
        en: 'You have no HPF account with normal deposits in any Huaihai city (a sealed, closed or missing account cannot borrow)',
      },
    });
  } else if (used.continuousDepositMonths < params.minContinuousDepositMonths) {
    rejections.push({
      code: 'CONTINUOUS_DEPOSIT_TOO_SHORT',
      message: {
        'zh-CN': `您的公积金账户连续足额缴存不足 ${params.minContinuousDepositMonths} 个月（目前 ${used.continuousDepositMonths} 个月）`,
        en: `Your HPF account has fewer than ${params.minContinuousDepositMonths} months of continuous full deposits (${used.continuousDepositMonths} so far)`,
      },
    });
  }
  if (heldLoans > 0) {
    rejections.push({
      code: 'OUTSTANDING_HPF_LOAN',
      message: {
        'zh-CN': '您还有未还清的住房公积金贷款，还清后才能再次申请',
        en: 'You still have an HPF loan that is not repaid; you can apply again once it is repaid',
      },
    });
  }
  if (spouseHeldLoans > 0) {
    // The household's one HPF loan is the spouse's: said so, without where or how much.
    rejections.push({
      code: 'SPOUSE_OUTSTANDING_HPF_LOAN',
      message: {
        'zh-CN': '您的配偶还有未还清的住房公积金贷款；住房公积金贷款按家庭认定，配偶的贷款还清后才能申请',
        en: 'Your spouse still has an HPF loan that is not repaid; HPF loans are judged for the household, so you can apply once it is repaid',
      },
    });
  }
  if (input.declaredHomeOrder === 'third') {
    rejections.push({
      code: 'THIRD_HOME',
      message: {
        'zh-CN': '您申报家庭已有两套及以上住房，住房公积金贷款不能用于购买第三套及以上住房',
        en: 'You declared that your household already owns two or more homes; an HPF loan cannot be used to buy a third or further home',
      },
    });
  }
  if (householdLoansUsed >= 2 && params.thirdHpfLoan === 'refused') {
    const city = cityName(params.city);
    rejections.push({
      code: 'THIRD_LOAN',
      message: spouse
        ? {
            'zh-CN': `区域贷款信息显示您和配偶已使用过 ${householdLoansUsed} 次住房公积金贷款，${city['zh-CN']}不受理家庭第三次住房公积金贷款申请`,
            en: `The regional loan records show you and your spouse have used an HPF loan ${householdLoansUsed} times; ${city.en} does not grant a household a third HPF loan`,
          }
        : {
            'zh-CN': `区域贷款信息显示您已使用过 ${hpfLoansUsed} 次住房公积金贷款，${city['zh-CN']}不受理第三次住房公积金贷款申请`,
            en: `The regional loan records show you have used an HPF loan ${hpfLoansUsed} times; ${city.en} does not grant a third HPF loan`,
          },
    });
  }
  // Joint enforcement, region-wide: a bar on loans refuses, naming the record and its centre.
  const applicantBars = barsInForce(input.restrictions?.applicant ?? [], 'loans', contractDate);
  if (applicantBars.length > 0) {
    rejections.push(
      barReason('ON_VIOLATION_LIST', { 'zh-CN': '您', en: 'You have' }, 'loans', applicantBars),
    );
  }
  const coApplicantBars = barsInForce(input.restrictions?.coApplicant ?? [], 'loans', contractDate);
  if (coApplicantBars.length > 0) {
    rejections.push(
      barReason(
        'CO_APPLICANT_ON_VIOLATION_LIST',
        { 'zh-CN': '共同申请人（配偶）', en: 'The co-applying spouse has' },
        'loans',
        coApplicantBars,
      ),
    );
  }
  const firstDueMonth = input.firstDueMonth ?? addMonths(monthOf(contractDate), 1);
  const maturityMonth = addMonths(firstDueMonth, termMonths - 1);
  const ageAtMaturity = ageInYearsOn(applicant.birthDate, lastDayOfMonth(maturityMonth));
  if (ageAtMaturity > params.maxAgeAtMaturity) {
    rejections.push({
      code: 'AGE_AT_MATURITY_TOO_HIGH',
      message: {
        'zh-CN': `贷款到期时（${maturityMonth.slice(0, 4)}年${Number(maturityMonth.slice(5))}月）您将年满 ${ageAtMaturity} 周岁，超过 ${params.maxAgeAtMaturity} 周岁的上限，请缩短贷款期限`,
        en: `When the loan ends (${maturityMonth}) you would be ${ageAtMaturity}, above the limit of ${params.maxAgeAtMaturity}; please choose a shorter term`,
      },
    });
  }

  if (limit.limitFen <= 0) {
    const why = explain(limit.bindingBound);
    rejections.push({
      code: 'NO_LOAN_AVAILABLE',
      message: {
        'zh-CN': `可贷额度为 0：${why['zh-CN']}`,
        en: `No loan can be made: ${why.en}`,
      },
    });
  }

  const base = {
    homeOrder,
    rate: { annualRateHundredthsBp: rate.annualRateHundredthsBp, ruleVersion: rate.ruleVersion },
    limit,
    ruleVersion: params.ruleVersion,
    ...(used === undefined ? {} : { depositAccountCity: used.city }),
  };
  if (rejections.length > 0) {
    return { outcome: 'rejected', ...base, reasons: [...rejections, ...reasons] };
  }

  const amountFen = Math.min(input.requestedFen, limit.limitFen);
  if (amountFen < input.requestedFen) {
    const why = explain(limit.bindingBound);
    reasons.push({
      code: 'AMOUNT_BELOW_REQUEST',
      message: {
        'zh-CN': `可贷额度为 ${yuanText(amountFen)} 元，低于您申请的 ${yuanText(input.requestedFen)} 元：${why['zh-CN']}`,
        en: `You can borrow ${yuanText(amountFen)} yuan, less than the ${yuanText(input.requestedFen)} yuan you asked for: ${why.en}`,
      },
    });
  }
  const schedulePreview = repaymentSchedule({
    principalFen: amountFen,
    annualRateHundredthsBp: rate.annualRateHundredthsBp,
    termMonths,
    method,
    firstDueMonth,
  }).instalments[0];

  const reviews: LoanReason[] = [];
  const { requestedAboveFen, depositCentresAbove } = input.reviewThresholds ?? {};
  if (requestedAboveFen !== undefined && input.requestedFen > requestedAboveFen) {
    reviews.push({
      code: 'REVIEW_AMOUNT_ABOVE_THRESHOLD',
      message: {
        'zh-CN': `申请金额超过 ${yuanText(requestedAboveFen)} 元，需经中心工作人员复核`,
        en: `Applications for more than ${yuanText(requestedAboveFen)} yuan are checked by centre staff`,
      },
    });
  }
  if (depositCentresAbove !== undefined && deposits.length > depositCentresAbove) {
    reviews.push({
      code: 'REVIEW_MANY_CENTRES',
      message: {
        'zh-CN': `您在 ${deposits.length} 个城市有公积金缴存记录，需经中心工作人员复核`,
        en: `You have HPF deposit records in ${deposits.length} cities, so centre staff check the application`,
      },
    });
  }
  if (reviews.length > 0) {
    return {
      outcome: 'review',
      proposedFen: amountFen,
      ...base,
      reasons: [...reviews, ...reasons],
      ...(schedulePreview === undefined ? {} : { schedulePreview }),
    };
  }
  return {
    outcome: 'approved',
    approvedFen: amountFen,
    ...base,
    reasons,
    ...(schedulePreview === undefined ? {} : { schedulePreview }),
  };
}
