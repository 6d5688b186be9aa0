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
import { personIndexKey } from '../deposits/store.js';
import { queryAll, type TableItem } from '../persistence/centre-repository.js';
import { dynamoDocumentClient } from '../persistence/client.js';
import { centreKey, GSI1 } from '../persistence/table.js';
import type { ServiceItemCode } from '../services/declaration.js';
import { APPLICATION_STATUSES, type ApplicationStatus } from './statuses.js';

export { APPLICATION_STATUSES, type ApplicationStatus };
export type Channel = 'online' | 'agent';

/** Statuses in which an application still waits for its decision, against its committed deadline. */
export const OPEN_STATUSES: readonly ApplicationStatus[] = [
  'awaiting_facts',
  'review',
  'pending_confirmation',
];

/**
 * Which answer a request awaits: a centre's answer about the applicant (keyed by the centre's
 * code), or about the applicant's spouse: `spouse:<city>` (the spouse's HPF loans only) and
 * `coapplicant:<city>` (a co-applying spouse's deposit facts, asked once the spouse consented);
 * or the property city's register on the online-signing record a loan names (`property:<city>`,
 * asked about the applicant).
 */
export type RequestKey = CityCode | `spouse:${CityCode}` | `coapplicant:${CityCode}` | `property:${CityCode}`;
/** Whom a deposit-facts request is about. */
export type RequestParty = 'applicant' | 'spouse' | 'coapplicant';
/** What a request key names: a deposit-facts party, or the property register. */
export type RequestKeyParty = RequestParty | 'property';

export function requestKeyOf(party: RequestKeyParty, city: CityCode): RequestKey {
  return party === 'applicant' ? city : `${party}:${city}`;
}

/** The centre a request goes to, and whom (or what) it is about. */
export function parseRequestKey(key: string): { party: RequestKeyParty; city: CityCode } {
  const [first, second] = key.split(':');
  return second === undefined
    ? { party: 'applicant', city: first as CityCode }
    : { party: first as RequestKeyParty, city: second as CityCode };
}

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
  event?: 'deadline-recomputed' | 'co-applicant-consented';
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
  requests: Partial<Record<RequestKey, FactsRequestState>>;
  /** What each asked centre answered, under the request's key (see recordAnswer). */
  facts: Partial<Record<RequestKey, unknown>>;
  /**
   * A confirmation the application waits for besides the answers: the automatic decision is not
   * taken while it is set, and at the facts deadline the sweep names it to staff.
   */
  awaitsConfirmation?: 'spouse-confirmation';
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

/** The citizen's three lists (我的办件): withdrawals (提取), transfers (转移接续), loan applications (贷款申请). */
export type PersonList = 'WITHDRAWAL' | 'TRANSFER' | 'LOAN';

export const personListPrefix = (list: PersonList) => `APP#${list}#`;

/**
 * The index item of an application in the person's list: it lives beside the application in the
 * handling centre and carries GSI1 = (`PERSON#<personKey>`, `APP#<list>#<acceptedAt>#<id>`).
 */
export function personApplicationItem(application: ApplicationBase, list: PersonList) {
  return {
    PK: centreKey(application.city, 'PERSONAPP', application.applicationId),
    SK: 'INDEX',
    GSI1PK: personIndexKey(application.personKey),
    GSI1SK: `${personListPrefix(list)}${application.acceptedAt}#${application.applicationId}`,
    applicationId: application.applicationId,
    city: application.city,
    applicationKey: { PK: application.PK, SK: application.SK },
  };
}

/** What a new application is written with, in its own transaction: its line in the person's list and, from a counter, the agent's. */
export function itemsAlongside(application: ApplicationBase, list: PersonList): TableItem[] {
  return [
    personApplicationItem(application, list),
    ...(application.agentOrgId
      ? [agentSubmissionItem({ ...application, agentOrgId: application.agentOrgId })]
      : []),
  ];
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
  return queryAll<T & TableItem>({
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
  });
}

/**
 * One page of a centre's work queue in one status, after sort key `after` (the previous page's
 * `next`): `next` is set when more may follow. Pages stay valid while entries leave the queue.
 */
export async function workQueuePage<T extends ApplicationBase = ApplicationBase>(
  city: CityCode,
  status: ApplicationStatus,
  page: { after?: string; limit: number },
): Promise<{ items: T[]; next?: string }> {
  const output = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: GSI1.indexName,
      KeyConditionExpression: `#pk = :queue${page.after === undefined ? '' : ' AND #sk > :after'}`,
      ExpressionAttributeNames: {
        '#pk': GSI1.partitionKey,
        ...(page.after === undefined ? {} : { '#sk': GSI1.sortKey }),
      },
      ExpressionAttributeValues: {
        ':queue': workQueueKey(city, status),
        ...(page.after === undefined ? {} : { ':after': page.after }),
      },
      Limit: page.limit,
    }),
  );
  const items = (output.Items ?? []) as T[];
  const last = items.at(-1);
  return output.LastEvaluatedKey && last ? { items, next: last.GSI1SK } : { items };
}

/**
 * An application as its applicant (or the accepting agent) sees it: no keys, no messages, none of
 * the staff's internal working (a pending or returned decision, a failure's detail), and staff
 * named by their role, not their id.
 */
export function applicantView<T extends ApplicationBase>(application: T, now: Date) {
  const {
    PK: _pk,
    SK: _sk,
    GSI1PK: _q,
    GSI1SK: _d,
    personKey: _key,
    pendingDecision: _pending,
    returnedDecision: _returned,
    decisionFailure: _failure,
    requests,
    timeline,
    ...rest
  } = application as T & { pendingDecision?: unknown; returnedDecision?: unknown; decisionFailure?: unknown };
  const decision = (rest as { decision?: Record<string, unknown> }).decision;
  return {
    ...rest,
    ...(decision
      ? {
          decision: Object.fromEntries(
            Object.entries(decision).filter(
              ([name]) => !['decidedBy', 'confirmedBy', 'automatic'].includes(name),
            ),
          ),
        }
      : {}),
    timeline: timeline.map((entry) => ({ ...entry, by: entry.by.startsWith('staff:') ? 'staff' : entry.by })),
    requests: requestsView(requests),
    timeLeft: timeLeft(application, now),
  };
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
