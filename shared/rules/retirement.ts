/**
 * Statutory retirement age (法定退休年龄) as versioned rule data: a later amendment is one more entry
 * here, never a code edit. The arithmetic that reads it is `shared/withdrawals/retirement.ts`.
 *
 * Which version governs a person is decided there: the version in force on the day the person reaches
 * the retirement age it gives (someone who reached the old age before 2025-01-01 had retired under the
 * old rules; everyone else falls under the reform, whose schedule keeps the old age for earlier cohorts).
 * The early-retirement ages of a retirement record's category (特殊工种, 病退) are governed the same way.
 */
import type { IsoDate } from './national.js';

/**
 * Who a retirement age applies to. Sex comes from the ID number; which of the two women's ages applies
 * (the former 55 for 女干部 / managerial and technical posts, the former 50 for 女工人 / worker posts) is
 * an employment fact recorded on the account, never derived from the ID number.
 */
export type RetirementCategory = 'male' | 'female-age55' | 'female-age50';

export const RETIREMENT_CATEGORIES: readonly RetirementCategory[] = ['male', 'female-age55', 'female-age50'];

/**
 * What a retirement record (退休证明) says the person retired on: 'statutory' (the statutory age, flexible
 * early retirement included), 'special-work' (特殊工种: underground, at height, in high heat, especially
 * heavy or otherwise harmful work) or 'ill-health' (病退: complete loss of working capacity, certified by
 * the labour appraisal committee).
 */
export type RetirementRecordCategory = 'statutory' | 'special-work' | 'ill-health';

/** The categories with a fixed earliest age instead of the statutory one. */
export type EarlyRetirementCategory = Exclude<RetirementRecordCategory, 'statutory'>;

/** Whole years by sex (from the ID number): the women's former 55 / 50 plays no part here. */
export type EarlyRetirementAgeYears = Readonly<Record<'male' | 'female', number>>;

/**
 * A gradual raise by birth cohort (出生年月): the first cohort gets one extra month, and one more month is
 * added every `cohortMonthsPerStep` months of birth cohort, up to `maxExtraMonths`. Cohorts born before
 * `firstCohort` keep the base age; later cohorts stay at the cap. Extra months for a cohort born m months
 * after `firstCohort` (m ≥ 0): min(⌊m / cohortMonthsPerStep⌋ + 1, maxExtraMonths).
 */
export interface GradualIncrease {
  /** 'YYYY-MM': the first birth cohort whose age is raised. */
  firstCohort: string;
  cohortMonthsPerStep: number;
  maxExtraMonths: number;
}

export interface CategoryRetirementAge {
  /** The age before any increase, whole years. */
  baseAgeYears: number;
  increase?: GradualIncrease;
}

export interface RetirementRuleVersion {
  ruleVersion: string;
  effectiveFrom: IsoDate;
  source: string;
  ages: Readonly<Record<RetirementCategory, CategoryRetirementAge>>;
  /**
   * How far before the statutory age one may retire on one's own choice (弹性提前退休), in months; never
   * below the base (old) age. 0: no such choice in this version.
   */
  flexibleEarlyMaxMonths: number;
  /** The earliest age on a record of each early-retirement category. */
  earlyRetirementAgeYears: Readonly<Record<EarlyRetirementCategory, EarlyRetirementAgeYears>>;
}

export const RETIREMENT_RULE_VERSIONS: readonly RetirementRuleVersion[] = [
  {
    ruleVersion: 'retirement-1978-06-02',
    effectiveFrom: '1978-06-02',
    source:
      '《国务院关于安置老弱病残干部的暂行办法》《国务院关于工人退休、退职的暂行办法》(国发〔1978〕104号): 男60周岁, 女干部55周岁, 女工人50周岁',
    ages: {
      male: { baseAgeYears: 60 },
      'female-age55': { baseAgeYears: 55 },
      'female-age50': { baseAgeYears: 50 },
    },
    flexibleEarlyMaxMonths: 0,
    earlyRetirementAgeYears: {
      'special-work': { male: 55, female: 45 },
      'ill-health': { male: 50, female: 45 },
    },
  },
  {
    ruleVersion: 'retirement-2025-01-01',
    effectiveFrom: '2025-01-01',
    source:
      '《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》(2024年9月13日) 及《国务院关于渐进式延迟法定退休年龄的办法》: ' +
      '男职工60→63周岁、原法定退休年龄55周岁的女职工55→58周岁 (每4个月延迟1个月), 原50周岁的女职工50→55周岁 (每2个月延迟1个月); ' +
      '弹性提前退休最长3年, 且不得低于原法定退休年龄; 国家规定可以提前退休的 (特殊工种、病退), 按照规定执行',
    ages: {
      male: {
        baseAgeYears: 60,
        increase: { firstCohort: '1965-01', cohortMonthsPerStep: 4, maxExtraMonths: 36 },
      },
      'female-age55': {
        baseAgeYears: 55,
        increase: { firstCohort: '1970-01', cohortMonthsPerStep: 4, maxExtraMonths: 36 },
      },
      'female-age50': {
        baseAgeYears: 50,
        increase: { firstCohort: '1975-01', cohortMonthsPerStep: 2, maxExtraMonths: 60 },
      },
    },
    flexibleEarlyMaxMonths: 36,
    // The reform leaves the early-retirement ages as they were.
    earlyRetirementAgeYears: {
      'special-work': { male: 55, female: 45 },
      'ill-health': { male: 50, female: 45 },
    },
  },
];
