/**
 * The names, ports and environment of the local region, shared by `npm start` and the commands
 * that act on a running local region (`npm run settle-interest`), which find it through
 * .local/region.json (the port variables override it).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** Where `npm start` writes where it listens, for the commands acting on it (removed on stop). */
export const REGION_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.local', 'region.json');

export interface RegionFile {
  pid: number;
  gatewayUrl: string;
  dynamoDbPort: number;
  sqsPort: number;
  tableName: string;
  queuePrefix: string;
  startedAt: string;
}

export function writeRegionFile(region: RegionFile): void {
  mkdirSync(dirname(REGION_FILE), { recursive: true });
  writeFileSync(REGION_FILE, `${JSON.stringify(region, null, 2)}\n`);
}

/** Removes the file if it is this process's (a second `npm start` that failed leaves the first's). */
export function removeRegionFile(pid = process.pid): void {
  if (readRegionFile()?.pid === pid) rmSync(REGION_FILE, { force: true });
}

export function readRegionFile(): RegionFile | undefined {
  try {
    return JSON.parse(readFileSync(REGION_FILE, 'utf8')) as RegionFile;
  } catch {
    return undefined;
  }
}

/**
 * The running region's ports: HPF_LOCAL_DYNAMODB_PORT / HPF_LOCAL_SQS_PORT when set, else what
 * `npm start` recorded in .local/region.json, else the defaults.
 */
export function runningRegionPorts(): { dynamoDbPort: number; sqsPort: number } {
  const recorded = readRegionFile();
  return {
    dynamoDbPort: portFromEnv('HPF_LOCAL_DYNAMODB_PORT', recorded?.dynamoDbPort ?? 8000),
    sqsPort: portFromEnv('HPF_LOCAL_SQS_PORT', recorded?.sqsPort ?? 9324),
  };
}

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
  const { dynamoDbPort: dynamoPort, sqsPort } = runningRegionPorts();
  if (!(await portAnswers(dynamoPort))) {
    console.error(`nothing answers on 127.0.0.1:${dynamoPort}: start the local region first (npm start)`);
    return false;
  }
  useLocalRegionEnvironment({
    dynamo: `http://127.0.0.1:${dynamoPort}`,
    sqs: `http://127.0.0.1:${sqsPort}`,
  });
  logger.setLogLevel('WARN');
  return true;
}
