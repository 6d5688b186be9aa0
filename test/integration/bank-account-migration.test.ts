/**
 * The one-off migration of bank account numbers stored in clear (shared/withdrawals/
 * bank-account-migration.ts): records written before encryption are rewritten masked, hashed and
 * encrypted, payouts too; a second run changes nothing; nothing else in a record changes.
 */

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { handler as migrate } from '../../functions/bank-account-migration/handler.js';
import { getPersonalAccount } from '../../shared/deposits/store.js';
import { protectBankAccount, revealAccountNumber } from '../../shared/identity/bank-account.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { getWithdrawal, payoutKey, submitWithdrawal } from '../../shared/withdrawals/withdrawals.js';
import { makeDepositor, randomIdNumber } from '../support/depositors.js';
import { asJob } from '../support/jobs.js';
import { withInboxesUnreachable } from '../support/region.js';

const CITY = '341300' as const;
const CLEAR = {
  accountNumber: '6222021234567890123',
  holderName: '测试人',
  bankName: '中国工商银行宿州分行',
};

/** A withdrawal and its payout as they were stored before encryption: the number in clear. */
async function legacyWithdrawal() {
  const person = await makeDepositor([CITY], 6, randomIdNumber(1960, 'male'));
  const repository = centreRepository(CITY);
  const account = await getPersonalAccount(repository, person.accounts[CITY] as string);
  if (!account) throw new Error('no account');
  const { withdrawal } = await withInboxesUnreachable(async () =>
    submitWithdrawal(repository, {
      account,
      idempotencyScope: randomUUID(),
      birthDate: '1960-01-01',
      sex: 'male',
      // as the handler masks it: the staff queue lists this withdrawal, checked against the document
      idNumberMasked: maskIdNumber(person.idNumber),
      request: { type: 'retirement' },
      bankAccount: await protectBankAccount(CLEAR, CITY),
      channel: 'online',
      acceptedBy: 'test',
      correlationId: 'legacy',
    }),
  );
  await repository.update({
    Key: { PK: withdrawal.PK, SK: withdrawal.SK },
    UpdateExpression: 'SET bankAccount = :clear',
    ExpressionAttributeValues: { ':clear': CLEAR },
  });
  await repository.put({
    ...payoutKey(CITY, withdrawal.applicationId),
    withdrawalId: withdrawal.applicationId,
    amountFen: 100,
    bankAccount: CLEAR,
    status: 'instructed',
    instructedAt: new Date().toISOString(),
  });
  return withdrawal;
}

describe('npm run migrate-bank-accounts', () => {
  it('encrypts clear numbers in withdrawals and payouts once, and changes nothing else', async () => {
    const before = await legacyWithdrawal();
    const repository = centreRepository(CITY);
    const { reports } = await asJob('bank-account-migration', () => migrate({ cities: [CITY] }));
    expect(reports[0]).toMatchObject({ city: CITY });
    expect(reports[0]?.withdrawalsMigrated).toBeGreaterThanOrEqual(1);
    expect(reports[0]?.payoutsMigrated).toBeGreaterThanOrEqual(1);

    const after = await getWithdrawal(repository, before.applicationId);
    expect(JSON.stringify(after)).not.toContain(CLEAR.accountNumber);
    expect(after?.bankAccount).toMatchObject({
      accountNumberMasked: '6222 **** **** 0123',
      holderName: '测试人',
    });
    expect(await revealAccountNumber(after?.bankAccount as never, CITY)).toBe(CLEAR.accountNumber);
    expect(after?.version).toBe(before.version);
    expect(after?.status).toBe(before.status);
    const payout = await repository.get(payoutKey(CITY, before.applicationId), { consistent: true });
    expect(JSON.stringify(payout)).not.toContain(CLEAR.accountNumber);
    expect(payout?.bankAccount).toEqual(
      expect.objectContaining({ accountNumberHash: after?.bankAccount.accountNumberHash }),
    );

    const again = await asJob('bank-account-migration', () => migrate({ cities: [CITY] }));
    expect(again.reports[0]).toMatchObject({ withdrawalsMigrated: 0, payoutsMigrated: 0 });
    expect(await getWithdrawal(repository, before.applicationId)).toEqual(after);
  });
});
