/**
 * The names, ports and environment of the local region, shared by `npm start` and the commands
 * that act on a running local region (`npm run settle-interest`).
 */
import { logger } from '../../shared/observability/logger.js';
import { portAnswers } from './emulators.js';
export const LOCAL_TABLE_NAME = 'hpf-local';
export const LOCAL_QUEUE_PREFIX = 'hpf-local-';
/** LOCAL ONLY, NOT A SECRET: the ID-hashing key of the local region (AWS reads it from Secrets Manager). */
export const LOCAL_ID_HMAC_SECRET = 'local-dev-only/huaihai-hpf-hub/id-hmac/NOT-A-SECRET/0001';
/** LOCAL ONLY, NOT A SECRET: stands in for the KMS bank-account key of AWS. */
export const LOCAL_BANK_ACCOUNT_KEY = 'local-dev-only/huaihai-hpf-hub/bank-account-key/NOT-A-SECRET/0001';

export function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`${name}=${raw} is not a TCP port`);
    process.exit(2);
  }
  return port;
}

export const localDynamoDbPort = () => portFromEnv('HPF_LOCAL_DYNAMODB_PORT', 8000);
export const localSqsPort = () => portFromEnv('HPF_LOCAL_SQS_PORT', 9324);

/** What the in-process handlers read, as CDK sets it on every function. */
export function useLocalRegionEnvironment(endpoints: { dynamo: string; sqs: string }): void {
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamo;
  process.env.AWS_ENDPOINT_URL_SQS = endpoints.sqs;
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.TABLE_NAME = LOCAL_TABLE_NAME;
  process.env.ID_HMAC_SECRET = LOCAL_ID_HMAC_SECRET;
  process.env.BANK_ACCOUNT_LOCAL_KEY = LOCAL_BANK_ACCOUNT_KEY;
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'HuaihaiHpfHub';
}

/**
 * For a command acting on the running local region: points this process at its emulators, or
 * says that `npm start` is not running. The job's structured logs give way to the command's report.
 */
export async function connectToLocalRegion(): Promise<boolean> {
  const dynamoPort = localDynamoDbPort();
  if (!(await portAnswers(dynamoPort))) {
    console.error(`nothing answers on 127.0.0.1:${dynamoPort}: start the local region first (npm start)`);
    return false;
  }
  useLocalRegionEnvironment({
    dynamo: `http://127.0.0.1:${dynamoPort}`,
    sqs: `http://127.0.0.1:${localSqsPort()}`,
  });
  logger.setLogLevel('WARN');
  return true;
}
