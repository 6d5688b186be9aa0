/** Loans in the local region: the lending centre's decision awaited, a running loan as a fixture. */
import { randomBytes } from 'node:crypto';
import type { CityCode } from '../../shared/config/cities.js';
import { getApplication } from '../../shared/loans/decide.js';
import { rateForInstalment } from '../../shared/loans/decision-rule.js';
import { repaymentSchedule } from '../../shared/loans/schedule.js';
import { activeLoanLinkKey, type LoanApplicationRecord, loanKey } from '../../shared/loans/store.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { eventually } from './region.js';

/** The principal of every `runningLoan`. */
export const RUNNING_LOAN_PRINCIPAL_FEN = 30_000_000;

/**
 * A running 10-year loan of `city` as the disbursement writes it (its record and its link among the
 * centre's running loans), first instalment due in `firstDueMonth`, nothing paid.
 */
export async function runningLoan(city: CityCode, firstDueMonth: string): Promise<string> {
  const loanId = `LNT-${randomBytes(6).toString('hex').toUpperCase()}`;
  const contractDate = '2026-01-15';
  const rate = rateForInstalment({
    contractDate,
    homeOrder: 'first',
    termMonths: 120,
    dueMonth: firstDueMonth,
  });
  const principalFen = RUNNING_LOAN_PRINCIPAL_FEN;
  const schedule = repaymentSchedule({
    principalFen,
    annualRateHundredthsBp: rate.annualRateHundredthsBp,
    termMonths: 120,
    method: 'equal-installment',
    firstDueMonth,
  }).instalments;
  const repository = centreRepository(city);
  await repository.put({
    ...loanKey(city, loanId),
    GSI1PK: `TEST#${loanId}`,
    GSI1SK: `LOAN#${city}#${loanId}`,
    loanId,
    applicationId: `APP-${loanId}`,
    personKey: `test-person-${loanId}`,
    city,
    offsite: false,
    principalFen,
    outstandingPrincipalFen: principalFen,
    annualRateHundredthsBp: rate.annualRateHundredthsBp,
    rateRuleVersion: rate.ruleVersion,
    homeOrder: 'first',
    termMonths: 120,
    contractTermMonths: 120,
    method: 'equal-installment',
    contractDate,
    firstDueMonth,
    status: 'active',
    schedule,
    paidInstalments: 0,
    disbursedAt: '2026-01-20T02:00:00.000Z',
    applicationToDisbursementMs: 1,
    version: 1,
  });
  await repository.put({ ...activeLoanLinkKey(city, loanId), loanId });
  return loanId;
}

/** The application once it no longer waits for facts (decided, or referred to staff). */
export async function decided(city: CityCode, applicationId: string): Promise<LoanApplicationRecord> {
  return eventually(
    async () => {
      const application = await getApplication(centreRepository(city), applicationId);
      return application && application.status !== 'awaiting_facts' ? application : undefined;
    },
    20_000,
    `a decision on ${applicationId}`,
  );
}
