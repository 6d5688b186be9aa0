/**
 * The withdrawal grounds of the 2026 revision (DESIGN.md §2a), pure: renting (租房提取), renovating
 * one's own home (装修提取) and paying its property fees (物业费提取). Caps and periods are the
 * account centre's parameters (shared/rules/centre-parameters.ts); money is integer fen.
 *
 * Decisions made here (the public summaries of the revision leave them to the cities):
 * - Rent: the household (the applicant, and a declared spouse) owns no home in the deposit city:
 *   any filed record of that city's register naming one of them as a buyer refuses it (a pending
 *   paper record is not in effect; a cancelled one owns nothing). No income-share threshold. All rent
 *   withdrawals of the person at the centre in one period (the calendar month or year of the
 *   application's Beijing date) together at most the cap; each at most the balance.
 * - Renovation: the applicant is a buyer on a filed record; at most ⌊invoice × share⌋ (rounded down:
 *   never above the share), the absolute cap and the balance. Once per home (网签备案号) in the period:
 *   refused while the last payout for the home was less than `periodYears` years before the
 *   application (the same day `periodYears` later is allowed again; 29 February → 28 February).
 * - Property fee: the applicant is a buyer on a filed record; at most the fee notice's amount and the
 *   balance; once per home per fee year (the notice's year), whoever of its buyers applies.
 */
import { addDays } from '../calendar/dates.js';
import { assertFen, formatYuan } from '../money/money.js';
import { type RecordRefusal, recordRefusal } from '../property/record-rule.js';
import type { RentCapPeriod } from '../rules/centre-parameters.js';
import { assertIsoDate, type IsoDate } from '../rules/national.js';
import { dateAfterMonths, type LocalizedMessage } from './retirement.js';
import type { PurchaseRecordFacts } from './rules.js';

export interface ConsumptionReason {
  code: string;
  message: LocalizedMessage;
}

const NO_BALANCE: ConsumptionReason = {
  code: 'NO_BALANCE',
  message: {
    'zh-CN': '账户余额为零，无可提取金额',
    en: 'The account balance is zero: nothing can be withdrawn.',
  },
};

function cappedByBalance(balanceFen: number): ConsumptionReason {
  return balanceFen === 0
    ? NO_BALANCE
    : {
        code: 'CAPPED_BY_BALANCE',
        message: {
          'zh-CN': `提取金额不超过账户余额 ${formatYuan(balanceFen)} 元`,
          en: `A withdrawal is at most the account balance, CNY ${formatYuan(balanceFen)}.`,
        },
      };
}

export interface Limit<Bound extends string> {
  maxFen: number;
  bound: Bound;
  /** The binding bound's reason. */
  reasons: ConsumptionReason[];
}

// ---------------------------------------------------------------------------------------------------
// Rent (租房提取)

/** The period a rent withdrawal counts in: 'YYYY-MM' (month) or 'YYYY' (year) of the application date. */
export function rentPeriodOf(applicationDate: IsoDate, period: RentCapPeriod): string {
  assertIsoDate(applicationDate, 'applicationDate');
  return period === 'month' ? applicationDate.slice(0, 7) : applicationDate.slice(0, 4);
}

/** A filed record of the deposit city's register naming a member of the household as a buyer. */
export interface HomeInDepositCity {
  owner: 'applicant' | 'spouse';
  onlineSigningNo: string;
}

/**
 * Why the household may not withdraw for rent (it owns a home in the deposit city), or undefined.
 * The applicant's own home refuses it, naming the record. A home of the declared spouse sends it to
 * staff, in words that say nothing of the spouse or the home: the spouse's ID number is only typed
 * by the applicant, and an answer must not tell anyone what another person owns.
 */
export function rentHomeRefusal(
  homes: readonly HomeInDepositCity[],
): { outcome: 'reject' | 'review'; reason: ConsumptionReason } | undefined {
  const own = homes.find((h) => h.owner === 'applicant');
  if (own) {
    return {
      outcome: 'reject',
      reason: {
        code: 'OWNS_HOME_IN_DEPOSIT_CITY',
        message: {
          'zh-CN': `缴存地房屋网签备案登记显示您在本市有住房（网签备案号 ${own.onlineSigningNo}），不符合租房提取条件。`,
          en: `The deposit city's property register shows that you own a home in this city (online-signing record ${own.onlineSigningNo}): a rent withdrawal is for households without a home here.`,
        },
      },
    };
  }
  if (homes.length === 0) return undefined;
  return {
    outcome: 'review',
    reason: {
      code: 'HOUSEHOLD_HOMES_TO_CHECK',
      message: {
        'zh-CN': '需工作人员核实家庭住房情况后办理。',
        en: 'Staff will check the household’s homes before deciding.',
      },
    },
  };
}

export interface RentLimitInput {
  capFen: number;
  capPeriod: RentCapPeriod;
  /** The period's label (`rentPeriodOf`). */
  period: string;
  /** What the person's rent withdrawals at this centre already paid in the period. */
  alreadyWithdrawnInPeriodFen: number;
  balanceFen: number;
}

/** At most the cap less what the period already paid, at most the balance. */
export function rentWithdrawalLimit(
  input: RentLimitInput,
): Limit<'cap' | 'balance'> & { remainingFen: number } {
  const { capFen, capPeriod, period, alreadyWithdrawnInPeriodFen, balanceFen } = input;
  assertFen(capFen, 'capFen');
  assertFen(alreadyWithdrawnInPeriodFen, 'alreadyWithdrawnInPeriodFen');
  assertFen(balanceFen, 'balanceFen');
  const remainingFen = Math.max(0, capFen - alreadyWithdrawnInPeriodFen);
  const [periodZh, periodEn] = capPeriod === 'month' ? ['每月', 'a month'] : ['每年', 'a year'];
  if (remainingFen <= balanceFen) {
    const [cap, already, remaining] = [capFen, alreadyWithdrawnInPeriodFen, remainingFen].map(formatYuan);
    return {
      maxFen: remainingFen,
      remainingFen,
      bound: 'cap',
      reasons: [
        remainingFen === 0
          ? {
              code: 'RENT_CAP_REACHED',
              message: {
                'zh-CN': `租房提取${periodZh}最多 ${cap} 元，${period} 已提取 ${already} 元，本期不能再提取。`,
                en: `Rent withdrawals are at most CNY ${cap} ${periodEn}; CNY ${already} has been withdrawn in ${period}: nothing more this period.`,
              },
            }
          : {
              code: 'CAPPED_BY_RENT_CAP',
              message: {
                'zh-CN': `租房提取${periodZh}最多 ${cap} 元（${period} 已提取 ${already} 元），本次最多可提取 ${remaining} 元。`,
                en: `Rent withdrawals are at most CNY ${cap} ${periodEn} (CNY ${already} withdrawn in ${period}): at most CNY ${remaining} this time.`,
              },
            },
      ],
    };
  }
  return { maxFen: balanceFen, remainingFen, bound: 'balance', reasons: [cappedByBalance(balanceFen)] };
}

// ---------------------------------------------------------------------------------------------------
// Own home (装修提取, 物业费提取): the register's record of the home

/**
 * Why the register's record does not show the applicant's own home: no record → staff review (the
 * paper contract); the applicant not a buyer (told nothing more of the record) or cancelled →
 * refused. Undefined when it does.
 */
export function ownHomeRecordRefusal(facts: PurchaseRecordFacts): RecordRefusal | undefined {
  return recordRefusal(facts, {
    PROPERTY_RECORD_NOT_FOUND: {
      'zh-CN': '房屋所在城市的网签备案登记中未查到该网签备案号，需工作人员核对购房合同或不动产权证。',
      en: 'The property city’s register has no record of this online-signing number: staff will check the contract or title deed.',
    },
    NOT_A_BUYER: {
      'zh-CN': '您不是该网签备案记录上的购房人，该房屋不是您的自住住房。',
      en: 'You are not one of the buyers on this online-signing record: it is not your own home.',
    },
    PROPERTY_RECORD_CANCELLED: {
      'zh-CN': '该网签备案已撤销，不能据此办理自住住房的提取。',
      en: 'This online-signing record has been cancelled: it does not show a home of your own.',
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// Renovation (装修提取)

export interface RenovationLimitInput {
  invoiceAmountFen: number;
  shareBasisPoints: number;
  capFen: number;
  balanceFen: number;
}

/** min(⌊invoice × share⌋, cap, balance); the reason names the binding bound (the invoice on a tie). */
export function renovationWithdrawalLimit(
  input: RenovationLimitInput,
): Limit<'invoice' | 'cap' | 'balance'> & { invoiceShareFen: number } {
  const { invoiceAmountFen, shareBasisPoints, capFen, balanceFen } = input;
  assertFen(invoiceAmountFen, 'invoiceAmountFen');
  assertFen(capFen, 'capFen');
  assertFen(balanceFen, 'balanceFen');
  if (!Number.isSafeInteger(shareBasisPoints) || shareBasisPoints < 0 || shareBasisPoints > 10_000) {
    throw new RangeError(`shareBasisPoints must be an integer from 0 to 10000, got ${shareBasisPoints}`);
  }
  const invoiceShareFen = Number((BigInt(invoiceAmountFen) * BigInt(shareBasisPoints)) / 10_000n);
  const maxFen = Math.min(invoiceShareFen, capFen, balanceFen);
  const percent = `${shareBasisPoints / 100}%`;
  if (maxFen === invoiceShareFen) {
    return {
      maxFen,
      invoiceShareFen,
      bound: 'invoice',
      reasons: [
        {
          code: 'CAPPED_BY_INVOICE_SHARE',
          message: {
            'zh-CN': `装修提取不超过装修发票金额 ${formatYuan(invoiceAmountFen)} 元的 ${percent}，即 ${formatYuan(invoiceShareFen)} 元。`,
            en: `A renovation withdrawal is at most ${percent} of the invoice amount of CNY ${formatYuan(invoiceAmountFen)}: CNY ${formatYuan(invoiceShareFen)}.`,
          },
        },
      ],
    };
  }
  if (maxFen === capFen) {
    return {
      maxFen,
      invoiceShareFen,
      bound: 'cap',
      reasons: [
        {
          code: 'CAPPED_BY_RENOVATION_CAP',
          message: {
            'zh-CN': `装修提取最高 ${formatYuan(capFen)} 元。`,
            en: `A renovation withdrawal is at most CNY ${formatYuan(capFen)}.`,
          },
        },
      ],
    };
  }
  return { maxFen, invoiceShareFen, bound: 'balance', reasons: [cappedByBalance(balanceFen)] };
}

/** The last day a payout on `lastPaidOn` still bars another for the home: the period's last day. */
export function renovationBarredUntil(lastPaidOn: IsoDate, periodYears: number): IsoDate {
  assertIsoDate(lastPaidOn, 'lastPaidOn');
  if (!Number.isSafeInteger(periodYears) || periodYears < 1) {
    throw new RangeError(`periodYears must be a positive integer, got ${periodYears}`);
  }
  return addDays(dateAfterMonths(lastPaidOn, 12 * periodYears), -1);
}

/** Refused while the home's last renovation payout is within the period before `applicationDate`. */
export function renovationPeriodRefusal(input: {
  lastPaidOn: IsoDate | undefined;
  applicationDate: IsoDate;
  periodYears: number;
}): ConsumptionReason | undefined {
  const { lastPaidOn, applicationDate, periodYears } = input;
  assertIsoDate(applicationDate, 'applicationDate');
  if (lastPaidOn === undefined) return undefined;
  const until = renovationBarredUntil(lastPaidOn, periodYears);
  if (applicationDate > until) return undefined;
  return {
    code: 'RENOVATION_ONCE_PER_PERIOD',
    message: {
      'zh-CN': `同一套住房每 ${periodYears} 年限办理一次装修提取；该住房已于 ${lastPaidOn} 提取，${addDays(until, 1)} 起方可再次申请。`,
      en: `A renovation withdrawal is allowed once per home in ${periodYears} years; this home's was paid on ${lastPaidOn}: apply again from ${addDays(until, 1)}.`,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Property fees (物业费提取)

/** At most the fee notice's amount, at most the balance. */
export function propertyFeeWithdrawalLimit(input: {
  feeNoticeAmountFen: number;
  /** The centre's cap for one home's fee year. */
  capFen: number;
  balanceFen: number;
}): Limit<'notice' | 'cap' | 'balance'> {
  const { feeNoticeAmountFen, capFen, balanceFen } = input;
  assertFen(feeNoticeAmountFen, 'feeNoticeAmountFen');
  assertFen(capFen, 'capFen');
  assertFen(balanceFen, 'balanceFen');
  const maxFen = Math.min(feeNoticeAmountFen, capFen, balanceFen);
  if (maxFen === balanceFen && balanceFen < Math.min(feeNoticeAmountFen, capFen)) {
    return { maxFen, bound: 'balance', reasons: [cappedByBalance(balanceFen)] };
  }
  if (capFen < feeNoticeAmountFen) {
    return {
      maxFen,
      bound: 'cap',
      reasons: [
        {
          code: 'CAPPED_BY_PROPERTY_FEE_CAP',
          message: {
            'zh-CN': `物业费提取每套住房每年不超过 ${formatYuan(capFen)} 元。`,
            en: `A property-fee withdrawal is at most CNY ${formatYuan(capFen)} for one home's fee year.`,
          },
        },
      ],
    };
  }
  return {
    maxFen,
    bound: 'notice',
    reasons: [
      {
        code: 'CAPPED_BY_FEE_NOTICE',
        message: {
          'zh-CN': `物业费提取不超过物业费缴费通知金额 ${formatYuan(feeNoticeAmountFen)} 元。`,
          en: `A property-fee withdrawal is at most the fee notice's amount, CNY ${formatYuan(feeNoticeAmountFen)}.`,
        },
      },
    ],
  };
}

/**
 * Refused when the document predates the home or is too old: a renovation invoice dated before the
 * record's contract, a fee year before the purchase, or one older than last year.
 */
export function ownHomeDocumentRefusal(
  input:
    | { type: 'renovation'; contractDate: IsoDate; invoiceIssuedOn: IsoDate }
    | { type: 'property-fee'; contractDate: IsoDate; feeYear: number; applicationDate: IsoDate },
): ConsumptionReason | undefined {
  assertIsoDate(input.contractDate, 'contractDate');
  if (input.type === 'renovation') {
    assertIsoDate(input.invoiceIssuedOn, 'invoiceIssuedOn');
    if (input.invoiceIssuedOn >= input.contractDate) return undefined;
    return {
      code: 'INVOICE_BEFORE_PURCHASE',
      message: {
        'zh-CN': `装修发票日期（${input.invoiceIssuedOn}）早于购房合同签订日（${input.contractDate}），不能据此提取。`,
        en: `The renovation invoice (${input.invoiceIssuedOn}) is dated before the purchase contract (${input.contractDate}).`,
      },
    };
  }
  assertIsoDate(input.applicationDate, 'applicationDate');
  const purchaseYear = Number(input.contractDate.slice(0, 4));
  const lastYear = Number(input.applicationDate.slice(0, 4)) - 1;
  if (input.feeYear >= purchaseYear && input.feeYear >= lastYear) return undefined;
  return {
    code: 'FEE_YEAR_NOT_ALLOWED',
    message: {
      'zh-CN': `物业费提取限本年度或上一年度、且不早于购房年度（${Math.max(purchaseYear, lastYear)} 年起），${input.feeYear} 年不能提取。`,
      en: `A property-fee withdrawal is for this year or last year, not before the purchase (from ${Math.max(purchaseYear, lastYear)}): not for ${input.feeYear}.`,
    },
  };
}

/** Refused when a property-fee withdrawal for the home's fee year was already paid (by any of its buyers). */
export function propertyFeeYearRefusal(input: {
  alreadyPaidForYear: boolean;
  feeYear: number;
}): ConsumptionReason | undefined {
  if (!input.alreadyPaidForYear) return undefined;
  return {
    code: 'PROPERTY_FEE_ALREADY_WITHDRAWN',
    message: {
      'zh-CN': `该住房 ${input.feeYear} 年度的物业费已办理过提取，每套住房每年限提取一次。`,
      en: `A property-fee withdrawal for this home's ${input.feeYear} fees has already been paid: once per home per year.`,
    },
  };
}
