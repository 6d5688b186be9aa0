/**
 * The lending centre's side: it collects the deposit-facts replies into the application and,
 * when every centre has answered, decides once (per the lending city's rule version). An
 * approval reserves the person's place in the regional loan index with a conditional write in
 * the same transaction, so two centres can never approve two HPF loans for one person.
 * Replies may come twice, late or out of order: a reply that does not match an open request is
 * recorded for audit and dropped.
 */

import {
  type ApplicationBase,
  type ApplicationStatus,
  type Reason,
  recordAnswer,
  workQueueKey,
} from '../applications/records.js';
import { toBeijingDate } from '../calendar/working-days.js';
import type { CityCode } from '../config/cities.js';
import type { MessageOf } from '../messaging/envelope.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository, TransactItem } from '../persistence/centre-repository.js';
import { backoff, cancellationReasons, isTransientConflict } from '../persistence/transactions.js';
import { parametersInForce } from '../rules/centre-parameters.js';
import { decideLoan, type LoanDecision } from './decision-rule.js';
import {
  applicationKey,
  type LoanApplicationRecord,
  type LoanIndexRecord,
  loanIdOf,
  loanIndexKey,
} from './store.js';

const MAX_ATTEMPTS = 6;

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

/**
 * The update moving an application from `from` to `to` (work queue, timeline, version), guarded
 * by the version read; `sets` adds attributes in the same write.
 */
export function transitionItem(
  application: ApplicationBase,
  to: ApplicationStatus,
  by: string,
  at: Date,
  sets: Record<string, unknown> = {},
  note?: string,
): NonNullable<TransactItem['Update']> & { Key: { PK: string; SK: string } } {
  const names: Record<string, string> = {
    '#status': 'status',
    '#version': 'version',
    '#timeline': 'timeline',
  };
  const values: Record<string, unknown> = {
    ':to': to,
    ':from': application.status,
    ':queue': workQueueKey(application.city, to),
    ':entry': [{ status: to, at: at.toISOString(), by, ...(note ? { note } : {}) }],
    ':version': application.version,
    ':next': application.version + 1,
  };
  const clauses = [
    '#status = :to',
    'GSI1PK = :queue',
    '#timeline = list_append(#timeline, :entry)',
    '#version = :next',
  ];
  Object.entries(sets).forEach(([name, value], i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    clauses.push(`#s${i} = :s${i}`);
  });
  return {
    Key: { PK: application.PK, SK: application.SK },
    UpdateExpression: `SET ${clauses.join(', ')}`,
    ConditionExpression: '#version = :version AND #status = :from',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** The conditional write that reserves the person's single HPF loan for this application. */
export function reservationItem(
  application: LoanApplicationRecord,
  index: LoanIndexRecord | undefined,
  at: Date,
): TransactItem {
  const record: LoanIndexRecord = {
    ...loanIndexKey(application.personKey),
    SK: 'INDEX',
    status: 'reserved',
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

/** Gives the reservation of an application back (withdrawn before disbursement). */
export function releaseItem(application: LoanApplicationRecord, at: Date): TransactItem {
  return {
    Update: {
      Key: loanIndexKey(application.personKey),
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
  };
}

/** The loan index as a decision sees it: a loan held or reserved by another application counts. */
export function indexForDecision(application: LoanApplicationRecord, index: LoanIndexRecord | undefined) {
  const heldElsewhere =
    index !== undefined && index.status !== 'released' && index.applicationId !== application.applicationId;
  return { activeLoans: heldElsewhere ? 1 : 0, repaidLoans: index?.repaidLoans ?? 0 };
}

function decisionRecord(decision: LoanDecision, at: Date, by: string): Record<string, unknown> {
  return { ...decision, decidedAt: at.toISOString(), decidedBy: by };
}

const STATUS_OF: Record<LoanDecision['outcome'], ApplicationStatus> = {
  approved: 'approved',
  rejected: 'rejected',
  review: 'review',
};

/** Decides an application whose facts are all in; a no-op if someone decided it meanwhile. */
export async function decideApplication(
  repository: CentreRepository,
  applicationId: string,
  now = new Date(),
): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const application = await getApplication(repository, applicationId);
    if (application?.status !== 'awaiting_facts') return;
    const index = await repository.get<LoanIndexRecord & Record<string, unknown>>(
      loanIndexKey(application.personKey),
      {
        consistent: true,
      },
    );
    const today = toBeijingDate(now);
    const decision = decideLoan({
      params: parametersInForce(application.city, today),
      contractDate: today,
      applicant: {
        birthDate: application.birthDate,
        monthlyIncomeFen: application.request.monthlyIncomeFen,
        otherMonthlyDebtFen: application.request.otherMonthlyDebtFen,
      },
      deposits: (
        Object.entries(application.facts) as [
          CityCode,
          NonNullable<LoanApplicationRecord['facts'][CityCode]>,
        ][]
      ).map(([city, facts]) => ({ city, ...facts })),
      regionalLoanIndex: indexForDecision(application, index),
      declaredHomeOrder: application.request.declaredHomeOrder,
      housePriceFen: application.request.housePriceFen,
      requestedFen: application.request.requestedFen,
      termMonths: application.request.termMonths,
      method: application.request.method,
      reviewThresholds: REVIEW_THRESHOLDS,
    });
    const sets: Record<string, unknown> = {
      decision: decisionRecord(decision, now, 'system'),
      reasons: decision.reasons satisfies Reason[],
      ruleVersion: decision.ruleVersion,
      ...(decision.outcome === 'approved' ? { loanId: loanIdOf(applicationId) } : {}),
    };
    const items: TransactItem[] = [
      { Update: transitionItem(application, STATUS_OF[decision.outcome], 'system', now, sets) },
    ];
    if (decision.outcome === 'approved') items.push(reservationItem(application, index, now));
    try {
      await repository.transactWrite(items);
      logger.info('loan application decided', {
        applicationId,
        outcome: decision.outcome,
        decisionMs: now.getTime() - Date.parse(application.acceptedAt),
      });
      return;
    } catch (error) {
      // The application moved (another reply decided it) or another centre reserved the index
      // meanwhile: read both again and decide on what is there now.
      if (!cancellationReasons(error) && !isTransientConflict(error)) throw error;
      await backoff(attempt);
    }
  }
  throw new Error(`application ${applicationId} could not be decided: too many conflicts`);
}

/** Records one centre's facts in the application; decides when they are all in. */
export async function recordFactsReply(
  reply: MessageOf<'deposit-facts-reply'>,
  repository: CentreRepository,
  now = new Date(),
): Promise<'recorded' | 'dropped'> {
  const outcome = await recordAnswer(
    repository,
    applicationKey(repository.city, reply.payload.applicationId),
    { from: reply.from, inReplyTo: reply.inReplyTo, messageId: reply.requestId, facts: reply.payload.facts },
    now,
  );
  if (outcome === 'complete') await decideApplication(repository, reply.payload.applicationId, now);
  return outcome === 'dropped' ? 'dropped' : 'recorded';
}
