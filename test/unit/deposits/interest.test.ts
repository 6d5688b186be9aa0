import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  accumulatedBalanceFenDays,
  type BalanceMovement,
  depositInterestRateFor,
  interestYearOf,
  yearlyInterestFen,
} from '../../../shared/deposits/rules.js';

const yuan = (amount: number): number => amount * 100;

/** Independent of the module: a date `offset` days after `from`. */
function addDays(from: string, offset: number): string {
  return new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

/** Reference 积数: walk every day, end-of-day balance = opening + every movement dated on or before it. */
function fenDaysByWalkingEachDay(
  opening: number,
  movements: BalanceMovement[],
  from: string,
  to: string,
): bigint {
  let sum = 0n;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const balance = movements
      .filter((m) => m.date <= day)
      .reduce((b, m) => b + BigInt(m.amountFen), BigInt(opening));
    sum += balance;
  }
  return sum;
}

describe('interestYearOf', () => {
  it('is 1 July of the year before to the 30 June of settlement, in actual days', () => {
    expect(interestYearOf('2026-06-30')).toEqual({ from: '2025-07-01', to: '2026-06-30', days: 365 });
    // Holds 29 February 2024.
    expect(interestYearOf('2024-06-30')).toEqual({ from: '2023-07-01', to: '2024-06-30', days: 366 });
    expect(interestYearOf('2025-06-30')).toEqual({ from: '2024-07-01', to: '2025-06-30', days: 365 });
  });

  it('refuses any other date clearly', () => {
    expect(() => interestYearOf('2026-07-01')).toThrow(
      /settled once a year .*'YYYY-06-30', got '2026-07-01'/,
    );
    expect(() => interestYearOf('2026-12-31')).toThrow(RangeError);
    expect(() => interestYearOf('2026-06-31')).toThrow(/calendar date/);
    expect(() => interestYearOf('2026/06/30')).toThrow(RangeError);
  });
});

describe('the national deposit interest rate', () => {
  it('is 1.5 % a year, as basis points, with its rule version', () => {
    expect(depositInterestRateFor(interestYearOf('2026-06-30'))).toEqual({
      annualRateBasisPoints: 150,
      ruleVersion: 'national-2016-02-21',
    });
  });
});

describe('accumulatedBalanceFenDays (积数)', () => {
  const year = { from: '2025-07-01', to: '2026-06-30' };

  it('counts the opening balance from the first day and a movement from its own day', () => {
    // 10,000.00 yuan for 184 days (1 July – 31 December), 11,000.00 for 181 days (1 January – 30 June).
    expect(
      accumulatedBalanceFenDays(yuan(10_000), [{ date: '2026-01-01', amountFen: yuan(1_000) }], year),
    ).toBe(1_000_000n * 184n + 1_100_000n * 181n);
    // A deposit on the first day is as good as opening balance; one on the last day earns one day.
    expect(accumulatedBalanceFenDays(0, [{ date: '2025-07-01', amountFen: 500 }], year)).toBe(500n * 365n);
    expect(accumulatedBalanceFenDays(0, [{ date: '2026-06-30', amountFen: 500 }], year)).toBe(500n);
    // A withdrawal stops earning on the day it is paid out.
    expect(accumulatedBalanceFenDays(1_000, [{ date: '2025-07-02', amountFen: -1_000 }], year)).toBe(1_000n);
  });

  it('refuses movements outside the period and a negative end-of-day balance', () => {
    expect(() => accumulatedBalanceFenDays(0, [{ date: '2026-07-01', amountFen: 1 }], year)).toThrow(
      /outside the period 2025-07-01 to 2026-06-30/,
    );
    expect(() => accumulatedBalanceFenDays(0, [{ date: '2025-06-30', amountFen: 1 }], year)).toThrow(
      RangeError,
    );
    expect(() => accumulatedBalanceFenDays(100, [{ date: '2025-08-01', amountFen: -101 }], year)).toThrow(
      /negative/,
    );
    // Within a day only the net counts: out and back in on one day is fine.
    expect(
      accumulatedBalanceFenDays(
        100,
        [
          { date: '2025-08-01', amountFen: -101 },
          { date: '2025-08-01', amountFen: 101 },
        ],
        year,
      ),
    ).toBe(100n * 365n);
    expect(() => accumulatedBalanceFenDays(0, [{ date: '2025-08-01', amountFen: 1.5 }], year)).toThrow(
      RangeError,
    );
    expect(() => accumulatedBalanceFenDays(-1, [], year)).toThrow(RangeError);
    expect(() => accumulatedBalanceFenDays(0, [], { from: '2026-06-30', to: '2025-07-01' })).toThrow(
      RangeError,
    );
  });

  it('stays exact past 2^53 fen-days', () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(accumulatedBalanceFenDays(big, [], year)).toBe(BigInt(big) * 365n);
  });

  const interestYearMovements = fc.array(
    fc.record({
      offset: fc.integer({ min: 0, max: 364 }),
      amountFen: fc.integer({ min: -1_000_000, max: 1_000_000 }),
    }),
    { maxLength: 12 },
  );
  const toMovements = (list: { offset: number; amountFen: number }[]): BalanceMovement[] =>
    list.map(({ offset, amountFen }) => ({ date: addDays(year.from, offset), amountFen }));
  /** An opening balance large enough that no end-of-day balance goes negative. */
  const safeOpening = (movements: BalanceMovement[], extra: number): number =>
    movements.reduce((sum, m) => sum + Math.abs(m.amountFen), 0) + extra;

  it('equals a day-by-day walk of end-of-day balances', () => {
    fc.assert(
      fc.property(interestYearMovements, fc.integer({ min: 0, max: 1_000_000_000 }), (list, extra) => {
        const movements = toMovements(list);
        const opening = safeOpening(movements, extra);
        expect(accumulatedBalanceFenDays(opening, movements, year)).toBe(
          fenDaysByWalkingEachDay(opening, movements, year.from, year.to),
        );
      }),
      { numRuns: 50 },
    );
  });

  it('is the same for a movement list split into parts and for the merged one, in any order', () => {
    fc.assert(
      fc.property(
        interestYearMovements,
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.array(fc.integer({ min: -2_000_000, max: 2_000_000 }), { minLength: 12, maxLength: 12 }),
        (list, extra, cuts) => {
          const merged = toMovements(list);
          const split = merged
            .flatMap((m, i) => {
              const part = cuts[i] ?? 0;
              return [
                { date: m.date, amountFen: part },
                { date: m.date, amountFen: m.amountFen - part },
              ];
            })
            .reverse();
          // The parts may dip below zero mid-day; the opening covers their sizes too.
          const opening = safeOpening(split, extra);
          expect(accumulatedBalanceFenDays(opening, split, year)).toBe(
            accumulatedBalanceFenDays(opening, merged, year),
          );
        },
      ),
    );
  });
});

describe('yearlyInterestFen (结息)', () => {
  it('computes a year with a mid-year deposit (hand-computed)', () => {
    // Opening 10,000.00 yuan on 2025-07-01, a deposit of 1,000.00 on 2026-01-01, settled 2026-06-30:
    //   积数 = 1,000,000 fen × 184 days (1 Jul – 31 Dec 2025) + 1,100,000 fen × 181 days (1 Jan – 30 Jun 2026)
    //        = 184,000,000 + 199,100,000 = 383,100,000 fen-days
    //   interest = 383,100,000 × 1.5 % / 360 = 383,100,000 × 150 / 3,600,000 = 383,100,000 / 24,000
    //            = 15,962.5 fen → 15,963 fen (a half, rounded up) = 159.63 yuan.
    expect(
      yearlyInterestFen({
        openingBalanceFen: yuan(10_000),
        movements: [{ date: '2026-01-01', amountFen: yuan(1_000) }],
        settlementDate: '2026-06-30',
      }),
    ).toEqual({
      interestFen: 15_963,
      fenDays: 383_100_000n,
      days: 365,
      rateBasisPoints: 150,
      ruleVersion: 'national-2016-02-21',
      from: '2025-07-01',
      to: '2026-06-30',
      closingBalanceFen: yuan(11_000),
    });
  });

  it('counts 366 days in a leap interest year and still divides by 360 (hand-computed)', () => {
    // 2023-07-01 – 2024-06-30 holds 29 February 2024: 366 days.
    // No movements: 10,000.00 yuan × 366 days = 366,000,000 fen-days; / 24,000 = 15,250 fen = 152.50 yuan.
    const flat = yearlyInterestFen({
      openingBalanceFen: yuan(10_000),
      movements: [],
      settlementDate: '2024-06-30',
    });
    expect(flat).toMatchObject({ interestFen: 15_250, fenDays: 366_000_000n, days: 366, from: '2023-07-01' });
    // 5,000.00 yuan opening and 200.00 deposited on 2024-02-29, standing 123 days (29 Feb + 31 + 30 + 31 + 30):
    //   积数 = 500,000 × 366 + 20,000 × 123 = 183,000,000 + 2,460,000 = 185,460,000
    //   interest = 185,460,000 / 24,000 = 7,727.5 → 7,728 fen = 77.28 yuan.
    expect(
      yearlyInterestFen({
        openingBalanceFen: yuan(5_000),
        movements: [{ date: '2024-02-29', amountFen: yuan(200) }],
        settlementDate: '2024-06-30',
      }),
    ).toMatchObject({ interestFen: 7_728, fenDays: 185_460_000n, days: 366 });
  });

  it('with no movements is balance × days × rate / 360', () => {
    // 10,000.00 yuan × 365 × 1.5 % / 360 = 15,208.33… fen → 15,208 fen = 152.08 yuan.
    expect(
      yearlyInterestFen({ openingBalanceFen: yuan(10_000), movements: [], settlementDate: '2026-06-30' })
        .interestFen,
    ).toBe(15_208);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000_000 }),
        fc.integer({ min: 2017, max: 2099 }),
        fc.integer({ min: 0, max: 1000 }),
        (balance, year, rate) => {
          const result = yearlyInterestFen({
            openingBalanceFen: balance,
            movements: [],
            settlementDate: `${year}-06-30`,
            annualRateBasisPoints: rate,
          });
          const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
          expect(result.days).toBe(leap ? 366 : 365);
          const exact = BigInt(balance) * BigInt(result.days) * BigInt(rate); // × 1 / 3,600,000
          expect(BigInt(result.interestFen)).toBe((2n * exact + 3_600_000n) / 7_200_000n);
          expect(result.ruleVersion).toBeUndefined();
        },
      ),
    );
  });

  it('takes a given rate instead of the national one, and refuses a bad rate or a movement outside the year', () => {
    const base = { openingBalanceFen: yuan(10_000), movements: [], settlementDate: '2026-06-30' };
    expect(yearlyInterestFen({ ...base, annualRateBasisPoints: 0 }).interestFen).toBe(0);
    // 3 % doubles it: 365,000,000 × 300 / 3,600,000 = 30,416.67 → 30,417.
    expect(yearlyInterestFen({ ...base, annualRateBasisPoints: 300 }).interestFen).toBe(30_417);
    expect(() => yearlyInterestFen({ ...base, annualRateBasisPoints: 1.5 })).toThrow(RangeError);
    expect(() => yearlyInterestFen({ ...base, movements: [{ date: '2025-06-30', amountFen: 100 }] })).toThrow(
      /outside the period/,
    );
    expect(() => yearlyInterestFen({ ...base, settlementDate: '2026-06-29' })).toThrow(/'YYYY-06-30'/);
  });
});
