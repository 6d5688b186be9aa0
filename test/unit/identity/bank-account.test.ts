import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from '@jest/globals';
import {
  bankAccountView,
  kmsKeyRing,
  localKeyRing,
  protectBankAccount,
  revealAccountNumber,
} from '../../../shared/identity/bank-account.js';

// The keyed hash reads the regional secret from the environment, as the local region gives it.
process.env.ID_HMAC_SECRET ??= 'test-only/huaihai-hpf-hub/id-hmac/NOT-A-SECRET/0001';

const NUMBER = '6222021234567890123';
const account = { accountNumber: NUMBER, holderName: '周海涛', bankName: '工商银行徐州分行' };
const keyRing = localKeyRing('test-only/bank-account-key/NOT-A-SECRET/0001');

describe('a stored bank account', () => {
  it('keeps no clear number: masked, hashed, encrypted; opened again by its own centre', async () => {
    const stored = await protectBankAccount(account, '320300', keyRing);
    expect(JSON.stringify(stored)).not.toContain(NUMBER);
    expect(JSON.stringify(stored)).not.toMatch(/\d{8}/);
    expect(stored.accountNumberMasked).toBe('6222 **** **** 0123');
    expect(bankAccountView(stored)).toEqual({
      accountNumber: '6222 **** **** 0123',
      holderName: '周海涛',
      bankName: '工商银行徐州分行',
    });
    expect(stored.encryptedAccountNumber.context).toEqual({ purpose: 'hpf-bank-account', city: '320300' });
    expect(await revealAccountNumber(stored, '320300', keyRing)).toBe(NUMBER);
  });

  it('never opens under another centre’s context, nor with a tampered ciphertext or another key', async () => {
    const stored = await protectBankAccount(account, '320300', keyRing);
    await expect(revealAccountNumber(stored, '371300', keyRing)).rejects.toThrow();
    const tampered = {
      ...stored,
      encryptedAccountNumber: {
        ...stored.encryptedAccountNumber,
        ciphertext: Buffer.from('0000000000000000000').toString('base64'),
      },
    };
    await expect(revealAccountNumber(tampered, '320300', keyRing)).rejects.toThrow();
    const otherKey = localKeyRing('another/bank-account-key/NOT-A-SECRET/0002');
    await expect(revealAccountNumber(stored, '320300', otherKey)).rejects.toThrow();
  });

  it('hashes equal numbers equally (spaces typed in groups ignored) and different ones differently', async () => {
    const a = await protectBankAccount(account, '320300', keyRing);
    const b = await protectBankAccount(
      { ...account, accountNumber: '6222 0212 3456 7890 123' },
      '371300',
      keyRing,
    );
    const c = await protectBankAccount(
      { ...account, accountNumber: '6222021234567890128' },
      '320300',
      keyRing,
    );
    expect(a.accountNumberHash).toBe(b.accountNumberHash);
    expect(a.accountNumberHash).not.toBe(c.accountNumberHash);
    // a fresh data key each time: equal numbers never give equal ciphertexts
    expect(a.encryptedAccountNumber.ciphertext).not.toBe(b.encryptedAccountNumber.ciphertext);
  });

  it('asks KMS for a data key and its decryption under the encryption context naming the centre', async () => {
    const sent: unknown[] = [];
    const dataKey = Buffer.alloc(32, 7);
    const client = {
      send: async (command: GenerateDataKeyCommand | DecryptCommand) => {
        sent.push(command);
        if (command instanceof GenerateDataKeyCommand) {
          return {
            KeyId: 'arn:aws:kms:key/1',
            Plaintext: Uint8Array.from(dataKey),
            CiphertextBlob: Buffer.from('wrapped'),
          };
        }
        return { Plaintext: Uint8Array.from(dataKey) };
      },
    } as unknown as KMSClient;
    const kms = kmsKeyRing('arn:aws:kms:key/1', client);
    const stored = await protectBankAccount(account, '341300', kms);
    expect(await revealAccountNumber(stored, '341300', kms)).toBe(NUMBER);
    const context = { 'hpf:purpose': 'hpf-bank-account', 'hpf:city': '341300' };
    expect(sent[0]).toBeInstanceOf(GenerateDataKeyCommand);
    expect((sent[0] as GenerateDataKeyCommand).input).toEqual({
      KeyId: 'arn:aws:kms:key/1',
      KeySpec: 'AES_256',
      EncryptionContext: context,
    });
    expect(sent[1]).toBeInstanceOf(DecryptCommand);
    expect((sent[1] as DecryptCommand).input).toMatchObject({ EncryptionContext: context });
  });
});
