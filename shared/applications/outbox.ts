/**
 * An application is its own outbox: the requests it sends to other centres are written with it
 * (so a crash between the write and the send loses nothing), relayed to the inboxes, re-sent by
 * the sweep until answered, and each answer is recorded once.
 */
import type { CityCode } from '../config/cities.js';
import { parseEnvelope } from '../messaging/envelope.js';
import { sendToInbox } from '../messaging/inbox.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository, TableItem } from '../persistence/centre-repository.js';
import { isConditionFailure, withOptimisticRetry } from '../persistence/transactions.js';
import {
  type ApplicationBase,
  type FactsRequestState,
  itemsAlongside,
  type PersonList,
  parseRequestKey,
  type RequestKey,
} from './records.js';

/**
 * Sends every request of the application that has not been answered and was not sent since
 * `resendBefore` (never sent: always), and records when. Concurrent relays (the accepting flow and
 * a sweep, two sweeps) send a request once: each claims it first by a conditional write of
 * `sentAt` over the value it read, and only the one that wins sends. A failed send gives the claim
 * back, for the sweep; a crash between claim and send leaves it to the sweep after `resendBefore`.
 */
export async function relayUnsent(
  repository: CentreRepository,
  application: ApplicationBase,
  now: Date,
  resendBefore?: Date,
): Promise<number> {
  let sent = 0;
  const at = now.toISOString();
  for (const [key, request] of Object.entries(application.requests) as [RequestKey, FactsRequestState][]) {
    if (request.answeredAt) continue;
    if (request.sentAt && (!resendBefore || request.sentAt >= resendBefore.toISOString())) continue;
    const was = request.sentAt;
    const names = { '#key': key };
    try {
      await repository.update({
        Key: { PK: application.PK, SK: application.SK },
        UpdateExpression: 'SET requests.#key.sentAt = :at',
        ConditionExpression: `attribute_exists(requests.#key) AND attribute_not_exists(requests.#key.answeredAt) AND ${
          was === undefined ? 'attribute_not_exists(requests.#key.sentAt)' : 'requests.#key.sentAt = :was'
        }`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':at': at, ...(was === undefined ? {} : { ':was': was }) },
      });
    } catch (error) {
      // another relay claimed it (or it was answered) since it was read
      if (isConditionFailure(error)) continue;
      throw error;
    }
    try {
      await sendToInbox(parseEnvelope(request.message));
      sent += 1;
    } catch (error) {
      logger.warn('request not relayed; the sweep will send it', {
        applicationId: application.applicationId,
        to: parseRequestKey(key).city,
        error: error as Error,
      });
      await repository
        .update({
          Key: { PK: application.PK, SK: application.SK },
          UpdateExpression:
            was === undefined ? 'REMOVE requests.#key.sentAt' : 'SET requests.#key.sentAt = :was',
          ConditionExpression: 'requests.#key.sentAt = :at',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':at': at, ...(was === undefined ? {} : { ':was': was }) },
        })
        .catch((released: unknown) => {
          // kept claimed: the sweep sends it once `resendBefore` passes it
          if (!isConditionFailure(released)) logger.warn('claim not released', { error: released as Error });
        });
    }
  }
  return sent;
}

export interface Answer {
  /** The centre that answered, and the request of ours it answers. */
  from: CityCode;
  inReplyTo: string;
  /** The answering message itself (for the audit of a dropped one). */
  messageId: string;
  /** What it said, kept under `facts.<request key>`; nothing for a bare acknowledgement. */
  facts?: unknown;
}

/**
 * Records one answer to an application's outgoing requests, guarded by the version read.
 * `complete` when it was the last one awaited (or all were in already and the decision is still
 * to be taken: a retry of a failed one). An answer that matches no open request (unknown
 * application, answered already, decided already) is kept for the audit trail under
 * `REPLY#<messageId>` and dropped, not retried.
 */
export async function recordAnswer(
  repository: CentreRepository,
  key: { PK: string; SK: string },
  answer: Answer,
  now: Date,
): Promise<'complete' | 'recorded' | 'dropped'> {
  return withOptimisticRetry(async () => {
    const application = await repository.get<ApplicationBase & Record<string, unknown>>(key, {
      consistent: true,
    });
    // A centre may be asked about the applicant and about the spouse: the request answered is the
    // one to that centre with the request id the answer names.
    const [requestKey, request] = (Object.entries(application?.requests ?? {}).find(
      ([key, r]) => parseRequestKey(key).city === answer.from && r?.requestId === answer.inReplyTo,
    ) ?? [answer.from, application?.requests[answer.from]]) as [RequestKey, FactsRequestState | undefined];
    const open = application?.status === 'awaiting_facts' && request?.requestId === answer.inReplyTo;
    if (open && request.answeredAt && Object.values(application.requests).every((r) => r?.answeredAt)) {
      return 'complete';
    }
    if (!open || request.answeredAt !== undefined) {
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
    await repository.update({
      Key: key,
      UpdateExpression: `SET requests.#key.answeredAt = :at, #version = :next${answer.facts === undefined ? '' : ', facts.#key = :facts'}`,
      ConditionExpression: '#version = :version AND #status = :awaiting',
      ExpressionAttributeNames: { '#key': requestKey, '#version': 'version', '#status': 'status' },
      ExpressionAttributeValues: {
        ':at': now.toISOString(),
        ':version': application.version,
        ':next': application.version + 1,
        ':awaiting': 'awaiting_facts',
        ...(answer.facts === undefined ? {} : { ':facts': answer.facts }),
      },
    });
    const waiting = Object.entries(application.requests).filter(
      ([key, r]) => key !== requestKey && !r?.answeredAt,
    );
    return waiting.length === 0 ? 'complete' : 'recorded';
  });
}

/**
 * Writes a new application once: if the same id raced itself (the same Idempotency-Key, a retry
 * taken over), the first one stands and is answered as a replay. An application in a person's
 * list is written in one transaction with its line in that list (and the agent's, from a counter),
 * so no application is ever missing from them.
 */
export async function recordApplicationOnce<A extends ApplicationBase>(
  repository: CentreRepository,
  application: A,
  firstOne: () => Promise<A | undefined>,
  list?: PersonList,
): Promise<{ replayed: boolean; application: A }> {
  const item = application as A & TableItem;
  // A conflict with the first write still in flight finds nothing yet: it is tried again, not a 500.
  return withOptimisticRetry(async () => {
    try {
      if (list) {
        await repository.transactWrite([
          { Put: { Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
          ...itemsAlongside(application, list).map((alongside) => ({ Put: { Item: alongside } })),
        ]);
      } else {
        await repository.put(item, { ConditionExpression: 'attribute_not_exists(PK)' });
      }
      return { replayed: false, application };
    } catch (error) {
      const first = isConditionFailure(error) ? await firstOne() : undefined;
      if (first) return { replayed: true, application: first };
      throw error;
    }
  });
}
