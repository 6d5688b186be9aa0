/**
 * Each centre's own parameters (各中心政策参数) as versioned rule data: a new deposit year's base
 * limits or a new loan cap is one more version here, and a decision is re-explained with the
 * `ruleVersion` it used. Money is integer fen, ratios integer basis points.
 *
 * Every figure below is DEMO data (`demo: true`): realistic for the region, not copied from a
 * published notice. A centre replacing them with its published figures sets `demo: false` and
 * `source` to the notice.
 */
import { CITY_CODES, type CityCode } from '../config/cities.js';
import { byCodeUnits } from '../text/order.js';
import { assertIsoDate, type IsoDate, nationalRulesInForce, versionInForce } from './national.js';

/**
 * How each share (employee, employer) of a monthly deposit is rounded, half-up: to the fen, or to the
 * whole yuan (角分四舍五入到元).
 */
export type DepositRounding = 'fen' | 'yuan';

/**
 * A person's third HPF loan (第三次申请住房公积金贷款): refused, or allowed and then decided as a second
 * home.
 */
export type ThirdHpfLoanPolicy = 'refused' | 'allowed';

/** 租房提取: whether the cap counts the withdrawals of the calendar month or the calendar year of application. */
export type RentCapPeriod = 'month' | 'year';

/**
 * The withdrawal grounds of the 2026 revision (DESIGN.md §2a), whose caps and frequencies each city
 * sets: absent from versions before 2026-09-20.
 */
export interface ConsumptionWithdrawalParameters {
  /** 租房提取: all rent withdrawals of the person in one period together at most `rentCapFen`. */
  rentCapPeriod: RentCapPeriod;
  rentCapFen: number;
  /** 装修提取: at most this share of the invoice amount… */
  renovationInvoiceShareBasisPoints: number;
  /** …and at most this much… */
  renovationCapFen: number;
  /** …once per home in this many years (from the day of the last payout for that home). */
  renovationPeriodYears: number;
  /** 物业费提取: at most this much for one home's fee year (a notice is a document nobody online checks). */
  propertyFeeYearCapFen: number;
}

export interface CentreParameters {
  city: CityCode;
  /** `${city}-${effectiveFrom}`, e.g. '320300-2025-07-01'. */
  ruleVersion: string;
  effectiveFrom: IsoDate;
  /** True when the figures are not from a published source. */
  demo: boolean;
  source?: string;

  /** Prior-year average monthly wage of the city (上年度职工月平均工资). */
  cityAverageMonthlyWageFen: number;
  /** Monthly minimum wage (月最低工资标准). */
  minimumMonthlyWageFen: number;
  /** 缴存基数下限: the minimum wage. */
  depositBaseFloorFen: number;
  /** 缴存基数上限: 3 × the city average monthly wage. */
  depositBaseCeilingFen: number;
  depositRateMinBasisPoints: number;
  depositRateMaxBasisPoints: number;
  depositRounding: DepositRounding;

  /** 最高贷款额度: one applicant depositing / a married couple both depositing. */
  loanCapSingleFen: number;
  loanCapCoupleFen: number;
  /** Loan at most account balance × this (账户余额倍数). */
  balanceMultiple: number;
  /** Months of continuous, full deposits before applying for a loan (连续足额缴存). */
  minContinuousDepositMonths: number;
  /** 最低首付款比例. */
  downPaymentRatioFirstHomeBasisPoints: number;
  downPaymentRatioSecondHomeBasisPoints: number;
  /** Share of monthly income available for instalments (月还款额占月收入比例上限). */
  repaymentIncomeRatioBasisPoints: number;
  maxLoanTermMonths: number;
  /** Borrower's age in years at the last instalment (借款人年龄与贷款期限之和). */
  maxAgeAtMaturity: number;
  thirdHpfLoan: ThirdHpfLoanPolicy;
  /** Whether back-paid months (补缴) count as continuous deposit months (连续缴存月数). */
  backPayCountsAsContinuous: boolean;
  /** 购房提取期限: a purchase withdrawal is applied for within this many days of the contract date. */
  purchaseWithdrawalPeriodDays: number;
  /** Rent, renovation and property-fee withdrawals: from 2026-09-20. */
  consumptionWithdrawals?: ConsumptionWithdrawalParameters;
}

/** What `GET /v1/cities` shows: limits, rates, ratios and the version, without the inputs behind them. */
export type PublicCentreParameters = Pick<
  CentreParameters,
  | 'ruleVersion'
  | 'effectiveFrom'
  | 'demo'
  | 'source'
  | 'depositBaseFloorFen'
  | 'depositBaseCeilingFen'
  | 'depositRateMinBasisPoints'
  | 'depositRateMaxBasisPoints'
  | 'loanCapSingleFen'
  | 'loanCapCoupleFen'
  | 'balanceMultiple'
  | 'minContinuousDepositMonths'
  | 'downPaymentRatioFirstHomeBasisPoints'
  | 'downPaymentRatioSecondHomeBasisPoints'
  | 'repaymentIncomeRatioBasisPoints'
  | 'maxLoanTermMonths'
  | 'maxAgeAtMaturity'
  | 'thirdHpfLoan'
  | 'backPayCountsAsContinuous'
  | 'purchaseWithdrawalPeriodDays'
  | 'consumptionWithdrawals'
>;

/** What a version states itself; the rest is derived so it cannot disagree with its inputs. */
type VersionInput = Omit<
  CentreParameters,
  | 'city'
  | 'ruleVersion'
  | 'depositBaseFloorFen'
  | 'depositBaseCeilingFen'
  | 'depositRateMinBasisPoints'
  | 'depositRateMaxBasisPoints'
  | 'maxLoanTermMonths'
>;

const yuan = (amount: number): number => amount * 100;

/**
 * REGIONAL DEFAULT, not a city's published figure (DESIGN.md §2b): a third HPF loan is refused. A city
 * whose rule allows it states 'allowed' in a new version.
 */
const REGIONAL_DEFAULT_THIRD_HPF_LOAN: ThirdHpfLoanPolicy = 'refused';

/**
 * REGIONAL DEFAULT, not a city's published figure (DESIGN.md §2b): back-paid months do not count as
 * continuous deposit months, so a loan's months are earned in time. 徐州 and 临沂 count them (DEMO).
 */
const REGIONAL_DEFAULT_BACK_PAY_COUNTS = false;
/** DEMO value, not a published figure: a purchase withdrawal within a year of the contract (many centres say 1 year). */
const DEMO_PURCHASE_WITHDRAWAL_PERIOD_DAYS = 365;

/** 缴存基数上限不得高于上年度职工月平均工资的3倍: every version here sets the ceiling at exactly 3×. */
const CEILING_MULTIPLE_OF_AVERAGE_WAGE = 3;

function defineVersion(city: CityCode, input: VersionInput): CentreParameters {
  assertIsoDate(input.effectiveFrom, `${city} effectiveFrom`);
  // Deposit rate bounds and the longest term are national; a city version repeats them for display.
  const national = nationalRulesInForce(input.effectiveFrom);
  const version: CentreParameters = {
    city,
    ruleVersion: `${city}-${input.effectiveFrom}`,
    ...input,
    depositBaseFloorFen: input.minimumMonthlyWageFen,
    depositBaseCeilingFen: CEILING_MULTIPLE_OF_AVERAGE_WAGE * input.cityAverageMonthlyWageFen,
    depositRateMinBasisPoints: national.depositRateMinBasisPoints,
    depositRateMaxBasisPoints: national.depositRateMaxBasisPoints,
    maxLoanTermMonths: national.maxLoanTermMonths,
  };
  for (const [name, value] of Object.entries({ ...version, ...version.consumptionWithdrawals })) {
    if (typeof value === 'number' && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new RangeError(`${version.ruleVersion}: ${name} must be a non-negative integer, got ${value}`);
    }
  }
  const consumption = version.consumptionWithdrawals;
  if (consumption && consumption.renovationInvoiceShareBasisPoints > 10_000) {
    throw new RangeError(`${version.ruleVersion}: renovationInvoiceShareBasisPoints is above 100 %`);
  }
  if (consumption && consumption.renovationPeriodYears < 1) {
    throw new RangeError(`${version.ruleVersion}: renovationPeriodYears must be at least 1`);
  }
  return version;
}

// 2024-07-01 opens the 2024 deposit year (缴存年度 7月1日—次年6月30日), when base limits change.
const XUZHOU_2024: VersionInput = {
  effectiveFrom: '2024-07-01',
  demo: true,
  cityAverageMonthlyWageFen: yuan(8150),
  minimumMonthlyWageFen: yuan(2070),
  depositRounding: 'yuan',
  loanCapSingleFen: yuan(500_000),
  loanCapCoupleFen: yuan(800_000),
  balanceMultiple: 15,
  minContinuousDepositMonths: 6,
  downPaymentRatioFirstHomeBasisPoints: 2000,
  downPaymentRatioSecondHomeBasisPoints: 3000,
  repaymentIncomeRatioBasisPoints: 5000,
  maxAgeAtMaturity: 65,
  thirdHpfLoan: REGIONAL_DEFAULT_THIRD_HPF_LOAN,
  backPayCountsAsContinuous: true,
  purchaseWithdrawalPeriodDays: DEMO_PURCHASE_WITHDRAWAL_PERIOD_DAYS,
};
const XUZHOU_2025: VersionInput = {
  ...XUZHOU_2024,
  effectiveFrom: '2025-07-01',
  cityAverageMonthlyWageFen: yuan(8560),
  minimumMonthlyWageFen: yuan(2280),
};
const XUZHOU_2026: VersionInput = {
  ...XUZHOU_2025,
  effectiveFrom: '2026-07-01',
  cityAverageMonthlyWageFen: yuan(8930),
  loanCapSingleFen: yuan(600_000),
  loanCapCoupleFen: yuan(900_000),
  downPaymentRatioSecondHomeBasisPoints: 2500,
};

const LINYI_2024: VersionInput = {
  effectiveFrom: '2024-07-01',
  demo: true,
  cityAverageMonthlyWageFen: yuan(7230),
  minimumMonthlyWageFen: yuan(2010),
  depositRounding: 'fen',
  loanCapSingleFen: yuan(600_000),
  loanCapCoupleFen: yuan(800_000),
  balanceMultiple: 15,
  minContinuousDepositMonths: 6,
  downPaymentRatioFirstHomeBasisPoints: 2000,
  downPaymentRatioSecondHomeBasisPoints: 3000,
  repaymentIncomeRatioBasisPoints: 5000,
  maxAgeAtMaturity: 68,
  thirdHpfLoan: REGIONAL_DEFAULT_THIRD_HPF_LOAN,
  backPayCountsAsContinuous: true,
  purchaseWithdrawalPeriodDays: DEMO_PURCHASE_WITHDRAWAL_PERIOD_DAYS,
};
// A mid-year loan policy change: higher caps, lower down payments.
const LINYI_2026: VersionInput = {
  ...LINYI_2024,
  effectiveFrom: '2026-01-01',
  loanCapSingleFen: yuan(700_000),
  loanCapCoupleFen: yuan(900_000),
  downPaymentRatioFirstHomeBasisPoints: 1500,
  downPaymentRatioSecondHomeBasisPoints: 2000,
};

const SHANGQIU_2024: VersionInput = {
  effectiveFrom: '2024-07-01',
  demo: true,
  cityAverageMonthlyWageFen: yuan(6120),
  minimumMonthlyWageFen: yuan(2000),
  depositRounding: 'fen',
  loanCapSingleFen: yuan(500_000),
  loanCapCoupleFen: yuan(700_000),
  balanceMultiple: 20,
  minContinuousDepositMonths: 6,
  downPaymentRatioFirstHomeBasisPoints: 2000,
  downPaymentRatioSecondHomeBasisPoints: 2500,
  repaymentIncomeRatioBasisPoints: 6000,
  maxAgeAtMaturity: 65,
  thirdHpfLoan: REGIONAL_DEFAULT_THIRD_HPF_LOAN,
  backPayCountsAsContinuous: REGIONAL_DEFAULT_BACK_PAY_COUNTS,
  purchaseWithdrawalPeriodDays: DEMO_PURCHASE_WITHDRAWAL_PERIOD_DAYS,
};
const SHANGQIU_2026: VersionInput = {
  ...SHANGQIU_2024,
  effectiveFrom: '2026-07-01',
  cityAverageMonthlyWageFen: yuan(6450),
  minimumMonthlyWageFen: yuan(2100),
};

const VERSION_INPUTS: Readonly<Record<CityCode, readonly VersionInput[]>> = {
  '320300': [XUZHOU_2024, XUZHOU_2025, XUZHOU_2026],
  '320700': [
    {
      effectiveFrom: '2024-07-01',
      demo: true,
      cityAverageMonthlyWageFen: yuan(7640),
      minimumMonthlyWageFen: yuan(1840),
      depositRounding: 'fen',
      loanCapSingleFen: yuan(500_000),
      loanCapCoupleFen: yuan(700_000),
      balanceMultiple: 15,
      minContinuousDepositMonths: 6,
      downPaymentRatioFirstHomeBasisPoints: 2000,
      downPaymentRatioSecondHomeBasisPoints: 3000,
      repaymentIncomeRatioBasisPoints: 5000,
      maxAgeAtMaturity: 65,
      thirdHpfLoan: REGIONAL_DEFAULT_THIRD_HPF_LOAN,
      backPayCountsAsContinuous: REGIONAL_DEFAULT_BACK_PAY_COUNTS,
      purchaseWithdrawalPeriodDays: DEMO_PURCHASE_WITHDRAWAL_PERIOD_DAYS,
    },
  ],
  '321300': [
    {
      effectiveFrom: '2024-07-01',
      demo: true,
      cityAverageMonthlyWageFen: yuan(7120),
      minimumMonthlyWageFen: yuan(1840),
      depositRounding: 'fen',
      loanCapSingleFen: yuan(400_000),
      loanCapCoupleFen: yuan(700_000),
      balanceMultiple: 12,
      minContinuousDepositMonths: 12,
      downPaymentRatioFirstHomeBasisPoints: 2000,
      downPaymentRatioSecondHomeBasisPoints: 3000,
      repaymentIncomeRatioBasisPoints: 5000,
      maxAgeAtMaturity: 65,
      thirdHpfLoan: REGIONAL_DEFAULT_THIRD_HPF_LOAN,
      backPayCountsAsContinuous: REGIONAL_DEFAULT_BACK_PAY_COUNTS,
      purchaseWithdrawalPeriodDays: DEMO_PURCHASE_WITHDRAWAL_PERIOD_DAYS,
    },
  ],
  '341300': [
    {
      effectiveFrom: '2024-07-01',
      demo: true,
      cityAverageMonthlyWageFen: yuan(6860),
      minimumMonthlyWageFen: yuan(1930),
      depositRounding: 'yuan',
      loanCapSingleFen: yuan(450_000),
      loanCapCoupleFen: yuan(650_000),
      balanceMultiple: 15,
      minContinuousDepositMonths: 6,
      downPaymentRatioFirstHomeBasisPoints: 2000,
      downPaymentRatioSecondHomeBasisPoints: 3000,
      repaymentIncomeRatioBasisPoints: 5000,
      maxAgeAtMaturity: 65,
      thirdHpfLoan: REGIONAL_DEFAULT_THIRD_HPF_LOAN,
      backPayCountsAsContinuous: REGIONAL_DEFAULT_BACK_PAY_COUNTS,
      purchaseWithdrawalPeriodDays: DEMO_PURCHASE_WITHDRAWAL_PERIOD_DAYS,
    },
  ],
  '340600': [
    {
      effectiveFrom: '2024-07-01',
      demo: true,
      cityAverageMonthlyWageFen: yuan(7010),
      minimumMonthlyWageFen: yuan(2060),
      depositRounding: 'yuan',
      loanCapSingleFen: yuan(450_000),
      loanCapCoupleFen: yuan(650_000),
      balanceMultiple: 15,
      minContinuousDepositMonths: 6,
      downPaymentRatioFirstHomeBasisPoints: 2000,
      downPaymentRatioSecondHomeBasisPoints: 3000,
      repaymentIncomeRatioBasisPoints: 5000,
      maxAgeAtMaturity: 65,
      thirdHpfLoan: REGIONAL_DEFAULT_THIRD_HPF_LOAN,
      backPayCountsAsContinuous: REGIONAL_DEFAULT_BACK_PAY_COUNTS,
      purchaseWithdrawalPeriodDays: DEMO_PURCHASE_WITHDRAWAL_PERIOD_DAYS,
    },
  ],
  '411400': [SHANGQIU_2024, SHANGQIU_2026],
  '370400': [
    {
      effectiveFrom: '2024-07-01',
      demo: true,
      cityAverageMonthlyWageFen: yuan(6980),
      minimumMonthlyWageFen: yuan(2010),
      depositRounding: 'fen',
      loanCapSingleFen: yuan(450_000),
      loanCapCoupleFen: yuan(700_000),
      balanceMultiple: 15,
      minContinuousDepositMonths: 6,
      downPaymentRatioFirstHomeBasisPoints: 2000,
      downPaymentRatioSecondHomeBasisPoints: 3000,
      repaymentIncomeRatioBasisPoints: 5000,
      maxAgeAtMaturity: 68,
      thirdHpfLoan: REGIONAL_DEFAULT_THIRD_HPF_LOAN,
      backPayCountsAsContinuous: REGIONAL_DEFAULT_BACK_PAY_COUNTS,
      purchaseWithdrawalPeriodDays: DEMO_PURCHASE_WITHDRAWAL_PERIOD_DAYS,
    },
  ],
  '370800': [
    {
      effectiveFrom: '2024-07-01',
      demo: true,
      cityAverageMonthlyWageFen: yuan(7480),
      minimumMonthlyWageFen: yuan(2010),
      depositRounding: 'fen',
      loanCapSingleFen: yuan(500_000),
      loanCapCoupleFen: yuan(800_000),
      balanceMultiple: 15,
      minContinuousDepositMonths: 6,
      downPaymentRatioFirstHomeBasisPoints: 2000,
      downPaymentRatioSecondHomeBasisPoints: 3000,
      repaymentIncomeRatioBasisPoints: 5000,
      maxAgeAtMaturity: 68,
      thirdHpfLoan: REGIONAL_DEFAULT_THIRD_HPF_LOAN,
      backPayCountsAsContinuous: REGIONAL_DEFAULT_BACK_PAY_COUNTS,
      purchaseWithdrawalPeriodDays: DEMO_PURCHASE_WITHDRAWAL_PERIOD_DAYS,
    },
  ],
  '371300': [LINYI_2024, LINYI_2026],
  '371700': [
    {
      effectiveFrom: '2024-07-01',
      demo: true,
      cityAverageMonthlyWageFen: yuan(6570),
      minimumMonthlyWageFen: yuan(1820),
      depositRounding: 'fen',
      loanCapSingleFen: yuan(450_000),
      loanCapCoupleFen: yuan(650_000),
      balanceMultiple: 12,
      minContinuousDepositMonths: 12,
      downPaymentRatioFirstHomeBasisPoints: 2000,
      downPaymentRatioSecondHomeBasisPoints: 3000,
      repaymentIncomeRatioBasisPoints: 5000,
      maxAgeAtMaturity: 68,
      thirdHpfLoan: REGIONAL_DEFAULT_THIRD_HPF_LOAN,
      backPayCountsAsContinuous: REGIONAL_DEFAULT_BACK_PAY_COUNTS,
      purchaseWithdrawalPeriodDays: DEMO_PURCHASE_WITHDRAWAL_PERIOD_DAYS,
    },
  ],
};

/** The revised Regulations (DESIGN.md §2a) take effect: each city states its caps for the new grounds. */
const REVISION_2026 = '2026-09-20';

/**
 * DEMO values, not published figures: rent caps by month (徐州, 宿迁, 淮北, 商丘, 济宁) or by year (the
 * others); renovation at most 80 % of the invoice, capped, once per home in 5 years (10 in 连云港, 枣庄);
 * property fees at most 6,000 yuan for one home's fee year.
 */
const DEMO_CONSUMPTION: Readonly<Record<CityCode, ConsumptionWithdrawalParameters>> = {
  '320300': {
    rentCapPeriod: 'month',
    rentCapFen: yuan(1_500),
    renovationInvoiceShareBasisPoints: 8000,
    renovationCapFen: yuan(100_000),
    renovationPeriodYears: 5,
    propertyFeeYearCapFen: yuan(6_000),
  },
  '320700': {
    rentCapPeriod: 'year',
    rentCapFen: yuan(15_000),
    renovationInvoiceShareBasisPoints: 8000,
    renovationCapFen: yuan(80_000),
    renovationPeriodYears: 10,
    propertyFeeYearCapFen: yuan(6_000),
  },
  '321300': {
    rentCapPeriod: 'month',
    rentCapFen: yuan(1_200),
    renovationInvoiceShareBasisPoints: 8000,
    renovationCapFen: yuan(80_000),
    renovationPeriodYears: 5,
    propertyFeeYearCapFen: yuan(6_000),
  },
  '341300': {
    rentCapPeriod: 'year',
    rentCapFen: yuan(14_400),
    renovationInvoiceShareBasisPoints: 8000,
    renovationCapFen: yuan(80_000),
    renovationPeriodYears: 5,
    propertyFeeYearCapFen: yuan(6_000),
  },
  '340600': {
    rentCapPeriod: 'month',
    rentCapFen: yuan(1_200),
    renovationInvoiceShareBasisPoints: 8000,
    renovationCapFen: yuan(80_000),
    renovationPeriodYears: 5,
    propertyFeeYearCapFen: yuan(6_000),
  },
  '411400': {
    rentCapPeriod: 'month',
    rentCapFen: yuan(1_000),
    renovationInvoiceShareBasisPoints: 7000,
    renovationCapFen: yuan(60_000),
    renovationPeriodYears: 5,
    propertyFeeYearCapFen: yuan(6_000),
  },
  '370400': {
    rentCapPeriod: 'year',
    rentCapFen: yuan(14_400),
    renovationInvoiceShareBasisPoints: 8000,
    renovationCapFen: yuan(80_000),
    renovationPeriodYears: 10,
    propertyFeeYearCapFen: yuan(6_000),
  },
  '370800': {
    rentCapPeriod: 'month',
    rentCapFen: yuan(1_300),
    renovationInvoiceShareBasisPoints: 8000,
    renovationCapFen: yuan(80_000),
    renovationPeriodYears: 5,
    propertyFeeYearCapFen: yuan(6_000),
  },
  '371300': {
    rentCapPeriod: 'year',
    rentCapFen: yuan(18_000),
    renovationInvoiceShareBasisPoints: 8000,
    renovationCapFen: yuan(100_000),
    renovationPeriodYears: 5,
    propertyFeeYearCapFen: yuan(6_000),
  },
  '371700': {
    rentCapPeriod: 'year',
    rentCapFen: yuan(12_000),
    renovationInvoiceShareBasisPoints: 7000,
    renovationCapFen: yuan(60_000),
    renovationPeriodYears: 5,
    propertyFeeYearCapFen: yuan(6_000),
  },
};

/** The city's inputs with one more version on 2026-09-20: the last one before it, plus the new grounds' caps. */
function withRevision(city: CityCode, inputs: readonly VersionInput[]): readonly VersionInput[] {
  const before = inputs.filter((input) => input.effectiveFrom < REVISION_2026);
  const last = before.reduce((a, b) => (a.effectiveFrom >= b.effectiveFrom ? a : b));
  const after = inputs.filter((input) => input.effectiveFrom > REVISION_2026);
  const consumptionWithdrawals = DEMO_CONSUMPTION[city];
  return [
    ...before,
    { ...last, effectiveFrom: REVISION_2026, demo: true, consumptionWithdrawals },
    // A later version keeps the caps unless it states its own.
    ...after.map((input) => ({ consumptionWithdrawals, ...input })),
  ];
}

// Built once at load, so a malformed figure fails every test run rather than one decision.
const VERSIONS: ReadonlyMap<string, readonly CentreParameters[]> = new Map(
  CITY_CODES.map((city) => [
    city,
    withRevision(city, VERSION_INPUTS[city])
      .map((input) => defineVersion(city, input))
      .sort((a, b) => byCodeUnits(a.effectiveFrom, b.effectiveFrom)),
  ]),
);

/** Every version of a city's parameters, oldest first. */
export function parameterVersions(city: CityCode): readonly CentreParameters[] {
  const versions = VERSIONS.get(city);
  if (versions === undefined) throw new RangeError(`not a Huaihai region city code: '${city}'`);
  return versions;
}

/** The version with the greatest `effectiveFrom` on or before `onDate` (a Beijing date, 'YYYY-MM-DD'). */
export function parametersInForce(city: CityCode, onDate: string): CentreParameters {
  return versionInForce(parameterVersions(city), onDate, `parameter version for centre ${city}`);
}

/** The first day any version of the centre's parameters is in force: nothing before it can be computed. */
export function earliestRuleData(city: CityCode): IsoDate {
  return parameterVersions(city)
    .map((v) => v.effectiveFrom)
    .sort()[0] as IsoDate;
}

export function publicParameters(version: CentreParameters): PublicCentreParameters {
  return {
    ruleVersion: version.ruleVersion,
    effectiveFrom: version.effectiveFrom,
    demo: version.demo,
    ...(version.source === undefined ? {} : { source: version.source }),
    depositBaseFloorFen: version.depositBaseFloorFen,
    depositBaseCeilingFen: version.depositBaseCeilingFen,
    depositRateMinBasisPoints: version.depositRateMinBasisPoints,
    depositRateMaxBasisPoints: version.depositRateMaxBasisPoints,
    loanCapSingleFen: version.loanCapSingleFen,
    loanCapCoupleFen: version.loanCapCoupleFen,
    balanceMultiple: version.balanceMultiple,
    minContinuousDepositMonths: version.minContinuousDepositMonths,
    downPaymentRatioFirstHomeBasisPoints: version.downPaymentRatioFirstHomeBasisPoints,
    downPaymentRatioSecondHomeBasisPoints: version.downPaymentRatioSecondHomeBasisPoints,
    repaymentIncomeRatioBasisPoints: version.repaymentIncomeRatioBasisPoints,
    maxLoanTermMonths: version.maxLoanTermMonths,
    maxAgeAtMaturity: version.maxAgeAtMaturity,
    thirdHpfLoan: version.thirdHpfLoan,
    backPayCountsAsContinuous: version.backPayCountsAsContinuous,
    purchaseWithdrawalPeriodDays: version.purchaseWithdrawalPeriodDays,
    ...(version.consumptionWithdrawals ? { consumptionWithdrawals: version.consumptionWithdrawals } : {}),
  };
}
