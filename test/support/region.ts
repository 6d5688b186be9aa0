/**
 * A private set of centre inboxes with pollers feeding the real centre workers, for integration
 * tests: each test file gets its own queues (its own prefix), so files running in parallel in
 * other Jest workers never take each other's messages.
 */
import { randomBytes } from 'node:crypto';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createCentreWorker } from '../../functions/centre-worker/handler.js';
import { type Pollers, startPollers } from '../../infra/local/pollers.js';
import { createInboxQueues, type InboxQueue, inboxQueueUrlsJson } from '../../infra/local/resources.js';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { ENV } from '../../shared/config/runtime.js';

export interface TestInboxes {
  sqs: SQSClient;
  queues: Record<CityCode, InboxQueue>;
  /** Start feeding these centres' inboxes to their workers (all by default). */
  startWorkers(cities?: readonly CityCode[]): Pollers;
  /** Receive (and leave in flight) the messages currently in a queue. */
  drain(queueUrl: string, waitSeconds?: number): Promise<{ body: string; receiveCount: number }[]>;
}

export async function createTestInboxes(
  options: { visibilityTimeoutSeconds?: number } = {},
): Promise<TestInboxes> {
  const sqs = new SQSClient({});
  const prefix = `${process.env.HPF_TEST_QUEUE_PREFIX ?? 'hpf-test-'}${randomBytes(3).toString('hex')}-`;
  const queues = await createInboxQueues(sqs, prefix, {
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2,
  });
  process.env[ENV.inboxQueueUrls] = inboxQueueUrlsJson(queues);
  return {
    sqs,
    queues,
    startWorkers: (cities = CITY_CODES) =>
      startPollers<CityCode>({
        sqsClient: sqs,
        queues: Object.fromEntries(cities.map((city) => [city, queues[city]])),
        createWorker: (city) => createCentreWorker(city),
        batchingWindowMs: 0,
        onPollError: () => undefined,
      }),
    drain: async (queueUrl, waitSeconds = 1) => {
      const output = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      return (output.Messages ?? []).map((m) => ({
        body: m.Body ?? '',
        receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
      }));
    },
  };
}

/** Polls `probe` until it returns something, or fails the test after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs `record` with every inbox unreachable: what it writes is in the table (the application is
 * its own outbox) but nothing reaches a queue, so the test plays the network itself. A reply
 * deadline may be shortened for the same writes (REPLY_DEADLINE_MS).
 */
export async function withInboxesUnreachable<T>(
  record: () => Promise<T>,
  options: { replyDeadlineMs?: number } = {},
): Promise<T> {
  const saved = process.env.INBOX_QUEUE_URLS as string;
  process.env.INBOX_QUEUE_URLS = JSON.stringify(
    // nothing listens on port 9; the names stay inboxes' (the capability guard knows queues by name)
    Object.fromEntries(
      Object.keys(JSON.parse(saved)).map((city) => [
        city,
        `http://127.0.0.1:9/000000000000/unreachable-inbox-${city}`,
      ]),
    ),
  );
  if (options.replyDeadlineMs !== undefined) process.env.REPLY_DEADLINE_MS = String(options.replyDeadlineMs);
  try {
    return await record();
  } finally {
    process.env.INBOX_QUEUE_URLS = saved;
    if (options.replyDeadlineMs !== undefined) delete process.env.REPLY_DEADLINE_MS;
  }
}
