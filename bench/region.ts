/**
 * The bench's own local region: DynamoDB Local and the SQS emulator on free ports, its own table and
 * inboxes, the environment the handlers and workers read. Every figure of the run shares it.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createCentreWorker } from '../functions/centre-worker/handler.js';
import { type Emulator, startDynamoDbLocal, startSqsEmulator } from '../infra/local/emulators.js';
import { type Pollers, type SqsWorker, startConcurrentPollers } from '../infra/local/pollers.js';
import {
  createInboxQueues,
  createTable,
  type InboxQueue,
  inboxQueueUrlsJson,
} from '../infra/local/resources.js';
import type { CityCode } from '../shared/config/cities.js';
import { logger } from '../shared/observability/logger.js';
import { CENTRE_WORKER } from '../shared/services/declaration.js';

export interface BenchRegion {
  dynamo: Emulator;
  sqs: Emulator;
  sqsClient: SQSClient;
  tableName: string;
  queues: Record<CityCode, InboxQueue>;
  /** The centre workers polling their inboxes with the declared batch settings; `wrap` observes each batch. */
  startWorkers(wrap?: (city: CityCode, worker: SqsWorker) => SqsWorker): Pollers;
  stop(): Promise<void>;
}

export async function startBenchRegion(): Promise<BenchRegion> {
  logger.setLogLevel('SILENT');
  const [dynamo, sqs] = await Promise.all([startDynamoDbLocal(), startSqsEmulator()]);
  const run = randomBytes(3).toString('hex');
  const tableName = `hpf-bench-${run}`;
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    TABLE_NAME: tableName,
    ID_HMAC_SECRET: 'bench-only/huaihai-hpf-hub/id-hmac/NOT-A-SECRET',
    BANK_ACCOUNT_LOCAL_KEY: 'bench-only/huaihai-hpf-hub/bank-account-key/NOT-A-SECRET',
  });
  const sqsClient = new SQSClient({});
  await createTable(new DynamoDBClient({}), tableName);
  const queues = (await createInboxQueues(sqsClient, `hpf-bench-${run}-`)) as Record<CityCode, InboxQueue>;
  process.env.INBOX_QUEUE_URLS = inboxQueueUrlsJson(queues);
  return {
    dynamo,
    sqs,
    sqsClient,
    tableName,
    queues,
    // as deployed: up to the event source's maximum concurrency of workers per inbox
    startWorkers: (wrap) =>
      startConcurrentPollers(
        {
          sqsClient,
          queues,
          createWorker: (city) => (wrap ? wrap(city, createCentreWorker(city)) : createCentreWorker(city)),
          onPollError: () => undefined,
        },
        CENTRE_WORKER.maxConcurrency,
      ),
    async stop() {
      sqsClient.destroy();
      await Promise.all([dynamo.stop(), sqs.stop()]);
    },
  };
}
