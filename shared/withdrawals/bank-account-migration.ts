/**
 * The one-off migration of bank account numbers stored in clear before they were encrypted
 * (DESIGN.md §4 "Sensitive data at rest"): every withdrawal of a centre, found through its work
 * queue in every status, and the payout instruction made for it. Each record is rewritten with the
 * masked, hashed and encrypted form only if it still holds a clear number (a condition on the
 * write), so a run can be repeated or resumed after a crash and changes nothing the second time.
 * Nothing else in the record changes (its version neither: no decision is affected).
 *
 * Point-in-time recovery keeps the earlier clear copies for its window (35 days): README.
 */
import { APPLICATION_STATUSES, type ApplicationBase, workQueue } from '../applications/records.js';
import type { CityCode } from '../config/cities.js';
import { type DataKeyRing, protectBankAccount, type StoredBankAccount } from '../identity/bank-account.js';
import type { CentreRepository, ItemKey } from '../persistence/centre-repository.js';
import { isConditionFailure } from '../persistence/transactions.js';
import { payoutKey } from './withdrawals.js';

/** How a record written before encryption kept the account: the number in clear. */
interface ClearBankAccount {
  accountNumber: string;
  holderName: string;
  bankName: string;
}

export interface MigrationReport {
  city: CityCode;
  withdrawalsSeen: number;
  withdrawalsMigrated: number;
  payoutsMigrated: number;
}

function isClear(account: unknown): account is ClearBankAccount {
  return typeof (account as Partial<ClearBankAccount> | undefined)?.accountNumber === 'string';
}

/** Rewrites one record's bank account, only while it is still clear; whether it did. */
async function encryptInPlace(
  repository: CentreRepository,
  key: ItemKey,
  clear: ClearBankAccount,
  keyRing: DataKeyRing | undefined,
): Promise<boolean> {
  const stored: StoredBankAccount = await protectBankAccount(clear, repository.city, keyRing);
  try {
    await repository.update({
      Key: key,
      UpdateExpression: 'SET bankAccount = :stored',
      ConditionExpression: 'attribute_exists(bankAccount.accountNumber)',
      ExpressionAttributeValues: { ':stored': stored },
    });
    return true;
  } catch (error) {
    // Migrated meanwhile by another run.
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function migrateClearBankAccounts(
  repository: CentreRepository,
  keyRing?: DataKeyRing,
): Promise<MigrationReport> {
  const report: MigrationReport = {
    city: repository.city,
    withdrawalsSeen: 0,
    withdrawalsMigrated: 0,
    payoutsMigrated: 0,
  };
  for (const status of APPLICATION_STATUSES) {
    for (const listed of await workQueue<ApplicationBase & { kind?: string }>(repository.city, status)) {
      if (listed.kind !== 'withdrawal') continue;
      report.withdrawalsSeen += 1;
      const withdrawal = await repository.get<Record<string, unknown> & ItemKey>(
        { PK: listed.PK, SK: listed.SK },
        { consistent: true },
      );
      if (withdrawal && isClear(withdrawal.bankAccount)) {
        const recordKey = { PK: withdrawal.PK, SK: withdrawal.SK };
        if (await encryptInPlace(repository, recordKey, withdrawal.bankAccount, keyRing))
          report.withdrawalsMigrated += 1;
      }
      const key = payoutKey(repository.city, listed.applicationId);
      const payout = await repository.get<Record<string, unknown> & ItemKey>(key, { consistent: true });
      if (payout && isClear(payout.bankAccount)) {
        if (await encryptInPlace(repository, key, payout.bankAccount, keyRing)) report.payoutsMigrated += 1;
      }
    }
  }
  return report;
}
