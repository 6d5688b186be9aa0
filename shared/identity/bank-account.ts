/**
 * Bank account numbers at rest (DESIGN.md §4 "Sensitive data at rest"; PIPL treats financial
 * accounts as sensitive personal information). A number is stored three ways, never in clear:
 *
 *  - masked, for every view (`6222 **** **** 0123`);
 *  - a keyed hash (HMAC-SHA256 under the regional secret, domain-separated from person keys), to
 *    match a number a bank sends back without decrypting anything;
 *  - encrypted with envelope encryption: a fresh AES-256-GCM data key per number, generated under
 *    the bank-account key (a KMS key of its own, not the table's) with an encryption context naming
 *    the account centre. KMS decrypts the data key only under the same context, so a grant to
 *    decrypt can be confined to one centre's context (the paying worker of that centre).
 *
 * The key ring is KMS in AWS (`BANK_ACCOUNT_KEY_ID`), and in the local region and tests a local
 * key (`BANK_ACCOUNT_LOCAL_KEY`) that wraps data keys the same way, the context as associated data.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { checkCall } from '../capabilities/seam.js';
import type { CityCode } from '../config/cities.js';
import { ConfigurationError, ENV } from '../config/runtime.js';
import { maskBankAccount } from './mask.js';
import { keyedHash } from './person-key.js';

/** What a bank account number is encrypted under: the account centre, and what it is for. */
export interface BankAccountContext {
  purpose: 'hpf-bank-account';
  city: CityCode;
}

/** The number, encrypted under a data key that is itself encrypted under the bank-account key. */
export interface EncryptedAccountNumber {
  keyId: string;
  /** base64: the data key as KMS (or the local key) encrypted it */
  encryptedDataKey: string;
  /** base64: AES-256-GCM nonce, ciphertext and authentication tag */
  iv: string;
  ciphertext: string;
  tag: string;
  context: BankAccountContext;
}

export interface StoredBankAccount {
  accountNumberMasked: string;
  /** HMAC of the number under the regional secret: equal numbers, equal hashes. */
  accountNumberHash: string;
  holderName: string;
  bankName: string;
  encryptedAccountNumber: EncryptedAccountNumber;
}

export interface DataKeyRing {
  generate(
    context: BankAccountContext,
  ): Promise<{ keyId: string; plaintext: Uint8Array; encrypted: Uint8Array }>;
  decrypt(keyId: string, encrypted: Uint8Array, context: BankAccountContext): Promise<Uint8Array>;
}

function contextMap(context: BankAccountContext): Record<string, string> {
  return { 'hpf:purpose': context.purpose, 'hpf:city': context.city };
}

/** KMS: GenerateDataKey for the API functions, Decrypt for the paying worker, both under the context. */
export function kmsKeyRing(keyId: string, client: KMSClient = new KMSClient({})): DataKeyRing {
  return {
    async generate(context) {
      const output = await client.send(
        new GenerateDataKeyCommand({
          KeyId: keyId,
          KeySpec: 'AES_256',
          EncryptionContext: contextMap(context),
        }),
      );
      if (!output.Plaintext || !output.CiphertextBlob) throw new Error('KMS returned no data key');
      return { keyId: output.KeyId ?? keyId, plaintext: output.Plaintext, encrypted: output.CiphertextBlob };
    },
    async decrypt(storedKeyId, encrypted, context) {
      const output = await client.send(
        new DecryptCommand({
          KeyId: storedKeyId,
          CiphertextBlob: encrypted,
          EncryptionContext: contextMap(context),
        }),
      );
      if (!output.Plaintext) throw new Error('KMS returned no plaintext');
      return output.Plaintext;
    },
  };
}

export const LOCAL_KEY_ID = 'local:bank-account-key';

/** The local stand-in for KMS: data keys wrapped with AES-256-GCM, the context as associated data. */
export function localKeyRing(secret: string): DataKeyRing {
  if (Buffer.byteLength(secret, 'utf8') < 32) {
    throw new ConfigurationError(`${ENV.bankAccountLocalKey} must be at least 32 bytes`);
  }
  const masterKey = createHash('sha256').update(secret, 'utf8').digest();
  const aad = (context: BankAccountContext) => Buffer.from(JSON.stringify(contextMap(context)), 'utf8');
  return {
    async generate(context) {
      const plaintext = randomBytes(32);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', masterKey, iv).setAAD(aad(context));
      const wrapped = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { keyId: LOCAL_KEY_ID, plaintext, encrypted: Buffer.concat([iv, cipher.getAuthTag(), wrapped]) };
    },
    async decrypt(keyId, encrypted, context) {
      if (keyId !== LOCAL_KEY_ID) throw new Error(`not a local key: ${keyId}`);
      const bytes = Buffer.from(encrypted);
      const decipher = createDecipheriv('aes-256-gcm', masterKey, bytes.subarray(0, 12))
        .setAAD(aad(context))
        .setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
    },
  };
}

let processKeyRing: DataKeyRing | undefined;

/** The key ring this process is configured with (read on first use). */
export function configuredKeyRing(): DataKeyRing {
  if (processKeyRing) return processKeyRing;
  const local = process.env[ENV.bankAccountLocalKey];
  const keyId = process.env[ENV.bankAccountKeyId];
  let ring: DataKeyRing;
  if (local) ring = localKeyRing(local);
  else if (keyId) ring = kmsKeyRing(keyId);
  else {
    throw new ConfigurationError(
      `neither ${ENV.bankAccountLocalKey} nor ${ENV.bankAccountKeyId} is set: no key for bank account numbers`,
    );
  }
  // Every use is checked against the running function's capabilities (the local key is no KMS).
  processKeyRing = {
    async generate(context) {
      checkCall({ service: 'kms', action: 'GenerateDataKey', city: context.city });
      return ring.generate(context);
    },
    async decrypt(storedKeyId, encrypted, context) {
      checkCall({ service: 'kms', action: 'Decrypt', city: context.city });
      return ring.decrypt(storedKeyId, encrypted, context);
    },
  };
  return processKeyRing;
}

/** A stored account as anyone may see it: the number masked, nothing encrypted or hashed. */
export function bankAccountView(stored: StoredBankAccount) {
  return {
    accountNumber: stored.accountNumberMasked,
    holderName: stored.holderName,
    bankName: stored.bankName,
  };
}

/** The keyed hash that matches a bank account number (spaces typed in groups ignored). */
export function bankAccountNumberHash(accountNumber: string): Promise<string> {
  return keyedHash('bank-account-number', accountNumber.replace(/\s/g, ''));
}

/** A bank account as it may be stored: masked, hashed and encrypted under its centre's context. */
export async function protectBankAccount(
  account: { accountNumber: string; holderName: string; bankName: string },
  city: CityCode,
  keyRing: DataKeyRing = configuredKeyRing(),
): Promise<StoredBankAccount> {
  const number = account.accountNumber.replace(/\s/g, '');
  const context: BankAccountContext = { purpose: 'hpf-bank-account', city };
  const dataKey = await keyRing.generate(context);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey.plaintext, iv);
  const ciphertext = Buffer.concat([cipher.update(number, 'utf8'), cipher.final()]);
  // The plaintext data key is used once and dropped.
  Buffer.from(dataKey.plaintext.buffer, dataKey.plaintext.byteOffset, dataKey.plaintext.byteLength).fill(0);
  return {
    accountNumberMasked: maskBankAccount(number),
    accountNumberHash: await bankAccountNumberHash(number),
    holderName: account.holderName,
    bankName: account.bankName,
    encryptedAccountNumber: {
      keyId: dataKey.keyId,
      encryptedDataKey: Buffer.from(dataKey.encrypted).toString('base64'),
      iv: iv.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      context,
    },
  };
}

/**
 * The clear number, for the bank instruction of a payout only: decrypted under the context of the
 * centre that pays (`city`), so a number stored for one centre never opens under another's.
 */
export async function revealAccountNumber(
  stored: StoredBankAccount,
  city: CityCode,
  keyRing: DataKeyRing = configuredKeyRing(),
): Promise<string> {
  const sealed = stored.encryptedAccountNumber;
  const context: BankAccountContext = { purpose: 'hpf-bank-account', city };
  const dataKey = await keyRing.decrypt(
    sealed.keyId,
    Buffer.from(sealed.encryptedDataKey, 'base64'),
    context,
  );
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(sealed.iv, 'base64')).setAuthTag(
    Buffer.from(sealed.tag, 'base64'),
  );
  return Buffer.concat([
    decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
    decipher.final(),
  ]).toString('utf8');
}
