/**
 * HPF loan arithmetic (公积金贷款还款计划), pure: repayment schedules for equal installment (等额本息) and
 * equal principal (等额本金), re-computation after a prepayment (提前部分还款), payoff amounts (提前结清)
 * and repayment capacity (the largest principal a monthly payment carries).
 *
 * Conventions (DESIGN.md §2, arithmetic):
 * - Money is integer fen; every product or quotient is formed in `bigint` and rounded once, half-up,
 *   with `roundHalfUp`. No binary float touches an amount or a rate.
 * - Rates are integers in hundredths of a basis point (3.025 % = 30250): the annual rate is exactly
 *   a / 1,000,000 and the monthly rate exactly a / 12,000,000, a rational kept as numerator/denominator.
 * - Each instalment's interest = outstanding principal × monthly rate, rounded half-up to the fen.
 * - The last instalment repays the whole remaining principal (plus its interest), so the principal
 *   parts add up to the loan exactly.
 * - Interest for part of a period (payoff, prepayment between due dates) = principal × annual rate
 *   / 360 × actual days, rounded half-up to the fen.
 *
 * Rounding decisions:
 * - Equal installment: the regular payment P·r·(1+r)^n / ((1+r)^n − 1) is computed exactly as a rational
 *   and rounded half-up to the fen once. Every instalment but the last pays exactly that; its principal
 *   part is payment − interest. The last pays the remaining principal plus its interest, so it differs
 *   from the regular payment by the rounding carried through the term (a few fen, at most a few yuan on
 *   a 30-year loan).
 * - Equal principal: the monthly principal part is P / n rounded half-up to the fen, the same every
 *   month; the last instalment repays what is left (so it is up to n/2 fen more or less than the others).
 *   Only for a loan so small that the rounded part would overpay before the last month
 *   (P < about n²/2 fen) is the part lowered to ⌊P / (n − 1)⌋, so no instalment ever repays more
 *   principal than is outstanding.
 */

import { addMonths, assertYearMonth, type YearMonth } from '../calendar/dates.js';
import { assertFen, roundHalfUp, toSafeNumber } from '../money/money.js';
import { assertIsoDate, type IsoDate, type RateHundredthsBp } from '../rules/national.js';

export const REPAYMENT_METHODS = ['equal-installment', 'equal-principal'] as const;
/** 等额本息 (equal installment) or 等额本金 (equal principal). */
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];

/** Annual rate = value / 1,000,000. */
const ANNUAL_RATE_DENOMINATOR = 1_000_000n;
/** Monthly rate = annual / 12 = value / 12,000,000, exactly. */
const MONTHLY_RATE_DENOMINATOR = 12n * ANNUAL_RATE_DENOMINATOR;
/** Part-period interest: annual rate / 360 per actual day (DESIGN.md §2). */
export const LOAN_DAY_COUNT_BASIS = 360;
/**
 * A sanity bound on schedule lengths only (50 years), so a malformed term cannot run away; the legal
 * limit (360 months) is a rule checked by the loan decision, not here.
 */
export const MAX_SCHEDULE_MONTHS = 600;

export interface Instalment {
  /** 1 for the first instalment. */
  number: number;
  dueMonth: YearMonth;
  /** principalFen + interestFen. */
  paymentFen: number;
  principalFen: number;
  interestFen: number;
  /** Principal outstanding after this instalment; 0 after the last. */
  remainingPrincipalFen: number;
}

export interface RepaymentSchedule {
  principalFen: number;
  annualRateHundredthsBp: RateHundredthsBp;
  termMonths: number;
  method: RepaymentMethod;
  instalments: Instalment[];
  totalInterestFen: number;
  /** principalFen + totalInterestFen. */
  totalPaymentFen: number;
  /** Equal installment: the regular payment. Equal principal: the first (largest) instalment. */
  monthlyPaymentFen: number;
}

export interface ScheduleInput {
  principalFen: number;
  annualRateHundredthsBp: RateHundredthsBp;
  termMonths: number;
  method: RepaymentMethod;
  /** The month of the first instalment, 'YYYY-MM'. */
  firstDueMonth: YearMonth;
}

// ---------------------------------------------------------------------------------------------------
// Validation

function assertRate(rate: number, what = 'annualRateHundredthsBp'): void {
  if (!Number.isSafeInteger(rate) || rate < 0) {
    throw new RangeError(
      `${what} must be a non-negative integer in hundredths of a basis point, got ${rate}`,
    );
  }
}

function assertTerm(termMonths: number, what = 'termMonths'): void {
  if (!Number.isSafeInteger(termMonths) || termMonths < 1 || termMonths > MAX_SCHEDULE_MONTHS) {
    throw new RangeError(`${what} must be an integer from 1 to ${MAX_SCHEDULE_MONTHS}, got ${termMonths}`);
  }
}

function assertMethod(method: string): asserts method is RepaymentMethod {
  if (!(REPAYMENT_METHODS as readonly string[]).includes(method)) {
    throw new RangeError(`method must be one of ${REPAYMENT_METHODS.join(', ')}, got '${method}'`);
  }
}

function assertPositiveFen(value: number, what: string): void {
  assertFen(value, what);
  if (value < 1) throw new RangeError(`${what} must be at least 1 fen, got ${value}`);
}

// ---------------------------------------------------------------------------------------------------
// The two methods' monthly figures

/** Outstanding × monthly rate, half-up to the fen. */
function monthlyInterest(outstandingFen: bigint, rate: bigint): bigint {
  return roundHalfUp(outstandingFen * rate, MONTHLY_RATE_DENOMINATOR);
}

/**
 * The equal-installment payment as a function of the principal, for one rate and term: the factor
 * r(1+r)^n / ((1+r)^n − 1) is formed once as an exact fraction (with r = a/D: a(D+a)^n / (D((D+a)^n − D^n)))
 * and each principal is multiplied in and rounded half-up once. Rate 0: P / n.
 */
function equalInstallmentPayment(rate: bigint, termMonths: number): (principalFen: bigint) => bigint {
  const n = BigInt(termMonths);
  if (rate === 0n) return (principal) => roundHalfUp(principal, n);
  const grown = (MONTHLY_RATE_DENOMINATOR + rate) ** n;
  const numerator = rate * grown;
  const denominator = MONTHLY_RATE_DENOMINATOR * (grown - MONTHLY_RATE_DENOMINATOR ** n);
  return (principal) => roundHalfUp(principal * numerator, denominator);
}

/**
 * The equal-principal monthly part: P / n half-up, lowered to ⌊P / (n − 1)⌋ only when the rounded part
 * would repay more than the loan before the last month (tiny loans). Never below ⌊P / n⌋.
 */
function equalPrincipalPart(principalFen: bigint, termMonths: number): bigint {
  const n = BigInt(termMonths);
  const rounded = roundHalfUp(principalFen, n);
  if (termMonths === 1) return principalFen;
  const ceiling = principalFen / (n - 1n);
  return rounded < ceiling ? rounded : ceiling;
}

type Plan = { kind: 'equal-installment'; paymentFen: bigint } | { kind: 'equal-principal'; partFen: bigint };

function buildSchedule(
  principalFen: number,
  annualRateHundredthsBp: number,
  termMonths: number,
  firstDueMonth: YearMonth,
  plan: Plan,
): RepaymentSchedule {
  const rate = BigInt(annualRateHundredthsBp);
  const instalments: Instalment[] = [];
  let remaining = BigInt(principalFen);
  let totalInterest = 0n;
  for (let number = 1; number <= termMonths; number++) {
    const interest = monthlyInterest(remaining, rate);
    let principal: bigint;
    if (number === termMonths) {
      principal = remaining;
    } else {
      principal = plan.kind === 'equal-installment' ? plan.paymentFen - interest : plan.partFen;
      // Neither bound binds for a loan of any realistic size: the regular payment always covers the
      // interest (it exceeds P·r, and the outstanding only falls), and a part never overpays (see
      // equalPrincipalPart). They keep the schedule well-formed for a loan of a few fen.
      if (principal < 0n) principal = 0n;
      if (principal > remaining) principal = remaining;
    }
    remaining -= principal;
    totalInterest += interest;
    instalments.push({
      number,
      dueMonth: addMonths(firstDueMonth, number - 1),
      paymentFen: toSafeNumber(principal + interest, 'payment'),
      principalFen: toSafeNumber(principal, 'principal part'),
      interestFen: toSafeNumber(interest, 'interest'),
      remainingPrincipalFen: toSafeNumber(remaining, 'remaining principal'),
    });
  }
  const first = instalments[0];
  if (first === undefined) throw new RangeError('a schedule has at least one instalment');
  return {
    principalFen,
    annualRateHundredthsBp,
    termMonths,
    method: plan.kind,
    instalments,
    totalInterestFen: toSafeNumber(totalInterest, 'total interest'),
    totalPaymentFen: toSafeNumber(BigInt(principalFen) + totalInterest, 'total payment'),
    monthlyPaymentFen:
      plan.kind === 'equal-installment' && termMonths > 1
        ? toSafeNumber(plan.paymentFen, 'monthly payment')
        : first.paymentFen,
  };
}

function planFor(principalFen: number, rate: number, termMonths: number, method: RepaymentMethod): Plan {
  return method === 'equal-installment'
    ? {
        kind: method,
        paymentFen: equalInstallmentPayment(BigInt(rate), termMonths)(BigInt(principalFen)),
      }
    : { kind: method, partFen: equalPrincipalPart(BigInt(principalFen), termMonths) };
}

/**
 * The full schedule of a loan. 500,000 yuan over 360 months at 2.6 %: equal installment 2,001.70 yuan
 * a month; equal principal 2,472.22 yuan the first month (1,388.89 principal + 1,083.33 interest).
 */
export function repaymentSchedule(input: ScheduleInput): RepaymentSchedule {
  const { principalFen, annualRateHundredthsBp, termMonths, method, firstDueMonth } = input;
  assertPositiveFen(principalFen, 'principalFen');
  assertRate(annualRateHundredthsBp);
  assertTerm(termMonths);
  assertMethod(method);
  assertYearMonth(firstDueMonth, 'firstDueMonth');
  return buildSchedule(
    principalFen,
    annualRateHundredthsBp,
    termMonths,
    firstDueMonth,
    planFor(principalFen, annualRateHundredthsBp, termMonths, method),
  );
}

/**
 * The first instalment's payment as a function of the principal (0 → 0), non-decreasing: the regular
 * payment for equal installment, part + first month's interest for equal principal. The same rounding
 * as the schedule.
 */
function firstPaymentFunction(
  annualRateHundredthsBp: number,
  termMonths: number,
  method: RepaymentMethod,
): (principalFen: bigint) => bigint {
  const rate = BigInt(annualRateHundredthsBp);
  if (method === 'equal-installment') return equalInstallmentPayment(rate, termMonths);
  return (principal) => equalPrincipalPart(principal, termMonths) + monthlyInterest(principal, rate);
}

export interface CapacityInput {
  /** The most the borrower can pay a month (income × the city's ratio − other debt payments). */
  monthlyPaymentFen: number;
  annualRateHundredthsBp: RateHundredthsBp;
  termMonths: number;
  method: RepaymentMethod;
}

/**
 * Repayment capacity (还款能力): the largest principal, in whole fen, whose monthly instalment (the first
 * one, for equal principal) is at most `monthlyPaymentFen`. Exact and tight: one fen more would need a
 * larger instalment. Found by binary search on the integer principal with the schedule's own rounding
 * (the first instalment is non-decreasing in the principal). A payment of 0 carries no loan: 0 (not
 * the few fen whose instalment would round to 0).
 */
export function maxPrincipalForPayment(input: CapacityInput): number {
  const { monthlyPaymentFen, annualRateHundredthsBp, termMonths, method } = input;
  assertFen(monthlyPaymentFen, 'monthlyPaymentFen');
  assertRate(annualRateHundredthsBp);
  assertTerm(termMonths);
  assertMethod(method);
  if (monthlyPaymentFen === 0) return 0;
  const firstPayment = firstPaymentFunction(annualRateHundredthsBp, termMonths, method);
  const limit = BigInt(monthlyPaymentFen);
  // Invariant: firstPayment(low) ≤ limit < firstPayment(high). Either method's first instalment is at
  // least ⌊P / n⌋, so P = n × (limit + 1) is always too much.
  let low = 0n;
  let high = BigInt(termMonths) * (limit + 1n);
  while (high - low > 1n) {
    const middle = (low + high) / 2n;
    if (firstPayment(middle) <= limit) low = middle;
    else high = middle;
  }
  return toSafeNumber(low, 'maximum principal');
}

// ---------------------------------------------------------------------------------------------------
// Prepayment (提前部分还款) and payoff (提前结清)

/** 缩短期限 (keep about the instalment, fewer months) or 减少月供 (keep the term, lower instalment). */
export const PREPAYMENT_CHOICES = ['shorter-term', 'lower-instalment'] as const;
export type PrepaymentChoice = (typeof PREPAYMENT_CHOICES)[number];

export interface PrepaymentInput {
  /** Principal outstanding after the last instalment paid, before the prepayment. */
  remainingPrincipalFen: number;
  annualRateHundredthsBp: RateHundredthsBp;
  /** Instalments still to pay before the prepayment. */
  remainingTermMonths: number;
  method: RepaymentMethod;
  /** The month of the next instalment, 'YYYY-MM'. */
  firstDueMonth: YearMonth;
  prepaymentFen: number;
  choice: PrepaymentChoice;
}

export interface PrepaymentSchedule extends RepaymentSchedule {
  choice: PrepaymentChoice;
  /** The schedule's regular payment before the prepayment (the first one, for equal principal). */
  previousMonthlyPaymentFen: number;
  previousTermMonths: number;
  /** Total interest of the remaining schedule without the prepayment minus with it. */
  interestSavedFen: number;
}

/**
 * The remaining schedule after a partial prepayment made on a due date (after that month's instalment,
 * so there is no part-period interest; a prepayment between due dates first pays
 * `partialPeriodInterestFen` on the whole outstanding for the days since the last due date).
 *
 * The current schedule is the one the remaining principal, rate and term give (re-computed by the same
 * rules, as after a repricing). Then:
 * - 'lower-instalment' keeps the remaining term and re-computes the schedule on the lower principal.
 * - 'shorter-term', equal installment: the fewest months whose regular payment is at most the current
 *   one (so the new payment is ≤ the old and as close to it as a whole number of months allows).
 * - 'shorter-term', equal principal: the monthly principal part stays as it is and the term shortens to
 *   ⌈new principal / part⌉ months, the last month repaying what is left (never more than the part).
 *
 * The prepayment must be at least 1 fen and less than the outstanding principal: repaying everything is
 * a payoff (`payoffAmount`).
 */
export function scheduleAfterPrepayment(input: PrepaymentInput): PrepaymentSchedule {
  const {
    remainingPrincipalFen,
    annualRateHundredthsBp,
    remainingTermMonths,
    method,
    firstDueMonth,
    prepaymentFen,
    choice,
  } = input;
  assertPositiveFen(remainingPrincipalFen, 'remainingPrincipalFen');
  assertRate(annualRateHundredthsBp);
  assertTerm(remainingTermMonths, 'remainingTermMonths');
  assertMethod(method);
  assertYearMonth(firstDueMonth, 'firstDueMonth');
  assertPositiveFen(prepaymentFen, 'prepaymentFen');
  if (choice !== 'shorter-term' && choice !== 'lower-instalment') {
    throw new RangeError(`choice must be 'shorter-term' or 'lower-instalment', got '${String(choice)}'`);
  }
  if (prepaymentFen >= remainingPrincipalFen) {
    throw new RangeError(
      `prepaymentFen ${prepaymentFen} must be less than the outstanding ${remainingPrincipalFen}: repaying it all is a payoff`,
    );
  }

  const current = repaymentSchedule({
    principalFen: remainingPrincipalFen,
    annualRateHundredthsBp,
    termMonths: remainingTermMonths,
    method,
    firstDueMonth,
  });
  const principalFen = remainingPrincipalFen - prepaymentFen;
  let schedule: RepaymentSchedule;
  if (choice === 'lower-instalment') {
    schedule = buildSchedule(
      principalFen,
      annualRateHundredthsBp,
      remainingTermMonths,
      firstDueMonth,
      planFor(principalFen, annualRateHundredthsBp, remainingTermMonths, method),
    );
  } else if (method === 'equal-installment') {
    const currentPayment = BigInt(current.monthlyPaymentFen);
    const paymentFor = (months: number): bigint =>
      equalInstallmentPayment(BigInt(annualRateHundredthsBp), months)(BigInt(principalFen));
    // The payment falls as the term grows, and the full remaining term already qualifies (a smaller
    // principal over the same term): binary search for the fewest qualifying months.
    let low = 0; // does not qualify (no schedule of 0 months)
    let high = remainingTermMonths; // qualifies
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (paymentFor(middle) <= currentPayment) high = middle;
      else low = middle;
    }
    schedule = buildSchedule(principalFen, annualRateHundredthsBp, high, firstDueMonth, {
      kind: method,
      paymentFen: paymentFor(high),
    });
  } else {
    const part = equalPrincipalPart(BigInt(remainingPrincipalFen), remainingTermMonths);
    const months =
      part === 0n
        ? remainingTermMonths
        : Math.min(remainingTermMonths, Number((BigInt(principalFen) + part - 1n) / part));
    schedule = buildSchedule(principalFen, annualRateHundredthsBp, months, firstDueMonth, {
      kind: method,
      partFen: part,
    });
  }
  return {
    ...schedule,
    choice,
    previousMonthlyPaymentFen: current.monthlyPaymentFen,
    previousTermMonths: remainingTermMonths,
    interestSavedFen: current.totalInterestFen - schedule.totalInterestFen,
  };
}

function dayNumber(date: IsoDate, what: string): number {
  assertIsoDate(date, what);
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000
  );
}

/** Actual days from `from` to `to` (the day of `from` not counted, the day of `to` counted). */
export function actualDaysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to, 'to') - dayNumber(from, 'from');
}

/**
 * Interest for part of a period: principal × annual rate / 360 × actual days, rounded half-up to the fen
 * (DESIGN.md §2). 100,000 yuan at 2.6 % for 15 days: 10,000,000 × 0.026 × 15 / 360 = 10,833.33 fen → 108.33 yuan.
 */
export function partialPeriodInterestFen(
  principalFen: number,
  annualRateHundredthsBp: RateHundredthsBp,
  days: number,
): number {
  assertFen(principalFen, 'principalFen');
  assertRate(annualRateHundredthsBp);
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new RangeError(`days must be a non-negative integer, got ${days}`);
  }
  return toSafeNumber(
    roundHalfUp(
      BigInt(principalFen) * BigInt(annualRateHundredthsBp) * BigInt(days),
      ANNUAL_RATE_DENOMINATOR * BigInt(LOAN_DAY_COUNT_BASIS),
    ),
    'interest',
  );
}

export interface PayoffInput {
  outstandingPrincipalFen: number;
  annualRateHundredthsBp: RateHundredthsBp;
  /** The date of the last instalment paid (interest is paid up to it), 'YYYY-MM-DD'. */
  lastDueDate: IsoDate;
  payoffDate: IsoDate;
}

export interface PayoffAmount {
  principalFen: number;
  interestFen: number;
  /** principalFen + interestFen: what settles the loan on the payoff date. */
  totalFen: number;
  /** Actual days of interest: payoffDate − lastDueDate. */
  days: number;
}

/**
 * 提前结清: the outstanding principal plus interest at annual / 360 for the actual days since the last due
 * date (the due date itself already paid, the payoff date counted), half-up to the fen. Paid off on the
 * due date itself: no interest.
 */
export function payoffAmount(input: PayoffInput): PayoffAmount {
  const { outstandingPrincipalFen, annualRateHundredthsBp, lastDueDate, payoffDate } = input;
  assertFen(outstandingPrincipalFen, 'outstandingPrincipalFen');
  assertIsoDate(lastDueDate, 'lastDueDate');
  assertIsoDate(payoffDate, 'payoffDate');
  const days = actualDaysBetween(lastDueDate, payoffDate);
  if (days < 0) throw new RangeError(`payoffDate ${payoffDate} is before lastDueDate ${lastDueDate}`);
  const interestFen = partialPeriodInterestFen(outstandingPrincipalFen, annualRateHundredthsBp, days);
  return {
    principalFen: outstandingPrincipalFen,
    interestFen,
    totalFen: outstandingPrincipalFen + interestFen,
    days,
  };
}
