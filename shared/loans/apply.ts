/**
 * Accepting a loan application (OFFSITE_LOAN, and the local loan it generalises). The API
 * function records the application and, in the same write, the deposit-facts requests it needs
 * from every centre where the person holds an account (the application is its own outbox);
 * then it relays them to the centres' inboxes. A crash between the write and the send, or a
 * lost message, is repaired by the sweep, which re-sends what was not answered.
 */
import { randomBytes } from 'node:crypto';
import { relayUnsent } from '../applications/outbox.js';
import { type Channel, type FactsRequestState, workQueueKey } from '../applications/records.js';
import { committedDeadline } from '../calendar/working-days.js';
import { catalogueItem } from '../catalogue/catalogue.js';
import type { CityCode } from '../config/cities.js';
import { replyDeadlineMs } from '../config/runtime.js';
import { parseIdNumber } from '../identity/id-number.js';
import { maskIdNumber } from '../identity/mask.js';
import { newMessage } from '../messaging/envelope.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { centresOfPerson } from '../persistence/person-accounts.js';
import { getApplication } from './decide.js';
import { applicationKey, type LoanApplicationRecord, type LoanRequest } from './store.js';

/** How long the lending centre waits for the other centres' facts before staff take over. */
export const DEFAULT_FACTS_DEADLINE_MS = 15 * 60_000;

/** When an application asked now stops waiting for answers (REPLY_DEADLINE_MS overrides it). */
export function factsDeadlineFrom(now: Date): Date {
  return new Date(now.getTime() + replyDeadlineMs(DEFAULT_FACTS_DEADLINE_MS));
}

/** The same caller, route and Idempotency-Key always name the same application: a retry finds it. */
export function applicationIdFor(city: CityCode, now: Date, idempotencyScope: string): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `${city}-${day}-${idempotencyScope.slice(0, 10).toUpperCase()}`;
}

export interface ApplyInput {
  lendingCity: CityCode;
  idNumber: string;
  personKey: string;
  request: LoanRequest;
  channel: Channel;
  agentOrgId?: string;
  acceptedBy: string;
  correlationId: string;
  /** The request's idempotency scope (shared/http/idempotency.ts): the application id derives from it. */
  idempotencyScope?: string;
  now?: Date;
}

export async function acceptLoanApplication(
  repository: CentreRepository,
  input: ApplyInput,
): Promise<LoanApplicationRecord> {
  const now = input.now ?? new Date();
  const id = parseIdNumber(input.idNumber);
  if (!id.ok) throw new RangeError('the ID number must be validated before an application is accepted');
  const scope = input.idempotencyScope ?? randomBytes(8).toString('hex');
  const applicationId = applicationIdFor(input.lendingCity, now, scope);
  const existing = await getApplication(repository, applicationId);
  if (existing) return existing;
  const holding = await centresOfPerson(input.personKey);
  // The lending centre is always asked too: it answers from its own records like any other.
  const centres = [...new Set<CityCode>([input.lendingCity, ...holding])];
  const factsDeadline = factsDeadlineFrom(now);
  const requests: Partial<Record<CityCode, FactsRequestState>> = {};
  for (const city of centres) {
    const message = newMessage(
      'deposit-facts-request',
      { from: input.lendingCity, to: city, correlationId: input.correlationId, deadline: factsDeadline, now },
      { payload: { applicationId, personKey: input.personKey, purpose: 'loan-application' } },
    );
    requests[city] = { requestId: message.requestId, message: JSON.stringify(message) };
  }
  const { committedWorkingDays } = catalogueItem('OFFSITE_LOAN');
  const deadline = committedDeadline(now, committedWorkingDays);
  const application: LoanApplicationRecord = {
    ...applicationKey(input.lendingCity, applicationId),
    GSI1PK: workQueueKey(input.lendingCity, 'awaiting_facts'),
    GSI1SK: `${deadline.deadline}#${applicationId}`,
    applicationId,
    itemCode: 'OFFSITE_LOAN',
    offsite: holding.some((city) => city !== input.lendingCity),
    city: input.lendingCity,
    channel: input.channel,
    ...(input.agentOrgId ? { agentOrgId: input.agentOrgId } : {}),
    acceptedBy: input.acceptedBy,
    personKey: input.personKey,
    idNumberMasked: maskIdNumber(input.idNumber),
    birthDate: id.value.birthDate,
    request: input.request,
    status: 'awaiting_facts',
    timeline: [{ status: 'awaiting_facts', at: now.toISOString(), by: input.acceptedBy }],
    acceptedAt: now.toISOString(),
    committedDeadline: deadline.deadline,
    committedDeadlineCalendar: deadline.calendar,
    committedWorkingDays,
    factsDeadline: factsDeadline.toISOString(),
    requests,
    facts: {},
    version: 0,
  };
  try {
    await repository.put(application, { ConditionExpression: 'attribute_not_exists(PK)' });
  } catch (error) {
    // The same scope raced itself (a taken-over retry): the first one stands.
    const first =
      (error as Error).name === 'ConditionalCheckFailedException' &&
      (await getApplication(repository, applicationId));
    if (first) return first;
    throw error;
  }
  await relayUnsent(repository, application, now);
  return application;
}
