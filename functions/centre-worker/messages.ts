/**
 * What a centre does with each message type it receives. A request is answered with a reply that
 * `handleMessage` returns rather than sends: the worker keeps it as the request's idempotent result
 * and sends it after every delivery of the request, the first and any re-send, so a reply lost on
 * the way (or dead-lettered at the asker) is sent again without anything being disclosed anew.
 */

import { recordAnswer } from '../../shared/applications/outbox.js';
import type { CityCode } from '../../shared/config/cities.js';
import { isLoanApplicationId } from '../../shared/loans/apply.js';
import { recordFactsReply } from '../../shared/loans/decide.js';
import { answerDepositFactsRequest } from '../../shared/loans/facts.js';
import {
  type Envelope,
  type LoanRepayments,
  type MessageOf,
  newMessage,
  type PropertyFacts,
} from '../../shared/messaging/envelope.js';
import { sendToInbox } from '../../shared/messaging/inbox.js';
import { pongKey } from '../../shared/messaging/ping.js';
import type { CentreRepository } from '../../shared/persistence/centre-repository.js';
import { TTL_ATTRIBUTE } from '../../shared/persistence/table.js';
import { answerPropertyFactsRequest } from '../../shared/property/register.js';
import {
  answerTransferLetter,
  applyTransferResult,
  recordTransferAnswer,
  recordTransferCancellation,
} from '../../shared/transfers/flows.js';
import {
  answerLoanRepaymentsRequest,
  decideWithdrawal,
  withdrawalKey,
} from '../../shared/withdrawals/withdrawals.js';

export interface WorkerDeps {
  city: CityCode;
  repository: CentreRepository;
  now?: () => Date;
}

/** Pong records are only needed while someone waits for them. */
const PONG_RETENTION_SECONDS = 24 * 3600;

function answerPing(message: MessageOf<'ping'>, deps: WorkerDeps): MessageOf<'pong'> {
  const now = deps.now?.() ?? new Date();
  return newMessage(
    'pong',
    {
      from: deps.city,
      to: message.from,
      correlationId: message.correlationId,
      deadline: new Date(message.deadline),
      now,
    },
    { inReplyTo: message.requestId, payload: { receivedAt: now.toISOString() } },
  );
}

async function recordPong(message: MessageOf<'pong'>, deps: WorkerDeps): Promise<void> {
  const now = deps.now?.() ?? new Date();
  await deps.repository.put({
    ...pongKey(deps.city, message.inReplyTo),
    from: message.from,
    pongRequestId: message.requestId,
    answeredAt: message.payload.receivedAt,
    recordedAt: now.toISOString(),
    [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + PONG_RETENTION_SECONDS,
  });
}

/** A withdrawal's awaited message has come: record it, then decide (and pay) once all are in. */
async function answerAndDecide(
  applicationId: string,
  message: Envelope,
  facts: LoanRepayments | PropertyFacts | undefined,
  deps: WorkerDeps,
): Promise<void> {
  const now = deps.now?.() ?? new Date();
  // withdrawal-submitted answers the centre's own request; a reply names the request it answers.
  const inReplyTo = 'inReplyTo' in message ? message.inReplyTo : message.requestId;
  const outcome = await recordAnswer(
    deps.repository,
    withdrawalKey(deps.city, applicationId),
    { from: message.from, inReplyTo, messageId: message.requestId, ...(facts ? { facts } : {}) },
    now,
  );
  if (outcome === 'complete') await decideWithdrawal(deps.repository, applicationId, now);
}

/** What handling a message came to: the reply to send, for a request. */
export interface Handled {
  handled: Envelope['type'];
  reply?: Envelope;
}

export async function handleMessage(message: Envelope, deps: WorkerDeps): Promise<Handled> {
  switch (message.type) {
    case 'ping':
      return { handled: message.type, reply: answerPing(message, deps) };
    case 'pong':
      await recordPong(message, deps);
      break;
    case 'deposit-facts-request':
      return {
        handled: message.type,
        reply: await answerDepositFactsRequest(message, deps.repository, deps.now?.()),
      };
    case 'deposit-facts-reply':
      await recordFactsReply(message, deps.repository, deps.now?.());
      break;
    case 'withdrawal-submitted':
      await answerAndDecide(message.payload.applicationId, message, undefined, deps);
      break;
    case 'loan-repayments-request':
      return {
        handled: message.type,
        reply: await answerLoanRepaymentsRequest(message, deps.repository, deps.now?.()),
      };
    case 'loan-repayments-reply':
      await answerAndDecide(message.payload.applicationId, message, message.payload.loan, deps);
      break;
    case 'property-facts-request':
      return {
        handled: message.type,
        reply: await answerPropertyFactsRequest(message, deps.repository, deps.now?.()),
      };
    case 'property-facts-reply':
      // The register answers loans and withdrawals alike: the application's id says whose it is.
      if (isLoanApplicationId(message.payload.applicationId)) {
        await recordFactsReply(message, deps.repository, deps.now?.());
      } else {
        await answerAndDecide(message.payload.applicationId, message, message.payload.property, deps);
      }
      break;
    // ACCOUNT_TRANSFER 转移接续: the sending centre answers letters and applies results; the receiving
    // centre credits or returns a confirmed debit
    case 'transfer-letter':
      return {
        handled: message.type,
        reply: (await answerTransferLetter(message, deps.repository, deps.now?.()))?.answer,
      };
    case 'transfer-answer':
      await recordTransferAnswer(message, deps.repository, deps.now?.());
      break;
    case 'transfer-result':
      await applyTransferResult(message, deps.repository, deps.now?.());
      break;
    case 'transfer-cancellation':
      await recordTransferCancellation(message, deps.repository, deps.now?.());
      break;
  }
  return { handled: message.type };
}

/** Sends the reply a request was answered with (again, when the request came again). */
export async function sendReply(handled: Handled): Promise<Handled> {
  if (handled.reply) await sendToInbox(handled.reply);
  return handled;
}
