/**
 * Centres talking through their inboxes, on the SQS emulator and DynamoDB Local: ping → pong,
 * duplicates, poison messages and the confinement of a centre's worker to its own records.
 */

import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Pollers } from '../../infra/local/pollers.js';
import { newMessage } from '../../shared/messaging/envelope.js';
import { pongKey } from '../../shared/messaging/ping.js';
import {
  centreRepository,
  ForeignKeyError,
  workerRepository,
} from '../../shared/persistence/centre-repository.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createTestInboxes, eventually, type TestInboxes } from '../support/region.js';

let inboxes: TestInboxes;
let api: TestGateway;
let pollers: Pollers | undefined;

beforeAll(async () => {
  inboxes = await createTestInboxes({ visibilityTimeoutSeconds: 1 });
  api = await startTestGateway();
});

afterEach(async () => {
  await pollers?.stop();
  pollers = undefined;
});

afterAll(async () => {
  await api.close();
  inboxes.sqs.destroy();
});

function ping(from: '320300' | '371300', to: '320300' | '371300') {
  return newMessage(
    'ping',
    { from, to, correlationId: `test-${Date.now()}`, deadline: new Date(Date.now() + 60_000) },
    { payload: {} },
  );
}

async function send(queueUrl: string, body: string) {
  await inboxes.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}

describe('ping between two centres', () => {
  it('a 徐州 staff ping is answered by 临沂 through both inboxes', async () => {
    pollers = inboxes.startWorkers(['320300', '371300']);
    const token = await api.token({ sub: 'staff-xz-1', role: 'staff', city: '320300' });
    const response = await api.request('POST', '/v1/staff/ping/371300', {
      token,
      headers: { 'x-correlation-id': 'ping-e2e-1' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ from: '320300', to: '371300', correlationId: 'ping-e2e-1' });
    expect(typeof body.roundTripMs).toBe('number');
    const pong = await centreRepository('320300').get(pongKey('320300', String(body.requestId)));
    expect(pong).toMatchObject({ from: '371300' });
  });

  it('without a correlation id header, the request id (base64, as API Gateway makes it) carries on', async () => {
    pollers = inboxes.startWorkers(['320300', '371300']);
    const token = await api.token({ sub: 'staff-xz-1', role: 'staff', city: '320300' });
    const response = await api.request('POST', '/v1/staff/ping/371300', { token });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(body.correlationId).toBe(requestId);
  });

  it('answers 504 problem+json when the other centre does not answer in time', async () => {
    // Only the asking centre's worker runs: 枣庄 never answers.
    pollers = inboxes.startWorkers(['320300']);
    process.env.REPLY_DEADLINE_MS = '1500';
    try {
      const token = await api.token({ sub: 'staff-xz-1', role: 'staff', city: '320300' });
      const response = await api.request('POST', '/v1/staff/ping/370400', { token });
      expect(response.status).toBe(504);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ code: 'CENTRE_TIMEOUT', status: 504 });
    } finally {
      delete process.env.REPLY_DEADLINE_MS;
    }
  });

  it('a ping delivered twice is answered once', async () => {
    // 临沂 answers; 徐州's inbox is left unconsumed so the pongs can be counted.
    pollers = inboxes.startWorkers(['371300']);
    const message = ping('320300', '371300');
    await send(inboxes.queues['371300'].url, JSON.stringify(message));
    await send(inboxes.queues['371300'].url, JSON.stringify(message));
    const pongs = await eventually(
      async () => {
        const received = await inboxes.drain(inboxes.queues['320300'].url);
        return received.length > 0 ? received : undefined;
      },
      10_000,
      'the pong',
    );
    // Give a duplicate answer time to show up, then look again (in-flight messages are not re-received).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const more = await inboxes.drain(inboxes.queues['320300'].url, 1);
    // A redelivered copy of the same pong is the same message (same request id), not a second answer.
    const answers = new Set(
      [...pongs, ...more]
        .map((m) => JSON.parse(m.body) as { type: string; inReplyTo?: string; requestId: string })
        .filter((m) => m.type === 'pong' && m.inReplyTo === message.requestId)
        .map((m) => m.requestId),
    );
    expect(answers.size).toBe(1);
  });
});

describe('poison messages', () => {
  it('a malformed message reaches the DLQ after 5 receives and does not block the inbox', async () => {
    pollers = inboxes.startWorkers(['320300', '341300']);
    const inbox = inboxes.queues['341300'];
    await send(inbox.url, '{"type":"ping","this is":"not an envelope"');
    // A good message behind the poison one is handled at once: its pong is recorded in 徐州.
    const good = ping('320300', '371300');
    const goodFor341300 = { ...good, to: '341300' as const };
    await send(inbox.url, JSON.stringify(goodFor341300));
    await eventually(
      () => centreRepository('320300').get(pongKey('320300', good.requestId)),
      10_000,
      'the pong of the good message',
    );
    const dead = await eventually(
      async () => {
        const messages = await inboxes.drain(inbox.dlqUrl);
        return messages.length > 0 ? messages : undefined;
      },
      30_000,
      'the poison message in the DLQ',
    );
    expect(dead).toHaveLength(1);
    expect(dead[0]?.body).toContain('not an envelope');
  });

  it('a message addressed to another centre is not acted on and ends in the DLQ', async () => {
    pollers = inboxes.startWorkers(['340600']);
    const inbox = inboxes.queues['340600'];
    const misrouted = ping('320300', '371300');
    await send(inbox.url, JSON.stringify(misrouted));
    const dead = await eventually(
      async () => {
        const messages = await inboxes.drain(inbox.dlqUrl);
        return messages.length > 0 ? messages : undefined;
      },
      30_000,
      'the misrouted message in the DLQ',
    );
    expect(JSON.parse(dead[0]?.body ?? '{}')).toMatchObject({ requestId: misrouted.requestId });
    // Nobody answered it.
    expect(await inboxes.drain(inboxes.queues['320300'].url, 0)).toHaveLength(0);
  });
});

describe("a centre worker's repository", () => {
  const xuzhou = () => workerRepository('320300');

  it('reads and writes its own records', async () => {
    const key = { PK: 'C#320300#TEST#own', SK: 'ITEM' };
    await xuzhou().put({ ...key, value: 1 });
    expect(await xuzhou().get(key)).toMatchObject({ value: 1 });
  });

  it('refuses any key of another centre, for every operation', async () => {
    const foreign = { PK: 'C#371300#PACCT#3713002000000001', SK: 'ACCOUNT' };
    await expect(xuzhou().get(foreign)).rejects.toThrow(ForeignKeyError);
    await expect(xuzhou().put({ ...foreign, balanceFen: 1 })).rejects.toThrow(ForeignKeyError);
    await expect(
      xuzhou().update({
        Key: foreign,
        UpdateExpression: 'SET balanceFen = :b',
        ExpressionAttributeValues: { ':b': 1 },
      }),
    ).rejects.toThrow(ForeignKeyError);
    await expect(xuzhou().query(foreign.PK)).rejects.toThrow(ForeignKeyError);
    await expect(xuzhou().batchGet([{ PK: 'C#320300#TEST#own', SK: 'ITEM' }, foreign])).rejects.toThrow(
      ForeignKeyError,
    );
    await expect(
      xuzhou().transactWrite([
        { Put: { Item: { PK: 'C#320300#TEST#mixed', SK: 'ITEM' } } },
        { Put: { Item: { ...foreign, balanceFen: 1 } } },
      ]),
    ).rejects.toThrow(ForeignKeyError);
    // A prefix look-alike is foreign too.
    await expect(xuzhou().get({ PK: 'C#3203001#X', SK: 'Y' })).rejects.toThrow(ForeignKeyError);
    // Nothing of the mixed transaction was written.
    expect(await xuzhou().get({ PK: 'C#320300#TEST#mixed', SK: 'ITEM' })).toBeUndefined();
  });

  it('touches only the regional records its decisions need, and only as they need', async () => {
    const index = { PK: 'R#LOANIDX#test-person', SK: 'INDEX' };
    await xuzhou().put({ ...index, status: 'reserved' }, { ConditionExpression: 'attribute_not_exists(PK)' });
    expect(await xuzhou().get(index)).toMatchObject({ status: 'reserved' });
    await expect(xuzhou().get({ PK: 'R#VIOLATION#test-person', SK: 'ENTRY' })).resolves.toBeUndefined();
    // Reading the list is allowed, writing it is not; nor certificates, statistics or the person index.
    await expect(xuzhou().put({ PK: 'R#VIOLATION#test-person', SK: 'ENTRY' })).rejects.toThrow(
      ForeignKeyError,
    );
    await expect(xuzhou().put({ PK: 'R#CERT#FORGED0000000000000', SK: 'CERT' })).rejects.toThrow(
      ForeignKeyError,
    );
    await expect(
      xuzhou().update({
        Key: { PK: 'R#STATS#REGIONAL_LOANS', SK: 'X' },
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': 1 },
      }),
    ).rejects.toThrow(ForeignKeyError);
    await expect(xuzhou().get({ PK: 'R#PERSON#test-person', SK: 'ACCOUNT#320300#1' })).rejects.toThrow(
      ForeignKeyError,
    );
    await expect(xuzhou().query(index.PK)).rejects.toThrow(ForeignKeyError);
    await expect(xuzhou().transactWrite([{ Delete: { Key: index } }])).rejects.toThrow(ForeignKeyError);
  });
});
