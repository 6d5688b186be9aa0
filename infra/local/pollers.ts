import {
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttribute, SQSRecord } from 'aws-lambda';
import { type FunctionIdentity, runAsFunction } from '../../shared/capabilities/guard.js';
import type { CityCode } from '../../shared/config/cities.js';
import { CENTRE_WORKER } from '../../shared/services/declaration.js';
import { localLambdaContext } from './lambda-context.js';

export type SqsWorker = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface PollerQueue {
  url: string;
  arn: string;
}

export interface BatchOutcome<K extends string = CityCode> {
  city: K;
  received: number;
  deleted: number;
  failed: number;
  /** Why the whole batch counted as failed, when it did. */
  error?: unknown;
}

/** Keyed by centre (the inboxes) or by job id (the job work queues). */
export interface StartPollersOptions<K extends string = CityCode> {
  sqsClient: SQSClient;
  queues: Partial<Record<K, PollerQueue>>;
  createWorker: (key: K) => SqsWorker | Promise<SqsWorker>;
  /** Default CENTRE_WORKER.batchSize. */
  batchSize?: number;
  /** Default CENTRE_WORKER.maxBatchingWindowSeconds × 1000; 0 hands over whatever one receive returns. */
  batchingWindowMs?: number;
  /** Long-poll wait of each ReceiveMessage. Default 1 s (also bounds how long stop() waits). */
  waitTimeSeconds?: number;
  /** The worker's timeout. Default CENTRE_WORKER.timeoutSeconds. */
  timeoutSeconds?: number;
  /** awsRegion of the records. Default AWS_REGION or us-east-1. */
  region?: string;
  /** Function names are `<prefix>centre-worker-<city>`. Default `hpf-local-`. */
  functionNamePrefix?: string;
  /** The function's name for a key. Default `<functionNamePrefix>centre-worker-<key>`. */
  functionNameOf?: (key: K) => string;
  /** The function's memory (the context reports it). Default CENTRE_WORKER.memoryMb. */
  memoryMb?: number;
  /** The declared function a key's batches run as (the capability guard). Default its centre's worker. */
  identityOf?: (key: K) => FunctionIdentity;
  onBatch?: (outcome: BatchOutcome<K>) => void;
  /** A receive or delete failed (the poller carries on after a short pause). Default console.error. */
  onPollError?: (city: K, error: unknown) => void;
}

export interface Pollers {
  /** Stops receiving and waits for the batches under way to finish (and their deletes). */
  stop(): Promise<void>;
}

const ATTRIBUTE_KEYS = [
  'ApproximateReceiveCount',
  'SentTimestamp',
  'SenderId',
  'ApproximateFirstReceiveTimestamp',
  'AWSTraceHeader',
  'SequenceNumber',
  'MessageGroupId',
  'MessageDeduplicationId',
  'DeadLetterQueueSourceArn',
] as const;

function lambdaMessageAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  const attribute: SQSMessageAttribute = {
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
    dataType: value.DataType ?? 'String',
  };
  if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
  if (value.BinaryValue !== undefined)
    attribute.binaryValue = Buffer.from(value.BinaryValue).toString('base64');
  return attribute;
}

/** One SQS message as Lambda's event source puts it in `Records`. */
export function lambdaSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes: Record<string, string> = {};
  for (const key of ATTRIBUTE_KEYS) {
    const value = message.Attributes?.[key];
    if (value !== undefined) attributes[key] = value;
  }
  const record: SQSRecord = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: attributes as unknown as SQSRecord['attributes'],
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        lambdaMessageAttribute(value),
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
  if (message.MD5OfMessageAttributes !== undefined)
    record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  return record;
}

/**
 * Which records to delete after the worker answered, by Lambda's rules for ReportBatchItemFailures.
 * Returns undefined when the answer fails the whole batch.
 */
export function recordsToDelete(records: readonly SQSRecord[], response: unknown): SQSRecord[] | undefined {
  if (response === undefined || response === null) return [...records];
  if (typeof response !== 'object' || Array.isArray(response)) return undefined;
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return [...records];
  if (!Array.isArray(failures)) return undefined;
  const ids = new Set(records.map((record) => record.messageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !ids.has(id)) return undefined;
    failed.add(id);
  }
  return records.filter((record) => !failed.has(record.messageId));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function startPollers<K extends string = CityCode>(options: StartPollersOptions<K>): Pollers {
  const batchSize = options.batchSize ?? CENTRE_WORKER.batchSize;
  const windowMs = options.batchingWindowMs ?? CENTRE_WORKER.maxBatchingWindowSeconds * 1000;
  const waitTimeSeconds = options.waitTimeSeconds ?? 1;
  const timeoutMs = (options.timeoutSeconds ?? CENTRE_WORKER.timeoutSeconds) * 1000;
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const prefix = options.functionNamePrefix ?? 'hpf-local-';
  const onPollError =
    options.onPollError ??
    ((city: K, error: unknown) => console.error(`[poller ${city}] ${(error as Error).message ?? error}`));
  const client = options.sqsClient;
  let stopping = false;

  const receive = async (queue: PollerQueue, max: number, wait: number): Promise<Message[]> => {
    const output = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: wait,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return output.Messages ?? [];
  };

  const deleteRecords = async (queue: PollerQueue, records: readonly SQSRecord[]): Promise<number> => {
    let deleted = 0;
    for (let i = 0; i < records.length; i += 10) {
      const chunk = records.slice(i, i + 10);
      const output = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: chunk.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
        }),
      );
      deleted += output.Successful?.length ?? 0;
    }
    return deleted;
  };

  const poll = async (city: K, queue: PollerQueue): Promise<void> => {
    const worker = await options.createWorker(city);
    const functionName = options.functionNameOf?.(city) ?? `${prefix}centre-worker-${city}`;
    const memoryMb = options.memoryMb ?? CENTRE_WORKER.memoryMb;
    const identity: FunctionIdentity = options.identityOf?.(city) ?? {
      id: CENTRE_WORKER.id,
      capabilities: CENTRE_WORKER.capabilities,
      city: city as CityCode,
    };
    while (!stopping) {
      let messages: Message[];
      try {
        messages = await receive(queue, batchSize, waitTimeSeconds);
        // Lambda's batching window: keep gathering until the batch is full or the window closes.
        const windowEnds = Date.now() + windowMs;
        while (messages.length > 0 && messages.length < batchSize && Date.now() < windowEnds && !stopping) {
          const more = await receive(queue, batchSize - messages.length, 0);
          if (more.length === 0) await sleep(Math.min(100, Math.max(0, windowEnds - Date.now())));
          messages = messages.concat(more);
        }
      } catch (error) {
        if (stopping) break;
        onPollError(city, error);
        await sleep(500);
        continue;
      }
      if (messages.length === 0) continue;

      const records = messages.map((message) => lambdaSqsRecord(message, queue.arn, region));
      const event: SQSEvent = { Records: records };
      let toDelete: SQSRecord[] | undefined;
      let failure: unknown;
      let timer: NodeJS.Timeout | undefined;
      try {
        const timedOut = new Promise<'timeout'>((resolveTimeout) => {
          timer = setTimeout(() => resolveTimeout('timeout'), timeoutMs);
        });
        const response = await Promise.race([
          Promise.resolve()
            .then(() =>
              // as its declared function: the capability guard checks every call of the batch
              runAsFunction(identity, () =>
                worker(
                  event,
                  localLambdaContext({
                    functionName,
                    region,
                    memoryMb,
                    deadline: Date.now() + timeoutMs,
                  }),
                ),
              ),
            )
            .then((value) => ({ value })),
          timedOut,
        ]);
        if (response === 'timeout') {
          failure = new Error(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
        } else {
          toDelete = recordsToDelete(records, response.value);
          if (!toDelete) failure = new Error('invalid batchItemFailures in the worker response');
        }
      } catch (error) {
        failure = error;
      } finally {
        clearTimeout(timer);
      }

      let deleted = 0;
      if (toDelete && toDelete.length > 0) {
        try {
          deleted = await deleteRecords(queue, toDelete);
        } catch (error) {
          onPollError(city, error);
        }
      }
      options.onBatch?.({
        city,
        received: records.length,
        deleted,
        failed: records.length - (toDelete?.length ?? 0),
        ...(failure === undefined ? {} : { error: failure }),
      });
    }
  };

  const running = Object.entries(options.queues).map(([city, queue]) =>
    poll(city as K, queue as PollerQueue).catch((error: unknown) => {
      onPollError(city as K, error);
    }),
  );

  return {
    async stop() {
      stopping = true;
      await Promise.all(running);
    },
  };
}

/**
 * `concurrency` pollers per queue: Lambda's SQS event source runs up to its maximum concurrency of
 * invocations at once, each a function instance of its own (its own worker from `createWorker`).
 */
export function startConcurrentPollers<K extends string = CityCode>(
  options: StartPollersOptions<K>,
  concurrency: number,
): Pollers {
  const all = Array.from({ length: concurrency }, () => startPollers(options));
  return { stop: async () => void (await Promise.all(all.map((p) => p.stop()))) };
}
