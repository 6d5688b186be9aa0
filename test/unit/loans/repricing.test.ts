import { describe, expect, it } from '@jest/globals';
import { scheduleFor } from '../../../shared/loans/repayments.js';
import { repaymentSchedule } from '../../../shared/loans/schedule.js';
import type { LoanRecord } from '../../../shared/loans/store.js';

/** A first-home loan of 500,000 yuan over 30 years, contracted on 2025-03-01 (before the 2025-05-08 cut). */
function loanContracted20250301(paidInstalments: number): LoanRecord {
  const schedule = repaymentSchedule({
    principalFen: 50_000_000,
    annualRateHundredthsBp: 28_500,
    termMonths: 360,
    method: 'equal-installment',
    firstDueMonth: '2025-04',
  }).instalments;
  const paid = schedule.slice(0, paidInstalments);
  return {
    PK: 'C#320300#LOAN#x',
    SK: 'LOAN',
    GSI1PK: 'PERSON#p',
    GSI1SK: 'LOAN#320300#x',
    loanId: 'x',
    applicationId: 'x',
    personKey: 'p',
    city: '320300',
    offsite: false,
    principalFen: 50_000_000,
    outstandingPrincipalFen: paid.at(-1)?.remainingPrincipalFen ?? 50_000_000,
    annualRateHundredthsBp: 28_500,
    rateRuleVersion: 'loan-rate-2024-05-18',
    homeOrder: 'first',
    termMonths: 360,
    contractTermMonths: 360,
    method: 'equal-installment',
    contractDate: '2025-03-01',
    firstDueMonth: '2025-04',
    status: 'active',
    schedule,
    paidInstalments,
    disbursedAt: '2025-03-01T02:00:00.000Z',
    applicationToDisbursementMs: 0,
    version: paidInstalments,
  };
}

describe('repricing of running loans on 1 January', () => {
  it('keeps the contract rate for the rest of the contract year', () => {
    const loan = loanContracted20250301(8); // paid 2025-04 … 2025-11
    const { rate, repriced, schedule } = scheduleFor(loan, '2025-12');
    expect(repriced).toBe(false);
    expect(rate).toBe(28_500);
    expect(schedule).toBe(loan.schedule);
  });

  it('reprices from the first instalment of the next year, on the outstanding principal and remaining term', () => {
    const loan = loanContracted20250301(9); // paid through 2025-12
    const { rate, ruleVersion, repriced, schedule } = scheduleFor(loan, '2026-01');
    expect(repriced).toBe(true);
    expect(rate).toBe(26_000);
    expect(ruleVersion).toBe('loan-rate-2025-05-08');
    // Paid instalments are kept; the rest is a new schedule at 2.6 % from January.
    expect(schedule.slice(0, 9)).toEqual(loan.schedule.slice(0, 9));
    const january = schedule[9];
    expect(january).toMatchObject({ number: 10, dueMonth: '2026-01' });
    expect(january?.paymentFen).toBeLessThan(loan.schedule[9]?.paymentFen ?? 0);
    expect(schedule).toHaveLength(360);
    const principalAfter = schedule.slice(9).reduce((sum, i) => sum + i.principalFen, 0);
    expect(principalAfter).toBe(loan.outstandingPrincipalFen);
  });

  it('keeps the contract’s rate band when a prepayment has shortened the term to five years or less', () => {
    // 72 months contracted in 2025-06 (>5-year band, 2.6 %); prepaid down to 35 months remaining.
    const loan = { ...loanContracted20250301(8), contractTermMonths: 72, termMonths: 8 + 35 };
    const { repriced, rate } = scheduleFor(
      { ...loan, annualRateHundredthsBp: 26_000, contractDate: '2025-06-10' },
      '2025-11',
    );
    expect(repriced).toBe(false);
    expect(rate).toBe(26_000);
  });
});
