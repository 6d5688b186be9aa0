/**
 * The lending centre's side: it collects the deposit-facts replies and the property register's
 * reply on the named record into the application and, when every answer is in, decides once
 * through the application kernel with the loan rule. Replies may come twice, late or out of order: a reply that does not match an open request is
 * recorded for audit and dropped.
 */
import {
  type ApplicationItem,
  actorOf,
  canTransition,
  type Decision,
  decideAutomatically,
  type Evaluation,
  transitionItem,
} from '../applications/kernel.js';
import { recordAnswer } from '../applications/outbox.js';
import { parseRequestKey, type Reason, type RequestKey } from '../applications/records.js';
import { toBeijingDate } from '../calendar/working-days.js';
import { restrictionsOfPerson } from '../enforcement/records.js';
import { raiseRiskCase } from '../enforcement/risk.js';
import { DomainError } from '../errors/domain-error.js';
import type { DepositFacts, MessageOf, PropertyFacts, SpouseLoanFacts } from '../messaging/envelope.js';
import type { CentreRepository, TransactItem } from '../persistence/centre-repository.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { parametersInForce } from '../rules/centre-parameters.js';
import { nationalRulesInForce } from '../rules/national.js';
import {
  type CentreDepositFacts,
  countedMonthlyIncome,
  decideLoan,
  type LoanDecision,
} from './decision-rule.js';
import { loanPropertyPrice } from './property-price.js';
import {
  applicationKey,
  confirmedSpouse,
  type LoanApplicationRecord,
  type LoanIndexRecord,
  loanIdOf,
  loanIndexKey,
} from './store.js';

/** Referral thresholds of the regional standard (configurable here, one place for all ten centres). */
export const REVIEW_THRESHOLDS = { requestedAboveFen: 100_000_000 } as const;

export async function getApplication(
  repository: CentreRepository,
  applicationId: string,
): Promise<LoanApplicationRecord | undefined> {
  return repository.get<LoanApplicationRecord & Record<string, unknown>>(
    applicationKey(repository.city, applicationId),
    { consistent: true },
  );
}

const SPOUSE_NOT_CONFIRMED: Reason = {
  code: 'SPOUSE_CONFIRMATION_MISSING',
  message: {
    'zh-CN': '配偶尚未登录确认，无法按家庭审核本申请。',
    en: 'Your spouse has not confirmed with their own sign-in: the application cannot be judged for the household yet.',
  },
};

/** The people whose index places a loan of this application holds: the applicant, and the spouse. */
function indexPlaces(
  application: LoanApplicationRecord,
): { personKey: string; role: 'borrower' | 'spouse' }[] {
  const spouse = confirmedSpouse(application.household);
  return [
    { personKey: application.personKey, role: 'borrower' },
    ...(spouse ? [{ personKey: spouse.personKey, role: 'spouse' as const }] : []),
  ];
}

/**
 * The conditional write that reserves one index place for this application: the household's single
 * HPF loan, the applicant's place (`borrower`) and the spouse's (`spouse`) in the same transaction.
 */
export function reservationItem(
  application: LoanApplicationRecord,
  place: { personKey: string; role: 'borrower' | 'spouse' },
  index: LoanIndexRecord | undefined,
  at: Date,
): TransactItem {
  const record: LoanIndexRecord = {
    ...loanIndexKey(place.personKey),
    SK: 'INDEX',
    status: 'reserved',
    role: place.role,
    lendingCity: application.city,
    applicationId: application.applicationId,
    repaidLoans: index?.repaidLoans ?? 0,
    updatedAt: at.toISOString(),
  };
  return {
    Put: {
      Item: record,
      ConditionExpression: 'attribute_not_exists(PK) OR #status = :released OR applicationId = :application',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':released': 'released', ':application': application.applicationId },
    },
  };
}

/** Gives the reservations of an application back (withdrawn before disbursement), both places. */
export function releaseItems(application: LoanApplicationRecord, at: Date): TransactItem[] {
  return indexPlaces(application).map((place) => ({
    Update: {
      Key: loanIndexKey(place.personKey),
      UpdateExpression: 'SET #status = :released, updatedAt = :at',
      ConditionExpression: 'applicationId = :application AND #status = :reserved',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':released': 'released',
        ':at': at.toISOString(),
        ':application': application.applicationId,
        ':reserved': 'reserved',
      },
    },
  }));
}

/**
 * The applicant withdraws (撤回) an application not yet disbursed; an approval's reservation in the
 * regional loan index is released in the same transaction.
 */
export async function withdrawApplication(
  repository: CentreRepository,
  applicationId: string,
  by: string,
  now: Date,
): Promise<void> {
  await withOptimisticRetry(async () => {
    const application = await getApplication(repository, applicationId);
    if (!application) throw new DomainError('NOT_FOUND');
    if (!canTransition(application.status, 'withdrawn')) {
      throw new DomainError('CANNOT_WITHDRAW', { applicationStatus: application.status });
    }
    await repository.transactWrite([
      { Update: transitionItem(application, 'withdrawn', by, now) },
      ...(application.status === 'approved' ? releaseItems(application, now) : []),
    ]);
  });
}

const heldElsewhere = (application: LoanApplicationRecord, index: LoanIndexRecord | undefined) =>
  index !== undefined && index.status !== 'released' && index.applicationId !== application.applicationId;

/**
 * The loan index as a decision sees it: a loan held or reserved by another application counts.
 * A married applicant's place held as a spouse is the spouse's loan, not the applicant's own (an
 * unmarried applicant's counts as their own: the place stays held until that loan is repaid); the
 * two places of one loan count once.
 */
export function indexForDecision(
  application: LoanApplicationRecord,
  own: LoanIndexRecord | undefined,
  spouse?: LoanIndexRecord,
) {
  const married = application.household?.spouse !== undefined;
  const ownHeld = heldElsewhere(application, own) && (!married || own?.role !== 'spouse');
  const sameLoan = ownHeld && spouse?.applicationId === own?.applicationId;
  const spouseHeld =
    (heldElsewhere(application, spouse) && !sameLoan) ||
    (married && heldElsewhere(application, own) && own?.role === 'spouse');
  return {
    applicant: { activeLoans: ownHeld ? 1 : 0, repaidLoans: own?.repaidLoans ?? 0 },
    spouse: { activeLoans: spouseHeld ? 1 : 0, repaidLoans: spouse?.repaidLoans ?? 0 },
  };
}

type Facts = NonNullable<LoanApplicationRecord['facts'][RequestKey]>;
const isDepositFacts = (facts: Facts): facts is DepositFacts => 'accountStatus' in facts;

/** The facts on record, by whom they are about: the applicant's, the spouse's loans, a co-applicant's. */
export function householdFacts(application: LoanApplicationRecord) {
  const applicant: CentreDepositFacts[] = [];
  const coApplicant: CentreDepositFacts[] = [];
  let spouseOutstandingHpfLoans = 0;
  for (const [key, facts] of Object.entries(application.facts) as [RequestKey, Facts][]) {
    const { party, city } = parseRequestKey(key);
    if (party === 'property') continue;
    if (party === 'spouse') spouseOutstandingHpfLoans += (facts as SpouseLoanFacts).outstandingHpfLoans;
    else if (isDepositFacts(facts))
      (party === 'applicant' ? applicant : coApplicant).push({ city, ...facts });
  }
  // A co-applicant's deposit facts count only after the spouse's own confirmation.
  const consented = application.household?.spouse?.consentedAt !== undefined;
  return { applicant, spouseOutstandingHpfLoans, coApplicant: consented ? coApplicant : [] };
}

/** The register's answer on the record the application names; undefined when it names none. */
export function propertyFactsOnRecord(application: LoanApplicationRecord): PropertyFacts | undefined {
  if (!application.request.onlineSigningNo) return undefined;
  return application.facts[`property:${application.request.propertyCity}`] as PropertyFacts | undefined;
}

/**
 * The loan rule on the facts on record (the lending city's parameter version and the national rules
 * in force on the day the application was accepted; the rate of the contract day, today; the house
 * price of the property register): what the automatic decision is, the ceiling a staff approval may
 * reach (the computed limit, never above the city cap; none when the rule refuses, a centre never
 * answered or the register gave no price), and the writes that carry a decision out: an approval
 * reserves the applicant's place in the regional loan index, and a married applicant's spouse's, in
 * the same transaction, so two centres can never approve two HPF loans for one household (the
 * spouses applying at two centres at once included).
 */
export const loanItem: ApplicationItem<LoanApplicationRecord> = {
  load: getApplication,
  // The register had no record: once staff have entered it from the paper contract, ask again.
  mayAskAgain: (application, key) =>
    key === `property:${application.request.propertyCity}` &&
    propertyFactsOnRecord(application)?.found === false,
  async evaluate(repository, application, now) {
    const [index, spouseIndex] = await Promise.all(
      indexPlaces(application).map((place) =>
        repository.get<LoanIndexRecord & Record<string, unknown>>(loanIndexKey(place.personKey), {
          consistent: true,
        }),
      ),
    );
    let rule: LoanDecision | undefined;
    const carryOut = (decision: Decision, at: Date): TransactItem[] => {
      const approved = decision.outcome === 'approve';
      const amountFen = decision.amountFen ?? rule?.approvedFen ?? rule?.proposedFen;
      return [
        {
          Update: transitionItem(application, approved ? 'approved' : 'rejected', actorOf(decision), at, {
            decision: {
              ...(rule ?? {}),
              outcome: approved ? 'approved' : 'rejected',
              ...(approved ? { approvedFen: amountFen } : {}),
              decidedAt: at.toISOString(),
              decidedBy: decision.by,
              ...(decision.confirmedBy ? { confirmedBy: decision.confirmedBy } : {}),
            },
            reasons:
              decision.by === 'system' ? decision.reasons : [...(rule?.reasons ?? []), ...decision.reasons],
            ...(rule ? { ruleVersion: rule.ruleVersion } : {}),
            nationalRuleVersion: nationalRulesInForce(toBeijingDate(application.acceptedAt)).ruleVersion,
            ...(approved ? { loanId: loanIdOf(application.applicationId) } : {}),
          }),
        },
        ...(approved
          ? indexPlaces(application).map((place) =>
              reservationItem(application, place, place.role === 'spouse' ? spouseIndex : index, at),
            )
          : []),
      ];
    };
    // A spouse who has not confirmed: the household cannot be judged, so staff can only refuse.
    if (application.household?.spouse && !confirmedSpouse(application.household)) {
      return { outcome: 'review', reasons: [SPOUSE_NOT_CONFIRMED], record: {}, carryOut };
    }
    const missing = Object.values(application.requests).some((r) => !r?.answeredAt);
    if (missing) {
      // A centre never answered: nothing to compute a limit on.
      return { outcome: 'review', reasons: application.reasons ?? [], record: {}, carryOut };
    }
    // The price is the register's, never the declared one: without it no limit is computed.
    const property = loanPropertyPrice(propertyFactsOnRecord(application));
    if (property.outcome !== 'price') {
      return {
        outcome: property.outcome === 'rejected' ? 'reject' : 'review',
        reasons: [property.reason],
        record: {},
        carryOut,
      };
    }
    const today = toBeijingDate(now);
    const acceptedOn = toBeijingDate(application.acceptedAt);
    const { applicant: deposits, spouseOutstandingHpfLoans, coApplicant } = householdFacts(application);
    const loanIndex = indexForDecision(application, index, spouseIndex);
    // Joint enforcement region-wide, read by the deciding centre itself at the decision.
    const coApplying = confirmedSpouse(application.household);
    const [applicantRestrictions, coApplicantRestrictions] = await Promise.all([
      restrictionsOfPerson(repository, application.personKey),
      coApplying?.coApplies ? restrictionsOfPerson(repository, coApplying.personKey) : [],
    ]);
    // The household's income: the applicant's and a consented co-applicant's deposit bases.
    const income = countedMonthlyIncome([...deposits, ...coApplicant], application.request.monthlyIncomeFen);
    const decided = decideLoan({
      params: parametersInForce(application.city, acceptedOn),
      contractDate: today,
      applicant: {
        birthDate: application.birthDate,
        monthlyIncomeFen: income.monthlyIncomeFen,
        otherMonthlyDebtFen: application.request.otherMonthlyDebtFen,
      },
      deposits,
      regionalLoanIndex: loanIndex.applicant,
      ...(application.household?.spouse
        ? {
            spouse: {
              outstandingHpfLoans: spouseOutstandingHpfLoans,
              regionalLoanIndex: loanIndex.spouse,
              ...(coApplicant.length > 0 ? { deposits: coApplicant } : {}),
            },
          }
        : {}),
      declaredHomeOrder: application.request.declaredHomeOrder,
      housePriceFen: property.registeredPriceFen,
      requestedFen: application.request.requestedFen,
      termMonths: application.request.termMonths,
      method: application.request.method,
      reviewThresholds: REVIEW_THRESHOLDS,
      restrictions: { applicant: applicantRestrictions, coApplicant: coApplicantRestrictions },
    });
    // A declared income above the fetched base: what would be approved goes to staff, with the reason.
    rule =
      income.review && decided.outcome === 'approved'
        ? {
            ...decided,
            outcome: 'review',
            proposedFen: decided.approvedFen as number,
            approvedFen: undefined,
            reasons: [...decided.reasons, income.review],
          }
        : decided;
    return {
      outcome: OUTCOME_OF[rule.outcome],
      ...(rule.outcome === 'rejected' ? {} : { amountFen: rule.approvedFen ?? rule.proposedFen }),
      // Staff grant at most the computed limit, and never more than was asked.
      ...(rule.outcome === 'rejected'
        ? {}
        : { ceilingFen: Math.min(rule.limit.limitFen, application.request.requestedFen) }),
      reasons: rule.reasons satisfies Reason[],
      ruleVersion: rule.ruleVersion,
      record: { ...rule },
      carryOut,
    };
  },
};

const OUTCOME_OF: Record<LoanDecision['outcome'], Evaluation['outcome']> = {
  approved: 'approve',
  rejected: 'reject',
  review: 'review',
};

/** Decides an application whose facts are all in; a no-op if someone decided it meanwhile. */
export async function decideApplication(
  repository: CentreRepository,
  applicationId: string,
  now = new Date(),
): Promise<void> {
  await decideAutomatically(loanItem, repository, applicationId, now);
}

/** Records one answer (a centre's deposit facts, or the property register's) in the application; decides when all are in. */
export async function recordFactsReply(
  reply: MessageOf<'deposit-facts-reply'> | MessageOf<'property-facts-reply'>,
  repository: CentreRepository,
  now = new Date(),
): Promise<'recorded' | 'dropped'> {
  const facts = reply.type === 'deposit-facts-reply' ? reply.payload.facts : reply.payload.property;
  const outcome = await recordAnswer(
    repository,
    applicationKey(repository.city, reply.payload.applicationId),
    { from: reply.from, inReplyTo: reply.inReplyTo, messageId: reply.requestId, facts },
    now,
  );
  // A risk the depositing centre saw is raised in this centre's queue too, once per case.
  if (outcome !== 'dropped' && 'depositBaseRaisedRecently' in facts && facts.depositBaseRaisedRecently) {
    await raiseRiskCase(
      repository,
      {
        check: 'deposit-base-raised',
        caseId: `${reply.payload.applicationId}#${reply.from}`,
        applicationId: reply.payload.applicationId,
        cities: [repository.city, reply.from],
        details: {},
      },
      now,
    );
  }
  if (outcome === 'complete') await decideApplication(repository, reply.payload.applicationId, now);
  return outcome === 'dropped' ? 'dropped' : 'recorded';
}
