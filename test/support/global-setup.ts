/**
 * Jest globalSetup of the `integration` project (test/integration/**, test/e2e/**): runs once in
 * the Jest parent process, before any worker starts.
 *
 * Starts DynamoDB Local (in memory, a free port) and the SQS emulator (in this process, a free
 * port), creates a uniquely named table and set of centre inboxes, and puts in process.env what
 * the handlers and the tests need. Workers are forked after this and inherit the environment.
 * Nothing here collides with a running `npm start` (other ports, other names).
 *
 *   TABLE_NAME, INBOX_QUEUE_URLS, ID_HMAC_SECRET       as CDK sets them on the functions
 *   BANK_ACCOUNT_LOCAL_KEY                             the local stand-in for the KMS bank-account key
 *   HPF_TEST_CONTRACT_LOG                              where answers that contradict the OpenAPI document are noted
 *   HPF_TEST_CAPABILITY_LOG, HPF_TEST_FILES_LOG        the calls the capability guard allowed or refused, and
 *                                                      the test files that ran (test/support/capability-check.ts)
 *   AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SQS    the emulators, for every AWS SDK client
 *   AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 *   HPF_TEST_DYNAMODB_ENDPOINT, HPF_TEST_SQS_ENDPOINT  the same endpoints, by name
 *   HPF_TEST_QUEUE_PREFIX                              prefix of the inboxes made here; tests that
 *                                                      need queues of their own pick another one
 *   HPF_TEST_INBOX_QUEUES                              JSON city → {url, arn, dlqUrl, dlqArn}
 *   HPF_TEST_VISIBILITY_TIMEOUT_SECONDS                of those inboxes
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { tsImport } from 'tsx/esm/api';
import type { Emulator } from '../../infra/local/emulators.js';

// Jest loads this file with Node's own loader (types stripped, no ts-jest, no `.js` → `.ts`
// mapping), so the project's TypeScript modules come in through tsx.
type EmulatorsModule = typeof import('../../infra/local/emulators.js');
type ResourcesModule = typeof import('../../infra/local/resources.js');

/** Short, so a failed message is redelivered within a test; long enough for a slow worker. */
const VISIBILITY_TIMEOUT_SECONDS = 10;
/** TESTS ONLY, NOT A SECRET. */
const TEST_ID_HMAC_SECRET = 'test-only/huaihai-hpf-hub/id-hmac/NOT-A-SECRET/0001';
/** TESTS ONLY, NOT A SECRET: stands in for the KMS bank-account key. */
const TEST_BANK_ACCOUNT_KEY = 'test-only/huaihai-hpf-hub/bank-account-key/NOT-A-SECRET/0001';

export interface TestEmulators {
  dynamo?: Emulator;
  sqs?: Emulator;
}

declare global {
  var __HPF_TEST_EMULATORS__: TestEmulators | undefined;
}

export default async function globalSetup(): Promise<void> {
  // The browser project's setup runs this again in the same process after the integration
  // project's: one pair of emulators serves both (a second would be orphaned and keep Jest alive).
  if (globalThis.__HPF_TEST_EMULATORS__) return;
  const emulators: TestEmulators = {};
  globalThis.__HPF_TEST_EMULATORS__ = emulators;
  const run = randomBytes(4).toString('hex');
  const tableName = `hpf-test-${run}`;
  const queuePrefix = `hpf-test-${run}-`;
  try {
    const { startDynamoDbLocal, startSqsEmulator } = (await tsImport(
      '../../infra/local/emulators.ts',
      import.meta.url,
    )) as EmulatorsModule;
    const { createInboxQueues, createTable, inboxQueueUrlsJson } = (await tsImport(
      '../../infra/local/resources.ts',
      import.meta.url,
    )) as ResourcesModule;
    const [dynamo, sqs] = await Promise.all([startDynamoDbLocal(), startSqsEmulator()]);
    emulators.dynamo = dynamo;
    emulators.sqs = sqs;

    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      HPF_TEST_DYNAMODB_ENDPOINT: dynamo.endpoint,
      HPF_TEST_SQS_ENDPOINT: sqs.endpoint,
      TABLE_NAME: tableName,
      ID_HMAC_SECRET: TEST_ID_HMAC_SECRET,
      BANK_ACCOUNT_LOCAL_KEY: TEST_BANK_ACCOUNT_KEY,
      HPF_TEST_CONTRACT_LOG: join(tmpdir(), `${tableName}-contract.log`),
      HPF_TEST_CAPABILITY_LOG: join(tmpdir(), `${tableName}-capabilities.log`),
      HPF_TEST_FILES_LOG: join(tmpdir(), `${tableName}-files.log`),
      HPF_TEST_QUEUE_PREFIX: queuePrefix,
      HPF_TEST_VISIBILITY_TIMEOUT_SECONDS: String(VISIBILITY_TIMEOUT_SECONDS),
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;

    const dynamoClient = new DynamoDBClient({});
    const sqsClient = new SQSClient({});
    try {
      const [, queues] = await Promise.all([
        createTable(dynamoClient, tableName),
        createInboxQueues(sqsClient, queuePrefix, { visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS }),
      ]);
      process.env.INBOX_QUEUE_URLS = inboxQueueUrlsJson(queues);
      process.env.HPF_TEST_INBOX_QUEUES = JSON.stringify(queues);
    } finally {
      dynamoClient.destroy();
      sqsClient.destroy();
    }
  } catch (error) {
    await Promise.allSettled([emulators.dynamo?.stop(), emulators.sqs?.stop()]);
    globalThis.__HPF_TEST_EMULATORS__ = undefined;
    throw error;
  }
}
