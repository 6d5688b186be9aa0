/**
 * What every application (loan, withdrawal…) has, whatever its item: id, item code, centre,
 * channel and accepting agent, status with a timeline of transitions, committed deadline, the
 * reasons for a rejection in words a citizen understands, and its outgoing inter-centre requests
 * (the application is its own outbox). Applications carry GSI1 = (`C#<city>#APPS#<status>`,
 * `<committedDeadline>#<id>`): a centre's work queue by status, soonest deadline first, which the
 * sweep and the staff desk read for every kind alike.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type CalendarStatus, workingDaysBetween } from '../calendar/working-days.js';
import type { CityCode } from '../config/cities.js';
import { tableName } from '../config/runtime.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { dynamoDocumentClient } from '../persistence/client.js';
import { centreKey, GSI1 } from '../persistence/table.js';
import { backoff } from '../persistence/transactions.js';
import type { ServiceItemCode } from '../services/declaration.js';

export type ApplicationStatus =
  | 'awaiting_facts'
  | 'review'
  | 'approved'
  | 'rejected'
  | 'disbursed'
  | 'paid'
  | 'withdrawn';
export type Channel = 'online' | 'agent';

/** Statuses in which an application still waits for its decision, against its committed deadline. */
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['awaiting_facts', 'review'];

export interface FactsRequestState {
  requestId: string;
  /** The envelope as sent, so the relay and the sweep re-send the very same message. */
  message: string;
  sentAt?: string;
  answeredAt?: string;
}

export interface TimelineEntry {
  status: ApplicationStatus;
  at: string;
  by: string;
  note?: string;
  /** An entry that records a change other than of status. */
  event?: 'deadline-recomputed';
  previousDeadline?: string;
  committedDeadline?: string;
}

export interface Reason {
  code: string;
  message: { 'zh-CN': string; en: string };
}

export interface ApplicationBase {
  PK: string;
  SK: string;
  GSI1PK: string;
  GSI1SK: string;
  applicationId: string;
  itemCode: ServiceItemCode;
  city: CityCode;
  channel: Channel;
  agentOrgId?: string;
  acceptedBy: string;
  personKey: string;
  idNumberMasked: string;
  status: ApplicationStatus;
  timeline: TimelineEntry[];
  acceptedAt: string;
  committedDeadline: string;
  committedDeadlineCalendar: CalendarStatus;
  /** The catalogue's committed time when accepted, so a recomputed deadline counts the same days. */
  committedWorkingDays?: number;
  /** After this instant the application stops waiting for answers and goes to staff. */
  factsDeadline: string;
  requests: Partial<Record<CityCode, FactsRequestState>>;
  /** What each asked centre answered (see recordAnswer). */
  facts: Partial<Record<CityCode, unknown>>;
  reasons?: Reason[];
  version: number;
}

export function workQueueKey(city: CityCode, status: ApplicationStatus): string {
  return centreKey(city, 'APPS', status);
}

/** What a bank branch or sales office submitted, for its own list (`GET /v1/agent/applications`). */
export function agentSubmissionItem(application: ApplicationBase & { agentOrgId: string }) {
  return {
    PK: centreKey(application.city, 'AGENT', application.agentOrgId),
    SK: `${application.acceptedAt}#${application.applicationId}`,
    applicationId: application.applicationId,
    itemCode: application.itemCode,
    applicationKey: { PK: application.PK, SK: application.SK },
    acceptedAt: application.acceptedAt,
    acceptedBy: application.acceptedBy,
  };
}

/**
 * A centre's work queue in one status, soonest committed deadline first (GSI1: eventually
 * consistent, so act on an entry only after reading the application itself). `dueBefore` keeps
 * only those whose deadline has passed.
 */
export async function workQueue<T extends ApplicationBase = ApplicationBase>(
  city: CityCode,
  status: ApplicationStatus,
  options: { dueBefore?: Date } = {},
): Promise<T[]> {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: GSI1.indexName,
        KeyConditionExpression: `#pk = :queue${options.dueBefore ? ' AND #sk < :due' : ''}`,
        ExpressionAttributeNames: {
          '#pk': GSI1.partitionKey,
          ...(options.dueBefore ? { '#sk': GSI1.sortKey } : {}),
        },
        ExpressionAttributeValues: {
          ':queue': workQueueKey(city, status),
          ...(options.dueBefore ? { ':due': options.dueBefore.toISOString() } : {}),
        },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as T[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The state of an application's outgoing requests as its applicant sees them (no messages). */
export function requestsView(requests: ApplicationBase['requests']) {
  return Object.fromEntries(
    Object.entries(requests).map(([city, r]) => [
      city,
      { sentAt: r?.sentAt ?? null, answeredAt: r?.answeredAt ?? null },
    ]),
  );
}

/** Time left against the committed deadline, in working days, while the application waits for its decision. */
export function timeLeft(application: Pick<ApplicationBase, 'status' | 'committedDeadline'>, now: Date) {
  const open = OPEN_STATUSES.includes(application.status);
  return {
    open,
    overdue: open && now.toISOString() > application.committedDeadline,
    workingDaysLeft: open ? Math.max(0, workingDaysBetween(now, application.committedDeadline)) : null,
  };
}

const MAX_ANSWER_ATTEMPTS = 6;

export interface Answer {
  /** The centre that answered, and the request of ours it answers. */
  from: CityCode;
  inReplyTo: string;
  /** The answering message itself (for the audit of a dropped one). */
  messageId: string;
  /** What it said, kept under `facts.<from>`; nothing for a bare acknowledgement. */
  facts?: unknown;
}

/**
 * Records one answer to an application's outgoing requests (the bookkeeping of its outbox),
 * guarded by the version read. `complete` when it was the last one awaited. An answer that
 * matches no open request (unknown application, answered already, decided already) is kept
 * for the audit trail under `REPLY#<messageId>` and dropped, not retried.
 */
export async function recordAnswer(
  repository: CentreRepository,
  key: { PK: string; SK: string },
  answer: Answer,
  now: Date,
): Promise<'complete' | 'recorded' | 'dropped'> {
  for (let attempt = 0; attempt < MAX_ANSWER_ATTEMPTS; attempt++) {
    const application = await repository.get<ApplicationBase & Record<string, unknown>>(key, {
      consistent: true,
    });
    const request = application?.requests[answer.from];
    if (
      application?.status === 'awaiting_facts' &&
      request?.requestId === answer.inReplyTo &&
      request.answeredAt &&
      Object.values(application.requests).every((r) => r?.answeredAt)
    ) {
      // All answered yet undecided: the decision after the last answer failed; its retry decides now.
      return 'complete';
    }
    if (
      application?.status !== 'awaiting_facts' ||
      request?.requestId !== answer.inReplyTo ||
      request.answeredAt !== undefined
    ) {
      await repository.put({
        PK: key.PK,
        SK: `REPLY#${answer.messageId}`,
        from: answer.from,
        inReplyTo: answer.inReplyTo,
        receivedAt: now.toISOString(),
        disposition: !application
          ? 'unknown-application'
          : application.status !== 'awaiting_facts'
            ? 'already-decided'
            : 'duplicate-or-stale',
      });
      logger.info('answer dropped: no open request', {
        key: key.PK,
        from: answer.from,
        messageId: answer.messageId,
      });
      return 'dropped';
    }
    try {
      await repository.update({
        Key: key,
        UpdateExpression: `SET requests.#city.answeredAt = :at, #version = :next${answer.facts === undefined ? '' : ', facts.#city = :facts'}`,
        ConditionExpression: '#version = :version AND #status = :awaiting',
        ExpressionAttributeNames: { '#city': answer.from, '#version': 'version', '#status': 'status' },
        ExpressionAttributeValues: {
          ':at': now.toISOString(),
          ':version': application.version,
          ':next': application.version + 1,
          ':awaiting': 'awaiting_facts',
          ...(answer.facts === undefined ? {} : { ':facts': answer.facts }),
        },
      });
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      await backoff(attempt);
      continue;
    }
    const open = Object.entries(application.requests).filter(
      ([city, r]) => city !== answer.from && !r?.answeredAt,
    );
    return open.length === 0 ? 'complete' : 'recorded';
  }
  throw new Error(`answer ${answer.messageId} to ${key.PK} kept conflicting`);
}
