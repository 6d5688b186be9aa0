/**
 * Yearly interest settlement (结息): for each personal account of a centre, interest for the
 * interest year ending on 30 June, on the daily balance (积数), posted once per account per year
 * (guard `POSTED#INTEREST#<year>`): running it twice, or resuming a run that stopped, posts
 * nothing twice. Accounts are enumerated from the centre's account-number counter (no Scan).
 */
import { CITY_CODES, type CityCode } from '../config/cities.js';
import {
  ACCOUNT_SK,
  LEDGER_SK_PREFIX,
  type LedgerEntry,
  personalAccountPartition,
  postingItems,
} from '../ledger/ledger.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { type BalanceMovement, interestYearOf, yearlyInterestFen } from './rules.js';
import { issuedAccountCount, type PersonalAccountRecord, personalAccountNoAt } from './store.js';

const ACCOUNTS_PER_READ = 100;

export interface SettlementReport {
  city: CityCode;
  settlementDate: string;
  accountsSeen: number;
  posted: number;
  alreadySettled: number;
  /** Accounts with no interest to post (zero balance all year, or closed). */
  nothingDue: number;
  interestFen: number;
}

export async function ledgerOf(
  repository: CentreRepository,
  account: PersonalAccountRecord,
): Promise<LedgerEntry[]> {
  return repository.queryAll<LedgerEntry & Record<string, unknown>>(account.PK, {
    sortKeyCondition: 'begins_with(SK, :ledger)',
    ExpressionAttributeValues: { ':ledger': LEDGER_SK_PREFIX },
    ConsistentRead: true,
  });
}

export function interestReference(settlementDate: string): string {
  return `INTEREST#${settlementDate.slice(0, 4)}`;
}

/** The interest due on one account from its ledger: opening balance = every entry valued before the year. */
export function interestDue(entries: readonly LedgerEntry[], settlementDate: string) {
  const { from, to } = interestYearOf(settlementDate);
  const reference = interestReference(settlementDate);
  let openingBalanceFen = 0;
  const movements: BalanceMovement[] = [];
  for (const entry of entries) {
    if (entry.reference === reference) continue;
    if (entry.valueDate < from) openingBalanceFen += entry.amountFen;
    else if (entry.valueDate <= to) movements.push({ date: entry.valueDate, amountFen: entry.amountFen });
  }
  return yearlyInterestFen({ openingBalanceFen, movements, settlementDate });
}

type Outcome = 'posted' | 'alreadySettled' | 'nothingDue';

async function settleAccount(
  repository: CentreRepository,
  personalAccountNo: string,
  settlementDate: string,
  now: Date,
): Promise<{ outcome: Outcome; interestFen: number }> {
  const reference = interestReference(settlementDate);
  // The account moved meanwhile (a posting) or another run settled it: look again.
  return withOptimisticRetry(async () => {
    const key = { PK: personalAccountPartition(repository.city, personalAccountNo), SK: ACCOUNT_SK };
    const [account, guard] = await Promise.all([
      repository.get<PersonalAccountRecord & Record<string, unknown>>(key, { consistent: true }),
      repository.get({ PK: key.PK, SK: `POSTED#${reference}` }, { consistent: true }),
    ]);
    if (guard) return { outcome: 'alreadySettled', interestFen: 0 };
    if (!account || account.status === 'closed') return { outcome: 'nothingDue', interestFen: 0 };
    const interest = interestDue(await ledgerOf(repository, account), settlementDate);
    if (interest.interestFen === 0) return { outcome: 'nothingDue', interestFen: 0 };
    await repository.transactWrite(
      postingItems(repository.city, account, {
        reference,
        kind: 'interest',
        amountFen: interest.interestFen,
        valueDate: settlementDate,
        postedAt: now.toISOString(),
        details: {
          from: interest.from,
          to: interest.to,
          days: interest.days,
          fenDays: interest.fenDays.toString(),
          annualRateBasisPoints: interest.rateBasisPoints,
          ruleVersion: interest.ruleVersion,
        },
        allowedStatuses: ['normal', 'sealed'],
      }),
    );
    return { outcome: 'posted', interestFen: interest.interestFen };
  });
}

export async function settleCentreInterest(
  repository: CentreRepository,
  settlementDate: string,
  now = new Date(),
): Promise<SettlementReport> {
  interestYearOf(settlementDate);
  const report: SettlementReport = {
    city: repository.city,
    settlementDate,
    accountsSeen: 0,
    posted: 0,
    alreadySettled: 0,
    nothingDue: 0,
    interestFen: 0,
  };
  const issued = await issuedAccountCount(repository, 'personal');
  for (let first = 1; first <= issued; first += ACCOUNTS_PER_READ) {
    const numbers = Array.from({ length: Math.min(ACCOUNTS_PER_READ, issued - first + 1) }, (_, i) =>
      personalAccountNoAt(repository.city, first + i),
    );
    for (const personalAccountNo of numbers) {
      const { outcome, interestFen } = await settleAccount(
        repository,
        personalAccountNo,
        settlementDate,
        now,
      );
      report.accountsSeen += 1;
      report[outcome] += 1;
      report.interestFen += interestFen;
    }
  }
  logger.info('interest settled', { ...report });
  return report;
}

export async function settleRegionInterest(
  repositoryOf: (city: CityCode) => CentreRepository,
  settlementDate: string,
  now = new Date(),
): Promise<SettlementReport[]> {
  return Promise.all(CITY_CODES.map((city) => settleCentreInterest(repositoryOf(city), settlementDate, now)));
}
