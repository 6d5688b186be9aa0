/**
 * Person keys: people are keyed by HMAC-SHA256 of their normalised ID number under a regional
 * secret, never by the number itself. A plain hash would not do: ID numbers have so little
 * entropy (region, birth date, sequence) that every one of them is hashed in minutes.
 *
 * The key is base64url without padding (43 characters): compact in DynamoDB keys and free of the
 * `#` that separates key parts.
 *
 * The secret comes from `ID_HMAC_SECRET` (local region and tests) or else from the Secrets
 * Manager secret named by `ID_HMAC_SECRET_ID`, whose SecretString is used as is (its UTF-8
 * bytes are the HMAC key; a random string of 43+ base64url characters is a good one).
 */
import { createHmac } from 'node:crypto';
import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { checkCall } from '../capabilities/seam.js';
import { ConfigurationError, ENV } from '../config/runtime.js';

/** 256 bits: HMAC-SHA256's own strength; anything shorter is guessable sooner than the hash. */
const MIN_SECRET_BYTES = 32;
const ID_NUMBER_FORMAT = /^[0-9]{17}[0-9Xx]$/;

function secretBytes(secret: string | Uint8Array, source: string): Uint8Array {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (bytes.byteLength < MIN_SECRET_BYTES)
    throw new ConfigurationError(
      `the ID-hashing secret from ${source} is ${bytes.byteLength} bytes; at least ${MIN_SECRET_BYTES} are required`,
    );
  return bytes;
}

/**
 * The person key of an ID number under a given secret. Pure. Only the format is checked (17
 * digits then a digit or X, lowercase x normalised), so that one person never gets two keys;
 * validate with parseIdNumber first. The number is never put in an error message.
 */
export function personKeyFromSecret(secret: string | Uint8Array, idNumber: string): string {
  const key = secretBytes(secret, 'the caller');
  if (!ID_NUMBER_FORMAT.test(idNumber))
    throw new RangeError('cannot key a malformed ID number: expected 17 digits followed by a digit or X');
  return createHmac('sha256', key).update(idNumber.toUpperCase(), 'utf8').digest('base64url');
}

/** The one Secrets Manager operation used here; tests pass a stub. */
export interface SecretsManagerLike {
  send(command: GetSecretValueCommand): Promise<GetSecretValueCommandOutput>;
}

export interface PersonKeyerOptions {
  /** Builds the Secrets Manager client, called only if the secret is not in the environment. */
  secretsManager?: () => SecretsManagerLike;
}

export type PersonKeyer = (idNumber: string) => Promise<string>;

async function loadSecret(options: PersonKeyerOptions): Promise<Uint8Array> {
  const inline = process.env[ENV.idHmacSecret];
  if (inline) return secretBytes(inline, ENV.idHmacSecret);

  const secretId = process.env[ENV.idHmacSecretId];
  if (!secretId)
    throw new ConfigurationError(
      `neither ${ENV.idHmacSecret} nor ${ENV.idHmacSecretId} is set: no secret to key people by`,
    );
  // Created only here, so functions given the secret inline never build an AWS client.
  const client = options.secretsManager?.() ?? new SecretsManagerClient({});
  const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (output.SecretString === undefined)
    throw new ConfigurationError(`secret ${secretId} (${ENV.idHmacSecretId}) has no SecretString`);
  return secretBytes(output.SecretString, `secret ${secretId}`);
}

/**
 * A keyer that reads its configuration and loads the secret on first use, then reuses it. A
 * failed load is forgotten, so a transient Secrets Manager error is retried by the next call
 * rather than poisoning a warm Lambda for its lifetime.
 */
export function createPersonKeyer(options: PersonKeyerOptions = {}): PersonKeyer {
  let secret: Promise<Uint8Array> | undefined;
  return async (idNumber) => {
    checkCall({ service: 'secrets', action: 'GetSecretValue' });
    secret ??= loadSecret(options).catch((error: unknown) => {
      secret = undefined;
      throw error;
    });
    return personKeyFromSecret(await secret, idNumber);
  };
}

const processKeyer = createPersonKeyer();

/** The person key of an ID number, with the secret loaded once per process. */
export function personKey(idNumber: string): Promise<string> {
  return processKeyer(idNumber);
}

let processSecret: Promise<Uint8Array> | undefined;

/**
 * A keyed hash of another identifier (a bank account number…) under the same regional secret,
 * separated by its domain so that it never equals a person key or a hash of another domain.
 */
export async function keyedHash(domain: string, value: string): Promise<string> {
  checkCall({ service: 'secrets', action: 'GetSecretValue' });
  processSecret ??= loadSecret({}).catch((error: unknown) => {
    processSecret = undefined;
    throw error;
  });
  return createHmac('sha256', await processSecret)
    .update(`${domain}\u0000${value}`, 'utf8')
    .digest('base64url');
}
