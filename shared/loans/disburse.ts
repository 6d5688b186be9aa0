/**
 * Disbursement (放款): staff of the lending centre turn an approved application into a loan with
 * its full schedule, at the rate in force on the contract (disbursement) date; the reservations in
 * the regional loan index (the borrower's and a spouse's) become an active loan, and an off-site loan counts in the regional
 * statistics, all in one transaction. Repeating the call answers the same loan.
 */

import { auditItem } from '../applications/audit.js';
import { type Staff, staffActor, transitionItem } from '../applications/kernel.js';
import { monthOf, nextMonth } from '../calendar/dates.js';
import { toBeijingDate } from '../calendar/working-days.js';
import type { CityCode } from '../config/cities.js';
import { personIndexKey } from '../deposits/store.js';
import { restrictionsOfPerson } from '../enforcement/records.js';
import { raiseRiskCase } from '../enforcement/risk.js';
import {
  type FactChange,
  factsChangedSinceApplication,
  riskRulesInForce,
} from '../enforcement/risk-rules.js';
import { barReason, barsInForce } from '../enforcement/rules.js';
import { DomainError } from '../errors/domain-error.js';
import { type CentreRepository, centreRepository } from '../persistence/centre-repository.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { loanRateInForce } from '../rules/national.js';
import { byCodeUnits } from '../text/order.js';
import { getApplication, householdFacts } from './decide.js';
import type { LoanDecision } from './decision-rule.js';
import { depositFactsOf } from './facts.js';
import { repaymentSchedule } from './schedule.js';
import {
  activeLoanLinkKey,
  confirmedSpouse,
  type LoanApplicationRecord,
  type LoanRecord,
  loanIndexKey,
  loanKey,
  personLoanKey,
  REGIONAL_LOAN_STATS_PK,
} from './store.js';

export async function getLoan(repository: CentreRepository, loanId: string): Promise<LoanRecord | undefined> {
  return repository.get<LoanRecord & Record<string, unknown>>(loanKey(repository.city, loanId), {
    consistent: true,
  });
}

/**
 * The applicant's deposit facts read again in each centre that answered them for the application
 * (the same read-only facts function the centre answers with), compared with the recorded ones;
 * a material change raises `loan-facts-changed` once per application, in this centre's queue
 * (every changed centre in its details) and in each changed centre's (only its own changes).
 */
async function raiseIfFactsChanged(
  repository: CentreRepository,
  application: LoanApplicationRecord,
  now: Date,
): Promise<void> {
  const version = riskRulesInForce(toBeijingDate(now));
  if (!version?.factsChanged) return;
  const rules = version.factsChanged;
  const changed: { city: CityCode; recordedAt?: string; changes: FactChange[] }[] = [];
  await Promise.all(
    householdFacts(application).applicant.map(async (recorded) => {
      const centre = recorded.city === repository.city ? repository : centreRepository(recorded.city);
      const current = await depositFactsOf(centre, application.personKey, now);
      const changes = factsChangedSinceApplication(recorded, current, rules);
      const recordedAt = application.requests[recorded.city]?.answeredAt;
      if (changes.length > 0)
        changed.push({ city: recorded.city, ...(recordedAt ? { recordedAt } : {}), changes });
    }),
  );
  if (changed.length === 0) return;
  changed.sort((a, b) => byCodeUnits(a.city, b.city));
  const cities = [...new Set([repository.city, ...changed.map((c) => c.city)])];
  const details = (city: CityCode) => ({
    ruleVersion: version.ruleVersion,
    centres: city === repository.city ? changed : changed.filter((c) => c.city === city),
  });
  await Promise.all(
    cities.map((city) =>
      raiseRiskCase(
        city === repository.city ? repository : centreRepository(city),
        {
          check: 'loan-facts-changed',
          caseId: application.applicationId,
          applicationId: application.applicationId,
          cities,
          details: details(city),
        },
        now,
      ),
    ),
  );
}

export async function disburseLoan(
  repository: CentreRepository,
  loanId: string,
  staff: Staff,
  now = new Date(),
): Promise<LoanRecord> {
  // A disbursement racing another (a double click): the retry finds the loan the first one made.
  return withOptimisticRetry(async () => {
    const existing = await getLoan(repository, loanId);
    if (existing) return existing;
    const applicationId = loanId.replace(/-L$/, '');
    const application = await getApplication(repository, applicationId);
    if (!application || application.loanId !== loanId) throw new DomainError('NOT_FOUND');
    // Disbursed between the two reads: the loan is there now.
    const made = application.status === 'disbursed' ? await getLoan(repository, loanId) : undefined;
    if (made) return made;
    if (application.status !== 'approved') {
      throw new DomainError('LOAN_NOT_APPROVED', { applicationStatus: application.status });
    }
    const decision = application.decision as unknown as LoanDecision;
    const principalFen = decision.approvedFen ?? 0;
    const contractDate = toBeijingDate(now);
    // A bar confirmed after the approval still stops the contract (its date is the bar's test).
    const spouse = confirmedSpouse(application.household);
    const [applicantBars, coApplicantBars] = await Promise.all([
      restrictionsOfPerson(repository, application.personKey).then((r) =>
        barsInForce(r, 'loans', contractDate),
      ),
      spouse?.coApplies
        ? restrictionsOfPerson(repository, spouse.personKey).then((r) =>
            barsInForce(r, 'loans', contractDate),
          )
        : [],
    ]);
    if (applicantBars.length > 0 || coApplicantBars.length > 0) {
      throw new DomainError('LOAN_BARRED', {
        reasons: [
          ...(applicantBars.length > 0
            ? [
                barReason(
                  'ON_VIOLATION_LIST',
                  { 'zh-CN': '借款人', en: 'The borrower has' },
                  'loans',
                  applicantBars,
                ),
              ]
            : []),
          ...(coApplicantBars.length > 0
            ? [
                barReason(
                  'CO_APPLICANT_ON_VIOLATION_LIST',
                  { 'zh-CN': '共同借款人（配偶）', en: 'The co-applicant (spouse) has' },
                  'loans',
                  coApplicantBars,
                ),
              ]
            : []),
        ],
      });
    }
    // Facts changed since the application: flagged to the centres' risk queues, never a refusal.
    await raiseIfFactsChanged(repository, application, now);
    const rate = loanRateInForce(contractDate, decision.homeOrder, application.request.termMonths);
    const firstDueMonth = nextMonth(monthOf(contractDate));
    const schedule = repaymentSchedule({
      principalFen,
      annualRateHundredthsBp: rate.annualRateHundredthsBp,
      termMonths: application.request.termMonths,
      method: application.request.method,
      firstDueMonth,
    });
    const depositCity = decision.depositAccountCity;
    const spousePersonKey = confirmedSpouse(application.household)?.personKey;
    const loan: LoanRecord = {
      ...loanKey(repository.city, loanId),
      SK: 'LOAN',
      GSI1PK: personIndexKey(application.personKey),
      GSI1SK: `LOAN#${repository.city}#${loanId}`,
      loanId,
      applicationId,
      personKey: application.personKey,
      ...(spousePersonKey ? { spousePersonKey } : {}),
      city: repository.city,
      ...(depositCity ? { depositCity } : {}),
      offsite: depositCity !== undefined && depositCity !== repository.city,
      principalFen,
      outstandingPrincipalFen: principalFen,
      annualRateHundredthsBp: rate.annualRateHundredthsBp,
      rateRuleVersion: rate.ruleVersion,
      homeOrder: decision.homeOrder,
      termMonths: application.request.termMonths,
      contractTermMonths: application.request.termMonths,
      method: application.request.method,
      contractDate,
      firstDueMonth,
      status: 'active',
      schedule: schedule.instalments,
      paidInstalments: 0,
      disbursedAt: now.toISOString(),
      applicationToDisbursementMs: now.getTime() - Date.parse(application.acceptedAt),
      version: 0,
    };
    await repository.transactWrite([
      { Put: { Item: loan, ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        Put: {
          Item: {
            ...personLoanKey(repository.city, application.personKey, loanId),
            loanId,
            status: 'active',
          },
        },
      },
      { Put: { Item: { ...activeLoanLinkKey(repository.city, loanId), loanId } } },
      {
        Update: transitionItem(application, 'disbursed', staffActor(staff), now, {
          disbursedAt: now.toISOString(),
        }),
      },
      auditItem(repository.city, {
        at: now,
        staff: staff.subject,
        action: 'disburse',
        application,
        outcome: 'disbursed',
        amountFen: principalFen,
      }),
      // The household's places, the borrower's and the spouse's, become the active loan together.
      ...[application.personKey, ...(spousePersonKey ? [spousePersonKey] : [])].map((placeKey) => ({
        Update: {
          Key: loanIndexKey(placeKey),
          UpdateExpression: 'SET #status = :active, loanId = :loan, updatedAt = :at',
          ConditionExpression: 'applicationId = :application AND #status = :reserved',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':active': 'active',
            ':loan': loanId,
            ':at': now.toISOString(),
            ':application': applicationId,
            ':reserved': 'reserved',
          },
        },
      })),
      ...(loan.offsite && depositCity
        ? [
            {
              Update: {
                Key: { PK: REGIONAL_LOAN_STATS_PK, SK: `${repository.city}#${depositCity}` },
                UpdateExpression:
                  'ADD loanCount :one, amountFen :amount SET lendingCity = :lending, depositCity = :deposit',
                ExpressionAttributeValues: {
                  ':one': 1,
                  ':amount': principalFen,
                  ':lending': repository.city,
                  ':deposit': depositCity,
                },
              },
            },
          ]
        : []),
    ]);
    return loan;
  });
}
