/**
 * Postings to a personal account's ledger (个人账户明细). Every change of a balance is one
 * ledger entry written in the same transaction as the balance it changes, guarded so that
 *  - the balance moves only from the version that was read (no lost update, no race),
 *  - a debit never takes the balance below zero,
 *  - one business reference (a remittance month, an interest year…) posts at most once.
 * So balance = sum of ledger, always. Ledger entries sort by the account's version: newest first
 * is a Query in reverse.
 *
 * Records, in the account's own partition `C#<city>#PACCT#<personalAccountNo>`:
 *   SK `ACCOUNT`               the account: balanceFen, version, terms, status…
 *   SK `LEDGER#<version:12>`   one entry per posting
 *   SK `POSTED#<reference>`    the once-only guard of a business reference
 */
import type { CityCode } from '../config/cities.js';
import type { TransactItem } from '../persistence/centre-repository.js';
import { centreKey } from '../persistence/table.js';

export type LedgerKind =
  | 'remittance'
  | 'back-pay'
  | 'interest'
  | 'withdrawal'
  | 'loan-repayment'
  | 'adjustment'
  // ACCOUNT_TRANSFER 转移接续: the sending account's debit, the receiving account's credit, a credit back
  | 'transfer-out'
  | 'transfer-in'
  | 'transfer-return';

export interface LedgerEntry {
  PK: string;
  SK: string;
  personalAccountNo: string;
  version: number;
  kind: LedgerKind;
  /** Signed: credits positive, debits negative. */
  amountFen: number;
  balanceAfterFen: number;
  /** The Beijing date from which the movement counts for interest (起息日). */
  valueDate: string;
  postedAt: string;
  reference: string;
  details?: Record<string, unknown>;
}

export function personalAccountPartition(city: CityCode, personalAccountNo: string): string {
  return centreKey(city, 'PACCT', personalAccountNo);
}

export const ACCOUNT_SK = 'ACCOUNT';
export const LEDGER_SK_PREFIX = 'LEDGER#';

export function ledgerSortKey(version: number): string {
  return `${LEDGER_SK_PREFIX}${String(version).padStart(12, '0')}`;
}

export function postingGuardKey(city: CityCode, personalAccountNo: string, reference: string) {
  return { PK: personalAccountPartition(city, personalAccountNo), SK: `POSTED#${reference}` };
}

export interface AccountState {
  personalAccountNo: string;
  balanceFen: number;
  version: number;
}

/** One movement of the balance: one ledger entry and the once-only guard of its reference. */
export interface LedgerPosting {
  reference: string;
  kind: LedgerKind;
  amountFen: number;
  valueDate: string;
  postedAt: string;
  details?: Record<string, unknown>;
}

/** What a transaction's one account update carries besides the balance and the version. */
export interface AccountUpdateOptions {
  /** Further `SET` clauses on the account in the same update, e.g. the last deposit month. */
  accountSet?: Record<string, unknown>;
  /** Account statuses the postings are allowed in. */
  allowedStatuses: readonly string[];
}

/** A single posting with its account update (`postingItems`). */
export interface Posting extends LedgerPosting, AccountUpdateOptions {}

/** The three transaction items of one posting on an account read at `account.version`: see `postingsItems`. */
export function postingItems(city: CityCode, account: AccountState, posting: Posting): TransactItem[] {
  const { accountSet, allowedStatuses, ...entry } = posting;
  return postingsItems(city, account, [entry], {
    allowedStatuses,
    ...(accountSet === undefined ? {} : { accountSet }),
  });
}

/**
 * The transaction items of several postings on one account read at `account.version`, applied in
 * order: DynamoDB allows one operation per item in a transaction, so the account gets one update
 * (the balance moved by their sum, the version by their count), and each posting its own ledger
 * entry (consecutive versions, `balanceAfterFen` running) and guard. Each running balance must stay
 * at or above zero: a credit listed before the debit it covers (interest to date, then the closing
 * debit) is what makes the debit possible. If the version moved, a guard exists or the status is not
 * allowed, the whole transaction fails.
 */
export function postingsItems(
  city: CityCode,
  account: AccountState,
  postings: readonly LedgerPosting[],
  options: AccountUpdateOptions,
): TransactItem[] {
  if (postings.length === 0) throw new RangeError('a transaction of postings needs at least one posting');
  const references = new Set(postings.map((p) => p.reference));
  if (references.size !== postings.length) {
    throw new RangeError('two postings in one transaction may not share a reference');
  }
  const partition = personalAccountPartition(city, account.personalAccountNo);
  let balanceAfterFen = account.balanceFen;
  const entryItems = postings.flatMap((posting, i): TransactItem[] => {
    if (!Number.isSafeInteger(posting.amountFen) || posting.amountFen === 0) {
      throw new RangeError(`a posting moves a non-zero whole number of fen, got ${posting.amountFen}`);
    }
    balanceAfterFen += posting.amountFen;
    if (balanceAfterFen < 0) throw new RangeError('a posting may not take a balance below zero');
    const version = account.version + i + 1;
    const entry: LedgerEntry = {
      PK: partition,
      SK: ledgerSortKey(version),
      personalAccountNo: account.personalAccountNo,
      version,
      kind: posting.kind,
      amountFen: posting.amountFen,
      balanceAfterFen,
      valueDate: posting.valueDate,
      postedAt: posting.postedAt,
      reference: posting.reference,
      ...(posting.details ? { details: posting.details } : {}),
    };
    return [
      { Put: { Item: entry, ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        Put: {
          Item: {
            ...postingGuardKey(city, account.personalAccountNo, posting.reference),
            ledgerSortKey: entry.SK,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
  });
  const names: Record<string, string> = {
    '#balance': 'balanceFen',
    '#version': 'version',
    '#status': 'status',
  };
  const values: Record<string, unknown> = {
    ':balance': balanceAfterFen,
    ':version': account.version + postings.length,
    ':expected': account.version,
  };
  const sets = ['#balance = :balance', '#version = :version'];
  Object.entries(options.accountSet ?? {}).forEach(([name, value], i) => {
    names[`#x${i}`] = name;
    values[`:x${i}`] = value;
    sets.push(`#x${i} = :x${i}`);
  });
  const statusValues = options.allowedStatuses.map((status, i) => {
    values[`:s${i}`] = status;
    return `:s${i}`;
  });
  return [
    {
      Update: {
        Key: { PK: partition, SK: ACCOUNT_SK },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: `#version = :expected AND #status IN (${statusValues.join(', ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    ...entryItems,
  ];
}
