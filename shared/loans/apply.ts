/**
 * Accepting a loan application (OFFSITE_LOAN, and the local loan it generalises). The API
 * function records the application and, in the same write, the deposit-facts requests it needs
 * from every centre where the person holds an account (the application is its own outbox), and
 * for a married applicant the spouse's HPF loans from every centre where the spouse holds one
 * (`spouse:<city>`), and when the application names an online-signing record, the property city's
 * register on it (`property:<city>`: its registered price bounds the loan, never a declared one);
 * then it relays them to the centres' inboxes. A crash between the write and the send, or a lost
 * message, is repaired by the sweep, which re-sends what was not answered.
 * A co-applying spouse's deposit facts are asked only once the spouse consents (consent.ts).
 */
import { randomBytes } from 'node:crypto';
import { recordApplicationOnce, relayUnsent } from '../applications/outbox.js';
import {
  type Channel,
  type FactsRequestState,
  type RequestKey,
  type RequestParty,
  requestKeyOf,
  workQueueKey,
} from '../applications/records.js';
import { committedDeadline } from '../calendar/working-days.js';
import { catalogueItem } from '../catalogue/catalogue.js';
import type { CityCode } from '../config/cities.js';
import { replyDeadlineMs } from '../config/runtime.js';
import { parseIdNumber } from '../identity/id-number.js';
import { maskIdNumber } from '../identity/mask.js';
import { personKey } from '../identity/person-key.js';
import { type FactsPurpose, newMessage } from '../messaging/envelope.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { centresOfPerson } from '../persistence/person-accounts.js';
import { normaliseOnlineSigningNo } from '../property/register.js';
import { getApplication } from './decide.js';
import type { MaritalStatus } from './decision-rule.js';
import { applicationKey, type Household, type LoanApplicationRecord, type LoanRequest } from './store.js';

/** How long the lending centre waits for the other centres' facts before staff take over. */
export const DEFAULT_FACTS_DEADLINE_MS = 15 * 60_000;

/** When an application asked now stops waiting for answers (REPLY_DEADLINE_MS overrides it). */
export function factsDeadlineFrom(now: Date): Date {
  return new Date(now.getTime() + replyDeadlineMs(DEFAULT_FACTS_DEADLINE_MS));
}

/** A loan application's id (`<city>-<yyyymmdd>-…`), unlike a withdrawal's (`<city>-W-…`) or a back-pay's (`<city>-B-…`). */
export function isLoanApplicationId(applicationId: string): boolean {
  return /^\d{6}-\d{8}-/.test(applicationId);
}

/** The same caller, route and Idempotency-Key always name the same application: a retry finds it. */
export function applicationIdFor(city: CityCode, now: Date, idempotencyScope: string): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `${city}-${day}-${idempotencyScope.slice(0, 10).toUpperCase()}`;
}

const PURPOSE_OF: Record<RequestParty, FactsPurpose> = {
  applicant: 'loan-application',
  spouse: 'loan-application-spouse',
  coapplicant: 'loan-application-co-applicant',
};

/**
 * The facts requests about one person of the household to each of `cities`, keyed by party and
 * centre; the lending centre is always asked too: it answers from its own records like any other.
 */
export async function factsRequests(
  party: RequestParty,
  about: { applicationId: string; personKey: string; lendingCity: CityCode },
  route: { correlationId: string; deadline: Date; now: Date },
): Promise<{ requests: Partial<Record<RequestKey, FactsRequestState>>; cities: CityCode[] }> {
  const holding = await centresOfPerson(about.personKey);
  const cities = [...new Set<CityCode>([about.lendingCity, ...holding])];
  const requests: Partial<Record<RequestKey, FactsRequestState>> = {};
  for (const city of cities) {
    const message = newMessage(
      'deposit-facts-request',
      { from: about.lendingCity, to: city, ...route },
      {
        payload: {
          applicationId: about.applicationId,
          personKey: about.personKey,
          purpose: PURPOSE_OF[party],
        },
      },
    );
    requests[requestKeyOf(party, city)] = { requestId: message.requestId, message: JSON.stringify(message) };
  }
  return { requests, cities: holding };
}

/** The request to the property city for the record the application names, about the applicant. */
export function propertyRequest(
  about: { applicationId: string; personKey: string; lendingCity: CityCode },
  record: { propertyCity: CityCode; onlineSigningNo: string },
  route: { correlationId: string; deadline: Date; now: Date },
): Partial<Record<RequestKey, FactsRequestState>> {
  const message = newMessage(
    'property-facts-request',
    { from: about.lendingCity, to: record.propertyCity, ...route },
    {
      payload: {
        applicationId: about.applicationId,
        personKey: about.personKey,
        onlineSigningNo: normaliseOnlineSigningNo(record.onlineSigningNo),
        purpose: 'loan-application',
      },
    },
  );
  return {
    [requestKeyOf('property', record.propertyCity)]: {
      requestId: message.requestId,
      message: JSON.stringify(message),
    },
  };
}

/** The household as the applicant declared it; the spouse's ID number already validated. */
export interface HouseholdDeclaration {
  maritalStatus: MaritalStatus;
  spouse?: { idNumber: string; coApplies: boolean };
}

export interface ApplyInput {
  lendingCity: CityCode;
  idNumber: string;
  personKey: string;
  request: LoanRequest;
  household: HouseholdDeclaration;
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
  const factsDeadline = factsDeadlineFrom(now);
  const route = { correlationId: input.correlationId, deadline: factsDeadline, now };
  const about = { applicationId, personKey: input.personKey, lendingCity: input.lendingCity };
  const own = await factsRequests('applicant', about, route);
  const { onlineSigningNo, propertyCity } = input.request;
  const property = onlineSigningNo ? propertyRequest(about, { propertyCity, onlineSigningNo }, route) : {};
  const declared = input.household.spouse;
  // Stored by person key and masked number only: the spouse's ID number is never kept in clear.
  // Nothing about the spouse is asked for until the spouse confirms with their own sign-in: an ID
  // number typed by the applicant is no ground to disclose a person's loans or hold their place.
  const spouseKey = declared ? await personKey(declared.idNumber) : undefined;
  const household: Household = {
    maritalStatus: input.household.maritalStatus,
    ...(declared && spouseKey
      ? {
          spouse: {
            personKey: spouseKey,
            idNumberMasked: maskIdNumber(declared.idNumber),
            coApplies: declared.coApplies,
          },
        }
      : {}),
  };
  const { committedWorkingDays } = catalogueItem('OFFSITE_LOAN');
  const deadline = committedDeadline(now, committedWorkingDays);
  const application: LoanApplicationRecord = {
    ...applicationKey(input.lendingCity, applicationId),
    GSI1PK: workQueueKey(input.lendingCity, 'awaiting_facts'),
    GSI1SK: `${deadline.deadline}#${applicationId}`,
    applicationId,
    itemCode: 'OFFSITE_LOAN',
    offsite: own.cities.some((city) => city !== input.lendingCity),
    city: input.lendingCity,
    channel: input.channel,
    ...(input.agentOrgId ? { agentOrgId: input.agentOrgId } : {}),
    acceptedBy: input.acceptedBy,
    personKey: input.personKey,
    idNumberMasked: maskIdNumber(input.idNumber),
    birthDate: id.value.birthDate,
    request: onlineSigningNo
      ? { ...input.request, onlineSigningNo: normaliseOnlineSigningNo(onlineSigningNo) }
      : input.request,
    household,
    ...(declared ? { awaitsConfirmation: 'spouse-confirmation' as const } : {}),
    status: 'awaiting_facts',
    timeline: [{ status: 'awaiting_facts', at: now.toISOString(), by: input.acceptedBy }],
    acceptedAt: now.toISOString(),
    committedDeadline: deadline.deadline,
    committedDeadlineCalendar: deadline.calendar,
    committedWorkingDays,
    factsDeadline: factsDeadline.toISOString(),
    requests: { ...own.requests, ...property },
    facts: {},
    version: 0,
  };
  const recorded = await recordApplicationOnce(
    repository,
    application,
    () => getApplication(repository, applicationId),
    'LOAN',
  );
  if (recorded.replayed) return recorded.application;
  await relayUnsent(repository, application, now);
  return application;
}
