/**
 * A married applicant's spouse confirms with their own sign-in (配偶确认; 共同申请人确认 when they
 * co-apply, DESIGN.md §2b). Until then nothing about the spouse is asked for, counted or reserved:
 * an ID number the applicant types is no ground to learn a person's loans or hold their place in
 * the loan index. Confirmed, the spouse's HPF loans are asked for (`spouse:<city>`) and, for a
 * co-applicant, the deposit facts (`coapplicant:<city>`), from every centre where the spouse holds
 * an account, and the lending centre. The confirmation is one version-guarded write of the
 * application, with a timeline entry, the new requests and the end of the wait; then the requests
 * are relayed. Confirming again answers the same.
 */
import { applicationUpdate } from '../applications/kernel.js';
import { relayUnsent } from '../applications/outbox.js';
import { DomainError } from '../errors/domain-error.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { factsDeadlineFrom, factsRequests } from './apply.js';
import { getApplication } from './decide.js';

export interface ConsentInput {
  applicationId: string;
  /** The signed-in caller's person key: it must be the application's spouse. */
  callerPersonKey: string;
  /** The caller's token subject, kept on the application (the applicant sees "co-applicant"). */
  by: string;
  correlationId: string;
  now: Date;
}

export interface ConsentAnswer {
  applicationId: string;
  coApplicantConsentedAt: string;
}

/** What the spouse reads before confirming: who applied (masked), where, for how much, and whether they co-apply. */
export interface ConsentRequest {
  applicationId: string;
  lendingCity: string;
  applicantIdNumberMasked: string;
  requestedFen: number;
  termMonths: number;
  coApplies: boolean;
  status: string;
  consentedAt: string | null;
  /** The consent is still taken (the application waits for facts, or is with staff for the missing consent). */
  open: boolean;
}

const CONSENT_OPEN = ['awaiting_facts', 'review'];

/** The named spouse reads what they are asked to confirm; for anyone else the application does not exist. */
export async function consentRequestOf(
  repository: CentreRepository,
  applicationId: string,
  callerPersonKey: string,
): Promise<ConsentRequest> {
  const application = await getApplication(repository, applicationId);
  const spouse = application?.household?.spouse;
  if (!application || !spouse || spouse.personKey !== callerPersonKey) throw new DomainError('NOT_FOUND');
  return {
    applicationId: application.applicationId,
    lendingCity: application.city,
    applicantIdNumberMasked: application.idNumberMasked,
    requestedFen: application.request.requestedFen,
    termMonths: application.request.termMonths,
    coApplies: spouse.coApplies,
    status: application.status,
    consentedAt: spouse.consentedAt ?? null,
    open: !spouse.consentedAt && CONSENT_OPEN.includes(application.status),
  };
}

export async function consentAsCoApplicant(
  repository: CentreRepository,
  input: ConsentInput,
): Promise<ConsentAnswer> {
  const { now } = input;
  const answer = await withOptimisticRetry(async () => {
    const application = await getApplication(repository, input.applicationId);
    const spouse = application?.household?.spouse;
    // Anyone but the named spouse learns nothing, not even that the application exists.
    if (!application || !spouse || spouse.personKey !== input.callerPersonKey) {
      throw new DomainError('NOT_FOUND');
    }
    if (spouse.consentedAt)
      return { applicationId: application.applicationId, consentedAt: spouse.consentedAt };
    // A decision waits in awaiting_facts, or in review when the consent came too late; later it is taken.
    if (!CONSENT_OPEN.includes(application.status)) {
      throw new DomainError('CO_APPLICANT_CONSENT_CLOSED', { applicationStatus: application.status });
    }
    const deadline = factsDeadlineFrom(now);
    const about = {
      applicationId: application.applicationId,
      personKey: spouse.personKey,
      lendingCity: application.city,
    };
    const route = { correlationId: input.correlationId, deadline, now };
    // Confirmed: the spouse's HPF loans are asked for, and a co-applicant's deposit facts too.
    const { requests: loans } = await factsRequests('spouse', about, route);
    const { requests: deposits } = spouse.coApplies
      ? await factsRequests('coapplicant', about, route)
      : { requests: {} };
    const requests = { ...loans, ...deposits };
    const update = applicationUpdate(application, {
      // Sent to staff for the missing consent: it waits for the co-applicant's facts again.
      ...(application.status === 'review' ? { to: 'awaiting_facts' as const } : {}),
      by: 'co-applicant',
      at: now,
      note: spouse.coApplies
        ? 'the co-applying spouse confirmed with their own sign-in'
        : 'the spouse confirmed the household with their own sign-in',
      entry: { event: 'co-applicant-consented' },
      sets: {
        household: {
          ...application.household,
          spouse: { ...spouse, consentedAt: now.toISOString(), consentedBy: input.by },
        },
        requests: { ...application.requests, ...requests },
        // The spouse's centres get the whole wait, never less than the applicant's had left.
        factsDeadline: new Date(
          Math.max(deadline.getTime(), Date.parse(application.factsDeadline)),
        ).toISOString(),
        ...(application.status === 'review' ? { reasons: [] } : {}),
      },
    });
    await repository.update({
      ...update,
      UpdateExpression: `${update.UpdateExpression} REMOVE awaitsConfirmation`,
    });
    return { applicationId: application.applicationId, consentedAt: now.toISOString(), relay: true };
  });
  if ('relay' in answer) {
    const updated = await getApplication(repository, answer.applicationId);
    if (updated) await relayUnsent(repository, updated, now);
  }
  return { applicationId: answer.applicationId, coApplicantConsentedAt: answer.consentedAt };
}
