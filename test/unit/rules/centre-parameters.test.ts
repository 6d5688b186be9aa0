import { describe, expect, it } from '@jest/globals';
import { CITY_CODES, type CityCode } from '../../../shared/config/cities.js';
import {
  type CentreParameters,
  parametersInForce,
  parameterVersions,
  publicParameters,
} from '../../../shared/rules/centre-parameters.js';
import { nationalRulesInForce } from '../../../shared/rules/national.js';

const shiftDate = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const NUMERIC_FIELDS = [
  'cityAverageMonthlyWageFen',
  'minimumMonthlyWageFen',
  'depositBaseFloorFen',
  'depositBaseCeilingFen',
  'depositRateMinBasisPoints',
  'depositRateMaxBasisPoints',
  'loanCapSingleFen',
  'loanCapCoupleFen',
  'balanceMultiple',
  'minContinuousDepositMonths',
  'downPaymentRatioFirstHomeBasisPoints',
  'downPaymentRatioSecondHomeBasisPoints',
  'repaymentIncomeRatioBasisPoints',
  'maxLoanTermMonths',
  'maxAgeAtMaturity',
] as const satisfies readonly (keyof CentreParameters)[];

describe('parametersInForce', () => {
  it.each(CITY_CODES)('%s: picks the right version at, before and after each effectiveFrom', (city) => {
    const versions = parameterVersions(city);
    versions.forEach((version, i) => {
      expect(parametersInForce(city, version.effectiveFrom)).toBe(version);
      expect(parametersInForce(city, shiftDate(version.effectiveFrom, 1))).toBe(version);
      const dayBefore = shiftDate(version.effectiveFrom, -1);
      if (i === 0) {
        expect(() => parametersInForce(city, dayBefore)).toThrow(/no parameter version.*in force on/);
      } else {
        expect(parametersInForce(city, dayBefore)).toBe(versions[i - 1]);
      }
    });
    const last = versions.at(-1);
    expect(parametersInForce(city, '2099-12-31')).toBe(last);
  });

  it('follows the Xuzhou 2024 → 2025 → 2026 updates', () => {
    expect(parametersInForce('320300', '2025-06-30').ruleVersion).toBe('320300-2024-07-01');
    expect(parametersInForce('320300', '2025-07-01').ruleVersion).toBe('320300-2025-07-01');
    expect(parametersInForce('320300', '2026-06-30').ruleVersion).toBe('320300-2025-07-01');
    expect(parametersInForce('320300', '2026-07-01').ruleVersion).toBe('320300-2026-07-01');
  });

  it('refuses a malformed date or an unknown city', () => {
    expect(() => parametersInForce('320300', '2026-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => parametersInForce('320300', '2026-7-1')).toThrow(/YYYY-MM-DD/);
    expect(() => parametersInForce('320500' as CityCode, '2026-07-01')).toThrow(/320500/);
  });
});

describe('parameter data', () => {
  it('gives every city at least one version and at least two cities a later one', () => {
    for (const city of CITY_CODES) expect(parameterVersions(city).length).toBeGreaterThanOrEqual(1);
    expect(CITY_CODES.filter((city) => parameterVersions(city).length >= 2).length).toBeGreaterThanOrEqual(2);
  });

  const allVersions = CITY_CODES.flatMap((city) => parameterVersions(city));

  it.each(allVersions.map((v) => [v.ruleVersion, v] as const))('%s is complete and consistent', (_, v) => {
    expect(v.ruleVersion).toBe(`${v.city}-${v.effectiveFrom}`);
    expect(typeof v.demo).toBe('boolean');
    if (!v.demo) expect(v.source).toEqual(expect.any(String));
    for (const field of NUMERIC_FIELDS) {
      expect(Number.isSafeInteger(v[field])).toBe(true);
      expect(v[field]).toBeGreaterThan(0);
    }
    expect(['fen', 'yuan']).toContain(v.depositRounding);
    expect(['refused', 'allowed']).toContain(v.thirdHpfLoan);

    expect(v.depositBaseFloorFen).toBe(v.minimumMonthlyWageFen);
    expect(v.depositBaseCeilingFen).toBe(3 * v.cityAverageMonthlyWageFen);
    expect(v.depositBaseCeilingFen).toBeGreaterThanOrEqual(v.depositBaseFloorFen);

    const national = nationalRulesInForce(v.effectiveFrom);
    expect(v.depositRateMinBasisPoints).toBeGreaterThanOrEqual(national.depositRateMinBasisPoints);
    expect(v.depositRateMaxBasisPoints).toBeLessThanOrEqual(national.depositRateMaxBasisPoints);
    expect(v.depositRateMinBasisPoints).toBe(500);
    expect(v.depositRateMaxBasisPoints).toBe(1200);
    expect(v.maxLoanTermMonths).toBe(360);

    expect(v.loanCapCoupleFen).toBeGreaterThanOrEqual(v.loanCapSingleFen);
    for (const ratio of [
      v.downPaymentRatioFirstHomeBasisPoints,
      v.downPaymentRatioSecondHomeBasisPoints,
      v.repaymentIncomeRatioBasisPoints,
    ]) {
      expect(ratio).toBeLessThan(10_000);
    }
    expect(v.downPaymentRatioSecondHomeBasisPoints).toBeGreaterThanOrEqual(
      v.downPaymentRatioFirstHomeBasisPoints,
    );
  });

  it('refuses a third HPF loan in every city, the regional default (DESIGN §2b)', () => {
    expect(allVersions.filter((v) => v.thirdHpfLoan !== 'refused')).toEqual([]);
  });

  it('keeps versions of a city in effectiveFrom order without duplicates', () => {
    for (const city of CITY_CODES) {
      const dates = parameterVersions(city).map((v) => v.effectiveFrom);
      expect(dates).toEqual([...new Set(dates)].sort());
    }
  });
});

describe('publicParameters', () => {
  it('shows limits, rates, ratios, the third-loan rule, the purchase period and the version, not the wage inputs or rounding', () => {
    const shown = publicParameters(parametersInForce('371300', '2026-03-01'));
    expect(shown).toEqual({
      ruleVersion: '371300-2026-01-01',
      effectiveFrom: '2026-01-01',
      demo: true,
      depositBaseFloorFen: 201_000,
      depositBaseCeilingFen: 2_169_000,
      depositRateMinBasisPoints: 500,
      depositRateMaxBasisPoints: 1200,
      loanCapSingleFen: 70_000_000,
      loanCapCoupleFen: 90_000_000,
      balanceMultiple: 15,
      minContinuousDepositMonths: 6,
      downPaymentRatioFirstHomeBasisPoints: 1500,
      downPaymentRatioSecondHomeBasisPoints: 2000,
      repaymentIncomeRatioBasisPoints: 5000,
      maxLoanTermMonths: 360,
      maxAgeAtMaturity: 68,
      thirdHpfLoan: 'refused',
      // 临沂 (DEMO) counts back-paid months as continuous deposit months.
      backPayCountsAsContinuous: true,
      purchaseWithdrawalPeriodDays: 365,
    });
  });
});
