/**
 * What every application (loan, withdrawal…) has, whatever its item: id, item code, centre,
 * channel and accepting agent, status with a timeline of transitions, committed deadline, the
 * reasons for a rejection in words a citizen understands, and its outgoing inter-centre requests
 * (the application is its own outbox). Applications carry GSI1 = (`C#<city>#APPS#<status>`,
 * `<committedDeadline>#<id>`): a centre's work queue by status, soonest deadline first, which the
 * sweep and the staff desk read for every kind alike.
 */
import type { CityCode } from '../domain/cities.js';
import type { ServiceItemCode } from '../services/declaration.js';
import { centreKey } from './table.js';

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
  committedDeadlineCalendar: 'official' | 'provisional';
  /** After this instant the application stops waiting for answers and goes to staff. */
  factsDeadline: string;
  requests: Partial<Record<CityCode, FactsRequestState>>;
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
