/**
 * Withdrawal limits (提取额度), pure: closing withdrawals (离退休, 出境定居), interest accrued to date,
 * the purchase cap per property (购房提取), repaying an HPF loan held in another region city from the
 * local balance (异地还贷提取), and the payout bank account. Money is integer fen; reasons are stated in
 * Chinese and English (DESIGN.md §2).
 *
 * Decisions made here (DESIGN.md §2 is silent on them):
 * - Closing withdrawal: payout = balance + interest to date − the HPF loan payoff (`payoffAmount(…).totalFen`
 *   on the payout date, from loan-schedule). When balance + interest does not cover the payoff the
 *   withdrawal is REFUSED (`BALANCE_BELOW_LOAN_PAYOFF`, with the shortfall): the account may not close
 *   while a loan is outstanding, and paying part of the loan while closing would leave a loan with no
 *   account behind it. The applicant settles the shortfall with the lending centre first (a partial
 *   prepayment) and applies again. Covering it exactly is accepted with a payout of 0; an empty account
 *   with no loan closes with a payout of 0.
 * - Interest to date: the current interest year's interest (from 1 July) on the daily balance, exactly as
 *   `yearlyInterestFen` (积数 × annual rate / 360, half-up once). `to` is the last day that earns
 *   interest, included. A payout on day D stops the balance earning on D (deposits.ts: a movement dated
 *   D is in D's end-of-day balance), so for a closing paid out on D pass `to` = D − 1; a payout on 1 July
 *   passes the 30 June before, giving 0 (the year's interest was settled that day).
 * - Interest to date from the ledger (`interestToDateFromLedger`, DESIGN.md §2b): from the day after the
 *   last settlement in the ledger (an 'interest' entry `INTEREST#YYYY`), or from the start of the interest
 *   year of the first entry when never settled, to D − 1. An earlier closing's interest to date
 *   (`INTEREST-TO-DATE#<id>`, valued D') paid through D' − 1, so it counts as a settlement of that day: an
 *   account reopened after a transfer was sent back earns again from D' (a second closing on D' pays 0). Whole years in that span that were never settled
 *   (a missed job) are computed as `yearlyInterestFen` would have settled them, and each one's interest
 *   joins the next year's opening balance as the settlement would have credited it; within a year
 *   nothing compounds. So the depositor gets what an on-time settlement would have paid, no more.
 * - Purchase cap: min(registered price (网签备案价, from the property city's register) − what all buyers
 *   already withdrew for the same property (网签备案号), balance), never below 0. Reasons name the
 *   binding bound (the property on a tie).
 * - Purchase record (`purchaseRecordRefusal`, DESIGN.md §2b): no record in the register → staff review
 *   (they check the paper contract); a cancelled record (撤销备案) or an applicant who is not one of its
 *   buyers → refused; an application later than the account centre's period after the contract date
 *   (contract date + period days, that day included) → refused.
 * - Repay-a-loan-elsewhere window: a repayment counts when applicationDate − 12 months < date ≤
 *   applicationDate, where "− 12 months" is the same day a year earlier (29 February → 28 February,
 *   `dateAfterMonths`). Application 2026-03-15: repayments 2025-03-16 to 2026-03-15 count, 2025-03-15 does
 *   not. Earlier withdrawals are recorded per repayment id with the amount they covered (partial cover
 *   allowed, several covers of one repayment summed); a cover naming a repayment not in the list refers
 *   to an older repayment and is ignored; covering more than a repayment's amount is an error.
 * - Bank account: after removing ASCII spaces (the grouping printed on cards), 12–30 ASCII digits (Chinese
 *   debit cards are 16–19 digits, bank account numbers up to about 25; 12 and 30 leave room without
 *   admitting a phone number or free text). No Luhn check: many valid Chinese card numbers fail it. The
 *   holder must be the applicant: names compared after NFKC, trimming, collapsing whitespace, unifying
 *   the middle dots of transliterated names (· • ・ ‧ .) and upper-casing Latin letters. Messages never
 *   repeat the account number.
 */

import { addDays } from '../calendar/dates.js';
import {
  accumulatedBalanceFenDays,
  type BalanceMovement,
  depositInterestRateFor,
  INTEREST_DAY_COUNT_BASIS,
  interestYearOf,
  type YearlyInterest,
  yearlyInterestFen,
} from '../deposits/rules.js';
import { actualDaysBetween } from '../loans/schedule.js';
import { assertFen, formatYuan, roundHalfUp, toSafeNumber } from '../money/money.js';
import { type RegisterRecordFacts, recordRefusal } from '../property/record-rule.js';
import { assertIsoDate, type IsoDate, nationalRulesInForce } from '../rules/national.js';
import { dateAfterMonths, type LocalizedMessage } from './retirement.js';

export type { LocalizedMessage } from './retirement.js';

const BASIS_POINTS_PER_UNIT = 10_000n;

export type WithdrawalReasonCode =
  | 'BALANCE_BELOW_LOAN_PAYOFF'
  | 'CAPPED_BY_PROPERTY_REMAINING'
  | 'CAPPED_BY_BALANCE'
  | 'PROPERTY_FULLY_WITHDRAWN'
  | 'CO_OWNER_WITHDRAWALS_DEDUCTED'
  | 'CAPPED_BY_UNCOVERED_REPAYMENTS'
  | 'NO_UNCOVERED_REPAYMENTS'
  | 'NO_BALANCE'
  | 'PROPERTY_RECORD_NOT_FOUND'
  | 'PROPERTY_RECORD_CANCELLED'
  | 'NOT_A_BUYER'
  | 'PURCHASE_PERIOD_PASSED';

export interface WithdrawalReason {
  code: WithdrawalReasonCode;
  message: LocalizedMessage;
}

function nextDay(date: IsoDate): IsoDate {
  const utc = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return new Date(utc + 86_400_000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------
// Interest accrued to date (the current interest year)

export interface InterestToDateInput {
  /** The balance at the start of `from` (after the last settlement's interest was credited). */
  openingBalanceFen: number;
  /** Every movement from `from` to `to`, each dated within them. */
  movements: readonly BalanceMovement[];
  /** The start of the current interest year: 'YYYY-07-01'. */
  from: IsoDate;
  /** The last day that earns interest, included; at most the year's 30 June, at least `from` − 1 day. */
  to: IsoDate;
  /** Defaults to the national deposit interest rate (1.5 % = 150). */
  annualRateBasisPoints?: number;
}

export interface InterestToDate {
  from: IsoDate;
  to: IsoDate;
  /** Days from `from` to `to` inclusive (0 when `to` is the day before `from`). */
  days: number;
  /** 积数, fen-days. */
  fenDays: bigint;
  rateBasisPoints: number;
  /** The national rule version the rate was taken from; absent when the caller gave the rate. */
  ruleVersion?: string;
  interestFen: number;
  /** The balance at the end of `to`: opening + every movement. */
  closingBalanceFen: number;
}

/**
 * Deposit interest accrued in the current interest year up to and including `to`, on the daily balance:
 * 积数 (`accumulatedBalanceFenDays`) × annual rate / 360, half-up to the fen once, as `yearlyInterestFen`.
 * Opening 100,000.00 yuan, no movement, 2025-07-01 to 2025-07-30 (30 days): 100,000 × 1.5 % × 30 / 360
 * = 125.00 yuan.
 */
export function interestToDate(input: InterestToDateInput): InterestToDate {
  const { openingBalanceFen, movements, from, to } = input;
  assertIsoDate(from, 'from');
  assertIsoDate(to, 'to');
  assertFen(openingBalanceFen, 'openingBalanceFen');
  const { depositInterestSettlementDay } = nationalRulesInForce(from);
  const year = interestYearOf(
    `${String(Number(from.slice(0, 4)) + 1).padStart(4, '0')}-${depositInterestSettlementDay}`,
  );
  if (year.from !== from) {
    throw new RangeError(`from must be the start of an interest year ('YYYY-07-01'), got '${from}'`);
  }
  if (to > year.to) {
    throw new RangeError(
      `to ${to} is after the interest year's settlement day ${year.to}: settle that year first (yearlyInterestFen)`,
    );
  }
  const days = actualDaysBetween(from, to) + 1;
  if (days < 0) throw new RangeError(`to ${to} is more than a day before from ${from}`);

  let rateBasisPoints: number;
  let ruleVersion: string | undefined;
  if (input.annualRateBasisPoints !== undefined) {
    if (!Number.isSafeInteger(input.annualRateBasisPoints) || input.annualRateBasisPoints < 0) {
      throw new RangeError(
        `annualRateBasisPoints must be a non-negative integer, got ${input.annualRateBasisPoints}`,
      );
    }
    rateBasisPoints = input.annualRateBasisPoints;
  } else if (days === 0) {
    const rules = nationalRulesInForce(from);
    rateBasisPoints = rules.depositInterestAnnualBasisPoints;
    ruleVersion = rules.ruleVersion;
  } else {
    ({ annualRateBasisPoints: rateBasisPoints, ruleVersion } = depositInterestRateFor({ from, to }));
  }

  let fenDays = 0n;
  if (days === 0) {
    if (movements.length > 0) throw new RangeError(`no movement can fall in an empty period (to ${to})`);
  } else {
    fenDays = accumulatedBalanceFenDays(openingBalanceFen, movements, { from, to });
  }
  const closing = movements.reduce((sum, m) => sum + BigInt(m.amountFen), BigInt(openingBalanceFen));
  const interest = roundHalfUp(
    fenDays * BigInt(rateBasisPoints),
    BigInt(INTEREST_DAY_COUNT_BASIS) * BASIS_POINTS_PER_UNIT,
  );
  return {
    from,
    to,
    days,
    fenDays,
    rateBasisPoints,
    ...(ruleVersion === undefined ? {} : { ruleVersion }),
    interestFen: toSafeNumber(interest, 'interest'),
    closingBalanceFen: toSafeNumber(closing, 'closing balance'),
  };
}

/** A ledger entry as far as interest goes (the ledger's `LedgerEntry` is one). */
export interface InterestLedgerEntry {
  kind: string;
  reference: string;
  /** Signed: credits positive, debits negative. */
  amountFen: number;
  valueDate: IsoDate;
}

export interface LedgerInterestToDate {
  /** The day after the last settlement, or the start of the interest year of the first entry. */
  from: IsoDate;
  /** The last day that earns interest: the day before the payout day (that day, if a settlement paid it). */
  to: IsoDate;
  /** The value date of the last settlement (`INTEREST#YYYY`); absent when the account was never settled. */
  lastSettlementDate?: IsoDate;
  /** Σ entries valued before `from`. */
  openingBalanceFen: number;
  /** Whole interest years of the period that were never settled (a missed job), oldest first. */
  unsettledYears: YearlyInterest[];
  /** The last interest year up to `to`; 0 days when `to` is a settlement day or the period is empty. */
  partialYear: InterestToDate;
  /** Σ unsettledYears + partialYear. */
  interestFen: number;
}

const SETTLEMENT_REFERENCE = /^INTEREST#(\d{4})$/;
/** Interest to date paid by a closing (`INTEREST-TO-DATE#<closing id>`, or the older bare reference). */
const TO_DATE_REFERENCE = /^INTEREST-TO-DATE(#|$)/;

/**
 * Interest on the daily balance from `from` to `to` within one interest year, where `from` need not
 * be its 1 July (the day after an earlier closing's interest to date): the same 积数 × rate / 360,
 * half-up once, as `interestToDate` and `yearlyInterestFen`.
 */
function spanInterest(
  openingBalanceFen: number,
  movements: readonly BalanceMovement[],
  from: IsoDate,
  to: IsoDate,
): InterestToDate & { days: number } {
  const days = actualDaysBetween(from, to) + 1;
  const closing = movements.reduce((sum, m) => sum + m.amountFen, openingBalanceFen);
  if (days <= 0) {
    const rules = nationalRulesInForce(from);
    return {
      from,
      to,
      days: 0,
      fenDays: 0n,
      rateBasisPoints: rules.depositInterestAnnualBasisPoints,
      ruleVersion: rules.ruleVersion,
      interestFen: 0,
      closingBalanceFen: closing,
    };
  }
  const { annualRateBasisPoints, ruleVersion } = depositInterestRateFor({ from, to });
  const fenDays = accumulatedBalanceFenDays(openingBalanceFen, movements, { from, to });
  const interest = roundHalfUp(
    fenDays * BigInt(annualRateBasisPoints),
    BigInt(INTEREST_DAY_COUNT_BASIS) * BASIS_POINTS_PER_UNIT,
  );
  return {
    from,
    to,
    days,
    fenDays,
    rateBasisPoints: annualRateBasisPoints,
    ruleVersion,
    interestFen: toSafeNumber(interest, 'interest'),
    closingBalanceFen: closing,
  };
}

/** The settlement day that ends the interest year holding `date`. */
function settlementDateOf(date: IsoDate): IsoDate {
  const { depositInterestSettlementDay: day } = nationalRulesInForce(date);
  const year = Number(date.slice(0, 4)) + (date.slice(5) > day ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${day}`;
}

/**
 * The interest due on an account closed (paid out) on `today`, from its ledger: see the module decisions.
 * Entries valued on or after `today` earn nothing. A settlement valued `today` itself already paid that
 * day, so nothing more is due; one valued after `today` is refused.
 */
export function interestToDateFromLedger(
  entries: readonly InterestLedgerEntry[],
  today: IsoDate,
): LedgerInterestToDate {
  assertIsoDate(today, 'today');
  let lastSettlementDate: IsoDate | undefined;
  // The last day interest was paid for: a settlement's own day, or the day before a closing's
  // interest to date (the account reopened after a transfer was sent back earns again from that day).
  let paidThrough: IsoDate | undefined;
  let firstValueDate = today;
  entries.forEach((entry, index) => {
    assertIsoDate(entry.valueDate, `entries[${index}].valueDate`);
    if (entry.valueDate < firstValueDate) firstValueDate = entry.valueDate;
    if (entry.kind === 'interest' && TO_DATE_REFERENCE.test(entry.reference)) {
      if (entry.valueDate > today) {
        throw new RangeError(
          `the ledger holds ${entry.reference} valued ${entry.valueDate}, after today ${today}`,
        );
      }
      const through = addDays(entry.valueDate, -1);
      if (paidThrough === undefined || through > paidThrough) paidThrough = through;
      return;
    }
    const settledYear =
      entry.kind === 'interest' ? SETTLEMENT_REFERENCE.exec(entry.reference)?.[1] : undefined;
    if (settledYear === undefined) return;
    interestYearOf(entry.valueDate); // throws unless valued on a settlement day
    if (!entry.valueDate.startsWith(settledYear)) {
      throw new RangeError(`settlement ${entry.reference} is valued ${entry.valueDate}, outside its year`);
    }
    if (lastSettlementDate === undefined || entry.valueDate > lastSettlementDate) {
      lastSettlementDate = entry.valueDate;
    }
  });
  if (lastSettlementDate !== undefined && lastSettlementDate > today) {
    throw new RangeError(`the ledger holds a settlement valued ${lastSettlementDate}, after today ${today}`);
  }
  if (lastSettlementDate !== undefined && (paidThrough === undefined || lastSettlementDate > paidThrough)) {
    paidThrough = lastSettlementDate;
  }
  const from =
    paidThrough === undefined
      ? interestYearOf(settlementDateOf(firstValueDate)).from
      : addDays(paidThrough, 1);
  const to = paidThrough === today ? today : addDays(today, -1);

  const movementsIn = (start: IsoDate, end: IsoDate): BalanceMovement[] =>
    entries
      .filter((entry) => entry.valueDate >= start && entry.valueDate <= end)
      .map((entry) => ({ date: entry.valueDate, amountFen: entry.amountFen }));
  const openingBalanceFen = entries
    .filter((entry) => entry.valueDate < from)
    .reduce((sum, entry) => sum + entry.amountFen, 0);

  const unsettledYears: YearlyInterest[] = [];
  let yearFrom = from;
  let yearOpeningFen = openingBalanceFen;
  for (
    let settlementDate = settlementDateOf(from);
    settlementDate <= to;
    settlementDate = settlementDateOf(addDays(settlementDate, 1))
  ) {
    const year =
      yearFrom === interestYearOf(settlementDate).from
        ? yearlyInterestFen({
            openingBalanceFen: yearOpeningFen,
            movements: movementsIn(yearFrom, settlementDate),
            settlementDate,
          })
        : // The year of an earlier closing: only from that closing's value date on.
          spanInterest(yearOpeningFen, movementsIn(yearFrom, settlementDate), yearFrom, settlementDate);
    unsettledYears.push(year);
    // Credited on its 30 June, as the missed settlement would have: it earns in the next year.
    yearOpeningFen = year.closingBalanceFen + year.interestFen;
    yearFrom = addDays(settlementDate, 1);
  }
  const partialYear =
    yearFrom === interestYearOf(settlementDateOf(yearFrom)).from
      ? interestToDate({
          openingBalanceFen: yearOpeningFen,
          movements: movementsIn(yearFrom, to),
          from: yearFrom,
          to,
        })
      : spanInterest(yearOpeningFen, movementsIn(yearFrom, to), yearFrom, to);
  return {
    from,
    to,
    ...(lastSettlementDate === undefined ? {} : { lastSettlementDate }),
    openingBalanceFen,
    unsettledYears,
    partialYear,
    interestFen: unsettledYears.reduce((sum, year) => sum + year.interestFen, partialYear.interestFen),
  };
}

// ---------------------------------------------------------------------------------------------------
// Closing withdrawals (离退休, 出境定居)

export interface ClosingWithdrawalInput {
  /** The account balance on the payout date, before this year's interest. */
  balanceFen: number;
  /** Interest accrued since the last settlement (`interestToDateFromLedger`). */
  interestToDateFen: number;
  /**
   * What settles the applicant's outstanding HPF loan on the payout date (`payoffAmount(…).totalFen`),
   * wherever in the region it is held; 0 or absent when there is none.
   */
  outstandingLoanPayoffFen?: number;
}

export type ClosingWithdrawal =
  | {
      ok: true;
      /** Paid to the applicant's bank account. */
      payoutFen: number;
      /** Paid to the lending centre to settle the loan (0 without a loan). */
      toLoanFen: number;
      interestFen: number;
      /** balanceFen + interestFen = payoutFen + toLoanFen. */
      totalFen: number;
      closesAccount: true;
    }
  | {
      ok: false;
      code: 'BALANCE_BELOW_LOAN_PAYOFF';
      message: LocalizedMessage;
      /** balanceFen + interestFen. */
      totalFen: number;
      /** What the applicant must repay first for the balance to settle the rest. */
      shortfallFen: number;
    };

/**
 * A withdrawal that closes the account (销户提取): the whole balance with interest to date; an outstanding
 * HPF loan is paid off from it first and the rest is paid out. Refused when the balance with interest
 * does not cover the payoff (see the module decisions).
 */
export function closingWithdrawal(input: ClosingWithdrawalInput): ClosingWithdrawal {
  const { balanceFen, interestToDateFen, outstandingLoanPayoffFen = 0 } = input;
  assertFen(balanceFen, 'balanceFen');
  assertFen(interestToDateFen, 'interestToDateFen');
  assertFen(outstandingLoanPayoffFen, 'outstandingLoanPayoffFen');
  const totalFen = balanceFen + interestToDateFen;
  assertFen(totalFen, 'balance with interest');
  if (totalFen < outstandingLoanPayoffFen) {
    const shortfallFen = outstandingLoanPayoffFen - totalFen;
    const [total, payoff, shortfall] = [totalFen, outstandingLoanPayoffFen, shortfallFen].map(formatYuan);
    return {
      ok: false,
      code: 'BALANCE_BELOW_LOAN_PAYOFF',
      message: {
        'zh-CN': `账户余额连同利息 ${total} 元不足以结清公积金贷款（结清需 ${payoff} 元）。销户前须先结清贷款：请先向贷款中心提前归还至少 ${shortfall} 元，再申请提取。`,
        en: `The balance with interest, CNY ${total}, does not cover the HPF loan payoff of CNY ${payoff}. The loan must be settled before the account closes: repay at least CNY ${shortfall} to the lending centre first, then apply again.`,
      },
      totalFen,
      shortfallFen,
    };
  }
  return {
    ok: true,
    payoutFen: totalFen - outstandingLoanPayoffFen,
    toLoanFen: outstandingLoanPayoffFen,
    interestFen: interestToDateFen,
    totalFen,
    closesAccount: true,
  };
}

// ---------------------------------------------------------------------------------------------------
// Purchase withdrawal (购房提取), capped per property

export interface PurchaseLimitInput {
  /** The register's price of the property (网签备案价), never a declaration. */
  registeredPriceFen: number;
  /** What all buyers already withdrew for this property (same 网签备案号), at every centre. */
  alreadyWithdrawnForPropertyFen: number;
  balanceFen: number;
}

export interface PurchaseLimit {
  maxFen: number;
  /** Registered price − already withdrawn, not below 0. */
  remainingForPropertyFen: number;
  bound: 'property' | 'balance';
  /** The binding bound first; then a note of the co-owners' withdrawals when there were any. */
  reasons: WithdrawalReason[];
}

/** At most the registered price less what all buyers withdrew for the property, at most the balance. */
export function purchaseWithdrawalLimit(input: PurchaseLimitInput): PurchaseLimit {
  const { registeredPriceFen, alreadyWithdrawnForPropertyFen, balanceFen } = input;
  assertFen(registeredPriceFen, 'registeredPriceFen');
  assertFen(alreadyWithdrawnForPropertyFen, 'alreadyWithdrawnForPropertyFen');
  assertFen(balanceFen, 'balanceFen');
  const remainingForPropertyFen = Math.max(0, registeredPriceFen - alreadyWithdrawnForPropertyFen);
  const bound = remainingForPropertyFen <= balanceFen ? 'property' : 'balance';
  const maxFen = Math.min(remainingForPropertyFen, balanceFen);
  const [price, already, remaining, balance] = [
    registeredPriceFen,
    alreadyWithdrawnForPropertyFen,
    remainingForPropertyFen,
    balanceFen,
  ].map(formatYuan);

  const reasons: WithdrawalReason[] = [];
  if (bound === 'property') {
    reasons.push(
      remainingForPropertyFen === 0
        ? {
            code: 'PROPERTY_FULLY_WITHDRAWN',
            message: {
              'zh-CN': `该房屋（同一网签备案号）的全部产权人已提取 ${already} 元，已达网签备案价 ${price} 元，不能再提取`,
              en: `All co-owners together have already withdrawn CNY ${already} for this property (same online-signing record), reaching the registered price of CNY ${price}: nothing more can be withdrawn for it.`,
            },
          }
        : {
            code: 'CAPPED_BY_PROPERTY_REMAINING',
            message: {
              'zh-CN': `同一房屋全部购房人合计提取不超过网签备案价 ${price} 元，本次最多可提取 ${remaining} 元`,
              en: `All buyers together may withdraw at most the registered price, CNY ${price}, for one property: at most CNY ${remaining} this time.`,
            },
          },
    );
  } else {
    reasons.push(
      balanceFen === 0
        ? {
            code: 'NO_BALANCE',
            message: {
              'zh-CN': '账户余额为零，无可提取金额',
              en: 'The account balance is zero: nothing can be withdrawn.',
            },
          }
        : {
            code: 'CAPPED_BY_BALANCE',
            message: {
              'zh-CN': `提取金额不超过账户余额 ${balance} 元`,
              en: `A withdrawal is at most the account balance, CNY ${balance}.`,
            },
          },
    );
  }
  if (alreadyWithdrawnForPropertyFen > 0 && remainingForPropertyFen > 0) {
    reasons.push({
      code: 'CO_OWNER_WITHDRAWALS_DEDUCTED',
      message: {
        'zh-CN': `已扣除该房屋全部产权人此前已提取的 ${already} 元`,
        en: `CNY ${already} already withdrawn for this property by its co-owners has been deducted.`,
      },
    });
  }
  return { maxFen, remainingForPropertyFen, bound, reasons };
}

/** The property city's answer on the record a purchase withdrawal names (shared/property/record-rule.ts). */
export type PurchaseRecordFacts = RegisterRecordFacts;

export interface PurchaseRecordInput {
  facts: PurchaseRecordFacts;
  /** The Beijing date the application was accepted. */
  applicationDate: IsoDate;
  /** The account centre's period after the contract date (centre parameter). */
  periodDays: number;
}

export type PurchaseRecordRefusal = { outcome: 'review' | 'reject'; reason: WithdrawalReason };

/** Why the record does not allow the withdrawal (to staff review, or refused), or undefined when it does. */
export function purchaseRecordRefusal(input: PurchaseRecordInput): PurchaseRecordRefusal | undefined {
  const { facts, applicationDate, periodDays } = input;
  assertIsoDate(applicationDate, 'applicationDate');
  if (!Number.isSafeInteger(periodDays) || periodDays < 0) {
    throw new RangeError(`periodDays must be a non-negative integer, got ${periodDays}`);
  }
  const refused = recordRefusal(facts, {
    PROPERTY_RECORD_NOT_FOUND: {
      'zh-CN': '房屋所在城市的网签备案登记中未查到该网签备案号，需工作人员核对购房合同。',
      en: 'The property city’s register has no record of this online-signing number: staff will check the purchase contract.',
    },
    NOT_A_BUYER: {
      'zh-CN': '您不是该网签备案记录上的购房人，不能据此办理购房提取。',
      en: 'You are not one of the buyers on this online-signing record.',
    },
    PROPERTY_RECORD_CANCELLED: {
      'zh-CN': '该网签备案已撤销，不能据此办理购房提取。',
      en: 'This online-signing record has been cancelled: it does not support a purchase withdrawal.',
    },
  });
  if (refused || !facts.found || !facts.applicantIsBuyer) return refused;
  const lastDay = addDays(facts.contractDate, periodDays);
  if (applicationDate > lastDay) {
    return {
      outcome: 'reject',
      reason: {
        code: 'PURCHASE_PERIOD_PASSED',
        message: {
          'zh-CN': `购房提取须在购房合同签订之日（${facts.contractDate}）起 ${periodDays} 日内申请，最迟 ${lastDay}。`,
          en: `A purchase withdrawal must be applied for within ${periodDays} days of the contract date (${facts.contractDate}), by ${lastDay} at the latest.`,
        },
      },
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Repaying an HPF loan held in another region city (异地还贷提取)

export interface LoanRepayment {
  /** The lending centre's repayment record id. */
  id: string;
  date: IsoDate;
  amountFen: number;
}

/** What an earlier withdrawal covered of one repayment. */
export interface RepaymentCover {
  repaymentId: string;
  amountFen: number;
}

export interface OffsiteRepayLimitInput {
  /** Repayments on the loan held in another region city (any dates; the window is applied here). */
  repayments: readonly LoanRepayment[];
  /** What earlier withdrawals covered, per repayment. */
  covered: readonly RepaymentCover[];
  applicationDate: IsoDate;
  balanceFen: number;
}

export interface CountedRepayment extends LoanRepayment {
  coveredFen: number;
  uncoveredFen: number;
}

export interface OffsiteRepayLimit {
  maxFen: number;
  /** Σ uncovered parts of the repayments in the window. */
  uncoveredFen: number;
  /** The window, both ends included: the day after applicationDate − 12 months, to applicationDate. */
  windowFrom: IsoDate;
  windowTo: IsoDate;
  /** The repayments in the window, by date, with what is still uncovered. */
  counted: CountedRepayment[];
  bound: 'repayments' | 'balance';
  reasons: WithdrawalReason[];
}

/**
 * The repayments made in the 12 months before the application (see the module decisions for the exact
 * window) that no earlier withdrawal covered, capped at the balance.
 */
export function offsiteRepayWithdrawalLimit(input: OffsiteRepayLimitInput): OffsiteRepayLimit {
  const { repayments, covered, applicationDate, balanceFen } = input;
  assertIsoDate(applicationDate, 'applicationDate');
  assertFen(balanceFen, 'balanceFen');
  const byId = new Map<string, LoanRepayment>();
  repayments.forEach((repayment, index) => {
    assertIsoDate(repayment.date, `repayments[${index}].date`);
    assertFen(repayment.amountFen, `repayments[${index}].amountFen`);
    if (byId.has(repayment.id)) throw new RangeError(`repayments[${index}]: duplicate id '${repayment.id}'`);
    byId.set(repayment.id, repayment);
  });
  const coveredById = new Map<string, number>();
  covered.forEach((cover, index) => {
    assertFen(cover.amountFen, `covered[${index}].amountFen`);
    const repayment = byId.get(cover.repaymentId);
    if (repayment === undefined) return; // an older repayment, outside the list
    const sum = (coveredById.get(cover.repaymentId) ?? 0) + cover.amountFen;
    if (sum > repayment.amountFen) {
      throw new RangeError(
        `covered: repayment '${cover.repaymentId}' of ${repayment.amountFen} fen is covered by ${sum} fen`,
      );
    }
    coveredById.set(cover.repaymentId, sum);
  });

  const windowFrom = nextDay(dateAfterMonths(applicationDate, -12));
  const windowTo = applicationDate;
  const counted = repayments
    .filter((r) => r.date >= windowFrom && r.date <= windowTo)
    .map((r): CountedRepayment => {
      const coveredFen = coveredById.get(r.id) ?? 0;
      return { ...r, coveredFen, uncoveredFen: r.amountFen - coveredFen };
    })
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const uncoveredFen = counted.reduce((sum, r) => sum + r.uncoveredFen, 0);
  assertFen(uncoveredFen, 'uncovered repayments');

  const bound = uncoveredFen <= balanceFen ? 'repayments' : 'balance';
  const maxFen = Math.min(uncoveredFen, balanceFen);
  const [uncovered, balance] = [uncoveredFen, balanceFen].map(formatYuan);
  let reason: WithdrawalReason;
  if (bound === 'repayments') {
    reason =
      uncoveredFen === 0
        ? {
            code: 'NO_UNCOVERED_REPAYMENTS',
            message: {
              'zh-CN': `${windowFrom} 至 ${windowTo} 期间没有尚未提取的异地公积金贷款还款，无可提取金额`,
              en: `No repayment made from ${windowFrom} to ${windowTo} on the loan held elsewhere is left uncovered by an earlier withdrawal: nothing can be withdrawn.`,
            },
          }
        : {
            code: 'CAPPED_BY_UNCOVERED_REPAYMENTS',
            message: {
              'zh-CN': `最多提取申请日前12个月内（${windowFrom} 至 ${windowTo}）尚未提取的还款额 ${uncovered} 元`,
              en: `At most the repayments made in the 12 months before the application (${windowFrom} to ${windowTo}) not yet covered by a withdrawal: CNY ${uncovered}.`,
            },
          };
  } else {
    reason =
      balanceFen === 0
        ? {
            code: 'NO_BALANCE',
            message: {
              'zh-CN': '账户余额为零，无可提取金额',
              en: 'The account balance is zero: nothing can be withdrawn.',
            },
          }
        : {
            code: 'CAPPED_BY_BALANCE',
            message: {
              'zh-CN': `提取金额不超过账户余额 ${balance} 元（尚未提取的还款额为 ${uncovered} 元）`,
              en: `A withdrawal is at most the account balance, CNY ${balance} (uncovered repayments: CNY ${uncovered}).`,
            },
          };
  }
  return { maxFen, uncoveredFen, windowFrom, windowTo, counted, bound, reasons: [reason] };
}

// ---------------------------------------------------------------------------------------------------
// Payout bank account

export const BANK_ACCOUNT_MIN_DIGITS = 12;
export const BANK_ACCOUNT_MAX_DIGITS = 30;

export interface BankAccountInput {
  accountNumber: string;
  holderName: string;
}

export type BankAccountErrorCode =
  | 'BANK_ACCOUNT_NUMBER_REQUIRED'
  | 'BANK_ACCOUNT_NUMBER_FORMAT'
  | 'BANK_ACCOUNT_NUMBER_LENGTH'
  | 'BANK_ACCOUNT_HOLDER_REQUIRED'
  | 'BANK_ACCOUNT_HOLDER_NOT_APPLICANT';

export interface BankAccountFieldError {
  field: keyof BankAccountInput;
  code: BankAccountErrorCode;
  message: LocalizedMessage;
}

export type BankAccountValidation =
  | { ok: true; value: { accountNumber: string; holderName: string } }
  | { ok: false; errors: BankAccountFieldError[] };

const DOT_VARIANTS = /\s*[.\u00B7\u0387\u2022\u2027\u2219\u22C5\u30FB]\s*/g;

/** A person's name as compared: NFKC, trimmed, whitespace collapsed, middle dots unified, upper case. */
export function normalisePersonName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').replace(DOT_VARIANTS, '·').toUpperCase();
}

/**
 * Checks the account a payout goes to: 12–30 digits (ASCII spaces ignored), held in the applicant's own
 * name. `value` is the normalised account number and the holder name as entered (trimmed). Every field
 * error is returned, not only the first.
 */
export function validateBankAccount(input: BankAccountInput, applicantName: string): BankAccountValidation {
  const applicant = normalisePersonName(applicantName);
  if (applicant === '') throw new RangeError('applicantName is empty');
  const errors: BankAccountFieldError[] = [];
  const accountNumber = input.accountNumber.replace(/ /g, '');
  if (accountNumber === '') {
    errors.push({
      field: 'accountNumber',
      code: 'BANK_ACCOUNT_NUMBER_REQUIRED',
      message: { 'zh-CN': '请填写收款银行账号', en: 'Enter the bank account number for the payout.' },
    });
  } else if (!/^[0-9]+$/.test(accountNumber)) {
    errors.push({
      field: 'accountNumber',
      code: 'BANK_ACCOUNT_NUMBER_FORMAT',
      message: {
        'zh-CN': '银行账号只能包含数字 0–9',
        en: 'The bank account number may contain only the digits 0–9.',
      },
    });
  } else if (
    accountNumber.length < BANK_ACCOUNT_MIN_DIGITS ||
    accountNumber.length > BANK_ACCOUNT_MAX_DIGITS
  ) {
    errors.push({
      field: 'accountNumber',
      code: 'BANK_ACCOUNT_NUMBER_LENGTH',
      message: {
        'zh-CN': `银行账号应为 ${BANK_ACCOUNT_MIN_DIGITS} 至 ${BANK_ACCOUNT_MAX_DIGITS} 位数字`,
        en: `The bank account number must have ${BANK_ACCOUNT_MIN_DIGITS} to ${BANK_ACCOUNT_MAX_DIGITS} digits.`,
      },
    });
  }
  const holderName = input.holderName.trim();
  const holder = normalisePersonName(holderName);
  if (holder === '') {
    errors.push({
      field: 'holderName',
      code: 'BANK_ACCOUNT_HOLDER_REQUIRED',
      message: { 'zh-CN': '请填写银行账户户名', en: 'Enter the name of the bank account holder.' },
    });
  } else if (holder !== applicant) {
    errors.push({
      field: 'holderName',
      code: 'BANK_ACCOUNT_HOLDER_NOT_APPLICANT',
      message: {
        'zh-CN': '提取款项只能转入申请人本人名下的银行账户，户名须与申请人姓名一致',
        en: "Withdrawals are paid only into a bank account in the applicant's own name: the holder must be the applicant.",
      },
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { accountNumber, holderName } };
}
