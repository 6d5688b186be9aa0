/**
 * Replies are recoverable (DESIGN.md §4 "Centres talk through queues"): a reply that never reached
 * the asker, or ended in its dead-letter queue, is sent again when the sweep asks again with the
 * same request, from what the answering centre kept, without disclosing anything anew; and a
 * dead-letter queue is redriven back to its inbox by the ops command's move.
 *
 * No pollers run here: the test is the network, handing each message to the real centre worker
 * as Lambda's SQS event source would, or dead-lettering it on purpose.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCentreWorker } from '../../functions/centre-worker/handler.js';
import { lambdaSqsRecord } from '../../infra/local/pollers.js';
import { moveDeadLetters } from '../../infra/ops/redrive.js';
import { sweepListed } from '../../shared/applications/sweep.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { acceptLoanApplication } from '../../shared/loans/apply.js';
import { getApplication } from '../../shared/loans/decide.js';
import { type Envelope, parseEnvelope } from '../../shared/messaging/envelope.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { centreKey } from '../../shared/persistence/table.js';
import { makeDepositor } from '../support/depositors.js';
import { lambdaContext } from '../support/events.js';
import { homeBoughtBy } from '../support/properties.js';
import { createTestInboxes, type TestInboxes } from '../support/region.js';

const LENDING: CityCode = '320700';
const ACCOUNT: CityCode = '321300';

let inboxes: TestInboxes;
beforeAll(async () => {
  inboxes = await createTestInboxes();
});
afterAll(() => inboxes.sqs.destroy());

type Fate = 'deliver' | 'dead-letter';

/**
 * Takes every message now in a centre's inbox: hands it to the centre's worker (deleted once the
 * worker reports it done) or moves it to the dead-letter queue; returns what it took.
 */
async function network(city: CityCode, fate: (message: Envelope) => Fate = () => 'deliver') {
  const queue = inboxes.queues[city];
  const worker = createCentreWorker(city);
  const taken: { message: Envelope; fate: Fate }[] = [];
  for (;;) {
    const { Messages = [] } = await inboxes.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return taken;
    for (const received of Messages) {
      const message = parseEnvelope(received.Body ?? '');
      const chosen = fate(message);
      taken.push({ message, fate: chosen });
      if (chosen === 'dead-letter') {
        await inboxes.sqs.send(
          new SendMessageCommand({ QueueUrl: queue.dlqUrl, MessageBody: received.Body }),
        );
      } else {
        const response = await worker(
          { Records: [lambdaSqsRecord(received, queue.arn, 'us-east-1')] },
          lambdaContext(),
        );
        expect(response.batchItemFailures).toEqual([]);
      }
      await inboxes.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: received.ReceiptHandle }),
      );
    }
  }
}

async function disclosuresOf(city: CityCode, requestId: string) {
  const { items } = await centreRepository(city).query(
    centreKey(city, 'DISCLOSURE', toBeijingDate(new Date()).slice(0, 7)),
    { ConsistentRead: true },
  );
  return items.filter((item) => item.requestId === requestId);
}

async function loanApplicationOf(person: { idNumber: string; personKey: string }) {
  const home = await homeBoughtBy(person.idNumber, LENDING);
  return acceptLoanApplication(centreRepository(LENDING), {
    lendingCity: LENDING,
    idNumber: person.idNumber,
    personKey: person.personKey,
    request: {
      ...home,
      requestedFen: 20_000_000,
      termMonths: 240,
      method: 'equal-installment',
      declaredHomeOrder: 'first',
      otherMonthlyDebtFen: 0,
    },
    channel: 'online',
    household: { maritalStatus: 'single' },
    acceptedBy: 'test',
    correlationId: 'replies',
  });
}

describe('a reply that never reached the asker', () => {
  it('is sent again from what the answering centre kept when the sweep asks again, nothing disclosed anew', async () => {
    const person = await makeDepositor([ACCOUNT], 12);
    const application = await loanApplicationOf(person);
    const askedOfAccount = parseEnvelope(application.requests[ACCOUNT]?.message ?? '');

    // The account centre answers; its reply to the lending centre is dead-lettered on the way.
    expect((await network(ACCOUNT)).map((t) => t.message.requestId)).toEqual([askedOfAccount.requestId]);
    const lost = await network(LENDING, (m) =>
      m.type === 'deposit-facts-reply' && m.from === ACCOUNT ? 'dead-letter' : 'deliver',
    );
    expect(lost.filter((t) => t.fate === 'dead-letter')).toHaveLength(1);
    const waiting = await getApplication(centreRepository(LENDING), application.applicationId);
    expect(waiting?.status).toBe('awaiting_facts');
    expect(waiting?.requests[ACCOUNT]?.answeredAt).toBeUndefined();
    expect(await disclosuresOf(ACCOUNT, askedOfAccount.requestId)).toHaveLength(1);

    // The sweep asks again with the same request; the account centre re-sends the reply it kept.
    // Only this application: with no resend interval, a whole-centre sweep would also re-send the
    // open applications other test files have in this centre at the same moment (a CI flake).
    const swept = await sweepListed(centreRepository(LENDING), [application], { resendAfterMs: 0 });
    expect(swept.resent).toBe(1);
    const again = await network(ACCOUNT);
    expect(again.map((t) => t.message.requestId)).toEqual([askedOfAccount.requestId]);
    const recovered = await network(LENDING);
    expect(recovered.map((t) => t.message)).toEqual([
      expect.objectContaining({ type: 'deposit-facts-reply', inReplyTo: askedOfAccount.requestId }),
    ]);
    // The same reply as the lost one, word for word: kept, not recomputed.
    expect(recovered[0]?.message).toEqual(lost.find((t) => t.fate === 'dead-letter')?.message);

    const done = await getApplication(centreRepository(LENDING), application.applicationId);
    expect(done?.status).toBe('approved');
    expect(await disclosuresOf(ACCOUNT, askedOfAccount.requestId)).toHaveLength(1);
  });
});

describe('npm run redrive', () => {
  it('moves a dead-lettered request back to its inbox, where the worker answers it once', async () => {
    const person = await makeDepositor([ACCOUNT], 12);
    const application = await loanApplicationOf(person);
    const asked = parseEnvelope(application.requests[ACCOUNT]?.message ?? '');
    // The account centre's worker was failing: the request ended in its dead-letter queue.
    const failed = await network(ACCOUNT, () => 'dead-letter');
    expect(failed.map((t) => t.message.requestId)).toEqual([asked.requestId]);

    const queue = inboxes.queues[ACCOUNT];
    expect(await moveDeadLetters(inboxes.sqs, { deadLetterUrl: queue.dlqUrl, inboxUrl: queue.url })).toEqual({
      moved: 1,
    });
    expect(await moveDeadLetters(inboxes.sqs, { deadLetterUrl: queue.dlqUrl, inboxUrl: queue.url })).toEqual({
      moved: 0,
    });
    expect((await network(ACCOUNT)).map((t) => t.message.requestId)).toEqual([asked.requestId]);
    await network(LENDING);
    const done = await getApplication(centreRepository(LENDING), application.applicationId);
    expect(done?.status).toBe('approved');
    expect(await disclosuresOf(ACCOUNT, asked.requestId)).toHaveLength(1);
  });
});
