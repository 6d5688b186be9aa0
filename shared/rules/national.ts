/**
 * National HPF rules (全国性住房公积金政策) as versioned data: a rate cut or an amended regulation is one
 * more entry here, never a code edit, and every decision records the `ruleVersion` it used.
 */

/** A Beijing calendar date, 'YYYY-MM-DD'. Dates in this format compare correctly as strings. */
export type IsoDate = string;

/** Throws unless `value` is a real calendar date written 'YYYY-MM-DD' (2026-02-30 is refused). */
export function assertIsoDate(value: string, what = 'date'): asserts value is IsoDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const valid =
    match !== null &&
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
      .toISOString()
      .slice(0, 10) === value;
  if (!valid) throw new RangeError(`${what} must be a calendar date 'YYYY-MM-DD', got '${value}'`);
}

/**
 * The version with the greatest `effectiveFrom` on or before `onDate`. Shared by every versioned rule
 * table so "which version applies" has one answer; `what` names the table in the error.
 */
export function versionInForce<V extends { effectiveFrom: IsoDate }>(
  versions: readonly V[],
  onDate: string,
  what: string,
): V {
  assertIsoDate(onDate);
  let found: V | undefined;
  for (const version of versions) {
    if (
      version.effectiveFrom <= onDate &&
      (found === undefined || version.effectiveFrom > found.effectiveFrom)
    ) {
      found = version;
    }
  }
  if (found === undefined) {
    const first = versions.map((v) => v.effectiveFrom).sort()[0];
    throw new RangeError(`no ${what} in force on ${onDate}: the earliest version takes effect on ${first}`);
  }
  return found;
}

/**
 * The grounds on which a withdrawal may be applied for (提取情形). The 2026 revision adds renting
 * without an income-share threshold, renovating one's own home and paying its property fees.
 */
export type WithdrawalGround =
  | 'retirement'
  | 'emigration'
  | 'purchase'
  | 'offsite-repay'
  | 'rent'
  | 'renovation'
  | 'property-fee';

/** Deposit, interest and time-limit rules from the national regulation (《住房公积金管理条例》). */
export interface NationalRules {
  ruleVersion: string;
  effectiveFrom: IsoDate;
  source: string;
  /** Employee and employer each at least 5 % of the deposit base (条例第十八条). */
  depositRateMinBasisPoints: number;
  /** …and at most 12 % (建金管〔2005〕5号, reaffirmed by 建金〔2016〕74号). */
  depositRateMaxBasisPoints: number;
  /** Deposit interest (存款利率), one rate for current and carried-over balances since 2016-02-21. */
  depositInterestAnnualBasisPoints: number;
  /** Interest is settled once a year on this day (结息日), 'MM-DD'; the interest year ends on it. */
  depositInterestSettlementDay: string;
  /**
   * Regulation time limits, in days from acceptance (条例第二十五条 提取 3日, 第二十六条 贷款 15日).
   * Centres apply them as working days (cf. 《行政许可法》第八十二条); the catalogue's committed
   * times must not exceed them.
   */
  withdrawalDecisionDays: number;
  loanDecisionDays: number;
  /** Longest HPF loan term (贷款期限最长30年). */
  maxLoanTermMonths: number;
  /** The grounds this platform accepts under the version (an application on another is refused). */
  withdrawalGrounds: readonly WithdrawalGround[];
}

const GROUNDS_BEFORE_2026: readonly WithdrawalGround[] = [
  'retirement',
  'emigration',
  'purchase',
  'offsite-repay',
];

export const NATIONAL_RULE_VERSIONS: readonly NationalRules[] = [
  {
    ruleVersion: 'national-2016-02-21',
    effectiveFrom: '2016-02-21',
    source:
      '《住房公积金管理条例》(2019年修订); 银发〔2016〕43号 (存款利率统一为1.5%); 建金管〔2005〕5号、建金〔2016〕74号 (缴存比例)',
    depositRateMinBasisPoints: 500,
    depositRateMaxBasisPoints: 1200,
    depositInterestAnnualBasisPoints: 150,
    depositInterestSettlementDay: '06-30',
    withdrawalDecisionDays: 3,
    loanDecisionDays: 15,
    maxLoanTermMonths: 360,
    // The old text's rent ground (房租超出家庭工资收入规定比例) was never offered on this platform.
    withdrawalGrounds: GROUNDS_BEFORE_2026,
  },
  {
    // DESIGN.md §2a: the State Council's decision of 2026-08-18 amending the Regulations, as public
    // summaries report it; to be checked against the promulgated text (see `loanDecisionDays`).
    ruleVersion: 'national-2026-09-20',
    effectiveFrom: '2026-09-20',
    source:
      '国务院关于修改《住房公积金管理条例》的决定 (2026年8月18日公布, 2026年9月20日施行), 据公开报道摘要; 银发〔2016〕43号; 建金管〔2005〕5号、建金〔2016〕74号',
    depositRateMinBasisPoints: 500,
    depositRateMaxBasisPoints: 1200,
    depositInterestAnnualBasisPoints: 150,
    depositInterestSettlementDay: '06-30',
    withdrawalDecisionDays: 3,
    // UNVERIFIED: the June 2026 draft (征求意见稿) said 10 days. Kept at 15 until the promulgated
    // text is read; the shorter limit then becomes one more version.
    loanDecisionDays: 15,
    maxLoanTermMonths: 360,
    // Renting no longer needs rent above a share of household income; renovation and property fees
    // are new grounds. Withdrawals no longer ask for an employer certificate (none is a material).
    withdrawalGrounds: [...GROUNDS_BEFORE_2026, 'rent', 'renovation', 'property-fee'],
  },
];

export function nationalRulesInForce(onDate: string): NationalRules {
  return versionInForce(NATIONAL_RULE_VERSIONS, onDate, 'national HPF rules');
}

/**
 * HPF loan rates (个人住房公积金贷款利率) are integers in hundredths of a basis point: 1 = 0.0001 %, so
 * 3.025 % = 30250 and the annual rate is exactly value / 1_000_000. Basis points alone cannot hold
 * 302.5 bp, and a binary float must never enter a sum.
 */
export type RateHundredthsBp = number;

/** A loan of at most 60 months takes the "≤5 years" rate (五年以下（含五年）). */
export const SHORT_TERM_MAX_MONTHS = 60;

export type HomeOrder = 'first' | 'second';
export type TermBand = 'upTo5Years' | 'over5Years';

export interface LoanRateVersion {
  ruleVersion: string;
  effectiveFrom: IsoDate;
  source: string;
  /** 首套 / 二套 × 五年以下（含）/ 五年以上. */
  annualRates: Readonly<Record<HomeOrder, Readonly<Record<TermBand, RateHundredthsBp>>>>;
}

export const LOAN_RATE_VERSIONS: readonly LoanRateVersion[] = [
  {
    ruleVersion: 'loan-rate-2022-10-01',
    effectiveFrom: '2022-10-01',
    source: '中国人民银行 2022年9月30日 下调首套个人住房公积金贷款利率0.15个百分点',
    annualRates: {
      first: { upTo5Years: 26000, over5Years: 31000 },
      second: { upTo5Years: 30250, over5Years: 35750 },
    },
  },
  {
    ruleVersion: 'loan-rate-2024-05-18',
    effectiveFrom: '2024-05-18',
    source: '中国人民银行 2024年5月17日 下调个人住房公积金贷款利率0.25个百分点',
    annualRates: {
      first: { upTo5Years: 23500, over5Years: 28500 },
      second: { upTo5Years: 27750, over5Years: 33250 },
    },
  },
  {
    ruleVersion: 'loan-rate-2025-05-08',
    effectiveFrom: '2025-05-08',
    source: '中国人民银行 2025年5月7日 下调个人住房公积金贷款利率0.25个百分点',
    annualRates: {
      first: { upTo5Years: 21000, over5Years: 26000 },
      second: { upTo5Years: 25250, over5Years: 30750 },
    },
  },
];

export interface LoanRateInForce {
  annualRateHundredthsBp: RateHundredthsBp;
  termBand: TermBand;
  ruleVersion: string;
  effectiveFrom: IsoDate;
}

/**
 * The annual rate for a loan contracted (disbursed) on `onDate`. Running loans reprice on the next
 * 1 January after a change: pass that 1 January as `onDate`.
 */
export function loanRateInForce(onDate: string, homeOrder: HomeOrder, termMonths: number): LoanRateInForce {
  const { maxLoanTermMonths } = nationalRulesInForce(onDate);
  if (!Number.isInteger(termMonths) || termMonths < 1 || termMonths > maxLoanTermMonths) {
    throw new RangeError(`termMonths must be an integer from 1 to ${maxLoanTermMonths}, got ${termMonths}`);
  }
  const version = versionInForce(LOAN_RATE_VERSIONS, onDate, 'HPF loan rate');
  const termBand: TermBand = termMonths <= SHORT_TERM_MAX_MONTHS ? 'upTo5Years' : 'over5Years';
  return {
    annualRateHundredthsBp: version.annualRates[homeOrder][termBand],
    termBand,
    ruleVersion: version.ruleVersion,
    effectiveFrom: version.effectiveFrom,
  };
}

/** '3.025%' for 30250: exact, for texts shown to citizens and staff. */
export function formatRatePercent(rate: RateHundredthsBp): string {
  if (!Number.isSafeInteger(rate) || rate < 0)
    throw new RangeError(`not a rate in hundredths of a bp: ${rate}`);
  const whole = Math.floor(rate / 10000);
  const fraction = String(rate % 10000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${whole}${fraction === '' ? '' : `.${fraction}`}%`;
}
