/**
 * The local region's plumbing against the real emulators started by global-setup.ts: the table
 * and queues are shaped like the CDK stateful stack, and the inbox pollers behave like Lambda's
 * SQS event source (event shape, partial batch responses, redelivery, dead-lettering, stop).
 */
import { randomBytes } from 'node:crypto';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { recordsToDelete, startPollers } from '../../infra/local/pollers.js';
import { createInboxQueues, createTable, type InboxQueue } from '../../infra/local/resources.js';

jest.setTimeout(30_000);

const dynamo = new DynamoDBClient({});
const sqs = new SQSClient({});
afterAll(() => {
  dynamo.destroy();
  sqs.destroy();
});

const unique = () => `hpf-test-${randomBytes(4).toString('hex')}-`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(50);
  }
}

async function queueCounts(url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

async function oneInbox(visibilityTimeoutSeconds: number): Promise<InboxQueue> {
  const queues = await createInboxQueues(sqs, unique(), { visibilityTimeoutSeconds, cities: ['320300'] });
  return queues['320300'];
}

describe('resources', () => {
  it('creates the table with PK/SK, GSI1 and TTL, and again without complaint', async () => {
    const name = `hpf-test-${randomBytes(4).toString('hex')}`;
    expect(await createTable(dynamo, name)).toEqual({ created: true });
    expect(await createTable(dynamo, name)).toEqual({ created: false });
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(
      Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.Projection?.ProjectionType]),
    ).toEqual([['GSI1', 'ALL']]);
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'expiresAt',
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('creates every centre inbox with its dead-letter queue, idempotently, on reachable URLs', async () => {
    const prefix = unique();
    const first = await createInboxQueues(sqs, prefix, { visibilityTimeoutSeconds: 7 });
    const again = await createInboxQueues(sqs, prefix, { visibilityTimeoutSeconds: 9 });
    expect(Object.keys(first)).toHaveLength(10);
    expect(again['371300']).toEqual(first['371300']);
    const inbox = first['371300'];
    expect(inbox.url).toBe(`${process.env.HPF_TEST_SQS_ENDPOINT}/000000000000/${prefix}inbox-371300`);
    expect(inbox.dlqArn).toMatch(new RegExp(`:${prefix}inbox-371300-dlq$`));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: inbox.url, AttributeNames: ['All'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('9');
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: inbox.dlqArn,
      maxReceiveCount: 5,
    });
  });

  it('made the inboxes of the test run (INBOX_QUEUE_URLS)', () => {
    const urls = JSON.parse(process.env.INBOX_QUEUE_URLS ?? '{}') as Record<string, string>;
    expect(Object.keys(urls).sort()).toEqual([
      '320300',
      '320700',
      '321300',
      '340600',
      '341300',
      '370400',
      '370800',
      '371300',
      '371700',
      '411400',
    ]);
  });
});

describe('Lambda partial batch response rules', () => {
  const records = [{ messageId: 'a' }, { messageId: 'b' }] as SQSRecord[];
  it('deletes everything on an empty answer, the others on item failures, nothing on a bad id', () => {
    expect(recordsToDelete(records, undefined)).toHaveLength(2);
    expect(recordsToDelete(records, { batchItemFailures: [] })).toHaveLength(2);
    expect(recordsToDelete(records, {})).toHaveLength(2);
    expect(recordsToDelete(records, { batchItemFailures: [{ itemIdentifier: 'b' }] })).toEqual([records[0]]);
    expect(recordsToDelete(records, { batchItemFailures: [{ itemIdentifier: 'zzz' }] })).toBeUndefined();
    expect(recordsToDelete(records, { batchItemFailures: [{ itemIdentifier: '' }] })).toBeUndefined();
    expect(recordsToDelete(records, { batchItemFailures: [{}] })).toBeUndefined();
    expect(recordsToDelete(records, 'ok')).toBeUndefined();
  });
});

describe('inbox pollers', () => {
  it('hand the worker a Lambda SQS event and delete all but the reported failures', async () => {
    const inbox = await oneInbox(1);
    const events: SQSEvent[] = [];
    let failFirst = true;
    const pollers = startPollers({
      sqsClient: sqs,
      queues: { '320300': inbox },
      batchingWindowMs: 200,
      createWorker:
        () =>
        async (event): Promise<SQSBatchResponse> => {
          events.push(event);
          const poison = event.Records.find((record) => record.body === 'poison');
          if (poison && failFirst) {
            failFirst = false;
            return { batchItemFailures: [{ itemIdentifier: poison.messageId }] };
          }
          return { batchItemFailures: [] };
        },
    });
    try {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: inbox.url,
          Entries: [
            {
              Id: '1',
              MessageBody: 'hello',
              MessageAttributes: {
                kind: { DataType: 'String', StringValue: 'PING' },
                blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
              },
            },
            { Id: '2', MessageBody: 'poison' },
          ],
        }),
      );
      // Delivered twice: the reported failure comes back after the visibility timeout.
      await until(() =>
        events.flatMap((e) => e.Records).filter((r) => r.body === 'poison').length >= 2 ? true : undefined,
      );
      await until(async () => {
        const counts = await queueCounts(inbox.url);
        return counts.visible === 0 && counts.inFlight === 0 ? true : undefined;
      });
    } finally {
      await pollers.stop();
    }

    const all = events.flatMap((e) => e.Records);
    const hello = all.find((record) => record.body === 'hello') as SQSRecord;
    expect(all.filter((record) => record.body === 'hello')).toHaveLength(1);
    expect(hello).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: inbox.arn,
      awsRegion: process.env.AWS_REGION,
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      md5OfBody: '5d41402abc4b2a76b9719d911017c592',
      md5OfMessageAttributes: expect.any(String),
    });
    expect(hello.attributes).toMatchObject({
      ApproximateReceiveCount: '1',
      SentTimestamp: expect.stringMatching(/^\d+$/),
      SenderId: expect.any(String),
      ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
    });
    expect(hello.messageAttributes).toEqual({
      kind: { stringValue: 'PING', stringListValues: [], binaryListValues: [], dataType: 'String' },
      blob: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
    });
    const poison = all.filter((record) => record.body === 'poison');
    expect(poison.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
  });

  it('delete nothing when the worker throws; after 5 receives the message is in the dead-letter queue', async () => {
    const inbox = await oneInbox(1);
    let calls = 0;
    const pollers = startPollers({
      sqsClient: sqs,
      queues: { '320300': inbox },
      batchingWindowMs: 0,
      createWorker: () => async () => {
        calls++;
        throw new Error('worker down');
      },
    });
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: inbox.url, MessageBody: 'doomed' }));
      const dead = await until(async () => {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: inbox.dlqUrl,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        return Messages?.[0];
      }, 20_000);
      expect(dead.Body).toBe('doomed');
    } finally {
      await pollers.stop();
    }
    expect(calls).toBe(5);
  });

  it('stop() waits for the batch under way and its deletes', async () => {
    const inbox = await oneInbox(30);
    let started = false;
    let finished = false;
    const pollers = startPollers({
      sqsClient: sqs,
      queues: { '320300': inbox },
      batchingWindowMs: 0,
      createWorker: () => async () => {
        started = true;
        await sleep(700);
        finished = true;
        return { batchItemFailures: [] };
      },
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: inbox.url, MessageBody: 'slow' }));
    await until(() => (started ? true : undefined));
    await pollers.stop();
    expect(finished).toBe(true);
    expect(await queueCounts(inbox.url)).toEqual({ visible: 0, inFlight: 0 });
  });
});
