/**
 * The stateful resources of the local region and of the integration tests, shaped like the CDK
 * stateful stack (infra/stacks/stateful-stack.ts): the one table (PK/SK, GSI1, TTL, on demand)
 * and per centre an inbox queue with its dead-letter queue. Both functions are idempotent.
 */
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { CITY_CODES, type CityCode } from '../../shared/config/cities.js';
import { GSI1, TABLE_KEYS, TTL_ATTRIBUTE } from '../../shared/persistence/table.js';
import {
  CENTRE_WORKER,
  deadLetterQueueName,
  INBOX_MAX_RECEIVE_COUNT,
  inboxQueueName,
  jobDeadLetterQueueName,
  jobQueueName,
  jobVisibilityTimeoutSeconds,
  SCHEDULED_JOBS,
  type ScheduledJobDeclaration,
} from '../../shared/services/declaration.js';

/** Creates the table unless it exists; turns TTL on. Returns whether it was created now. */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<{ created: boolean }> {
  let created = true;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
          { AttributeName: GSI1.partitionKey, AttributeType: 'S' },
          { AttributeName: GSI1.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: GSI1.indexName,
            KeySchema: [
              { AttributeName: GSI1.partitionKey, KeyType: 'HASH' },
              { AttributeName: GSI1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    created = false;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: tableName });

  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status !== 'ENABLED' && status !== 'ENABLING') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  }
  return { created };
}

export interface InboxQueue {
  url: string;
  arn: string;
  dlqUrl: string;
  dlqArn: string;
}

/**
 * As the stateful stack: at least six times the worker timeout (AWS's guidance for SQS event
 * sources) plus the batching window. Same formula as INBOX_VISIBILITY_TIMEOUT_SECONDS there
 * (not imported: that module pulls in aws-cdk-lib, seconds of start-up for one number).
 */
export const INBOX_VISIBILITY_TIMEOUT_SECONDS =
  6 * CENTRE_WORKER.timeoutSeconds + CENTRE_WORKER.maxBatchingWindowSeconds;
const INBOX_RETENTION_SECONDS = 4 * 24 * 3600;
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

export interface CreateInboxQueuesOptions {
  /** Tests shorten it to see redelivery and dead-lettering quickly. */
  visibilityTimeoutSeconds?: number;
  /** Default: all ten centres. */
  cities?: readonly CityCode[];
}

/**
 * The emulator answers with URLs on `sqs.<region>.localhost`, which does not resolve on most
 * machines; the same queue is reachable on 127.0.0.1 (the emulator finds a queue by its name).
 * Real AWS URLs pass through unchanged.
 */
export function localQueueUrl(url: string): string {
  const parsed = new URL(url);
  if (/^sqs\.[a-z0-9-]+\.localhost$/.test(parsed.hostname)) parsed.hostname = '127.0.0.1';
  return parsed.toString();
}

async function ensureQueue(
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  let url: string | undefined;
  try {
    url = (await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
  } catch (error) {
    // Exists with other attributes (QueueNameExists / QueueAlreadyExists): bring it in line.
    const existing = await client
      .send(new GetQueueUrlCommand({ QueueName: name }))
      .catch(() => Promise.reject(error));
    url = existing.QueueUrl;
    if (url)
      await client.send(
        new SetQueueAttributesCommand({ QueueUrl: localQueueUrl(url), Attributes: attributes }),
      );
  }
  if (!url) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  url = localQueueUrl(url);
  const described = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = described.Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes ${name} returned no QueueArn`);
  return { url, arn };
}

/** Every centre's inbox and dead-letter queue, named with the prefix (`hpf-local-inbox-320300`). */
export async function createInboxQueues(
  client: SQSClient,
  prefix: string,
  options: CreateInboxQueuesOptions = {},
): Promise<Record<CityCode, InboxQueue>> {
  const visibility = options.visibilityTimeoutSeconds ?? INBOX_VISIBILITY_TIMEOUT_SECONDS;
  const cities = options.cities ?? CITY_CODES;
  const entries = await Promise.all(
    cities.map(async (city) => {
      const dlq = await ensureQueue(client, deadLetterQueueName(prefix, city), {
        MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_SECONDS),
      });
      const inbox = await ensureQueue(client, inboxQueueName(prefix, city), {
        VisibilityTimeout: String(visibility),
        MessageRetentionPeriod: String(INBOX_RETENTION_SECONDS),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlq.arn,
          maxReceiveCount: INBOX_MAX_RECEIVE_COUNT,
        }),
      });
      const queue: InboxQueue = { url: inbox.url, arn: inbox.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
      return [city, queue] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<CityCode, InboxQueue>;
}

/** `INBOX_QUEUE_URLS` for the handlers: a JSON object city → inbox URL. */
export function inboxQueueUrlsJson(queues: Partial<Record<CityCode, InboxQueue>>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(queues).map(([city, queue]) => [city, queue?.url])),
  );
}

/** The work queue of each job that fans out and its dead-letter queue (`hpf-local-job-settle-interest`). */
export async function createJobQueues(
  client: SQSClient,
  prefix: string,
  options: {
    visibilityTimeoutSeconds?: number;
    maxReceiveCount?: number;
    jobs?: readonly ScheduledJobDeclaration[];
  } = {},
): Promise<Record<string, InboxQueue>> {
  const jobs = (options.jobs ?? SCHEDULED_JOBS).filter((job) => job.fanOut !== undefined);
  const entries = await Promise.all(
    jobs.map(async (job) => {
      const dlq = await ensureQueue(client, jobDeadLetterQueueName(prefix, job.id), {
        MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_SECONDS),
      });
      const queue = await ensureQueue(client, jobQueueName(prefix, job.id), {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? jobVisibilityTimeoutSeconds(job)),
        MessageRetentionPeriod: String(INBOX_RETENTION_SECONDS),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlq.arn,
          maxReceiveCount: options.maxReceiveCount ?? job.fanOut?.maxReceiveCount,
        }),
      });
      return [job.id, { url: queue.url, arn: queue.arn, dlqUrl: dlq.url, dlqArn: dlq.arn }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** `JOB_QUEUE_URLS` for the job functions: a JSON object job id → work queue URL. */
export function jobQueueUrlsJson(queues: Readonly<Record<string, InboxQueue>>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(queues).map(([id, queue]) => [id, queue.url])));
}
