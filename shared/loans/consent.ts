/**
 * A co-applying spouse confirms with their own sign-in (共同申请人确认, DESIGN.md §2b): only then are
 * the spouse's deposit facts asked for (`coapplicant:<city>`, from every centre where the spouse
 * holds an account, and the lending centre) and counted. The confirmation is one version-guarded
 * write of the application, with a timeline entry, the new requests and the end of the wait;
 * then the requests are relayed. Confirming again answers the same.
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

export async function consentAsCoApplicant(
  repository: CentreRepository,
  input: ConsentInput,
): Promise<ConsentAnswer> {
  const { now } = input;
  const answer = await withOptimisticRetry(async () => {
    const application = await getApplication(repository, input.applicationId);
    const spouse = application?.household?.spouse;
    // Anyone but the co-applying spouse learns nothing, not even that the application exists.
    if (!application || !spouse?.coApplies || spouse.personKey !== input.callerPersonKey) {
      throw new DomainError('NOT_FOUND');
    }
    if (spouse.consentedAt)
      return { applicationId: application.applicationId, consentedAt: spouse.consentedAt };
    // A decision waits in awaiting_facts, or in review when the consent came too late; later it is taken.
    if (application.status !== 'awaiting_facts' && application.status !== 'review') {
      throw new DomainError('CO_APPLICANT_CONSENT_CLOSED', { applicationStatus: application.status });
    }
    const deadline = factsDeadlineFrom(now);
    const { requests } = await factsRequests(
      'coapplicant',
      {
        applicationId: application.applicationId,
        personKey: spouse.personKey,
        lendingCity: application.city,
      },
      { correlationId: input.correlationId, deadline, now },
    );
    const update = applicationUpdate(application, {
      // Sent to staff for the missing consent: it waits for the co-applicant's facts again.
      ...(application.status === 'review' ? { to: 'awaiting_facts' as const } : {}),
      by: 'co-applicant',
      at: now,
      note: 'the co-applying spouse confirmed with their own sign-in',
      entry: { event: 'co-applicant-consented' },
      sets: {
        household: {
          ...application.household,
          spouse: { ...spouse, consentedAt: now.toISOString(), consentedBy: input.by },
        },
        requests: { ...application.requests, ...requests },
        // The co-applicant's centres get the whole wait, never less than the applicant's had left.
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
