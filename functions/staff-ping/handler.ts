/**
 * POST /v1/staff/ping/{city}: staff of one centre check the path to another centre's worker.
 * The ping goes to the other centre's inbox; its worker answers with a pong to this centre's
 * inbox; this centre's worker records the pong; this request waits for that record or answers
 * 504 when the deadline passes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { replyDeadlineMs } from '../../shared/config/runtime.js';
import { DomainError } from '../../shared/errors/domain-error.js';
import { httpHandler } from '../../shared/http/handler.js';
import { newMessage } from '../../shared/messaging/envelope.js';
import { sendToInbox } from '../../shared/messaging/inbox.js';
import { pongKey } from '../../shared/messaging/ping.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { PingPath as Path } from './contract.js';

export const DEFAULT_PING_DEADLINE_MS = 10_000;
const POLL_INTERVAL_MS = 100;
/** Time kept back to answer 504 cleanly before Lambda itself times out. */
const ANSWER_MARGIN_MS = 1_000;

export const handler = httpHandler({
  role: 'staff',
  path: Path,
  handle: async ({ path, caller, correlationId, remainingTimeMs }) => {
    const startedAt = Date.now();
    const waitMs = Math.min(replyDeadlineMs(DEFAULT_PING_DEADLINE_MS), remainingTimeMs() - ANSWER_MARGIN_MS);
    const ping = newMessage(
      'ping',
      { from: caller.city, to: path.city, correlationId, deadline: new Date(startedAt + waitMs) },
      { payload: {} },
    );
    await sendToInbox(ping);

    const ownCentre = centreRepository(caller.city);
    while (Date.now() - startedAt < waitMs) {
      const pong = await ownCentre.get(pongKey(caller.city, ping.requestId), { consistent: true });
      if (pong) {
        return {
          status: 200,
          body: {
            from: caller.city,
            to: path.city,
            requestId: ping.requestId,
            correlationId,
            answeredAt: pong.answeredAt,
            roundTripMs: Date.now() - startedAt,
          },
        };
      }
      await sleep(POLL_INTERVAL_MS);
    }
    throw new DomainError('CENTRE_TIMEOUT', {
      detail: `centre ${path.city} did not answer ping ${ping.requestId} within ${waitMs} ms`,
      pingRequestId: ping.requestId,
    });
  },
});
