/**
 * Yearly interest settlement (结息): for each personal account of a centre, interest for the
 * interest year ending on 30 June, on the daily balance (积数), posted once per account per year
 * (guard `POSTED#INTEREST#<year>`): running it twice, or resuming a run that stopped, posts
 * nothing twice; a year an earlier run missed is settled with it. Accounts are enumerated from the centre's account-number counter (no Scan).
 */
import { addDays } from '../calendar/dates.js';
import { toBeijingDate } from '../calendar/working-days.js';
import type { CityCode } from '../config/cities.js';
import {
  ACCOUNT_SK,
  LEDGER_SK_PREFIX,
  type LedgerEntry,
  ledgerSortKey,
  personalAccountPartition,
  postingsItems,
} from '../ledger/ledger.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository, TableItem } from '../persistence/centre-repository.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { interestToDateFromLedger } from '../withdrawals/rules.js';
import { interestYearOf } from './rules.js';
import { entriesSinceMark, markAfter, type SettlementMark } from './settlement-mark.js';
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

/** The account's settlement mark (settlement-mark.ts), beside its ledger. */
export function settlementMarkKey(partition: string) {
  return { PK: partition, SK: 'SETTLEMENT#INTEREST' };
}

/** The ledger entries after a version (a settlement's): a range of the sort key, never the whole ledger. */
export async function ledgerAfter(
  repository: CentreRepository,
  account: PersonalAccountRecord,
  version: number,
): Promise<LedgerEntry[]> {
  return repository.queryAll<LedgerEntry & Record<string, unknown>>(account.PK, {
    sortKeyCondition: 'SK BETWEEN :after AND :last',
    ExpressionAttributeValues: {
      ':after': ledgerSortKey(version + 1),
      ':last': ledgerSortKey(999_999_999_999),
    },
    ConsistentRead: true,
  });
}

export function interestReference(settlementDate: string): string {
  return `INTEREST#${settlementDate.slice(0, 4)}`;
}

type Outcome = 'posted' | 'alreadySettled' | 'nothingDue';

/** One account's settlement: the job runs it for every account of a centre. */
export async function settleAccount(
  repository: CentreRepository,
  personalAccountNo: string,
  settlementDate: string,
  now: Date,
): Promise<{ outcome: Outcome; interestFen: number }> {
  const reference = interestReference(settlementDate);
  // The account moved meanwhile (a posting) or another run settled it: look again.
  return withOptimisticRetry(async () => {
    const key = { PK: personalAccountPartition(repository.city, personalAccountNo), SK: ACCOUNT_SK };
    const [account, guard, mark] = await Promise.all([
      repository.get<PersonalAccountRecord & Record<string, unknown>>(key, { consistent: true }),
      repository.get({ PK: key.PK, SK: `POSTED#${reference}` }, { consistent: true }),
      repository.get<SettlementMark & TableItem>(settlementMarkKey(key.PK), { consistent: true }),
    ]);
    if (guard) return { outcome: 'alreadySettled', interestFen: 0 };
    if (!account || account.status === 'closed') return { outcome: 'nothingDue', interestFen: 0 };
    // Since the last settlement only (its mark); an account never settled here reads its whole ledger once.
    const entries = mark
      ? entriesSinceMark(mark, await ledgerAfter(repository, account, mark.throughVersion))
      : await ledgerOf(repository, account);
    // A later year's settlement already paid this one (it settles every year it finds unsettled).
    if (
      entries.some(
        (e) => e.kind === 'interest' && /^INTEREST#\d{4}$/.test(e.reference) && e.valueDate > settlementDate,
      )
    ) {
      return { outcome: 'alreadySettled', interestFen: 0 };
    }
    // From the day after the last settlement in the ledger: a year a missed job never settled is
    // settled now too, under its own reference and on its own 30 June, before this one.
    const due = interestToDateFromLedger(entries, addDays(settlementDate, 1));
    const years = due.unsettledYears.filter((year) => year.interestFen > 0);
    if (years.length === 0) return { outcome: 'nothingDue', interestFen: 0 };
    const postings = years.map((year) => ({
      reference: interestReference(year.to),
      kind: 'interest' as const,
      amountFen: year.interestFen,
      valueDate: year.to,
      postedAt: now.toISOString(),
      details: {
        from: year.from,
        to: year.to,
        days: year.days,
        fenDays: year.fenDays.toString(),
        annualRateBasisPoints: year.rateBasisPoints,
        ruleVersion: year.ruleVersion,
      },
    }));
    // The mark moves with the postings, in their transaction (which holds only if the account did not move).
    const nextMark = markAfter(settlementDate, [...entries, ...postings], account.version + postings.length);
    await repository.transactWrite([
      ...postingsItems(repository.city, account, postings, { allowedStatuses: ['normal', 'sealed'] }),
      { Put: { Item: { ...settlementMarkKey(key.PK), ...nextMark } } },
    ]);
    const interestFen = years.reduce((sum, year) => sum + year.interestFen, 0);
    return { outcome: 'posted', interestFen };
  });
}

/** Accounts of a centre by sequence number: `count` of them from `first` (account numbers are dense). */
export interface AccountPage {
  first: number;
  count: number;
}

export function assertYearEnded(settlementDate: string, now: Date): void {
  interestYearOf(settlementDate);
  // A year is settled once it has ended: settling one early would stop every closing before it.
  if (settlementDate >= toBeijingDate(now)) {
    throw new RangeError(
      `the interest year ending ${settlementDate} has not ended (today is ${toBeijingDate(now)})`,
    );
  }
}

function emptyReport(city: CityCode, settlementDate: string): SettlementReport {
  return {
    city,
    settlementDate,
    accountsSeen: 0,
    posted: 0,
    alreadySettled: 0,
    nothingDue: 0,
    interestFen: 0,
  };
}

export function addReports(into: SettlementReport, more: SettlementReport): SettlementReport {
  into.accountsSeen += more.accountsSeen;
  into.posted += more.posted;
  into.alreadySettled += more.alreadySettled;
  into.nothingDue += more.nothingDue;
  into.interestFen += more.interestFen;
  return into;
}

/**
 * One chunk of a centre's settlement: the accounts `page.first … page.first + page.count − 1`, each
 * settled once (a chunk run twice, or resumed after a crash, posts nothing twice). The fan-out job
 * runs one per message; the benchmark times it.
 */
export async function settleInterestChunk(
  repository: CentreRepository,
  settlementDate: string,
  page: AccountPage,
  now = new Date(),
): Promise<SettlementReport> {
  assertYearEnded(settlementDate, now);
  const report = emptyReport(repository.city, settlementDate);
  for (let sequence = page.first; sequence < page.first + page.count; sequence++) {
    const { outcome, interestFen } = await settleAccount(
      repository,
      personalAccountNoAt(repository.city, sequence),
      settlementDate,
      now,
    );
    report.accountsSeen += 1;
    report[outcome] += 1;
    report.interestFen += interestFen;
  }
  return report;
}

/** The pages of a centre's accounts at `chunkSize` each, from its account-number counter (no Scan). */
export async function accountPages(repository: CentreRepository, chunkSize: number): Promise<AccountPage[]> {
  const issued = await issuedAccountCount(repository, 'personal');
  const pages: AccountPage[] = [];
  for (let first = 1; first <= issued; first += chunkSize) {
    pages.push({ first, count: Math.min(chunkSize, issued - first + 1) });
  }
  return pages;
}

/** A whole centre in this process, page after page (tests and one-centre re-runs; the job fans out). */
export async function settleCentreInterest(
  repository: CentreRepository,
  settlementDate: string,
  now = new Date(),
): Promise<SettlementReport> {
  assertYearEnded(settlementDate, now);
  const report = emptyReport(repository.city, settlementDate);
  for (const page of await accountPages(repository, ACCOUNTS_PER_READ)) {
    addReports(report, await settleInterestChunk(repository, settlementDate, page, now));
  }
  logger.info('interest settled', { ...report });
  return report;
}
