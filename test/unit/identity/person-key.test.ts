import { createHmac } from 'node:crypto';
import type { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ConfigurationError, ENV } from '../../../shared/config/runtime.js';
import {
  createPersonKeyer,
  personKey,
  personKeyFromSecret,
  type SecretsManagerLike,
} from '../../../shared/identity/person-key.js';

const SECRET = 'huaihai-test-secret-0123456789-abcdefghij';
const OTHER_SECRET = 'huaihai-test-secret-9876543210-abcdefghij';
const ID = '11010519491231002X';
const OTHER_ID = '320311199001011233';
const KEY_SHAPE = /^[A-Za-z0-9_-]{43}$/;

describe('personKeyFromSecret', () => {
  it('is the base64url HMAC-SHA256 of the normalised number', () => {
    const expected = createHmac('sha256', SECRET).update(ID).digest('base64url');
    expect(personKeyFromSecret(SECRET, ID)).toBe(expected);
  });

  it('is deterministic and 43 base64url characters', () => {
    const key = personKeyFromSecret(SECRET, ID);
    expect(key).toMatch(KEY_SHAPE);
    expect(personKeyFromSecret(SECRET, ID)).toBe(key);
  });

  it('takes the secret as a string or as bytes alike', () => {
    expect(personKeyFromSecret(new TextEncoder().encode(SECRET), ID)).toBe(personKeyFromSecret(SECRET, ID));
  });

  it('differs with the secret and with the number', () => {
    const key = personKeyFromSecret(SECRET, ID);
    expect(personKeyFromSecret(OTHER_SECRET, ID)).not.toBe(key);
    expect(personKeyFromSecret(SECRET, OTHER_ID)).not.toBe(key);
  });

  it('gives the same key for a lowercase x and an uppercase X', () => {
    expect(personKeyFromSecret(SECRET, '11010519491231002x')).toBe(personKeyFromSecret(SECRET, ID));
  });

  it('never carries the number in clear', () => {
    const key = personKeyFromSecret(SECRET, ID);
    expect(key).not.toBe(ID);
    expect(key).not.toContain(ID.slice(0, 6));
    expect(key).not.toContain(ID.slice(6, 14));
    expect(Buffer.from(key, 'base64url').toString('latin1')).not.toContain('19491231');
  });

  it('refuses a secret shorter than 32 bytes, as a string or as bytes', () => {
    expect(() => personKeyFromSecret('x'.repeat(31), ID)).toThrow(ConfigurationError);
    expect(() => personKeyFromSecret('x'.repeat(31), ID)).toThrow(/32/);
    expect(() => personKeyFromSecret(new Uint8Array(31), ID)).toThrow(ConfigurationError);
    expect(personKeyFromSecret('x'.repeat(32), ID)).toMatch(KEY_SHAPE);
  });

  it('counts the secret in UTF-8 bytes, not characters', () => {
    // 11 characters, 33 bytes.
    expect(personKeyFromSecret('淮海经济区公积金一体化', ID)).toMatch(KEY_SHAPE);
    // 31 ASCII characters but 33 bytes with one three-byte character: accepted.
    expect(personKeyFromSecret(`${'x'.repeat(30)}淮`, ID)).toMatch(KEY_SHAPE);
  });

  it('refuses a malformed number, so one person never gets two keys, without echoing it', () => {
    for (const input of [` ${ID}`, `${ID} `, ID.slice(0, 17), '１１０１０５１９４９１２３１００２Ｘ']) {
      expect(() => personKeyFromSecret(SECRET, input)).toThrow(RangeError);
      expect(() => personKeyFromSecret(SECRET, input)).toThrow(/^(?!.*(110105|19491231|１１０１))/);
    }
  });
});

describe('createPersonKeyer', () => {
  const saved = { secret: process.env[ENV.idHmacSecret], secretId: process.env[ENV.idHmacSecretId] };

  function restore(name: string, value: string | undefined): void {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }

  beforeEach(() => {
    delete process.env[ENV.idHmacSecret];
    delete process.env[ENV.idHmacSecretId];
  });

  afterEach(() => {
    restore(ENV.idHmacSecret, saved.secret);
    restore(ENV.idHmacSecretId, saved.secretId);
  });

  function stubSecretsManager(...outcomes: Array<string | undefined | Error>) {
    const send = jest.fn<SecretsManagerLike['send']>();
    for (const outcome of outcomes) {
      if (outcome instanceof Error) send.mockRejectedValueOnce(outcome);
      else send.mockResolvedValueOnce({ SecretString: outcome, $metadata: {} });
    }
    const factory = jest.fn(() => ({ send }));
    return { send, factory };
  }

  it('keys with the secret from ID_HMAC_SECRET without touching Secrets Manager', async () => {
    process.env[ENV.idHmacSecret] = SECRET;
    process.env[ENV.idHmacSecretId] = 'huaihai/id-hmac';
    const { factory } = stubSecretsManager();
    const key = createPersonKeyer({ secretsManager: factory });
    await expect(key('11010519491231002x')).resolves.toBe(personKeyFromSecret(SECRET, ID));
    expect(factory).not.toHaveBeenCalled();
  });

  it('reads the secret from Secrets Manager once, then reuses it', async () => {
    process.env[ENV.idHmacSecretId] = 'huaihai/id-hmac';
    const { send, factory } = stubSecretsManager(OTHER_SECRET);
    const key = createPersonKeyer({ secretsManager: factory });
    await expect(key(ID)).resolves.toBe(personKeyFromSecret(OTHER_SECRET, ID));
    await expect(key(OTHER_ID)).resolves.toBe(personKeyFromSecret(OTHER_SECRET, OTHER_ID));
    expect(factory).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledTimes(1);
    const command = send.mock.calls[0]?.[0] as GetSecretValueCommand;
    expect(command.input).toEqual({ SecretId: 'huaihai/id-hmac' });
  });

  it('loads once when the first calls overlap', async () => {
    process.env[ENV.idHmacSecretId] = 'huaihai/id-hmac';
    const { send, factory } = stubSecretsManager(OTHER_SECRET);
    const key = createPersonKeyer({ secretsManager: factory });
    const keys = await Promise.all([key(ID), key(OTHER_ID), key(ID)]);
    expect(keys[0]).toBe(keys[2]);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('retries after a failed load instead of keeping the failure', async () => {
    process.env[ENV.idHmacSecretId] = 'huaihai/id-hmac';
    const { send, factory } = stubSecretsManager(new Error('throttled'), SECRET);
    const key = createPersonKeyer({ secretsManager: factory });
    await expect(key(ID)).rejects.toThrow('throttled');
    await expect(key(ID)).resolves.toBe(personKeyFromSecret(SECRET, ID));
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('refuses a secret without a SecretString', async () => {
    process.env[ENV.idHmacSecretId] = 'huaihai/id-hmac';
    const { factory } = stubSecretsManager(undefined);
    await expect(createPersonKeyer({ secretsManager: factory })(ID)).rejects.toThrow(ConfigurationError);
  });

  it('refuses a short secret from either source, saying so', async () => {
    process.env[ENV.idHmacSecret] = 'too-short';
    await expect(createPersonKeyer()(ID)).rejects.toThrow(ConfigurationError);
    await expect(createPersonKeyer()(ID)).rejects.toThrow(/ID_HMAC_SECRET is 9 bytes; at least 32/);

    delete process.env[ENV.idHmacSecret];
    process.env[ENV.idHmacSecretId] = 'huaihai/id-hmac';
    const { factory } = stubSecretsManager('too-short');
    await expect(createPersonKeyer({ secretsManager: factory })(ID)).rejects.toThrow(/at least 32/);
  });

  it('refuses to work with neither variable set, without naming the number', async () => {
    const result = createPersonKeyer()(ID);
    await expect(result).rejects.toThrow(ConfigurationError);
    await expect(result).rejects.toThrow(/ID_HMAC_SECRET.*ID_HMAC_SECRET_ID/);
    await expect(result).rejects.toThrow(/^(?!.*110105)/);
  });
});

describe('personKey', () => {
  afterEach(() => {
    delete process.env[ENV.idHmacSecret];
  });

  it('keys with the process secret', async () => {
    process.env[ENV.idHmacSecret] = SECRET;
    await expect(personKey(ID)).resolves.toBe(personKeyFromSecret(SECRET, ID));
  });
});
