import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addMonths } from '../../../shared/calendar/dates.js';
import { CITY_CODES } from '../../../shared/config/cities.js';
import {
  checkDepositTerms,
  continuousDepositMonths,
  continuousDepositRun,
  lastDepositMonth,
  monthlyDeposit,
} from '../../../shared/deposits/rules.js';
import { parametersInForce, parameterVersions } from '../../../shared/rules/centre-parameters.js';

const yuan = (amount: number): number => amount * 100;

describe('monthlyDeposit', () => {
  it('rounds base 5,555.55 yuan at 12 %: 666.666 → 666.67 to the fen, 667 to the yuan', () => {
    const terms = { baseFen: 555_555, employeeRateBasisPoints: 1200, employerRateBasisPoints: 1200 };
    expect(monthlyDeposit({ ...terms, rounding: 'fen' })).toEqual({
      employeeShareFen: 66_667,
      employerShareFen: 66_667,
      totalFen: 133_334,
    });
    expect(monthlyDeposit({ ...terms, rounding: 'yuan' })).toEqual({
      employeeShareFen: 66_700,
      employerShareFen: 66_700,
      totalFen: 133_400,
    });
  });

  it('rounds a half fen up, each share separately (never the total)', () => {
    // 1,000.10 yuan × 5 % = 50.005 yuan → 50.01 each; rounding the total 100.01 would lose a fen.
    expect(
      monthlyDeposit({
        baseFen: 100_010,
        employeeRateBasisPoints: 500,
        employerRateBasisPoints: 500,
        rounding: 'fen',
      }),
    ).toEqual({ employeeShareFen: 5_001, employerShareFen: 5_001, totalFen: 10_002 });
    // 1,000.10 × 12 % = 120.012 → 120.01.
    expect(
      monthlyDeposit({
        baseFen: 100_010,
        employeeRateBasisPoints: 500,
        employerRateBasisPoints: 1200,
        rounding: 'fen',
      }),
    ).toEqual({ employeeShareFen: 5_001, employerShareFen: 12_001, totalFen: 17_002 });
    // Just under a half fen: 1,000.09 × 5 % = 50.0045 → 50.00.
    expect(
      monthlyDeposit({
        baseFen: 100_009,
        employeeRateBasisPoints: 500,
        employerRateBasisPoints: 500,
        rounding: 'fen',
      }).employeeShareFen,
    ).toBe(5_000);
  });

  it('rounds a half yuan up when the city rounds to the yuan', () => {
    // 1,010.00 × 5 % = 50.50 → 51 yuan; 1,009.80 × 5 % = 50.49 → 50 yuan.
    expect(
      monthlyDeposit({
        baseFen: 101_000,
        employeeRateBasisPoints: 500,
        employerRateBasisPoints: 500,
        rounding: 'yuan',
      }),
    ).toEqual({ employeeShareFen: 5_100, employerShareFen: 5_100, totalFen: 10_200 });
    expect(
      monthlyDeposit({
        baseFen: 100_980,
        employeeRateBasisPoints: 500,
        employerRateBasisPoints: 500,
        rounding: 'yuan',
      }).employeeShareFen,
    ).toBe(5_000);
  });

  it("follows the city's rounding parameter (Xuzhou to the yuan, Linyi to the fen)", () => {
    const xuzhou = parametersInForce('320300', '2025-07-01');
    const linyi = parametersInForce('371300', '2025-07-01');
    expect(xuzhou.depositRounding).toBe('yuan');
    expect(linyi.depositRounding).toBe('fen');
    const terms = { baseFen: 555_555, employeeRateBasisPoints: 1200, employerRateBasisPoints: 800 };
    // 5,555.55 × 8 % = 444.444 → 444.44 / 444.
    expect(monthlyDeposit({ ...terms, rounding: xuzhou.depositRounding }).totalFen).toBe(66_700 + 44_400);
    expect(monthlyDeposit({ ...terms, rounding: linyi.depositRounding }).totalFen).toBe(66_667 + 44_444);
  });

  it('multiplies exactly past 2^53', () => {
    const baseFen = Number.MAX_SAFE_INTEGER; // × 1200 is about 1.08e19
    const exact = (BigInt(baseFen) * 1200n * 2n + 10_000n) / 20_000n;
    expect(
      monthlyDeposit({ baseFen, employeeRateBasisPoints: 1200, employerRateBasisPoints: 0, rounding: 'fen' })
        .employeeShareFen,
    ).toBe(Number(exact));
  });

  it('refuses non-integers and negatives', () => {
    const ok = {
      baseFen: 500_000,
      employeeRateBasisPoints: 500,
      employerRateBasisPoints: 500,
      rounding: 'fen' as const,
    };
    expect(() => monthlyDeposit({ ...ok, baseFen: 5000.5 })).toThrow(RangeError);
    expect(() => monthlyDeposit({ ...ok, baseFen: -1 })).toThrow(RangeError);
    expect(() => monthlyDeposit({ ...ok, employeeRateBasisPoints: 5.5 })).toThrow(RangeError);
    expect(() => monthlyDeposit({ ...ok, employerRateBasisPoints: Number.NaN })).toThrow(RangeError);
  });

  it('gives non-negative integer shares within half a unit of the exact amount, total = employee + employer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom('fen' as const, 'yuan' as const),
        (baseFen, employeeRateBasisPoints, employerRateBasisPoints, rounding) => {
          const d = monthlyDeposit({ baseFen, employeeRateBasisPoints, employerRateBasisPoints, rounding });
          expect(d.totalFen).toBe(d.employeeShareFen + d.employerShareFen);
          const unit = rounding === 'yuan' ? 100n : 1n;
          for (const [share, rate] of [
            [d.employeeShareFen, employeeRateBasisPoints],
            [d.employerShareFen, employerRateBasisPoints],
          ] as const) {
            expect(Number.isSafeInteger(share) && share >= 0).toBe(true);
            if (rounding === 'yuan') expect(share % 100).toBe(0);
            // |share − base × rate / 10000| ≤ unit / 2, in integers.
            const error = BigInt(share) * 10_000n - BigInt(baseFen) * BigInt(rate);
            expect(2n * (error < 0n ? -error : error) <= unit * 10_000n).toBe(true);
          }
        },
      ),
    );
  });
});

describe('checkDepositTerms', () => {
  const xuzhou2024 = parametersInForce('320300', '2025-06-30');
  const xuzhou2025 = parametersInForce('320300', '2025-07-01');
  const linyi = parametersInForce('371300', '2025-07-01');
  const shangqiu = parametersInForce('411400', '2025-07-01');
  const rates = { employeeRateBasisPoints: 1200, employerRateBasisPoints: 1200 };

  it('picks the versions the cases are about', () => {
    expect(xuzhou2024.ruleVersion).toBe('320300-2024-07-01');
    expect(xuzhou2025.ruleVersion).toBe('320300-2025-07-01');
    expect([xuzhou2024.depositBaseFloorFen, xuzhou2024.depositBaseCeilingFen]).toEqual([
      yuan(2070),
      yuan(24_450),
    ]);
    expect([xuzhou2025.depositBaseFloorFen, xuzhou2025.depositBaseCeilingFen]).toEqual([
      yuan(2280),
      yuan(25_680),
    ]);
    expect([linyi.depositBaseFloorFen, linyi.depositBaseCeilingFen]).toEqual([yuan(2010), yuan(21_690)]);
    expect([shangqiu.depositBaseFloorFen, shangqiu.depositBaseCeilingFen]).toEqual([
      yuan(2000),
      yuan(18_360),
    ]);
  });

  it('accepts a base within the limits, bounds included', () => {
    for (const params of [xuzhou2024, xuzhou2025, linyi, shangqiu]) {
      expect(checkDepositTerms(params, { baseFen: params.depositBaseFloorFen, ...rates })).toEqual([]);
      expect(checkDepositTerms(params, { baseFen: params.depositBaseCeilingFen, ...rates })).toEqual([]);
    }
  });

  it('applies the rule version: 2,100 yuan is fine in 2024 but below the 2025 floor of Xuzhou', () => {
    const terms = { baseFen: yuan(2100), ...rates };
    expect(checkDepositTerms(xuzhou2024, terms)).toEqual([]);
    expect(checkDepositTerms(xuzhou2025, terms)).toEqual([
      {
        field: 'monthlyDepositBaseFen',
        code: 'DEPOSIT_BASE_BELOW_FLOOR',
        limitFen: yuan(2280),
        ruleVersion: '320300-2025-07-01',
        message: {
          'zh-CN': '缴存基数不得低于 2,280.00 元（规则版本 320300-2025-07-01）',
          en: 'The monthly deposit base must be at least CNY 2,280.00 (rule version 320300-2025-07-01).',
        },
      },
    ]);
  });

  it('applies the rule version: 25,000 yuan is above the 2024 ceiling of Xuzhou but fine in 2025', () => {
    const terms = { baseFen: yuan(25_000), ...rates };
    expect(checkDepositTerms(xuzhou2025, terms)).toEqual([]);
    expect(checkDepositTerms(xuzhou2024, terms)).toEqual([
      {
        field: 'monthlyDepositBaseFen',
        code: 'DEPOSIT_BASE_ABOVE_CEILING',
        limitFen: yuan(24_450),
        ruleVersion: '320300-2024-07-01',
        message: {
          'zh-CN': '缴存基数不得高于 24,450.00 元（规则版本 320300-2024-07-01）',
          en: 'The monthly deposit base must be at most CNY 24,450.00 (rule version 320300-2024-07-01).',
        },
      },
    ]);
  });

  it("applies each city's own limits (Linyi, Shangqiu)", () => {
    const low = { baseFen: yuan(2005), ...rates };
    expect(checkDepositTerms(shangqiu, low)).toEqual([]);
    const [below] = checkDepositTerms(linyi, low);
    expect(below).toMatchObject({
      code: 'DEPOSIT_BASE_BELOW_FLOOR',
      limitFen: yuan(2010),
      ruleVersion: '371300-2024-07-01',
    });
    expect(below?.message['zh-CN']).toBe('缴存基数不得低于 2,010.00 元（规则版本 371300-2024-07-01）');

    const high = { baseFen: yuan(20_000), ...rates };
    expect(checkDepositTerms(linyi, high)).toEqual([]);
    const [above] = checkDepositTerms(shangqiu, high);
    expect(above).toMatchObject({
      code: 'DEPOSIT_BASE_ABOVE_CEILING',
      limitFen: yuan(18_360),
      ruleVersion: '411400-2024-07-01',
    });
    expect(above?.message['zh-CN']).toBe('缴存基数不得高于 18,360.00 元（规则版本 411400-2024-07-01）');
  });

  it('refuses rates of 4.99 % and 12.01 %, accepts 5 % and 12 %', () => {
    const baseFen = yuan(5000);
    expect(
      checkDepositTerms(linyi, { baseFen, employeeRateBasisPoints: 500, employerRateBasisPoints: 1200 }),
    ).toEqual([]);
    expect(
      checkDepositTerms(linyi, { baseFen, employeeRateBasisPoints: 499, employerRateBasisPoints: 1201 }),
    ).toEqual([
      {
        field: 'employeeRateBasisPoints',
        code: 'DEPOSIT_RATE_OUT_OF_RANGE',
        limitBasisPoints: 500,
        minBasisPoints: 500,
        maxBasisPoints: 1200,
        ruleVersion: '371300-2024-07-01',
        message: {
          'zh-CN': '职工缴存比例须在 5% 至 12% 之间（规则版本 371300-2024-07-01）',
          en: 'The employee deposit rate must be between 5% and 12% (rule version 371300-2024-07-01).',
        },
      },
      {
        field: 'employerRateBasisPoints',
        code: 'DEPOSIT_RATE_OUT_OF_RANGE',
        limitBasisPoints: 1200,
        minBasisPoints: 500,
        maxBasisPoints: 1200,
        ruleVersion: '371300-2024-07-01',
        message: {
          'zh-CN': '单位缴存比例须在 5% 至 12% 之间（规则版本 371300-2024-07-01）',
          en: 'The employer deposit rate must be between 5% and 12% (rule version 371300-2024-07-01).',
        },
      },
    ]);
  });

  it('reports every violation at once', () => {
    const violations = checkDepositTerms(xuzhou2025, {
      baseFen: yuan(1000),
      employeeRateBasisPoints: 1300,
      employerRateBasisPoints: 800,
    });
    expect(violations.map((v) => [v.field, v.code])).toEqual([
      ['monthlyDepositBaseFen', 'DEPOSIT_BASE_BELOW_FLOOR'],
      ['employeeRateBasisPoints', 'DEPOSIT_RATE_OUT_OF_RANGE'],
    ]);
  });

  it('refuses non-integer inputs outright', () => {
    expect(() => checkDepositTerms(linyi, { ...rates, baseFen: 500_000.5 })).toThrow(RangeError);
    expect(() => checkDepositTerms(linyi, { ...rates, baseFen: -1 })).toThrow(RangeError);
    expect(() =>
      checkDepositTerms(linyi, {
        baseFen: 500_000,
        employeeRateBasisPoints: 1199.5,
        employerRateBasisPoints: 500,
      }),
    ).toThrow(RangeError);
    expect(() =>
      checkDepositTerms(linyi, {
        baseFen: Number.POSITIVE_INFINITY,
        employeeRateBasisPoints: 500,
        employerRateBasisPoints: 500,
      }),
    ).toThrow(RangeError);
  });

  it('is empty exactly when the base and both rates are within the limits, for every version of every city', () => {
    const versions = CITY_CODES.flatMap((city) => parameterVersions(city));
    fc.assert(
      fc.property(
        fc.constantFrom(...versions),
        fc.integer({ min: 0, max: yuan(40_000) }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 2000 }),
        (params, baseFen, employeeRateBasisPoints, employerRateBasisPoints) => {
          const within = (v: number, lo: number, hi: number): boolean => v >= lo && v <= hi;
          const acceptable =
            within(baseFen, params.depositBaseFloorFen, params.depositBaseCeilingFen) &&
            within(
              employeeRateBasisPoints,
              params.depositRateMinBasisPoints,
              params.depositRateMaxBasisPoints,
            ) &&
            within(
              employerRateBasisPoints,
              params.depositRateMinBasisPoints,
              params.depositRateMaxBasisPoints,
            );
          const violations = checkDepositTerms(params, {
            baseFen,
            employeeRateBasisPoints,
            employerRateBasisPoints,
          });
          expect(violations.length === 0).toBe(acceptable);
          for (const v of violations) {
            expect(v.ruleVersion).toBe(params.ruleVersion);
            expect(v.message['zh-CN']).toContain(`（规则版本 ${params.ruleVersion}）`);
          }
        },
      ),
    );
  });
});

describe('continuous deposit months', () => {
  // January–June 2025 deposited, July missed, August–November deposited.
  const months = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'].concat([
    '2025-08',
    '2025-09',
    '2025-10',
    '2025-11',
  ]);

  it('counts back from the current month, or from the month before when the current remittance is not in yet', () => {
    expect(continuousDepositMonths(months, '2025-11')).toBe(4);
    // December not yet arrived: the chain ending in November still counts.
    expect(continuousDepositRun(months, '2025-12')).toEqual({ months: 4, from: '2025-08', to: '2025-11' });
    // The July gap breaks the chain: only August counts as of August.
    expect(continuousDepositMonths(months, '2025-08')).toBe(1);
    // As of July (not deposited), the run ending in June counts.
    expect(continuousDepositRun(months, '2025-07')).toEqual({ months: 6, from: '2025-01', to: '2025-06' });
  });

  it('is 0 when neither the current month nor the month before was deposited', () => {
    expect(continuousDepositRun(months, '2026-01')).toEqual({ months: 0 });
    expect(continuousDepositMonths([], '2025-07')).toBe(0);
  });

  it('ignores months after asOfMonth, duplicates and order, and refuses malformed months', () => {
    expect(continuousDepositMonths(['2025-12', '2025-11', '2025-11', '2026-03', '2025-10'], '2025-12')).toBe(
      3,
    );
    expect(() => continuousDepositMonths(['2025-13'], '2025-12')).toThrow(/depositMonths\[0\]/);
    expect(() => continuousDepositMonths(['2025-12'], '2025-12-01')).toThrow(/asOfMonth/);
  });

  it('runs across a year end', () => {
    expect(continuousDepositMonths(['2024-11', '2024-12', '2025-01', '2025-02'], '2025-03')).toBe(4);
  });

  it('finds the last deposit month', () => {
    expect(lastDepositMonth(['2025-03', '2025-11', '2025-06'])).toBe('2025-11');
    expect(lastDepositMonth(['2025-03', '2025-11', '2025-06'], '2025-10')).toBe('2025-06');
    expect(lastDepositMonth([])).toBeUndefined();
    expect(lastDepositMonth(['2025-11'], '2025-10')).toBeUndefined();
  });

  it('counts any run of k months ending at asOfMonth or the month before, whatever lies before a gap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 60 })),
        (k, currentMissing, earlier) => {
          const asOf = '2026-06';
          const end = currentMissing ? addMonths(asOf, -1) : asOf;
          const run = Array.from({ length: k }, (_, i) => addMonths(end, -i));
          // Anything before the gap month (end − k) must not count.
          const before = earlier.map((n) => addMonths(end, -(k + 1 + n)));
          expect(continuousDepositMonths([...before, ...run], asOf)).toBe(k);
          expect(lastDepositMonth([...before, ...run], asOf)).toBe(end);
        },
      ),
    );
  });
});
