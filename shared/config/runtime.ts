/**
 * What a function learns from its environment. CDK sets these on every function; the local
 * region and the test setup set the same names. Endpoints of the emulators come through the
 * AWS SDK's own `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL_SQS`, so no code path differs.
 */
import { type CityCode, isCityCode } from './cities.js';

export const ENV = {
  tableName: 'TABLE_NAME',
  /** JSON object: city code → inbox queue URL, for every centre. */
  inboxQueueUrls: 'INBOX_QUEUE_URLS',
  /** The centre a worker serves. */
  centreCity: 'CENTRE_CITY',
  /** AWS: the Secrets Manager secret (name or ARN) holding the regional ID-hashing key. */
  idHmacSecretId: 'ID_HMAC_SECRET_ID',
  /** Local region and tests only: the ID-hashing key itself. */
  idHmacSecret: 'ID_HMAC_SECRET',
  /** AWS: the KMS key (ARN) that bank account data keys are generated under. */
  bankAccountKeyId: 'BANK_ACCOUNT_KEY_ID',
  /** Local region and tests only: the key that stands in for KMS (≥ 32 bytes). */
  bankAccountLocalKey: 'BANK_ACCOUNT_LOCAL_KEY',
  /** Milliseconds an inter-centre request may wait for its answer. */
  replyDeadlineMs: 'REPLY_DEADLINE_MS',
  /** Milliseconds a facts request waits unanswered before the sweep sends it again (default 2 min). */
  sweepResendAfterMs: 'SWEEP_RESEND_AFTER_MS',
  /** The platform's public address (scheme and host, no trailing slash): printed certificates' QR codes. */
  publicBaseUrl: 'PUBLIC_BASE_URL',
} as const;

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new ConfigurationError(`environment variable ${name} is not set`);
  return value;
}

export function tableName(): string {
  return required(ENV.tableName);
}

let cachedInboxes: { raw: string; urls: Record<CityCode, string> } | undefined;

export function inboxQueueUrl(city: CityCode): string {
  const raw = required(ENV.inboxQueueUrls);
  if (cachedInboxes?.raw !== raw) {
    cachedInboxes = { raw, urls: JSON.parse(raw) as Record<CityCode, string> };
  }
  const url = cachedInboxes.urls[city];
  if (!url) throw new ConfigurationError(`no inbox queue URL for centre ${city} in ${ENV.inboxQueueUrls}`);
  return url;
}

export function centreCity(): CityCode {
  const city = required(ENV.centreCity);
  if (!isCityCode(city)) throw new ConfigurationError(`${ENV.centreCity}=${city} is not a region city`);
  return city;
}

export function replyDeadlineMs(fallback: number): number {
  return positiveIntegerMs(ENV.replyDeadlineMs, fallback);
}

export function sweepResendAfterMs(fallback: number): number {
  return positiveIntegerMs(ENV.sweepResendAfterMs, fallback);
}

function positiveIntegerMs(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new ConfigurationError(`${name}=${raw} is not a positive integer`);
  return value;
}

/**
 * The platform's public address as citizens reach it, e.g. `https://api.gjj.example.cn`: CDK sets
 * the `hpf:publicBaseUrl` context (https only) or the HTTP API's own endpoint; the local region its
 * gateway's address unless PUBLIC_BASE_URL is set (e.g. a LAN address a phone can reach).
 */
export function publicBaseUrl(): string {
  const raw = required(ENV.publicBaseUrl).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(`${ENV.publicBaseUrl}=${raw} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigurationError(`${ENV.publicBaseUrl}=${raw} must be an http(s):// URL`);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    throw new ConfigurationError(
      `${ENV.publicBaseUrl}=${raw} must be scheme, host and an optional path only`,
    );
  return raw;
}
