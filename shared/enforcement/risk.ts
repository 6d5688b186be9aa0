/**
 * Risk cases (风险核查) raised to a centre's work queue: one item per case and centre, once, whatever
 * the redeliveries (the case's key is derived from what it is about, and the write is conditional).
 * Each centre involved raises the case in its own partition, so no centre writes another's records.
 *
 * Record: `C#<city>#RISK` / `CASE#<check>#<caseId>`, with GSI1 (`C#<city>#RISKQ#open`,
 * `<raisedAt>#<check>#<caseId>`) for the queue.
 *
 * Checks that exist (thresholds in shared/enforcement/risk-rules.ts):
 *  - `deposit-base-raised`: the applicant's deposit base raised within 6 months before a loan
 *    application by ≥ 30 % (DEMO); raised by the depositing centre when it answers, and by the
 *    lending centre when the answer arrives. Case id: `<applicationId>#<depositing city>`.
 *  - `record-cancelled-after-withdrawal`: an online-signing record cancelled (撤销备案) after a purchase
 *    withdrawal was paid on it (no threshold: any amount); raised in the property city's queue and in
 *    each paying centre's. Case id: `<property city>#<网签备案号>`.
 *  - `duplicate-deposit` (重复缴存): remittances from employers in two or more centres for the same person
 *    and month (no threshold); raised in each of those centres when the second posts. The regional
 *    `R#DEPOSITMONTH#<personKey>#<YYYY-MM>` / `ACCOUNTS` holds a set of `<city>#<personalAccountNo>`
 *    (ADD: idempotent, no race). Case id: `<month>#<16 hex of a hash of the person key>`.
 *  - `loan-facts-changed`: at disbursement, the applicant's deposit facts in an account centre changed
 *    materially since those recorded on the application (account gone, status no longer normal,
 *    balance or deposit base fallen by ≥ 20 %, DEMO); raised by the lending centre's staff desk in its
 *    own queue and in each account centre whose facts changed (shared/loans/disburse.ts). Case id:
 *    `<applicationId>`.
 */
import { createHash } from 'node:crypto';
import type { CityCode } from '../config/cities.js';
import { type CentreRepository, centreRepository, type TableItem } from '../persistence/centre-repository.js';
import { centreKey, regionalKey } from '../persistence/table.js';

export type RiskCheck =
  | 'deposit-base-raised'
  | 'record-cancelled-after-withdrawal'
  | 'duplicate-deposit'
  | 'loan-facts-changed';

export interface RiskCase {
  check: RiskCheck;
  caseId: string;
  /** The application the case is about, if one. */
  applicationId?: string;
  /** The centres involved. */
  cities: CityCode[];
  details: Record<string, unknown>;
}

export function riskCaseKey(city: CityCode, check: RiskCheck, caseId: string) {
  return { PK: centreKey(city, 'RISK'), SK: `CASE#${check}#${caseId}` };
}

/** Raises the case in this centre's queue; a second raise of the same case changes nothing. */
export async function raiseRiskCase(
  repository: CentreRepository,
  riskCase: RiskCase,
  now: Date,
): Promise<boolean> {
  const key = riskCaseKey(repository.city, riskCase.check, riskCase.caseId);
  try {
    await repository.put(
      {
        ...key,
        GSI1PK: centreKey(repository.city, 'RISKQ', 'open'),
        GSI1SK: `${now.toISOString()}#${riskCase.check}#${riskCase.caseId}`,
        kind: 'risk-case',
        ...riskCase,
        status: 'open',
        raisedAt: now.toISOString(),
      },
      { ConditionExpression: 'attribute_not_exists(PK)' },
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** This centre's risk cases, newest first. */
export async function riskCasesOf(repository: CentreRepository) {
  const items = await repository.queryAll<TableItem & { raisedAt: string }>(
    centreKey(repository.city, 'RISK'),
    {
      sortKeyCondition: 'begins_with(SK, :case)',
      ExpressionAttributeValues: { ':case': 'CASE#' },
    },
  );
  return items
    .map(({ PK: _pk, SK: _sk, GSI1PK: _q, GSI1SK: _s, kind: _kind, ...view }) => view)
    .sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : -1));
}

/** The cancellation's case, in the property city's queue and in each centre that paid on the record. */
export async function raiseCancelledAfterWithdrawal(
  repository: CentreRepository,
  facts: {
    propertyCity: CityCode;
    onlineSigningNo: string;
    withdrawnFen: number;
    paidBy: { city: CityCode; withdrawalId: string }[];
  },
  now: Date,
): Promise<void> {
  const cities = [...new Set([facts.propertyCity, ...facts.paidBy.map((p) => p.city)])];
  const riskCase: RiskCase = {
    check: 'record-cancelled-after-withdrawal',
    caseId: `${facts.propertyCity}#${facts.onlineSigningNo}`,
    cities,
    details: facts,
  };
  // Each centre's case in its own partition (the property city's through its own repository).
  await Promise.all(
    cities.map((city) =>
      raiseRiskCase(city === repository.city ? repository : centreRepository(city), riskCase, now),
    ),
  );
}

/** One case per person and month, named without the person's key (staff see the accounts). */
export function duplicateDepositCaseId(personKey: string, month: string): string {
  return `${month}#${createHash('sha256').update(personKey).digest('hex').slice(0, 16)}`;
}

export function depositMonthKey(personKey: string, month: string) {
  return { PK: regionalKey('DEPOSITMONTH', personKey, month), SK: 'ACCOUNTS' };
}

/**
 * Notes that these accounts were deposited for the month by a remittance, and raises a
 * `duplicate-deposit` case in every centre concerned when the person's month was deposited in
 * another centre too.
 */
export async function noteDepositMonth(
  repository: CentreRepository,
  accounts: readonly { personKey: string; personalAccountNo: string }[],
  month: string,
  now: Date,
): Promise<void> {
  await Promise.all(
    accounts.map(async (account) => {
      const noted = await repository.update({
        Key: depositMonthKey(account.personKey, month),
        UpdateExpression: 'ADD accounts :account',
        ExpressionAttributeValues: {
          ':account': new Set([`${repository.city}#${account.personalAccountNo}`]),
        },
        ReturnValues: 'ALL_NEW',
      });
      const entries = [...((noted?.accounts as Set<string> | undefined) ?? [])].sort();
      const cities = [...new Set(entries.map((entry) => entry.split('#')[0] as CityCode))];
      if (cities.length < 2) return;
      const riskCase: RiskCase = {
        check: 'duplicate-deposit',
        caseId: duplicateDepositCaseId(account.personKey, month),
        cities,
        details: {
          month,
          accounts: entries.map((entry) => {
            const [city, personalAccountNo] = entry.split('#');
            return { city, personalAccountNo };
          }),
        },
      };
      await Promise.all(
        cities.map((city) =>
          raiseRiskCase(city === repository.city ? repository : centreRepository(city), riskCase, now),
        ),
      );
    }),
  );
}
