/**
 * The ledger invariant of DESIGN.md §4, checked on the real table: an account's balance is the
 * sum of its ledger entries, each entry's balanceAfterFen is the running sum, and every business
 * reference is posted once (one entry per once-only guard, one guard per entry).
 *
 *   const { account, entries } = await assertBalanceEqualsLedger('370800', personalAccountNo);
 */
import { expect } from '@jest/globals';
import type { CityCode } from '../../shared/config/cities.js';
import { getPersonalAccount, type PersonalAccountRecord } from '../../shared/deposits/store.js';
import {
  LEDGER_SK_PREFIX,
  type LedgerEntry,
  ledgerSortKey,
  personalAccountPartition,
} from '../../shared/ledger/ledger.js';
import { type CentreRepository, centreRepository } from '../../shared/persistence/centre-repository.js';

type Item = Record<string, unknown> & { PK: string; SK: string };

async function partitionItems(
  repository: CentreRepository,
  partition: string,
  prefix: string,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await repository.query<Item>(partition, {
      sortKeyCondition: 'begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':prefix': prefix },
      ConsistentRead: true,
      ExclusiveStartKey: startKey,
    });
    items.push(...page.items);
    startKey = page.lastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Every ledger entry of an account, oldest first (strongly consistent). */
export async function ledgerEntries(city: CityCode, personalAccountNo: string): Promise<LedgerEntry[]> {
  const repository = centreRepository(city);
  const items = await partitionItems(
    repository,
    personalAccountPartition(city, personalAccountNo),
    LEDGER_SK_PREFIX,
  );
  return items as unknown as LedgerEntry[];
}

/**
 * Fails the test unless balance = Σ ledger amounts, each balanceAfterFen is the running sum, the
 * versions only grow, and the once-only guards and the entries match one to one.
 */
export async function assertBalanceEqualsLedger(
  city: CityCode,
  personalAccountNo: string,
): Promise<{ account: PersonalAccountRecord; entries: LedgerEntry[] }> {
  const repository = centreRepository(city);
  const partition = personalAccountPartition(city, personalAccountNo);
  const [account, entries, guards] = await Promise.all([
    getPersonalAccount(repository, personalAccountNo),
    ledgerEntries(city, personalAccountNo),
    partitionItems(repository, partition, 'POSTED#'),
  ]);
  if (!account) throw new Error(`account ${personalAccountNo} not found in ${city}`);

  let running = 0;
  let previousVersion = 0;
  for (const entry of entries) {
    const where = `${personalAccountNo} ledger v${entry.version} (${entry.reference})`;
    expect({ where, sk: entry.SK }).toEqual({ where, sk: ledgerSortKey(entry.version) });
    expect({ where, increasing: entry.version > previousVersion }).toEqual({ where, increasing: true });
    expect({ where, wholeNonZero: Number.isSafeInteger(entry.amountFen) && entry.amountFen !== 0 }).toEqual({
      where,
      wholeNonZero: true,
    });
    running += entry.amountFen;
    expect({ where, balanceAfterFen: entry.balanceAfterFen }).toEqual({ where, balanceAfterFen: running });
    expect({ where, personalAccountNo: entry.personalAccountNo }).toEqual({ where, personalAccountNo });
    previousVersion = entry.version;
  }
  expect({ personalAccountNo, balanceFen: account.balanceFen }).toEqual({
    personalAccountNo,
    balanceFen: running,
  });
  // The account's version is at least the newest entry's (a posting sets it to the entry's version).
  expect(account.version).toBeGreaterThanOrEqual(previousVersion);

  // Once-only: each reference posted at most once, and guard ↔ entry one to one.
  const references = entries.map((entry) => entry.reference);
  expect(new Set(references).size).toBe(references.length);
  const guardToEntry = Object.fromEntries(
    guards.map((guard) => [guard.SK.slice('POSTED#'.length), guard.ledgerSortKey]),
  );
  const entryBySk = Object.fromEntries(entries.map((entry) => [entry.reference, entry.SK]));
  expect(guardToEntry).toEqual(entryBySk);
  return { account, entries };
}
