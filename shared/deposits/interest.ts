/**
 * Yearly interest settlement (结息): for each personal account of a centre, interest for the
 * interest year ending on 30 June, on the daily balance (积数), posted once per account per year
 * (guard `POSTED#INTEREST#<year>`): running it twice, or resuming a run that stopped, posts
 * nothing twice; a year an earlier run missed is settled with it. Accounts are enumerated from the centre's account-number counter (no Scan).
 */
import { addDays } from '../calendar/dates.js';
import { toBeijingDate } from '../calendar/working-days.js';
import { CITY_CODES, type CityCode } from '../config/cities.js';
import {
  ACCOUNT_SK,
  LEDGER_SK_PREFIX,
  type LedgerEntry,
  personalAccountPartition,
  postingsItems,
} from '../ledger/ledger.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository } from '../persistence/centre-repository.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { interestToDateFromLedger } from '../withdrawals/rules.js';
import { interestYearOf } from './rules.js';
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
    const [account, guard] = await Promise.all([
      repository.get<PersonalAccountRecord & Record<string, unknown>>(key, { consistent: true }),
      repository.get({ PK: key.PK, SK: `POSTED#${reference}` }, { consistent: true }),
    ]);
    if (guard) return { outcome: 'alreadySettled', interestFen: 0 };
    if (!account || account.status === 'closed') return { outcome: 'nothingDue', interestFen: 0 };
    const entries = await ledgerOf(repository, account);
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
    await repository.transactWrite(
      postingsItems(
        repository.city,
        account,
        years.map((year) => ({
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
        })),
        { allowedStatuses: ['normal', 'sealed'] },
      ),
    );
    const interestFen = years.reduce((sum, year) => sum + year.interestFen, 0);
    return { outcome: 'posted', interestFen };
  });
}

export async function settleCentreInterest(
  repository: CentreRepository,
  settlementDate: string,
  now = new Date(),
): Promise<SettlementReport> {
  interestYearOf(settlementDate);
  // A year is settled once it has ended: settling one early would stop every closing before it.
  if (settlementDate >= toBeijingDate(now)) {
    throw new RangeError(
      `the interest year ending ${settlementDate} has not ended (today is ${toBeijingDate(now)})`,
    );
  }
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
