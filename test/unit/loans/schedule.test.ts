import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  actualDaysBetween,
  maxPrincipalForPayment,
  partialPeriodInterestFen,
  payoffAmount,
  REPAYMENT_METHODS,
  type RepaymentMethod,
  type RepaymentSchedule,
  repaymentSchedule,
  scheduleAfterPrepayment,
} from '../../../shared/loans/schedule.js';
import { roundHalfUp } from '../../../shared/money/money.js';
import { LOAN_RATE_VERSIONS } from '../../../shared/rules/national.js';

const yuan = (amount: number): number => amount * 100;

/** Every rate of the national table (all versions, both home orders, both bands). */
const TABLE_RATES = [
  ...new Set(
    LOAN_RATE_VERSIONS.flatMap((version) =>
      Object.values(version.annualRates).flatMap((bands) => Object.values(bands)),
    ),
  ),
];

const arbitraryRate = fc.constantFrom(...TABLE_RATES);
const arbitraryMethod = fc.constantFrom<RepaymentMethod>(...REPAYMENT_METHODS);

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * The invariants every schedule keeps, checked independently of the implementation's loop. Problems are
 * collected and asserted once (one `expect` per instalment would make the property tests slow).
 */
function expectWellFormed(schedule: RepaymentSchedule): void {
  const { instalments, principalFen, annualRateHundredthsBp, termMonths } = schedule;
  expect(instalments).toHaveLength(termMonths);
  expect(sum(instalments.map((i) => i.principalFen))).toBe(principalFen);
  expect(sum(instalments.map((i) => i.interestFen))).toBe(schedule.totalInterestFen);
  expect(schedule.totalPaymentFen).toBe(principalFen + schedule.totalInterestFen);
  const problems: string[] = [];
  let outstanding = principalFen;
  instalments.forEach((instalment, index) => {
    const at = `instalment ${index + 1}`;
    if (instalment.number !== index + 1) problems.push(`${at}: number ${instalment.number}`);
    if (instalment.principalFen < 0) problems.push(`${at}: negative principal part`);
    const expectedInterest = Number(
      roundHalfUp(BigInt(outstanding) * BigInt(annualRateHundredthsBp), 12_000_000n),
    );
    if (instalment.interestFen !== expectedInterest) {
      problems.push(`${at}: interest ${instalment.interestFen}, expected ${expectedInterest}`);
    }
    if (instalment.paymentFen !== instalment.principalFen + instalment.interestFen) {
      problems.push(`${at}: payment is not principal + interest`);
    }
    outstanding -= instalment.principalFen;
    if (instalment.remainingPrincipalFen !== outstanding) problems.push(`${at}: remaining ${outstanding}`);
  });
  expect(problems).toEqual([]);
  expect(outstanding).toBe(0);
}

describe('repaymentSchedule: the hand-checked figures', () => {
  const loan = {
    principalFen: yuan(500_000),
    annualRateHundredthsBp: 26000,
    termMonths: 360,
    firstDueMonth: '2025-06',
  };

  it('500,000 yuan, 360 months, 2.6 %, equal installment: 2,001.70 yuan a month', () => {
    const schedule = repaymentSchedule({ ...loan, method: 'equal-installment' });
    expect(schedule.monthlyPaymentFen).toBe(200_170);
    // First month: interest 50,000,000 × 0.026 / 12 = 108,333.33 → 1,083.33; principal 2,001.70 − 1,083.33.
    expect(schedule.instalments[0]).toEqual({
      number: 1,
      dueMonth: '2025-06',
      paymentFen: 200_170,
      principalFen: 91_837,
      interestFen: 108_333,
      remainingPrincipalFen: 49_908_163,
    });
    // Every instalment but the last pays exactly the regular payment.
    for (const instalment of schedule.instalments.slice(0, -1)) expect(instalment.paymentFen).toBe(200_170);
    const last = schedule.instalments.at(-1);
    expect(last?.dueMonth).toBe('2055-05');
    expect(last?.remainingPrincipalFen).toBe(0);
    // The last absorbs the rounding carried through 30 years: within a yuan of the regular payment.
    expect(Math.abs((last?.paymentFen ?? 0) - 200_170)).toBeLessThan(100);
    expectWellFormed(schedule);
  });

  it('500,000 yuan, 360 months, 2.6 %, equal principal: 2,472.22 yuan the first month', () => {
    const schedule = repaymentSchedule({ ...loan, method: 'equal-principal' });
    expect(schedule.monthlyPaymentFen).toBe(247_222);
    // 500,000 / 360 = 1,388.888… → 1,388.89; interest 1,083.33.
    expect(schedule.instalments[0]).toMatchObject({ principalFen: 138_889, interestFen: 108_333 });
    for (const instalment of schedule.instalments.slice(0, -1)) expect(instalment.principalFen).toBe(138_889);
    // The last repays what is left: 50,000,000 − 359 × 138,889 = 138,849.
    expect(schedule.instalments.at(-1)?.principalFen).toBe(138_849);
    // Payments fall month by month.
    const payments = schedule.instalments.map((i) => i.paymentFen);
    for (let k = 1; k < payments.length; k++) expect(payments[k]).toBeLessThanOrEqual(payments[k - 1] ?? 0);
    expectWellFormed(schedule);
  });

  it('matches exact-fraction figures for other table rates (checked with Python fractions)', () => {
    const cases = [
      // 600,000 yuan, 360 months, 2.85 % (first home, 2024-05-18): 2,481.34 / first 3,091.67.
      { principalFen: yuan(600_000), rate: 28500, termMonths: 360, installment: 248_134, principal: 309_167 },
      // 100,000 yuan, 60 months, 2.1 % (≤5 years, 2025-05-08): 1,757.15 / first 1,841.67.
      { principalFen: yuan(100_000), rate: 21000, termMonths: 60, installment: 175_715, principal: 184_167 },
      // 300,000 yuan, 240 months, 3.075 % (second home, 2025-05-08): 1,675.08 / first 2,018.75.
      { principalFen: yuan(300_000), rate: 30750, termMonths: 240, installment: 167_508, principal: 201_875 },
    ];
    for (const c of cases) {
      const common = {
        principalFen: c.principalFen,
        annualRateHundredthsBp: c.rate,
        termMonths: c.termMonths,
        firstDueMonth: '2025-01',
      };
      expect(repaymentSchedule({ ...common, method: 'equal-installment' }).monthlyPaymentFen).toBe(
        c.installment,
      );
      expect(repaymentSchedule({ ...common, method: 'equal-principal' }).monthlyPaymentFen).toBe(c.principal);
    }
  });

  it('equal principal pays less interest in total than equal installment', () => {
    const installment = repaymentSchedule({ ...loan, method: 'equal-installment' });
    const principal = repaymentSchedule({ ...loan, method: 'equal-principal' });
    expect(principal.totalInterestFen).toBeLessThan(installment.totalInterestFen);
  });
});

describe('repaymentSchedule: edge cases', () => {
  it('a one-month loan repays principal and one month of interest', () => {
    for (const method of REPAYMENT_METHODS) {
      const schedule = repaymentSchedule({
        principalFen: yuan(12_000),
        annualRateHundredthsBp: 30000,
        termMonths: 1,
        method,
        firstDueMonth: '2025-12',
      });
      // 1,200,000 × 0.03 / 12 = 3,000 fen.
      expect(schedule.instalments).toEqual([
        {
          number: 1,
          dueMonth: '2025-12',
          paymentFen: 1_203_000,
          principalFen: 1_200_000,
          interestFen: 3_000,
          remainingPrincipalFen: 0,
        },
      ]);
      expect(schedule.monthlyPaymentFen).toBe(1_203_000);
    }
  });

  it('a zero rate splits the principal evenly', () => {
    const schedule = repaymentSchedule({
      principalFen: 100_000,
      annualRateHundredthsBp: 0,
      termMonths: 3,
      method: 'equal-installment',
      firstDueMonth: '2025-11',
    });
    expect(schedule.instalments.map((i) => [i.dueMonth, i.paymentFen])).toEqual([
      ['2025-11', 33_333],
      ['2025-12', 33_333],
      ['2026-01', 33_334],
    ]);
    expect(schedule.totalInterestFen).toBe(0);
  });

  it('a tiny loan never repays more principal than is outstanding', () => {
    for (const principalFen of [1, 180, 359, 360, 64_000]) {
      for (const method of REPAYMENT_METHODS) {
        expectWellFormed(
          repaymentSchedule({
            principalFen,
            annualRateHundredthsBp: 35750,
            termMonths: 360,
            method,
            firstDueMonth: '2025-01',
          }),
        );
      }
    }
  });

  it('refuses malformed input', () => {
    const good = {
      principalFen: 100,
      annualRateHundredthsBp: 26000,
      termMonths: 12,
      method: 'equal-installment' as const,
      firstDueMonth: '2025-01',
    };
    expect(() => repaymentSchedule({ ...good, principalFen: 0 })).toThrow(/principalFen/);
    expect(() => repaymentSchedule({ ...good, principalFen: 1.5 })).toThrow(/principalFen/);
    expect(() => repaymentSchedule({ ...good, termMonths: 0 })).toThrow(/termMonths/);
    expect(() => repaymentSchedule({ ...good, annualRateHundredthsBp: 2.6 })).toThrow(/annualRate/);
    expect(() => repaymentSchedule({ ...good, method: 'balloon' as RepaymentMethod })).toThrow(/method/);
    expect(() => repaymentSchedule({ ...good, firstDueMonth: '2025-13' })).toThrow(/firstDueMonth/);
  });
});

describe('repaymentSchedule: properties', () => {
  it('principal parts add up to the loan exactly, interest is the rounded outstanding × r', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: yuan(2_000_000) }),
        fc.integer({ min: 12, max: 360 }),
        arbitraryRate,
        arbitraryMethod,
        (principalFen, termMonths, annualRateHundredthsBp, method) => {
          const schedule = repaymentSchedule({
            principalFen,
            annualRateHundredthsBp,
            termMonths,
            method,
            firstDueMonth: '2025-07',
          });
          expectWellFormed(schedule);
          const regular = schedule.instalments.slice(0, -1);
          if (method === 'equal-installment' && principalFen >= yuan(10_000)) {
            expect(regular.filter((i) => i.paymentFen !== schedule.monthlyPaymentFen)).toEqual([]);
          }
          if (method === 'equal-principal' && principalFen >= yuan(10_000)) {
            const part = regular[0]?.principalFen;
            expect(regular.filter((i) => i.principalFen !== part)).toEqual([]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('maxPrincipalForPayment', () => {
  it('is tight: the principal found fits the payment, one fen more does not', () => {
    const common = { annualRateHundredthsBp: 26000, termMonths: 360 };
    const principal = maxPrincipalForPayment({
      ...common,
      monthlyPaymentFen: 200_170,
      method: 'equal-installment',
    });
    expect(principal).toBe(50_000_160);
    const payment = (principalFen: number, method: RepaymentMethod): number =>
      repaymentSchedule({ ...common, principalFen, method, firstDueMonth: '2025-01' }).monthlyPaymentFen;
    expect(payment(principal, 'equal-installment')).toBeLessThanOrEqual(200_170);
    expect(payment(principal + 1, 'equal-installment')).toBeGreaterThan(200_170);

    const byFirst = maxPrincipalForPayment({
      ...common,
      monthlyPaymentFen: 247_222,
      method: 'equal-principal',
    });
    expect(byFirst).toBeGreaterThanOrEqual(50_000_000);
    expect(payment(byFirst, 'equal-principal')).toBeLessThanOrEqual(247_222);
    expect(payment(byFirst + 1, 'equal-principal')).toBeGreaterThan(247_222);
  });

  it('is 0 for a payment of 0, and refuses a negative payment', () => {
    expect(
      maxPrincipalForPayment({
        monthlyPaymentFen: 0,
        annualRateHundredthsBp: 26000,
        termMonths: 360,
        method: 'equal-installment',
      }),
    ).toBe(0);
    expect(() =>
      maxPrincipalForPayment({
        monthlyPaymentFen: -1,
        annualRateHundredthsBp: 26000,
        termMonths: 360,
        method: 'equal-installment',
      }),
    ).toThrow(/monthlyPaymentFen/);
  });

  it('is tight for any payment, rate, term and method (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: yuan(50_000) }),
        fc.integer({ min: 1, max: 360 }),
        arbitraryRate,
        arbitraryMethod,
        (monthlyPaymentFen, termMonths, annualRateHundredthsBp, method) => {
          const principal = maxPrincipalForPayment({
            monthlyPaymentFen,
            annualRateHundredthsBp,
            termMonths,
            method,
          });
          const first = (principalFen: number): number =>
            repaymentSchedule({
              principalFen,
              annualRateHundredthsBp,
              termMonths,
              method,
              firstDueMonth: '2025-01',
            }).monthlyPaymentFen;
          if (principal > 0) expect(first(principal)).toBeLessThanOrEqual(monthlyPaymentFen);
          expect(first(principal + 1)).toBeGreaterThan(monthlyPaymentFen);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('scheduleAfterPrepayment', () => {
  // 400,000 yuan outstanding with 300 months to go at 2.6 %, 100,000 yuan prepaid.
  const before = {
    remainingPrincipalFen: yuan(400_000),
    annualRateHundredthsBp: 26000,
    remainingTermMonths: 300,
    firstDueMonth: '2030-06',
    prepaymentFen: yuan(100_000),
  };

  it('equal installment, both choices: less interest in total; shorter term keeps the instalment at most the old', () => {
    const without = repaymentSchedule({
      principalFen: before.remainingPrincipalFen,
      annualRateHundredthsBp: 26000,
      termMonths: 300,
      method: 'equal-installment',
      firstDueMonth: '2030-06',
    });
    const shorter = scheduleAfterPrepayment({
      ...before,
      method: 'equal-installment',
      choice: 'shorter-term',
    });
    const lower = scheduleAfterPrepayment({
      ...before,
      method: 'equal-installment',
      choice: 'lower-instalment',
    });
    for (const after of [shorter, lower]) {
      expect(after.previousMonthlyPaymentFen).toBe(without.monthlyPaymentFen);
      expect(after.previousTermMonths).toBe(300);
      expect(after.principalFen).toBe(yuan(300_000));
      expect(after.totalInterestFen).toBeLessThan(without.totalInterestFen);
      expect(after.interestSavedFen).toBe(without.totalInterestFen - after.totalInterestFen);
      expect(after.instalments[0]?.dueMonth).toBe('2030-06');
      expectWellFormed(after);
    }
    // Shorter term: 205 months at 1,813.95 ≤ 1,814.68; 204 months would need more than 1,814.68.
    expect(shorter.termMonths).toBe(205);
    expect(shorter.monthlyPaymentFen).toBe(181_395);
    expect(shorter.monthlyPaymentFen).toBeLessThanOrEqual(shorter.previousMonthlyPaymentFen);
    expect(
      repaymentSchedule({
        principalFen: yuan(300_000),
        annualRateHundredthsBp: 26000,
        termMonths: 204,
        method: 'equal-installment',
        firstDueMonth: '2030-06',
      }).monthlyPaymentFen,
    ).toBeGreaterThan(shorter.previousMonthlyPaymentFen);
    // Lower instalment: same 300 months, 1,361.01 a month.
    expect(lower.termMonths).toBe(300);
    expect(lower.monthlyPaymentFen).toBe(136_101);
    // Shortening the term saves more interest than lowering the instalment.
    expect(shorter.interestSavedFen).toBeGreaterThan(lower.interestSavedFen);
  });

  it('equal principal, shorter term: keeps the monthly principal part and shortens the term', () => {
    const shorter = scheduleAfterPrepayment({ ...before, method: 'equal-principal', choice: 'shorter-term' });
    // Part 40,000,000 / 300 = 133,333.33 → 1,333.33 yuan; ⌈30,000,000 / 133,333⌉ = 226 months.
    expect(shorter.termMonths).toBe(226);
    for (const i of shorter.instalments.slice(0, -1)) expect(i.principalFen).toBe(133_333);
    expect(shorter.instalments.at(-1)?.principalFen).toBe(30_000_000 - 225 * 133_333);
    // First instalment 1,333.33 + 650.00 interest, old first 1,333.33 + 866.67.
    expect(shorter.monthlyPaymentFen).toBe(198_333);
    expect(shorter.previousMonthlyPaymentFen).toBe(220_000);
    expect(shorter.interestSavedFen).toBeGreaterThan(0);
    expectWellFormed(shorter);

    const lower = scheduleAfterPrepayment({
      ...before,
      method: 'equal-principal',
      choice: 'lower-instalment',
    });
    expect(lower.termMonths).toBe(300);
    expect(lower.instalments[0]?.principalFen).toBe(100_000);
    expect(lower.interestSavedFen).toBeGreaterThan(0);
    expect(shorter.interestSavedFen).toBeGreaterThan(lower.interestSavedFen);
    expectWellFormed(lower);
  });

  it('refuses a prepayment of the whole outstanding (that is a payoff) or of nothing', () => {
    for (const prepaymentFen of [yuan(400_000), yuan(400_001), 0]) {
      expect(() =>
        scheduleAfterPrepayment({
          ...before,
          prepaymentFen,
          method: 'equal-installment',
          choice: 'shorter-term',
        }),
      ).toThrow(/prepaymentFen/);
    }
  });

  it('for any loan: principal repaid exactly, interest saved, shorter term never raises the instalment (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: yuan(10_000), max: yuan(2_000_000) }),
        fc.integer({ min: 12, max: 360 }),
        arbitraryRate,
        arbitraryMethod,
        fc.integer({ min: 100, max: 9_000 }), // prepayment share in basis points: 1 % to 90 %
        fc.constantFrom('shorter-term' as const, 'lower-instalment' as const),
        (remainingPrincipalFen, remainingTermMonths, annualRateHundredthsBp, method, shareBp, choice) => {
          const prepaymentFen = Math.floor((remainingPrincipalFen * shareBp) / 10_000);
          const after = scheduleAfterPrepayment({
            remainingPrincipalFen,
            annualRateHundredthsBp,
            remainingTermMonths,
            method,
            firstDueMonth: '2026-01',
            prepaymentFen,
            choice,
          });
          expectWellFormed(after);
          expect(after.principalFen).toBe(remainingPrincipalFen - prepaymentFen);
          expect(after.interestSavedFen).toBeGreaterThan(0);
          expect(after.termMonths).toBeLessThanOrEqual(remainingTermMonths);
          expect(after.monthlyPaymentFen).toBeLessThanOrEqual(after.previousMonthlyPaymentFen);
          if (choice === 'lower-instalment') expect(after.termMonths).toBe(remainingTermMonths);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('payoffAmount and part-period interest', () => {
  it('charges annual / 360 per actual day since the last due date', () => {
    // 300,000 yuan at 2.6 %, 17 days: 30,000,000 × 0.026 × 17 / 360 = 36,833.33 fen → 368.33 yuan.
    expect(
      payoffAmount({
        outstandingPrincipalFen: yuan(300_000),
        annualRateHundredthsBp: 26000,
        lastDueDate: '2025-06-15',
        payoffDate: '2025-07-02',
      }),
    ).toEqual({ principalFen: 30_000_000, interestFen: 36_833, totalFen: 30_036_833, days: 17 });
  });

  it('counts 29 February in a leap year, and nothing on the due date itself', () => {
    expect(actualDaysBetween('2028-02-15', '2028-03-01')).toBe(15);
    expect(actualDaysBetween('2027-02-15', '2027-03-01')).toBe(14);
    expect(actualDaysBetween('2025-12-20', '2026-01-05')).toBe(16);
    const onDueDate = payoffAmount({
      outstandingPrincipalFen: yuan(300_000),
      annualRateHundredthsBp: 26000,
      lastDueDate: '2025-06-15',
      payoffDate: '2025-06-15',
    });
    expect(onDueDate).toMatchObject({ interestFen: 0, totalFen: 30_000_000, days: 0 });
  });

  it('rounds a half fen up: 900 yuan at 2.6 % for one day is 6.5 fen → 7', () => {
    expect(partialPeriodInterestFen(90_000, 26000, 1)).toBe(7);
    // 100,000 yuan at 2.6 % for 15 days = 10,833.33 fen.
    expect(partialPeriodInterestFen(yuan(100_000), 26000, 15)).toBe(10_833);
  });

  it('refuses a payoff dated before the last due date', () => {
    expect(() =>
      payoffAmount({
        outstandingPrincipalFen: 100,
        annualRateHundredthsBp: 26000,
        lastDueDate: '2025-06-15',
        payoffDate: '2025-06-14',
      }),
    ).toThrow(/before lastDueDate/);
  });
});
