/**
 * Monthly remittance (汇缴): credit every normal employee account of an employer with that
 * month's deposit, each share rounded as the centre's rule says, as ledger entries.
 *
 * - One remittance per employer and month; an `Idempotency-Key` replays the first answer.
 * - DynamoDB transactions hold at most 100 items, so accounts are posted in chunks; every
 *   posting carries a once-only guard (`POSTED#REMIT#<month>`), so a remittance interrupted
 *   halfway is resumed by repeating the request and nothing is credited twice.
 * - Postings race with other postings on the same account only through the account's version:
 *   a conflict re-reads that account and tries again.
 */
import { createHash } from 'node:crypto';
import { isYearMonth, monthOf, type YearMonth } from '../calendar/dates.js';
import { toBeijingDate } from '../calendar/working-days.js';
import { noteDepositMonth } from '../enforcement/risk.js';
import { DomainError } from '../errors/domain-error.js';
import { ACCOUNT_SK, personalAccountPartition, postingItems } from '../ledger/ledger.js';
import type { CentreRepository, TransactItem } from '../persistence/centre-repository.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { parametersInForce } from '../rules/centre-parameters.js';
import { continuousDepositMonths, monthlyDeposit, type RemittanceWindow, remittanceWindow } from './rules.js';
import {
  baseAdjustmentMarkerKey,
  type EmployerRecord,
  employeeAccountNos,
  employerPartition,
  getEmployer,
  type PersonalAccountRecord,
  termsFor,
} from './store.js';

/** Accounts per transaction: 3 items each plus the remittance's running total, under DynamoDB's 100. */
export const ACCOUNTS_PER_TRANSACTION = 30;

export type RemittanceStatus = 'in_progress' | 'completed';

export interface RemittanceSummary {
  remittanceId: string;
  employerAccountNo: string;
  month: YearMonth;
  status: RemittanceStatus;
  employeeCount: number;
  employeeShareFen: number;
  employerShareFen: number;
  totalFen: number;
  ruleVersion: string;
  startedAt: string;
  completedAt?: string;
}

interface RemittanceRecord extends RemittanceSummary {
  PK: string;
  SK: string;
  idempotencyKey: string;
  [attribute: string]: unknown;
}

export function remittanceReference(month: YearMonth): string {
  return `REMIT#${month}`;
}

export function remittanceKey(repository: CentreRepository, employerAccountNo: string, month: YearMonth) {
  return { PK: employerPartition(repository.city, employerAccountNo), SK: `REMITTANCE#${month}` };
}

function idempotencyRecordKey(repository: CentreRepository, employerAccountNo: string, key: string) {
  // The key is the client's; hashing it keeps the sort key short and free of separators.
  const digest = createHash('sha256').update(key).digest('base64url');
  return { PK: employerPartition(repository.city, employerAccountNo), SK: `IDEMPOTENCY#${digest}` };
}

function summaryOf(record: RemittanceRecord): RemittanceSummary {
  const { PK: _pk, SK: _sk, idempotencyKey: _key, ...summary } = record;
  return summary as RemittanceSummary;
}

const problems = {
  keyReused: (month: string) => new DomainError('IDEMPOTENCY_KEY_REUSED', { month }),
  monthRemitted: (summary: RemittanceSummary) =>
    new DomainError('REMITTANCE_MONTH_EXISTS', {
      message: {
        'zh-CN': `单位 ${summary.month} 的汇缴已办理，不能重复汇缴。`,
        en: `The remittance for ${summary.month} has already been made.`,
      },
      remittance: summary,
    }),
  futureMonth: (month: string, current: string, window: RemittanceWindow) =>
    new DomainError('REMITTANCE_MONTH_IN_FUTURE', {
      message: {
        'zh-CN': `不能汇缴未来月份（${month}），当前可汇缴至 ${current}。`,
        en: `Cannot remit for a future month (${month}); the latest month is ${current}.`,
      },
      month,
      ...(window.earliest ? { allowedFrom: window.earliest, allowedTo: window.latest } : {}),
    }),
  outsideWindow: (month: string, window: RemittanceWindow, openingMonth: string) =>
    new DomainError('REMITTANCE_MONTH_NOT_REMITTABLE', {
      message:
        month < openingMonth
          ? {
              'zh-CN': `${month} 早于单位开始缴存的月份 ${openingMonth}，不能汇缴。`,
              en: `${month} is before the month the employer's deposits start, ${openingMonth}: nothing is owed for it.`,
            }
          : {
              'zh-CN': `${month} 已过汇缴期限（次月发薪日），请办理补缴。当前可汇缴 ${window.earliest} 至 ${window.latest}。`,
              en: `${month} is past its remittance deadline (the payday of the following month): apply for back-pay. Months remittable today: ${window.earliest} to ${window.latest}.`,
            },
      month,
      openingMonth,
      allowedFrom: window.earliest,
      allowedTo: window.latest,
      ...(window.earliestDueBy ? { earliestDueBy: window.earliestDueBy } : {}),
    }),
};

export interface RemitInput {
  employerAccountNo: string;
  month: YearMonth;
  idempotencyKey: string;
  /** The employer's record, when the caller has just read it (the handler's ownership check). */
  employer?: EmployerRecord;
  now?: Date;
  /** Tests inject faults between chunks; production passes nothing. */
  afterChunk?: (postedSoFar: number) => Promise<void>;
}

/** Starts (or resumes, or replays) the remittance of one month; returns its summary. */
export async function remit(
  repository: CentreRepository,
  input: RemitInput,
): Promise<{ replayed: boolean; summary: RemittanceSummary }> {
  if (!isYearMonth(input.month)) throw new RangeError(`month must be 'YYYY-MM', got ${input.month}`);
  const now = input.now ?? new Date();
  const today = toBeijingDate(now);
  const employer = input.employer ?? (await getEmployer(repository, input.employerAccountNo));
  if (!employer) throw new DomainError('NOT_FOUND');
  const openingMonth = monthOf(toBeijingDate(employer.openedAt));
  const window = remittanceWindow({ openingMonth, payday: employer.payday, today });
  if (input.month > monthOf(today)) throw problems.futureMonth(input.month, monthOf(today), window);
  if (window.earliest === undefined || input.month < window.earliest) {
    // A replay of a remittance made in time still answers it, whatever the date now.
    const made = await repository.get<RemittanceRecord>(
      remittanceKey(repository, input.employerAccountNo, input.month),
      { consistent: true },
    );
    if (!made || made.idempotencyKey !== input.idempotencyKey) {
      throw problems.outsideWindow(input.month, window, openingMonth);
    }
  }

  const record = await startOrFind(repository, input, now);
  if (record.status === 'completed') return { replayed: true, summary: summaryOf(record) };
  return { replayed: false, summary: await postAll(repository, record, input, now) };
}

async function startOrFind(
  repository: CentreRepository,
  input: RemitInput,
  now: Date,
): Promise<RemittanceRecord> {
  const keyOfKey = idempotencyRecordKey(repository, input.employerAccountNo, input.idempotencyKey);
  const monthKey = remittanceKey(repository, input.employerAccountNo, input.month);
  // Someone else started this key or this month meanwhile: look again.
  return withOptimisticRetry(async () => {
    const markerKey = baseAdjustmentMarkerKey(repository.city, input.employerAccountNo);
    const [keyRecord, existing, adjusting] = await Promise.all([
      repository.get(keyOfKey, { consistent: true }),
      repository.get<RemittanceRecord>(monthKey, { consistent: true }),
      repository.get(markerKey, { consistent: true }),
    ]);
    if (keyRecord && keyRecord.month !== input.month) throw problems.keyReused(String(keyRecord.month));
    if (existing) {
      // Same key: a replay, or the resumption of an interrupted run. Another key: a second remittance.
      if (existing.idempotencyKey === input.idempotencyKey) return existing;
      throw problems.monthRemitted(summaryOf(existing));
    }
    // A base adjustment from this month or earlier is being posted: its new terms first.
    if (adjusting && String(adjusting.effectiveMonth) <= input.month) {
      throw new DomainError('BASE_ADJUSTMENT_IN_PROGRESS', { adjustmentId: adjusting.adjustmentId });
    }
    const params = parametersInForce(repository.city, toBeijingDate(now));
    const record: RemittanceRecord = {
      ...monthKey,
      remittanceId: `R${input.employerAccountNo}${input.month.replace('-', '')}`,
      employerAccountNo: input.employerAccountNo,
      month: input.month,
      status: 'in_progress',
      employeeCount: 0,
      employeeShareFen: 0,
      employerShareFen: 0,
      totalFen: 0,
      ruleVersion: params.ruleVersion,
      startedAt: now.toISOString(),
      idempotencyKey: input.idempotencyKey,
    };
    await repository.transactWrite([
      {
        Put: { Item: { ...keyOfKey, month: input.month }, ConditionExpression: 'attribute_not_exists(PK)' },
      },
      { Put: { Item: record, ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        ConditionCheck: {
          Key: markerKey,
          ConditionExpression: 'attribute_not_exists(PK) OR effectiveMonth > :month',
          ExpressionAttributeValues: { ':month': input.month },
        },
      },
    ]);
    return record;
  });
}

/** The account's deposited months with these, and the run of consecutive months they end in. */
export function depositRunAfter(
  account: PersonalAccountRecord,
  months: readonly YearMonth[],
): Record<string, unknown> {
  const depositMonths = [...new Set([...(account.depositMonths ?? []), ...months])].sort();
  const lastDepositMonth = depositMonths.at(-1) as YearMonth;
  // A late month (补缴) filling a gap joins the runs on either side of it.
  return {
    depositMonths,
    lastDepositMonth,
    continuousDepositMonths: continuousDepositMonths(depositMonths, lastDepositMonth),
  };
}

async function postAll(
  repository: CentreRepository,
  record: RemittanceRecord,
  input: RemitInput,
  now: Date,
): Promise<RemittanceSummary> {
  const params = parametersInForce(repository.city, toBeijingDate(now));
  const numbers = await employeeAccountNos(repository, input.employerAccountNo);
  const reference = remittanceReference(input.month);
  let posted = 0;
  for (let start = 0; start < numbers.length; start += ACCOUNTS_PER_TRANSACTION) {
    const pending = numbers.slice(start, start + ACCOUNTS_PER_TRANSACTION);
    // A version moved or a guard appeared (a concurrent run): re-read this chunk and try again.
    const chunk = await withOptimisticRetry(async () => {
      const accounts = await repository.batchGet<PersonalAccountRecord & Record<string, unknown>>(
        pending.map((no) => ({ PK: personalAccountPartition(repository.city, no), SK: ACCOUNT_SK })),
      );
      // Employees who left for another employer, whose accounts are sealed, or opened after the
      // month (nothing is owed before an account's opening month), are not remitted for.
      const due = accounts.filter(
        (a) =>
          a.employerAccountNo === input.employerAccountNo &&
          a.status === 'normal' &&
          monthOf(toBeijingDate(a.openedAt)) <= input.month,
      );
      const alreadyPosted = await repository.batchGet(
        due.map((a) => ({
          PK: personalAccountPartition(repository.city, a.personalAccountNo),
          SK: `POSTED#${reference}`,
        })),
      );
      const postedNos = new Set(alreadyPosted.map((guard) => guard.PK));
      const toPost = due.filter(
        (a) => !postedNos.has(personalAccountPartition(repository.city, a.personalAccountNo)),
      );
      if (toPost.length === 0) return { postedNow: [], deposited: due };
      const items: TransactItem[] = [];
      const totals = { employee: 0, employer: 0 };
      for (const account of toPost) {
        const terms = termsFor(account, input.month);
        const amounts = monthlyDeposit({
          baseFen: terms.monthlyDepositBaseFen,
          employeeRateBasisPoints: terms.employeeRateBasisPoints,
          employerRateBasisPoints: terms.employerRateBasisPoints,
          rounding: params.depositRounding,
        });
        totals.employee += amounts.employeeShareFen;
        totals.employer += amounts.employerShareFen;
        items.push(
          ...postingItems(repository.city, account, {
            reference,
            kind: 'remittance',
            amountFen: amounts.totalFen,
            valueDate: toBeijingDate(now),
            postedAt: now.toISOString(),
            details: {
              month: input.month,
              employerAccountNo: input.employerAccountNo,
              employeeShareFen: amounts.employeeShareFen,
              employerShareFen: amounts.employerShareFen,
              monthlyDepositBaseFen: terms.monthlyDepositBaseFen,
              ruleVersion: params.ruleVersion,
            },
            accountSet: depositRunAfter(account, [input.month]),
            allowedStatuses: ['normal'],
          }),
        );
      }
      items.push({
        Update: {
          Key: { PK: record.PK, SK: record.SK },
          UpdateExpression: 'ADD employeeCount :n, employeeShareFen :ee, employerShareFen :er, totalFen :t',
          ConditionExpression: '#status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':n': toPost.length,
            ':ee': totals.employee,
            ':er': totals.employer,
            ':t': totals.employee + totals.employer,
            ':inProgress': 'in_progress',
          },
        },
      });
      await repository.transactWrite(items);
      return { postedNow: toPost, deposited: due };
    });
    posted += chunk.postedNow.length;
    // 重复缴存: the same person deposited for the same month by employers in two centres. Every account
    // of the chunk deposited for the month is noted, those a crashed run posted too (the note is a set).
    await noteDepositMonth(repository, chunk.deposited, input.month, now);
    await input.afterChunk?.(posted);
  }
  const completedAt = now.toISOString();
  const done = await repository.update({
    Key: { PK: record.PK, SK: record.SK },
    UpdateExpression: 'SET #status = :completed, completedAt = if_not_exists(completedAt, :at)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':completed': 'completed', ':at': completedAt },
    ReturnValues: 'ALL_NEW',
  });
  return summaryOf(done as RemittanceRecord);
}
