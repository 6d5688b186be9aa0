/**
 * The depositing centre's side of a loan application elsewhere: it answers a deposit-facts
 * request from its own records only, discloses only what the decision needs (about a spouse who
 * does not co-apply: their HPF loans, nothing else), records the disclosure in its own audit
 * trail (asker, purpose, application, fields, time), and replies to the asker's inbox.
 */

import { monthOf } from '../calendar/dates.js';
import { toBeijingDate } from '../calendar/working-days.js';
import { monthlyDeposit } from '../deposits/rules.js';
import {
  continuousMonthsAsOf,
  getEmployer,
  getPersonalAccount,
  openAccountOfPerson,
  type PersonalAccountRecord,
  termsFor,
} from '../deposits/store.js';
import { flagsOfEmployer, restrictionsOfPerson } from '../enforcement/records.js';
import { raiseRiskCase } from '../enforcement/risk.js';
import { baseRaisedBeforeApplication, riskRulesInForce } from '../enforcement/risk-rules.js';
import { barsInForce } from '../enforcement/rules.js';
import {
  type DepositFacts,
  type MessageOf,
  newMessage,
  type SpouseLoanFacts,
} from '../messaging/envelope.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { recordDisclosure } from '../persistence/disclosures.js';
import { centreKey } from '../persistence/table.js';
import { parametersInForce } from '../rules/centre-parameters.js';

/** The facts this centre holds about a person, as of `now`. */
export async function depositFactsOf(
  repository: CentreRepository,
  personKey: string,
  now: Date,
): Promise<DepositFacts> {
  const accountNo = await openAccountOfPerson(repository, personKey);
  const account = accountNo ? await getPersonalAccount(repository, accountNo) : undefined;
  return factsOfAccount(repository, personKey, account, now);
}

/** The HPF loans of the person at this centre not yet repaid. */
async function outstandingLoansOf(repository: CentreRepository, personKey: string): Promise<number> {
  const loans = await repository.queryAll(centreKey(repository.city, 'PERSON', personKey), {
    sortKeyCondition: 'begins_with(SK, :loan)',
    ExpressionAttributeValues: { ':loan': 'LOAN#' },
    ConsistentRead: true,
  });
  return loans.filter((loan) => loan.status === 'active').length;
}

/** Whether the account's employer is flagged in arrears (欠缴) by any centre: a fact for staff, never a refusal. */
async function employerInArrearsOf(
  repository: CentreRepository,
  account: PersonalAccountRecord | undefined,
): Promise<boolean> {
  if (!account?.employerAccountNo) return false;
  const employer = await getEmployer(repository, account.employerAccountNo);
  if (!employer) return false;
  return (await flagsOfEmployer(repository, employer.uscc)).some((flag) => flag.kind === 'employer-arrears');
}

/** The facts with the person's account here already read (none: the person has no open account). */
export async function factsOfAccount(
  repository: CentreRepository,
  personKey: string,
  account: PersonalAccountRecord | undefined,
  now: Date,
): Promise<DepositFacts> {
  const today = toBeijingDate(now);
  const thisMonth = monthOf(today);
  const [outstandingHpfLoans, restrictions, employerInArrears] = await Promise.all([
    outstandingLoansOf(repository, personKey),
    restrictionsOfPerson(repository, personKey),
    employerInArrearsOf(repository, account),
  ]);
  const terms = account ? termsFor(account, thisMonth) : undefined;
  return {
    accountStatus: account?.status ?? 'none',
    continuousDepositMonths: account ? continuousMonthsAsOf(account, thisMonth) : 0,
    balanceFen: account?.balanceFen ?? 0,
    monthlyDepositFen:
      account?.status === 'normal' && terms
        ? monthlyDeposit({
            baseFen: terms.monthlyDepositBaseFen,
            employeeRateBasisPoints: terms.employeeRateBasisPoints,
            employerRateBasisPoints: terms.employerRateBasisPoints,
            rounding: parametersInForce(repository.city, today).depositRounding,
          }).totalFen
        : 0,
    monthlyDepositBaseFen: account?.status === 'normal' && terms ? terms.monthlyDepositBaseFen : 0,
    outstandingHpfLoans,
    onViolationList: barsInForce(restrictions, 'loans', today).length > 0,
    employerInArrears,
  };
}

/**
 * The deposit facts for a loan decision, and the risk check on them: a deposit base raised shortly
 * before the application (突击调基, thresholds in shared/enforcement/risk-rules.ts) is said in the facts
 * and raised once to this centre's risk queue (the lending centre raises it in its own).
 */
async function depositFactsWithRiskCheck(
  repository: CentreRepository,
  request: MessageOf<'deposit-facts-request'>,
  now: Date,
): Promise<DepositFacts> {
  const { personKey, applicationId } = request.payload;
  const accountNo = await openAccountOfPerson(repository, personKey);
  const account = accountNo ? await getPersonalAccount(repository, accountNo) : undefined;
  const facts = await factsOfAccount(repository, personKey, account, now);
  const rules = riskRulesInForce(toBeijingDate(now));
  const raised =
    account?.status === 'normal' && rules
      ? baseRaisedBeforeApplication(
          (month) => termsFor(account, month).monthlyDepositBaseFen,
          (account.termsHistory ?? []).map((t) => t.effectiveMonth),
          monthOf(toBeijingDate(now)),
          rules,
        )
      : undefined;
  if (raised) {
    await raiseRiskCase(
      repository,
      {
        check: 'deposit-base-raised',
        caseId: `${applicationId}#${repository.city}`,
        applicationId,
        cities: [request.from, repository.city],
        details: { ...raised, personalAccountNo: accountNo },
      },
      now,
    );
  }
  return { ...facts, depositBaseRaisedRecently: raised !== undefined };
}

export async function answerDepositFactsRequest(
  request: MessageOf<'deposit-facts-request'>,
  repository: CentreRepository,
  now = new Date(),
): Promise<MessageOf<'deposit-facts-reply'>> {
  const facts: DepositFacts | SpouseLoanFacts =
    request.payload.purpose === 'loan-application-spouse'
      ? { outstandingHpfLoans: await outstandingLoansOf(repository, request.payload.personKey) }
      : await depositFactsWithRiskCheck(repository, request, now);
  await recordDisclosure(repository, request, Object.keys(facts), now);
  return newMessage(
    'deposit-facts-reply',
    {
      from: repository.city,
      to: request.from,
      correlationId: request.correlationId,
      deadline: new Date(request.deadline),
      now,
    },
    { inReplyTo: request.requestId, payload: { applicationId: request.payload.applicationId, facts } },
  );
}
