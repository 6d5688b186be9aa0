/**
 * Deposit rules (缴存), pure: monthly amounts, the base and rate limits of a centre's rule version,
 * yearly interest by daily balance (结息, 积数) and continuous deposit months (连续缴存月数).
 *
 * Money is integer fen, rates integer basis points. Every product that is then rounded is formed in
 * `bigint` and rounded once, half-up, with `roundHalfUp` (DESIGN.md §2, arithmetic conventions).
 */

import {
  addMonths,
  assertYearMonth,
  dayInMonth,
  monthOf,
  nextMonth,
  previousMonth,
  type YearMonth,
} from '../calendar/dates.js';
import type { CityCode } from '../config/cities.js';
import type { FieldError } from '../errors/domain-error.js';
import { assertFen, formatBasisPoints, formatYuan, roundHalfUp, toSafeNumber } from '../money/money.js';
import {
  type CentreParameters,
  type DepositRounding,
  parametersInForce,
} from '../rules/centre-parameters.js';
import {
  assertIsoDate,
  type IsoDate,
  NATIONAL_RULE_VERSIONS,
  nationalRulesInForce,
} from '../rules/national.js';

const BASIS_POINTS_PER_UNIT = 10_000n;
const FEN_PER_YUAN = 100n;
/** Deposit interest by daily balance: annual rate / 360 per actual day (DESIGN.md §2). */
export const INTEREST_DAY_COUNT_BASIS = 360;

function assertBasisPoints(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer number of basis points, got ${value}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Monthly deposit (月缴存额)

export interface DepositTerms {
  /** Monthly deposit base (月缴存基数), fen. */
  baseFen: number;
  employeeRateBasisPoints: number;
  employerRateBasisPoints: number;
}

export interface MonthlyDepositInput extends DepositTerms {
  /** The centre's `depositRounding`: each share to the fen or to the whole yuan. */
  rounding: DepositRounding;
}

export interface MonthlyDeposit {
  employeeShareFen: number;
  employerShareFen: number;
  /** employeeShareFen + employerShareFen: the total is never rounded on its own. */
  totalFen: number;
}

/** One share: base × rate / 10000, rounded half-up to the fen or to the yuan (then in fen). */
function depositShareFen(baseFen: number, rateBasisPoints: number, rounding: DepositRounding): number {
  const product = BigInt(baseFen) * BigInt(rateBasisPoints);
  const fen =
    rounding === 'yuan'
      ? roundHalfUp(product, BASIS_POINTS_PER_UNIT * FEN_PER_YUAN) * FEN_PER_YUAN
      : roundHalfUp(product, BASIS_POINTS_PER_UNIT);
  return toSafeNumber(fen, 'deposit share');
}

/**
 * The monthly deposit: the employee's and the employer's share each computed and rounded separately
 * (to the fen, or to the whole yuan per the city's `depositRounding`), the total their sum. Base 5,555.55
 * yuan at 12 %: 666.666 → 666.67 to the fen, 667.00 to the yuan. The rates are not checked against the
 * limits here: that is `checkDepositTerms`.
 */
export function monthlyDeposit(input: MonthlyDepositInput): MonthlyDeposit {
  const { baseFen, employeeRateBasisPoints, employerRateBasisPoints, rounding } = input;
  assertFen(baseFen, 'baseFen');
  assertBasisPoints(employeeRateBasisPoints, 'employeeRateBasisPoints');
  assertBasisPoints(employerRateBasisPoints, 'employerRateBasisPoints');
  if (rounding !== 'fen' && rounding !== 'yuan') {
    throw new RangeError(`rounding must be 'fen' or 'yuan', got '${String(rounding)}'`);
  }
  const employeeShareFen = depositShareFen(baseFen, employeeRateBasisPoints, rounding);
  const employerShareFen = depositShareFen(baseFen, employerRateBasisPoints, rounding);
  return { employeeShareFen, employerShareFen, totalFen: employeeShareFen + employerShareFen };
}

// ---------------------------------------------------------------------------------------------------
// Base and rate limits (缴存基数上下限, 缴存比例)

export interface DepositMessage {
  'zh-CN': string;
  en: string;
}

export interface DepositBaseViolation {
  field: 'monthlyDepositBaseFen';
  code: 'DEPOSIT_BASE_BELOW_FLOOR' | 'DEPOSIT_BASE_ABOVE_CEILING';
  /** The floor or the ceiling that was crossed. */
  limitFen: number;
  ruleVersion: string;
  message: DepositMessage;
}

export interface DepositRateViolation {
  field: 'employeeRateBasisPoints' | 'employerRateBasisPoints';
  code: 'DEPOSIT_RATE_OUT_OF_RANGE';
  /** The bound that was crossed (the minimum for a rate below it, the maximum for one above). */
  limitBasisPoints: number;
  minBasisPoints: number;
  maxBasisPoints: number;
  ruleVersion: string;
  message: DepositMessage;
}

export type DepositTermsViolation = DepositBaseViolation | DepositRateViolation;

/**
 * What is wrong with a base and two rates under one rule version of a centre; an empty list means
 * acceptable. The base must lie within [floor, ceiling] and each rate within [min, max], bounds
 * included. Each violation names the limit and the rule version in words.
 *
 * Inputs that are not non-negative safe integers are refused with a RangeError (that is a schema matter
 * upstream, not a rule violation, and no limit could be stated for it).
 */
export function checkDepositTerms(params: CentreParameters, terms: DepositTerms): DepositTermsViolation[] {
  const { baseFen, employeeRateBasisPoints, employerRateBasisPoints } = terms;
  assertFen(baseFen, 'baseFen');
  assertBasisPoints(employeeRateBasisPoints, 'employeeRateBasisPoints');
  assertBasisPoints(employerRateBasisPoints, 'employerRateBasisPoints');
  const { ruleVersion } = params;
  const versionZh = `（规则版本 ${ruleVersion}）`;
  const versionEn = `(rule version ${ruleVersion})`;
  const violations: DepositTermsViolation[] = [];

  if (baseFen < params.depositBaseFloorFen) {
    const limit = formatYuan(params.depositBaseFloorFen);
    violations.push({
      field: 'monthlyDepositBaseFen',
      code: 'DEPOSIT_BASE_BELOW_FLOOR',
      limitFen: params.depositBaseFloorFen,
      ruleVersion,
      message: {
        'zh-CN': `缴存基数不得低于 ${limit} 元${versionZh}`,
        en: `The monthly deposit base must be at least CNY ${limit} ${versionEn}.`,
      },
    });
  } else if (baseFen > params.depositBaseCeilingFen) {
    const limit = formatYuan(params.depositBaseCeilingFen);
    violations.push({
      field: 'monthlyDepositBaseFen',
      code: 'DEPOSIT_BASE_ABOVE_CEILING',
      limitFen: params.depositBaseCeilingFen,
      ruleVersion,
      message: {
        'zh-CN': `缴存基数不得高于 ${limit} 元${versionZh}`,
        en: `The monthly deposit base must be at most CNY ${limit} ${versionEn}.`,
      },
    });
  }

  const min = params.depositRateMinBasisPoints;
  const max = params.depositRateMaxBasisPoints;
  const rates = [
    ['employeeRateBasisPoints', employeeRateBasisPoints, '职工', 'employee'],
    ['employerRateBasisPoints', employerRateBasisPoints, '单位', 'employer'],
  ] as const;
  for (const [field, rate, whoZh, whoEn] of rates) {
    if (rate >= min && rate <= max) continue;
    const [minText, maxText] = [formatBasisPoints(min), formatBasisPoints(max)];
    violations.push({
      field,
      code: 'DEPOSIT_RATE_OUT_OF_RANGE',
      limitBasisPoints: rate < min ? min : max,
      minBasisPoints: min,
      maxBasisPoints: max,
      ruleVersion,
      message: {
        'zh-CN': `${whoZh}缴存比例须在 ${minText} 至 ${maxText} 之间${versionZh}`,
        en: `The ${whoEn} deposit rate must be between ${minText} and ${maxText} ${versionEn}.`,
      },
    });
  }
  return violations;
}

/**
 * Deposit terms a change sets, checked against the centre's rule version in force when they take
 * effect: today, or the first day of a later effective month. Every change of terms (one
 * employee's, the yearly adjustment's rows) is checked here.
 */
export function checkDepositTermsFrom(
  city: CityCode,
  terms: DepositTerms,
  today: IsoDate,
  effectiveMonth?: YearMonth,
): { ruleVersion: string; violations: DepositTermsViolation[] } {
  const from = effectiveMonth && `${effectiveMonth}-01` > today ? `${effectiveMonth}-01` : today;
  const params = parametersInForce(city, from);
  return { ruleVersion: params.ruleVersion, violations: checkDepositTerms(params, terms) };
}

// ---------------------------------------------------------------------------------------------------
// Interest (结息) by daily balance (积数)

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a calendar date (exact: UTC midnights are whole multiples of a day). */
function dayNumber(date: IsoDate): number {
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY
  );
}

function dateOfDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** A run of calendar days, both ends included. */
export interface InterestPeriod {
  from: IsoDate;
  to: IsoDate;
  /** Actual days from `from` to `to` inclusive: 365, or 366 when the period holds a 29 February. */
  days: number;
}

/**
 * The interest year settled on `settlementDate`: interest is settled once a year on 30 June (the
 * national rules' settlement day) for 1 July of the year before to that 30 June. interestYearOf
 * ('2026-06-30') = { from: '2025-07-01', to: '2026-06-30', days: 365 }; any other date is refused.
 */
export function interestYearOf(settlementDate: string): InterestPeriod {
  assertIsoDate(settlementDate, 'settlementDate');
  const { depositInterestSettlementDay } = nationalRulesInForce(settlementDate);
  if (settlementDate.slice(5) !== depositInterestSettlementDay) {
    throw new RangeError(
      `deposit interest is settled once a year on the settlement day '${depositInterestSettlementDay}' (30 June): ` +
        `settlementDate must be 'YYYY-${depositInterestSettlementDay}', got '${settlementDate}'`,
    );
  }
  const previousSettlement = `${String(Number(settlementDate.slice(0, 4)) - 1).padStart(4, '0')}-${depositInterestSettlementDay}`;
  assertIsoDate(previousSettlement, 'previous settlement date');
  const from = dateOfDayNumber(dayNumber(previousSettlement) + 1);
  return { from, to: settlementDate, days: dayNumber(settlementDate) - dayNumber(from) + 1 };
}

/** A signed change of the balance on a day: a deposit or transfer in (+), a withdrawal or transfer out (−). */
export interface BalanceMovement {
  date: IsoDate;
  amountFen: number;
}

function assertPeriod(period: Pick<InterestPeriod, 'from' | 'to'>): void {
  assertIsoDate(period.from, 'period.from');
  assertIsoDate(period.to, 'period.to');
  if (period.from > period.to) {
    throw new RangeError(`period.from ${period.from} is after period.to ${period.to}`);
  }
}

/** 积数 and the balance at the end of the period's last day. */
function dailyBalances(
  openingBalanceFen: number,
  movements: readonly BalanceMovement[],
  period: Pick<InterestPeriod, 'from' | 'to'>,
): { fenDays: bigint; closingBalanceFen: number } {
  assertFen(openingBalanceFen, 'openingBalanceFen');
  assertPeriod(period);
  const byDate = new Map<IsoDate, bigint>();
  movements.forEach((movement, index) => {
    assertIsoDate(movement.date, `movements[${index}].date`);
    assertFen(movement.amountFen, `movements[${index}].amountFen`, { allowNegative: true });
    if (movement.date < period.from || movement.date > period.to) {
      throw new RangeError(
        `movements[${index}] on ${movement.date} is outside the period ${period.from} to ${period.to}`,
      );
    }
    byDate.set(movement.date, (byDate.get(movement.date) ?? 0n) + BigInt(movement.amountFen));
  });

  let balance = BigInt(openingBalanceFen);
  let since = dayNumber(period.from);
  let fenDays = 0n;
  for (const date of [...byDate.keys()].sort()) {
    const day = dayNumber(date);
    fenDays += balance * BigInt(day - since);
    balance += byDate.get(date) ?? 0n;
    if (balance < 0n)
      throw new RangeError(`the balance at the end of ${date} would be negative: ${balance} fen`);
    since = day;
  }
  fenDays += balance * BigInt(dayNumber(period.to) + 1 - since);
  return { fenDays, closingBalanceFen: toSafeNumber(balance, 'closing balance') };
}

/**
 * The balance products (积数) of a period: Σ end-of-day balance × the days it stood, in fen-days.
 *
 * Conventions: the opening balance is the balance at the start of `period.from` and counts from that
 * day; a movement dated day d changes the balance from day d on (it is in that day's end-of-day
 * balance), so a deposit credited on a day earns interest from that day and a withdrawal stops earning
 * on the day it is paid out. Movements on the same day are netted; the order within a day is
 * irrelevant. A movement outside the period, or an end-of-day balance below zero, is an error.
 */
export function accumulatedBalanceFenDays(
  openingBalanceFen: number,
  movements: readonly BalanceMovement[],
  period: Pick<InterestPeriod, 'from' | 'to'>,
): bigint {
  return dailyBalances(openingBalanceFen, movements, period).fenDays;
}

/**
 * The national deposit interest rate for a period, with the national rule version in force on its last
 * day. Every version in force during the period must state the same rate: a mid-year rate change would
 * need the year split at the change, which no version has required since 2016, so it is refused loudly
 * rather than computed wrongly.
 */
export function depositInterestRateFor(period: Pick<InterestPeriod, 'from' | 'to'>): {
  annualRateBasisPoints: number;
  ruleVersion: string;
} {
  assertPeriod(period);
  const atEnd = nationalRulesInForce(period.to);
  const inForce = [
    nationalRulesInForce(period.from),
    ...NATIONAL_RULE_VERSIONS.filter((v) => v.effectiveFrom > period.from && v.effectiveFrom <= period.to),
  ];
  const changed = inForce.find(
    (v) => v.depositInterestAnnualBasisPoints !== atEnd.depositInterestAnnualBasisPoints,
  );
  if (changed !== undefined) {
    throw new RangeError(
      `the deposit interest rate changed between ${period.from} and ${period.to} ` +
        `(${changed.ruleVersion}, ${atEnd.ruleVersion}): pass annualRateBasisPoints per sub-period`,
    );
  }
  return { annualRateBasisPoints: atEnd.depositInterestAnnualBasisPoints, ruleVersion: atEnd.ruleVersion };
}

export interface YearlyInterestInput {
  /** The balance at the start of 1 July (after the previous year's interest was credited). */
  openingBalanceFen: number;
  /** Every movement of the interest year, each dated within it. */
  movements: readonly BalanceMovement[];
  /** 'YYYY-06-30'. */
  settlementDate: string;
  /** Defaults to the national deposit interest rate (1.5 % = 150). */
  annualRateBasisPoints?: number;
}

export interface YearlyInterest extends InterestPeriod {
  interestFen: number;
  /** 积数: Σ end-of-day balance × days, fen-days. */
  fenDays: bigint;
  rateBasisPoints: number;
  /** The national rule version the rate was taken from; absent when the caller gave the rate. */
  ruleVersion?: string;
  /** The balance at the end of 30 June before this interest is credited. */
  closingBalanceFen: number;
}

/**
 * Interest for one interest year (1 July – 30 June), settled on 30 June: 积数 × annual rate / 360,
 * rounded half-up to the fen once, at the end. The divisor is 360 whatever the year's actual days
 * (365, or 366 with a 29 February): the convention in DESIGN.md §2. Crediting the interest (it joins
 * the next year's opening balance) is the caller's.
 */
export function yearlyInterestFen(input: YearlyInterestInput): YearlyInterest {
  const period = interestYearOf(input.settlementDate);
  let rateBasisPoints: number;
  let ruleVersion: string | undefined;
  if (input.annualRateBasisPoints === undefined) {
    ({ annualRateBasisPoints: rateBasisPoints, ruleVersion } = depositInterestRateFor(period));
  } else {
    assertBasisPoints(input.annualRateBasisPoints, 'annualRateBasisPoints');
    rateBasisPoints = input.annualRateBasisPoints;
  }
  const { fenDays, closingBalanceFen } = dailyBalances(input.openingBalanceFen, input.movements, period);
  const interest = roundHalfUp(
    fenDays * BigInt(rateBasisPoints),
    BigInt(INTEREST_DAY_COUNT_BASIS) * BASIS_POINTS_PER_UNIT,
  );
  return {
    ...period,
    interestFen: toSafeNumber(interest, 'interest'),
    fenDays,
    rateBasisPoints,
    ...(ruleVersion === undefined ? {} : { ruleVersion }),
    closingBalanceFen,
  };
}

// ---------------------------------------------------------------------------------------------------
// Continuous deposit months (连续缴存月数)

export interface ContinuousDepositRun {
  /** Consecutive months with a full deposit; 0 when the chain is broken. */
  months: number;
  /** First and last month of the run, when `months` > 0. */
  from?: YearMonth;
  to?: YearMonth;
}

function monthSet(depositMonths: readonly string[]): Set<YearMonth> {
  depositMonths.forEach((month, index) => {
    assertYearMonth(month, `depositMonths[${index}]`);
  });
  return new Set(depositMonths);
}

/**
 * The run of consecutive full-deposit months ending at `asOfMonth`, or at the month before it: the
 * remittance for the current month may not have arrived yet (单位当月汇缴 is commonly credited in the
 * following month), so a missing current month alone does not break the chain. If neither `asOfMonth`
 * nor the month before has a deposit, the chain is broken and the run is empty. Months after
 * `asOfMonth` (advance deposits, 预缴) do not count; duplicates count once; order is irrelevant.
 */
export function continuousDepositRun(
  depositMonths: readonly string[],
  asOfMonth: string,
): ContinuousDepositRun {
  assertYearMonth(asOfMonth, 'asOfMonth');
  const months = monthSet(depositMonths);
  let to: YearMonth;
  if (months.has(asOfMonth)) to = asOfMonth;
  else if (months.has(previousMonth(asOfMonth))) to = previousMonth(asOfMonth);
  else return { months: 0 };
  let count = 1;
  while (months.has(addMonths(to, -count))) count += 1;
  return { months: count, from: addMonths(to, -(count - 1)), to };
}

/** The number of consecutive full-deposit months up to `asOfMonth`: see `continuousDepositRun`. */
export function continuousDepositMonths(depositMonths: readonly string[], asOfMonth: string): number {
  return continuousDepositRun(depositMonths, asOfMonth).months;
}

/** The latest month with a full deposit (on or before `asOfMonth` when given); undefined if none. */
export function lastDepositMonth(
  depositMonths: readonly string[],
  asOfMonth?: string,
): YearMonth | undefined {
  if (asOfMonth !== undefined) assertYearMonth(asOfMonth, 'asOfMonth');
  let last: YearMonth | undefined;
  for (const month of monthSet(depositMonths)) {
    if (asOfMonth !== undefined && month > asOfMonth) continue;
    if (last === undefined || month > last) last = month;
  }
  return last;
}

// ---------------------------------------------------------------------------------------------------
// Which months a remittance may cover (汇缴) and which need back-pay (补缴)

export interface RemittanceWindowInput {
  /** The month the employer's (or the account's) deposits start: nothing before it is owed. */
  openingMonth: YearMonth;
  /** The employer's payday (发薪日, 1–28): a month may be remitted until that day of the next month. */
  payday: number;
  /** Today, Beijing time. */
  today: IsoDate;
}

export interface RemittanceWindow {
  /** The earliest month a remittance may cover today; undefined when none (opening in the future). */
  earliest?: YearMonth;
  /** The latest: the current month (nothing in the future). */
  latest?: YearMonth;
  /** The last day on which `earliest` may still be remitted. */
  earliestDueBy?: IsoDate;
}

/**
 * The months a monthly remittance may cover today (DESIGN.md §2b): from the opening month on, up
 * to the current month, and a month only until the employer's payday of the following month. An
 * older month is back-pay, a separate application the centre's staff decide.
 */
export function remittanceWindow(input: RemittanceWindowInput): RemittanceWindow {
  assertYearMonth(input.openingMonth, 'openingMonth');
  assertIsoDate(input.today, 'today');
  if (!Number.isSafeInteger(input.payday) || input.payday < 1 || input.payday > 28) {
    throw new RangeError(`payday must be a day from 1 to 28, got ${input.payday}`);
  }
  const latest = monthOf(input.today);
  if (input.openingMonth > latest) return {};
  const lastMonth = previousMonth(latest);
  const stillDue = input.today <= dayInMonth(latest, input.payday);
  const earliest = stillDue && lastMonth >= input.openingMonth ? lastMonth : latest;
  return { earliest, latest, earliestDueBy: dayInMonth(nextMonth(earliest), input.payday) };
}

/** Whether `month` is for back-pay today: owed (from the opening month on) but past its remittance window. */
export function isBackPayMonth(month: YearMonth, input: RemittanceWindowInput): boolean {
  assertYearMonth(month, 'month');
  const window = remittanceWindow(input);
  return window.earliest !== undefined && month >= input.openingMonth && month < window.earliest;
}

/** A back-pay: one account's months post in one transaction (1 + 2 × months items, and the progress, ≤ 100). */
export const MAX_BACK_PAY_MONTHS = 48;
export const MAX_BACK_PAY_ACCOUNTS = 200;

/** A voluntary payment order's id: the account, the month, a random part (`<account>-<YYYYMM>-<12 hex>`). */
export const ORDER_ID = /^(\d{16})-(\d{4})(\d{2})-([0-9A-F]{12})$/;

/**
 * A month already remitted (已汇缴) keeps the terms it was remitted at: a change of base or rates
 * takes effect only from a month not yet remitted (a correction of a remitted month is a back-pay).
 */
export function monthAlreadyRemittedError(month: YearMonth): FieldError & { month: YearMonth } {
  return {
    in: 'body',
    field: 'effectiveMonth',
    code: 'MONTH_ALREADY_REMITTED',
    message: {
      'zh-CN': `${month} 已按原缴存基数汇缴，不再按新基数重新计算；请自 ${nextMonth(month)} 起调整。`,
      en: `${month} has been remitted at the old base and is not re-priced: adjust from ${nextMonth(month)}.`,
    },
    month,
  };
}
