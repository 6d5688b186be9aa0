/**
 * Statutory retirement age (法定退休年龄), pure, from the versioned rule data in
 * `shared/rules/retirement.ts` (the 1978 ages and the gradual reform in force from 2025-01-01).
 *
 * Conventions (DESIGN.md §2 is silent on them):
 * - The retirement age is whole years plus extra months (60 years 1 month). The person reaches it on
 *   the birth date moved on by that many calendar months (`dateAfterMonths`): the same day of the month,
 *   or the last day of the month when it has no such day (born 31 January 1965, 60 years 1 month →
 *   28 February 2025; born 29 February → 28 February in a common year). `retirementMonth` is the month
 *   of that day: the birth month + the age.
 * - `reachedRetirement` is true from that day on (not from the first day of the retirement month).
 * - Which rule version governs: the one in force on the day the person reaches the age it gives, walking
 *   the versions in order (someone who reached 60 on 2024-12-31 retired under the 1978 rules; someone
 *   reaching it on 2025-01-01 or later falls under the reform). The earliest version also covers anyone
 *   who reached the age before it took effect (no earlier rule is recorded: HPF accounts postdate it).
 * - A woman without a category ('age55' / 'age50') is an error, as is a category on a man: it is an
 *   employment fact recorded on the account, not derivable from the ID number (`RetirementInputError`).
 * - Early retirement (弹性提前退休): a retirement record is accepted when its date is on or after the
 *   later of (birth date + statutory age − 36 months) and (birth date + the old age), both by
 *   `dateAfterMonths`. Under the 1978 version (no flexible early retirement) that is the old age itself.
 * - A record of special types of work (特殊工种) or loss of working capacity (病退) is accepted from the
 *   fixed age of its category and sex, the version chosen as above; the woman's former 55 / 50 plays no
 *   part, so it is neither required nor checked. A record dated after the day of the decision is refused
 *   whatever its category: nobody retires in advance.
 */

import { addMonths, dayInMonth, monthOf, monthsBetween, type YearMonth } from '../calendar/dates.js';
import type { Sex } from '../identity/id-number.js';
import { assertIsoDate, type IsoDate } from '../rules/national.js';
import {
  type CategoryRetirementAge,
  type EarlyRetirementCategory,
  RETIREMENT_RULE_VERSIONS,
  type RetirementCategory,
  type RetirementRecordCategory,
  type RetirementRuleVersion,
} from '../rules/retirement.js';

export type { RetirementCategory, RetirementRecordCategory } from '../rules/retirement.js';

/** The former statutory age of a woman: 55 (女干部, managerial/technical posts) or 50 (女工人, worker posts). */
export type WomanCategory = 'age55' | 'age50';

export interface RetirementInput {
  /** 'YYYY-MM-DD', from the ID number. */
  birthDate: IsoDate;
  /** From the ID number. */
  sex: Sex;
  /** Required for a woman, absent for a man: recorded on the account (an employment fact). */
  womanCategory?: WomanCategory | undefined;
}

export interface LocalizedMessage {
  'zh-CN': string;
  en: string;
}

export type RetirementInputErrorCode = 'WOMAN_CATEGORY_REQUIRED' | 'WOMAN_CATEGORY_ON_MAN';

/** The input cannot give a retirement age: a caller may show `localized` to staff. */
export class RetirementInputError extends RangeError {
  override readonly name = 'RetirementInputError';
  constructor(
    readonly code: RetirementInputErrorCode,
    readonly localized: LocalizedMessage,
  ) {
    super(localized.en);
  }
}

export interface StatutoryRetirement {
  retirementAgeYears: number;
  /** 0–11. */
  retirementAgeExtraMonths: number;
  /** retirementAgeYears × 12 + retirementAgeExtraMonths. */
  retirementAgeMonths: number;
  /** The month in which the person reaches the age: the birth month + the age. */
  retirementMonth: YearMonth;
  /** The day the person reaches the age (see the module conventions). */
  retirementDate: IsoDate;
  category: RetirementCategory;
  /** The pre-reform age in whole years for the category (the floor for early retirement). */
  oldAgeYears: number;
  ruleVersion: string;
}

// ---------------------------------------------------------------------------------------------------
// Calendar arithmetic

/**
 * `date` moved by `months` calendar months (negative moves back): the same day of the month, or the
 * month's last day when it has no such day. dateAfterMonths('1965-01-31', 721) = '2025-02-28';
 * dateAfterMonths('2024-02-29', -12) = '2023-02-28'.
 */
export function dateAfterMonths(date: string, months: number): IsoDate {
  assertIsoDate(date);
  const month = addMonths(monthOf(date), months);
  return dayInMonth(month, Number(date.slice(8, 10)));
}

// ---------------------------------------------------------------------------------------------------
// The statutory age

/** The category of the input, or a `RetirementInputError`. */
export function retirementCategoryOf(input: RetirementInput): RetirementCategory {
  const { sex, womanCategory } = input;
  if (sex === 'male') {
    if (womanCategory !== undefined) {
      throw new RetirementInputError('WOMAN_CATEGORY_ON_MAN', {
        'zh-CN': '男性职工不适用女职工退休年龄类别，请核对账户记录中的性别与类别',
        en: "A woman's retirement category is recorded for a man: check the sex and category on the account",
      });
    }
    return 'male';
  }
  if (sex !== 'female') throw new RangeError(`sex must be 'male' or 'female', got '${String(sex)}'`);
  if (womanCategory === 'age55') return 'female-age55';
  if (womanCategory === 'age50') return 'female-age50';
  if (womanCategory === undefined) {
    throw new RetirementInputError('WOMAN_CATEGORY_REQUIRED', {
      'zh-CN': '女职工须在账户中登记原法定退休年龄类别（原55周岁或原50周岁），该类别无法从身份证号码得出',
      en: "A woman's former retirement age (55 or 50) must be recorded on the account: it cannot be derived from the ID number",
    });
  }
  throw new RangeError(`womanCategory must be 'age55' or 'age50', got '${String(womanCategory)}'`);
}

/** Extra months for a birth cohort: min(⌊months since the first cohort / step⌋ + 1, cap), 0 before it. */
function extraMonthsFor(age: CategoryRetirementAge, birthMonth: YearMonth): number {
  const { increase } = age;
  if (increase === undefined) return 0;
  const sinceFirst = monthsBetween(increase.firstCohort, birthMonth);
  if (sinceFirst < 0) return 0;
  return Math.min(Math.floor(sinceFirst / increase.cohortMonthsPerStep) + 1, increase.maxExtraMonths);
}

interface Governing {
  version: RetirementRuleVersion;
  ageMonths: number;
  date: IsoDate;
}

/**
 * The version in force on the day the person reaches the age it gives (see the module conventions);
 * `ageMonthsUnder` reads that age from a version.
 */
function governingVersion(
  birthDate: IsoDate,
  ageMonthsUnder: (version: RetirementRuleVersion) => number,
): Governing {
  const under = (version: RetirementRuleVersion): Governing => {
    const ageMonths = ageMonthsUnder(version);
    return { version, ageMonths, date: dateAfterMonths(birthDate, ageMonths) };
  };
  const versions = [...RETIREMENT_RULE_VERSIONS].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  const [first, ...later] = versions;
  if (first === undefined) throw new RangeError('no retirement rule version is recorded');
  let governing = under(first);
  for (const next of later) {
    // Reached the age before the next version took effect: retired under the current one.
    if (governing.date < next.effectiveFrom) break;
    governing = under(next);
  }
  return governing;
}

/**
 * The statutory retirement age and when it is reached. Man born 1965-03-10: 60 years 1 month, month
 * 2025-04, reached 2025-04-10 ('retirement-2025-01-01'). Woman (former 50) born 1984-12: 55 years.
 */
export function statutoryRetirement(input: RetirementInput): StatutoryRetirement {
  assertIsoDate(input.birthDate, 'birthDate');
  const category = retirementCategoryOf(input);
  const birthMonth = monthOf(input.birthDate);
  const { version, ageMonths, date } = governingVersion(input.birthDate, (v) => {
    const age = v.ages[category];
    return age.baseAgeYears * 12 + extraMonthsFor(age, birthMonth);
  });
  return {
    retirementAgeYears: Math.floor(ageMonths / 12),
    retirementAgeExtraMonths: ageMonths % 12,
    retirementAgeMonths: ageMonths,
    retirementMonth: monthOf(date),
    retirementDate: date,
    category,
    oldAgeYears: version.ages[category].baseAgeYears,
    ruleVersion: version.ruleVersion,
  };
}

/** True on and after the day the person reaches the statutory retirement age (`retirementDate`). */
export function reachedRetirement(input: RetirementInput, onDate: string): boolean {
  assertIsoDate(onDate, 'onDate');
  return onDate >= statutoryRetirement(input).retirementDate;
}

// ---------------------------------------------------------------------------------------------------
// Early retirement on a retirement record

export interface RetirementRecordInput extends RetirementInput {
  /** The retirement date on the record presented (退休证明 / 社保退休核准). */
  retirementDate: IsoDate;
  /** The kind of retirement the record states; 'statutory' when absent. */
  category?: RetirementRecordCategory | undefined;
}

export type RetirementRecordAgeRefusalCode =
  | 'RETIREMENT_RECORD_TOO_EARLY'
  | 'RETIREMENT_RECORD_BELOW_OLD_AGE'
  | 'RETIREMENT_RECORD_BELOW_CATEGORY_AGE';

export type RetirementRecordRefusalCode = RetirementRecordAgeRefusalCode | 'RETIREMENT_RECORD_IN_FUTURE';

interface RetirementRecordLimit {
  category: RetirementRecordCategory;
  /** The earliest retirement date a record of its category may carry. */
  earliestDate: IsoDate;
  ruleVersion: string;
  /** The computed statutory age: on a 'statutory' record only (the others do not depend on it). */
  statutory?: StatutoryRetirement;
}

export type RetirementRecordAgeRefusal = RetirementRecordLimit & {
  accepted: false;
  code: RetirementRecordAgeRefusalCode;
  message: LocalizedMessage;
};

export type RetirementRecordCheck =
  | (RetirementRecordLimit & { accepted: true })
  | RetirementRecordAgeRefusal
  | {
      accepted: false;
      category: RetirementRecordCategory;
      code: 'RETIREMENT_RECORD_IN_FUTURE';
      message: LocalizedMessage;
    };

/** A category's earliest date, with the refusal of a record dated before it. */
type RecordRule = RetirementRecordLimit & {
  refusal: { code: RetirementRecordAgeRefusalCode; message: LocalizedMessage };
};

function ageText(months: number): LocalizedMessage {
  const years = Math.floor(months / 12);
  const extra = months % 12;
  return {
    'zh-CN': extra === 0 ? `${years}周岁` : `${years}周岁${extra}个月`,
    en: extra === 0 ? `${years} years` : `${years} years ${extra} month${extra === 1 ? '' : 's'}`,
  };
}

/** 36 → 3年 / 3 years; 18 → 18个月 / 18 months. */
function durationText(months: number): LocalizedMessage {
  if (months % 12 === 0) {
    const years = months / 12;
    return { 'zh-CN': `${years}年`, en: `${years} year${years === 1 ? '' : 's'}` };
  }
  return { 'zh-CN': `${months}个月`, en: `${months} month${months === 1 ? '' : 's'}` };
}

/**
 * The statutory record: on or after the statutory date less the flexible early months (36 under the
 * reform), and never before the old age; a record dated at or after the statutory date always qualifies.
 * When both limits are missed, the refusal names the later (binding) one; on a tie, the old age.
 */
function statutoryRecordRule(input: RetirementRecordInput): RecordRule {
  const statutory = statutoryRetirement(input);
  const version = RETIREMENT_RULE_VERSIONS.find((v) => v.ruleVersion === statutory.ruleVersion);
  if (version === undefined) throw new RangeError(`unknown retirement rule ${statutory.ruleVersion}`);
  const earlyMonths = statutory.retirementAgeMonths - version.flexibleEarlyMaxMonths;
  const oldMonths = statutory.oldAgeYears * 12;
  const bindingIsOldAge = oldMonths >= earlyMonths;
  const earliestMonths = bindingIsOldAge ? oldMonths : earlyMonths;
  const earliestDate = dateAfterMonths(input.birthDate, earliestMonths);
  const limit = {
    category: 'statutory' as const,
    statutory,
    earliestDate,
    ruleVersion: statutory.ruleVersion,
  };

  const statutoryAge = ageText(statutory.retirementAgeMonths);
  const earliestAge = ageText(earliestMonths);
  if (bindingIsOldAge) {
    return {
      ...limit,
      refusal: {
        code: 'RETIREMENT_RECORD_BELOW_OLD_AGE',
        message: {
          'zh-CN': `退休日期早于原法定退休年龄（${earliestAge['zh-CN']}，即 ${earliestDate}），不能作为离退休提取的依据`,
          en: `The retirement date is before the former statutory age (${earliestAge.en}, reached on ${earliestDate}): the record cannot support a retirement withdrawal.`,
        },
      },
    };
  }
  const early = durationText(version.flexibleEarlyMaxMonths);
  return {
    ...limit,
    refusal: {
      code: 'RETIREMENT_RECORD_TOO_EARLY',
      message: {
        'zh-CN': `退休日期早于法定退休年龄（${statutoryAge['zh-CN']}）前${early['zh-CN']}（最早 ${earliestDate}），不能作为离退休提取的依据`,
        en: `The retirement date is more than ${early.en} before the statutory age (${statutoryAge.en}; the earliest is ${earliestDate}): the record cannot support a retirement withdrawal.`,
      },
    },
  };
}

const EARLY_CATEGORY_TEXT: Record<EarlyRetirementCategory, LocalizedMessage> = {
  'special-work': { 'zh-CN': '特殊工种提前退休', en: 'Early retirement for special types of work' },
  'ill-health': {
    'zh-CN': '因病完全丧失劳动能力提前退休（病退）',
    en: 'Early retirement for loss of working capacity (ill health)',
  },
};

/** Special types of work (特殊工种) and ill health (病退): a fixed age by sex. */
function earlyRecordRule(input: RetirementRecordInput, category: EarlyRetirementCategory): RecordRule {
  const { sex } = input;
  if (sex !== 'male' && sex !== 'female')
    throw new RangeError(`sex must be 'male' or 'female', got '${String(sex)}'`);
  const { version, ageMonths, date } = governingVersion(
    input.birthDate,
    (v) => v.earlyRetirementAgeYears[category][sex] * 12,
  );
  const kind = EARLY_CATEGORY_TEXT[category];
  const age = ageText(ageMonths);
  return {
    category,
    earliestDate: date,
    ruleVersion: version.ruleVersion,
    refusal: {
      code: 'RETIREMENT_RECORD_BELOW_CATEGORY_AGE',
      message: {
        'zh-CN': `${kind['zh-CN']}最早须年满${age['zh-CN']}（即 ${date}），退休日期早于此，不能作为离退休提取的依据`,
        en: `${kind.en} is possible from ${age.en} of age (reached on ${date}); the retirement date is earlier, so the record cannot support a retirement withdrawal.`,
      },
    },
  };
}

/**
 * Whether a retirement record is accepted as evidence in place of the computed age, on `today` (the
 * Beijing date of the decision). Refused: a record dated after `today`, or before the earliest age of its
 * category. A date before the birth date is an error (the API edge refuses it first).
 */
export function acceptsRetirementRecord(input: RetirementRecordInput, today: IsoDate): RetirementRecordCheck {
  const { birthDate, retirementDate, category = 'statutory' } = input;
  assertIsoDate(birthDate, 'birthDate');
  assertIsoDate(retirementDate, 'retirementDate');
  assertIsoDate(today, 'today');
  if (retirementDate < birthDate) {
    throw new RangeError(`retirementDate ${retirementDate} is before birthDate ${birthDate}`);
  }
  // Before any age rule: a future record is refused whatever the account records.
  if (retirementDate > today) {
    return {
      accepted: false,
      category,
      code: 'RETIREMENT_RECORD_IN_FUTURE',
      message: {
        'zh-CN': `退休证明上的退休日期（${retirementDate}）晚于今天（${today}），尚未退休，暂不能办理离退休提取`,
        en: `The retirement date on the record (${retirementDate}) is after today (${today}): you can apply for a retirement withdrawal once you have retired.`,
      },
    };
  }
  const { refusal, ...limit } =
    category === 'statutory' ? statutoryRecordRule(input) : earlyRecordRule(input, category);
  if (retirementDate >= limit.earliestDate) return { ...limit, accepted: true };
  return { ...limit, accepted: false, ...refusal };
}
