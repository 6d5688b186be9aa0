import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { monthOf, nextMonth } from '../../../shared/calendar/dates.js';
import { DomainError } from '../../../shared/errors/domain-error.js';
import {
  dueDateIn,
  lastDueDateOf,
  PARTIAL_PREPAYMENT_MINIMUM_FEN,
  planPartialPrepayment,
  planPayoff,
} from '../../../shared/loans/prepayment.js';
import { type Instalment, type RepaymentMethod, repaymentSchedule } from '../../../shared/loans/schedule.js';
import type { LoanRecord } from '../../../shared/loans/store.js';
import { loanRateInForce } from '../../../shared/rules/national.js';

interface LoanSpec {
  principalFen?: number;
  termMonths?: number;
  method?: RepaymentMethod;
  contractDate?: string;
  paidInstalments?: number;
}

/** A first-home loan as disbursement makes it, with its first `paidInstalments` instalments posted. */
function loanOf(spec: LoanSpec = {}): LoanRecord {
  const {
    principalFen = 20_000_000,
    termMonths = 240,
    method = 'equal-installment',
    contractDate = '2025-06-20',
    paidInstalments = 0,
  } = spec;
  const rate = loanRateInForce(contractDate, 'first', termMonths);
  const firstDueMonth = nextMonth(monthOf(contractDate));
  const schedule = repaymentSchedule({
    principalFen,
    annualRateHundredthsBp: rate.annualRateHundredthsBp,
    termMonths,
    method,
    firstDueMonth,
  }).instalments;
  const paid = schedule.slice(0, paidInstalments);
  return {
    PK: 'C#320300#LOAN#x',
    SK: 'LOAN',
    GSI1PK: 'PERSON#p',
    GSI1SK: 'LOAN#320300#x',
    loanId: '320300-X-L',
    applicationId: '320300-X',
    personKey: 'p',
    city: '320300',
    offsite: false,
    principalFen,
    outstandingPrincipalFen: paid.at(-1)?.remainingPrincipalFen ?? principalFen,
    annualRateHundredthsBp: rate.annualRateHundredthsBp,
    rateRuleVersion: rate.ruleVersion,
    contractTermMonths: termMonths,
    homeOrder: 'first',
    termMonths,
    method,
    contractDate,
    firstDueMonth,
    status: 'active',
    schedule,
    paidInstalments,
    ...(paid.length > 0 ? { lastPaidMonth: paid.at(-1)?.dueMonth } : {}),
    disbursedAt: `${contractDate}T02:00:00.000Z`,
    applicationToDisbursementMs: 0,
    version: paidInstalments,
  };
}

const total = (instalments: readonly Instalment[], pick: (i: Instalment) => number) =>
  instalments.reduce((sum, i) => sum + pick(i), 0);

function problemOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected an DomainError');
}

describe('the due day', () => {
  it('is the contract day of the month, or the last day of a shorter month', () => {
    expect(dueDateIn('2025-07', '2025-06-20')).toBe('2025-07-20');
    expect(dueDateIn('2025-02', '2025-01-31')).toBe('2025-02-28');
    expect(dueDateIn('2028-02', '2025-01-31')).toBe('2028-02-29');
    expect(dueDateIn('2025-04', '2025-01-31')).toBe('2025-04-30');
    expect(dueDateIn('2025-05', '2025-01-31')).toBe('2025-05-31');
  });

  it('interest is paid up to the contract date before any instalment, then to the last paid due date', () => {
    expect(lastDueDateOf(loanOf())).toBe('2025-06-20');
    expect(lastDueDateOf(loanOf({ paidInstalments: 1 }))).toBe('2025-07-20');
    expect(lastDueDateOf(loanOf({ contractDate: '2025-01-31', paidInstalments: 1 }))).toBe('2025-02-28');
  });
});

describe('interest to date (annual / 360 per actual day)', () => {
  it('runs from the contract date across the month boundary when no instalment is paid', () => {
    // 2025-06-20 → 2025-07-05: 10 days of June + 5 of July = 15 days at 2.6 %.
    const payoff = planPayoff(loanOf(), '2025-07-05');
    expect(payoff.annualRateHundredthsBp).toBe(26_000);
    expect(payoff.interestDays).toBe(15);
    // 20,000,000 × 0.026 × 15 / 360 = 21,666.67 → 21,667 fen.
    expect(payoff.interestFen).toBe(21_667);
    expect(payoff.totalFen).toBe(20_000_000 + 21_667);
  });

  it('runs from the last paid due date, clamped to a short month', () => {
    const loan = loanOf({ contractDate: '2025-01-31', paidInstalments: 1 });
    // Due 2025-02-28 (no 31 February); paid off 2025-03-02: 2 days at 2.85 % on what is outstanding.
    const payoff = planPayoff(loan, '2025-03-02');
    expect(payoff.interestFromDate).toBe('2025-02-28');
    expect(payoff.interestDays).toBe(2);
    expect(payoff.interestFen).toBe(Math.round((loan.outstandingPrincipalFen * 0.0285 * 2) / 360));
  });

  it('is nothing on the due date itself, and nothing when the instalment was collected early', () => {
    expect(planPayoff(loanOf({ paidInstalments: 1 }), '2025-07-20').interestFen).toBe(0);
    // The July instalment (due 20 July) was collected on 3 July: interest is paid beyond today.
    const early = planPayoff(loanOf({ paidInstalments: 1 }), '2025-07-03');
    expect(early.interestDays).toBe(0);
    expect(early.interestFen).toBe(0);
  });

  it('for a partial prepayment is charged on the prepaid amount only', () => {
    const plan = planPartialPrepayment(
      loanOf({ paidInstalments: 2 }),
      { amountFen: 5_000_000, choice: 'lower-instalment' },
      '2025-09-10',
    );
    // 2025-08-20 → 2025-09-10: 21 days; 5,000,000 × 0.026 × 21 / 360 = 7,583.33 → 7,583.
    expect(plan.interestFromDate).toBe('2025-08-20');
    expect(plan.interestDays).toBe(21);
    expect(plan.interestFen).toBe(7_583);
    expect(plan.totalFen).toBe(5_007_583);
  });

  it('uses the rate the next instalment carries: a pending 1 January repricing applies', () => {
    // Contracted 2025-03-01 at 2.85 %, paid through 2025-12; the January 2026 instalment carries 2.6 %.
    const loan = loanOf({ contractDate: '2025-03-01', termMonths: 360, paidInstalments: 9 });
    expect(loan.annualRateHundredthsBp).toBe(28_500);
    const payoff = planPayoff(loan, '2025-12-11');
    expect(payoff.annualRateHundredthsBp).toBe(26_000);
    expect(payoff.rateRuleVersion).toBe('loan-rate-2025-05-08');
    expect(payoff.interestFen).toBe(Math.round((loan.outstandingPrincipalFen * 0.026 * 10) / 360));
  });
});

describe('full payoff', () => {
  it('closes the schedule with one payoff line: principal repaid equals the loan exactly', () => {
    const loan = loanOf({ paidInstalments: 3 });
    const payoff = planPayoff(loan, '2025-10-01');
    expect(payoff.schedule).toHaveLength(4);
    expect(payoff.schedule.slice(0, 3)).toEqual(loan.schedule.slice(0, 3));
    expect(payoff.schedule[3]).toMatchObject({
      number: 4,
      dueMonth: '2025-10',
      principalFen: loan.outstandingPrincipalFen,
      interestFen: payoff.interestFen,
      paymentFen: payoff.totalFen,
      remainingPrincipalFen: 0,
      kind: 'payoff',
      paidOn: '2025-10-01',
    });
    expect(total(payoff.schedule, (i) => i.principalFen)).toBe(loan.principalFen);
    expect(payoff.previousRemainingTermMonths).toBe(237);
    expect(payoff.interestSavedFen).toBe(total(loan.schedule.slice(3), (i) => i.interestFen));
    expect(payoff.interestSavedFen).toBeGreaterThan(payoff.interestFen);
  });
});

describe('partial prepayment', () => {
  const methods: RepaymentMethod[] = ['equal-installment', 'equal-principal'];

  it.each(methods)(
    '%s: both choices give a schedule whose principal is the new outstanding to the fen',
    (method) => {
      const loan = loanOf({ method, paidInstalments: 4 });
      for (const choice of ['shorter-term', 'lower-instalment'] as const) {
        const plan = planPartialPrepayment(loan, { amountFen: 6_000_000, choice }, '2025-11-05');
        expect(plan.outstandingAfterFen).toBe(loan.outstandingPrincipalFen - 6_000_000);
        const rest = plan.schedule.slice(4);
        expect(plan.schedule.slice(0, 4)).toEqual(loan.schedule.slice(0, 4));
        expect(total(rest, (i) => i.principalFen)).toBe(plan.outstandingAfterFen);
        expect(rest.at(-1)?.remainingPrincipalFen).toBe(0);
        expect(rest.map((i) => i.number)).toEqual(rest.map((_, k) => 5 + k));
        expect(rest[0]?.dueMonth).toBe('2025-11');
        expect(plan.newRemainingTermMonths).toBe(rest.length);
        expect(plan.termMonths).toBe(4 + rest.length);
        expect(plan.previousRemainingTermMonths).toBe(236);
        // The whole loan still repays exactly its principal.
        expect(total(plan.schedule, (i) => i.principalFen) + 6_000_000).toBe(loan.principalFen);
      }
    },
  );

  it.each(methods)(
    '%s: both choices cost less interest than not prepaying; a shorter term saves more',
    (method) => {
      const loan = loanOf({ method, paidInstalments: 4 });
      const remainingInterest = total(loan.schedule.slice(4), (i) => i.interestFen);
      const plans = (['shorter-term', 'lower-instalment'] as const).map((choice) =>
        planPartialPrepayment(loan, { amountFen: 6_000_000, choice }, '2025-11-05'),
      );
      for (const plan of plans) {
        const interestWith = plan.interestFen + total(plan.schedule.slice(4), (i) => i.interestFen);
        expect(interestWith).toBeLessThan(remainingInterest);
        expect(plan.interestSavedFen).toBeGreaterThan(plan.interestFen);
      }
      const [shorter, lower] = plans as [(typeof plans)[0], (typeof plans)[0]];
      expect(shorter.interestSavedFen).toBeGreaterThan(lower.interestSavedFen);
      // Shorter term: about the same instalment, fewer months. Lower instalment: same months, less a month.
      expect(shorter.newRemainingTermMonths).toBeLessThan(236);
      expect(shorter.newMonthlyPaymentFen).toBeLessThanOrEqual(shorter.previousMonthlyPaymentFen);
      expect(lower.newRemainingTermMonths).toBe(236);
      expect(lower.newMonthlyPaymentFen).toBeLessThan(lower.previousMonthlyPaymentFen);
    },
  );

  it('any amount, term and paid months: the new schedule repays the new outstanding exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5_000_000, max: 100_000_000 }),
        fc.integer({ min: 24, max: 360 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 95 }),
        fc.constantFrom<RepaymentMethod>('equal-installment', 'equal-principal'),
        fc.constantFrom('shorter-term' as const, 'lower-instalment' as const),
        (principalFen, termMonths, paidInstalments, percent, method, choice) => {
          const loan = loanOf({ principalFen, termMonths, paidInstalments, method });
          const amountFen = Math.max(
            PARTIAL_PREPAYMENT_MINIMUM_FEN,
            Math.floor((loan.outstandingPrincipalFen * percent) / 100),
          );
          if (amountFen >= loan.outstandingPrincipalFen) return;
          const plan = planPartialPrepayment(loan, { amountFen, choice }, '2026-07-01');
          const rest = plan.schedule.slice(paidInstalments);
          expect(total(rest, (i) => i.principalFen)).toBe(loan.outstandingPrincipalFen - amountFen);
          expect(rest.every((i) => i.principalFen >= 0 && Number.isSafeInteger(i.interestFen))).toBe(true);
          expect(plan.interestSavedFen).toBeGreaterThan(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses less than the minimum, and the whole outstanding (a payoff instead, with its amount)', () => {
    const loan = loanOf({ paidInstalments: 1 });
    const small = problemOf(() =>
      planPartialPrepayment(
        loan,
        { amountFen: PARTIAL_PREPAYMENT_MINIMUM_FEN - 1, choice: 'shorter-term' },
        '2025-08-01',
      ),
    );
    expect(small).toMatchObject({ kind: 'refused', code: 'PREPAYMENT_BELOW_MINIMUM' });
    expect(small.localised['zh-CN']).toContain('10,000.00');
    for (const amountFen of [loan.outstandingPrincipalFen, loan.outstandingPrincipalFen + 1]) {
      const all = problemOf(() =>
        planPartialPrepayment(loan, { amountFen, choice: 'lower-instalment' }, '2025-08-01'),
      );
      expect(all).toMatchObject({ kind: 'refused', code: 'PREPAYMENT_COVERS_LOAN' });
      expect(all.details).toMatchObject({
        suggestedKind: 'full',
        payoff: { totalFen: planPayoff(loan, '2025-08-01').totalFen },
      });
    }
  });
});
