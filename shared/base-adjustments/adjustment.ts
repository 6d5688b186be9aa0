/**
 * The yearly base adjustment (缴存基数年度调整): an employer sets new deposit bases and rates for
 * many employees at once, from one effective month (usually July, the centre's adjustment year).
 *
 * - All rows or none: every row is checked as a single change is (the employer's own open account,
 *   `checkDepositTermsFrom`: the base floor and ceiling and the rate range of the centre's rule
 *   version in force from the effective month); a 422 lists every bad row with its field and reason.
 * - The effective month lies in what the remittance window allows: from the earliest month still
 *   remittable today up to next month. A month the employer has already remitted was paid at the
 *   old base and is not re-priced: an adjustment from that month is refused (the employer files
 *   from the next month; an older month is back-pay's).
 * - A good batch is posted as deposit changes (the same account update and change log entry as
 *   `changeDepositTerms`) in chunks of one transaction each; each chunk's index is recorded with it,
 *   so a run cut short resumes where it stopped, from the request's retry or from the sweep.
 * - While it posts, the employer's `BASEADJ_POSTING` marker holds remittances of months from the
 *   effective month on (and a second adjustment), so no month is remitted half at the old base.
 *
 * | record                                 | PK                                      | SK                |
 * |----------------------------------------|-----------------------------------------|-------------------|
 * | the adjustment                         | `C#<city>#BASEADJ#<adjustmentId>`       | `ADJUSTMENT`      |
 * | adjustments still posting (the sweep)  | `C#<city>#BASEADJ#OPEN`                 | `<adjustmentId>`  |
 * | the employer's posting marker          | `C#<city>#EMPLOYER#<employerAccountNo>` | `BASEADJ_POSTING` |
 *
 * The id is `<city>-A-<16 hex of the idempotency seed>`: a retry of the same request finds it.
 */
import { addMonths, monthOf, monthsBetween, nextMonth, type YearMonth } from '../calendar/dates.js';
import { toBeijingDate } from '../calendar/working-days.js';
import type { CityCode } from '../config/cities.js';
import { remittanceKey } from '../deposits/remittance.js';
import { checkDepositTermsFrom, monthAlreadyRemittedError, remittanceWindow } from '../deposits/rules.js';
import {
  baseAdjustmentMarkerKey,
  depositTermsChangeItems,
  type EmployerRecord,
  type PersonalAccountRecord,
} from '../deposits/store.js';
import { DomainError, type FieldError } from '../errors/domain-error.js';
import { ACCOUNT_SK, personalAccountPartition } from '../ledger/ledger.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository, TransactItem } from '../persistence/centre-repository.js';
import { centreKey } from '../persistence/table.js';
import {
  cancellationReasons,
  isTransientConflict,
  withOptimisticRetry,
} from '../persistence/transactions.js';
import { type BaseAdjustmentRequest, type RowError, rowError } from './schema.js';

/** Rows per transaction: each an account update and a change record, then the chunk's progress (≤ 100). */
export const ROWS_PER_CHUNK = 49;

export type BaseAdjustmentStatus = 'posting' | 'posted';

export interface AdjustedRow {
  /** The row's number in the request, from 1. */
  row: number;
  personalAccountNo: string;
  monthlyDepositBaseFen: number;
  employeeRateBasisPoints: number;
  employerRateBasisPoints: number;
  /** The centre's rule version the terms were checked against. */
  ruleVersion: string;
}

export interface BaseAdjustmentRecord {
  PK: string;
  SK: 'ADJUSTMENT';
  adjustmentId: string;
  city: CityCode;
  employerAccountNo: string;
  effectiveMonth: YearMonth;
  status: BaseAdjustmentStatus;
  rows: AdjustedRow[];
  chunkCount: number;
  /** The chunks already posted, by index (each once). */
  chunksDone?: Set<number>;
  postedRows: number;
  /** Rows whose account left the employer or closed between acceptance and posting. */
  skippedRows: number;
  acceptedAt: string;
  acceptedBy: string;
  postedAt?: string;
}

export function baseAdjustmentKey(city: CityCode, adjustmentId: string) {
  return { PK: centreKey(city, 'BASEADJ', adjustmentId), SK: 'ADJUSTMENT' as const };
}

function openKey(city: CityCode, adjustmentId: string) {
  return { PK: centreKey(city, 'BASEADJ', 'OPEN'), SK: adjustmentId };
}

export function baseAdjustmentIdFor(city: CityCode, idempotencySeed: string): string {
  return `${city}-A-${idempotencySeed.slice(0, 16).toUpperCase()}`;
}

export async function getBaseAdjustment(
  repository: CentreRepository,
  adjustmentId: string,
): Promise<BaseAdjustmentRecord | undefined> {
  return repository.get<BaseAdjustmentRecord & Record<string, unknown>>(
    baseAdjustmentKey(repository.city, adjustmentId),
    { consistent: true },
  );
}

/** What the employer sees: the rows as posted, without the posting's bookkeeping. */
export function baseAdjustmentView(adjustment: BaseAdjustmentRecord) {
  const { PK: _pk, SK: _sk, chunksDone: _chunks, ...view } = adjustment;
  return { ...view, rowCount: adjustment.rows.length };
}

/** The months an adjustment may take effect from today: the earliest still remittable to next month. */
export function effectiveMonthRange(
  employer: EmployerRecord,
  today: string,
): { from: YearMonth; to: YearMonth } {
  const thisMonth = monthOf(today);
  const window = remittanceWindow({
    openingMonth: monthOf(toBeijingDate(employer.openedAt)),
    payday: employer.payday,
    today,
  });
  return { from: window.earliest ?? thisMonth, to: nextMonth(thisMonth) };
}

function monthsFrom(from: YearMonth, to: YearMonth): YearMonth[] {
  const count = monthsBetween(from, to);
  return Array.from({ length: Math.max(0, count + 1) }, (_, i) => addMonths(from, i));
}

function monthError(code: string, zh: string, en: string, extra: Record<string, unknown> = {}): FieldError {
  return { in: 'body', field: 'effectiveMonth', code, message: { 'zh-CN': zh, en }, ...extra };
}

/**
 * Every row checked as a single change is checked, and the effective month against the remittance
 * window and the months already remitted. Reads only; nothing is written.
 */
export async function assessBaseAdjustment(
  repository: CentreRepository,
  employer: EmployerRecord,
  request: BaseAdjustmentRequest,
  today: string,
): Promise<{ rows: AdjustedRow[]; errors: FieldError[] }> {
  const city = repository.city;
  const errors: FieldError[] = [];
  const { from, to } = effectiveMonthRange(employer, today);
  const month = request.effectiveMonth;
  if (month < from || month > to) {
    errors.push(
      monthError(
        'EFFECTIVE_MONTH_OUT_OF_RANGE',
        `调整只能自 ${from} 至 ${to} 之间的月份起生效（更早的月份已过汇缴期限）。`,
        `An adjustment takes effect from a month between ${from} and ${to} (earlier months are past their remittance deadline).`,
        { allowedFrom: from, allowedTo: to },
      ),
    );
  } else {
    const remitted = await repository.batchGet(
      monthsFrom(month, monthOf(today)).map((m) => remittanceKey(repository, employer.employerAccountNo, m)),
    );
    const first = remitted.map((r) => String(r.month)).sort()[0];
    if (first) errors.push(monthAlreadyRemittedError(first));
  }

  const numbers = [...new Set(request.rows.map((r) => r.personalAccountNo))];
  const accounts = new Map(
    (
      await repository.batchGet<PersonalAccountRecord & Record<string, unknown>>(
        numbers.map((no) => ({ PK: personalAccountPartition(city, no), SK: ACCOUNT_SK })),
      )
    ).map((a) => [a.personalAccountNo, a]),
  );
  const firstRowOf = new Map<string, number>();
  const rows: AdjustedRow[] = [];
  request.rows.forEach((input, index) => {
    const row = index + 1;
    const rowErrors: RowError[] = [];
    const no = input.personalAccountNo;
    const account = accounts.get(no);
    const earlier = firstRowOf.get(no);
    if (earlier !== undefined) {
      rowErrors.push(
        rowError(
          row,
          'personalAccountNo',
          'DUPLICATE_ACCOUNT',
          `第 ${row} 行与第 ${earlier} 行是同一账户。`,
          `Row ${row} repeats the account of row ${earlier}.`,
        ),
      );
    } else if (!account || account.employerAccountNo !== employer.employerAccountNo) {
      // Another employer's account and none at all look the same.
      firstRowOf.set(no, row);
      rowErrors.push(
        rowError(
          row,
          'personalAccountNo',
          'NOT_AN_EMPLOYEE',
          `第 ${row} 行：本单位没有个人账户 ${no}。`,
          `Row ${row}: ${no} is not an account of your employees.`,
        ),
      );
    } else if (account.status === 'closed') {
      firstRowOf.set(no, row);
      rowErrors.push(
        rowError(
          row,
          'personalAccountNo',
          'ACCOUNT_CLOSED',
          `第 ${row} 行：账户 ${no} 已销户。`,
          `Row ${row}: account ${no} is closed.`,
        ),
      );
    } else {
      firstRowOf.set(no, row);
    }
    const terms = {
      baseFen: input.monthlyDepositBaseFen,
      employeeRateBasisPoints: input.employeeRateBasisPoints,
      employerRateBasisPoints: input.employerRateBasisPoints,
    };
    const { ruleVersion, violations } = checkDepositTermsFrom(city, terms, today, month);
    for (const { field, code, message, ...limit } of violations) {
      rowErrors.push({ ...limit, in: 'body', row, field, code, message });
    }
    errors.push(...rowErrors);
    if (rowErrors.length === 0) rows.push({ row, ...input, ruleVersion });
  });
  return { rows, errors };
}

export interface SubmitBaseAdjustment {
  employer: EmployerRecord;
  request: BaseAdjustmentRequest;
  idempotencySeed: string;
  acceptedBy: string;
  now?: Date;
  /** Tests inject faults between chunks; production passes nothing. */
  afterChunk?: (chunkIndex: number) => Promise<void>;
}

/**
 * Accepts (all rows or none) and posts an adjustment; a retry of the same request finds the first
 * and finishes its postings. `replayed` says the adjustment already existed.
 */
export async function submitBaseAdjustment(
  repository: CentreRepository,
  input: SubmitBaseAdjustment,
): Promise<{ replayed: boolean; adjustment: BaseAdjustmentRecord }> {
  const now = input.now ?? new Date();
  const city = repository.city;
  const { employerAccountNo } = input.employer;
  const adjustmentId = baseAdjustmentIdFor(city, input.idempotencySeed);
  const existing = await getBaseAdjustment(repository, adjustmentId);
  if (existing) {
    const adjustment = await postBaseAdjustment(repository, adjustmentId, input);
    return { replayed: true, adjustment: adjustment ?? existing };
  }
  const today = toBeijingDate(now);
  const { rows, errors } = await assessBaseAdjustment(repository, input.employer, input.request, today);
  if (errors.length > 0) throw new DomainError('BASE_ADJUSTMENT_ROWS_INVALID', { errors });

  const month = input.request.effectiveMonth;
  const adjustment: BaseAdjustmentRecord = {
    ...baseAdjustmentKey(city, adjustmentId),
    adjustmentId,
    city,
    employerAccountNo,
    effectiveMonth: month,
    status: 'posting',
    rows,
    chunkCount: Math.ceil(rows.length / ROWS_PER_CHUNK),
    postedRows: 0,
    skippedRows: 0,
    acceptedAt: now.toISOString(),
    acceptedBy: input.acceptedBy,
  };
  const remittable = monthsFrom(month, monthOf(today));
  try {
    // Another transaction holding one of these items (a racing request): try again as it is.
    await withOptimisticRetry(
      () =>
        repository.transactWrite([
          { Put: { Item: adjustment, ConditionExpression: 'attribute_not_exists(PK)' } },
          {
            Put: {
              Item: { ...openKey(city, adjustmentId), employerAccountNo, acceptedAt: adjustment.acceptedAt },
            },
          },
          {
            Put: {
              Item: {
                ...baseAdjustmentMarkerKey(city, employerAccountNo),
                adjustmentId,
                effectiveMonth: month,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          // A remittance started since the check: that month stays at the old base, so the batch is refused.
          ...remittable.map(
            (m): TransactItem => ({
              ConditionCheck: {
                Key: remittanceKey(repository, employerAccountNo, m),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            }),
          ),
        ]),
      { isRetryable: isTransientConflict },
    );
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (!reasons) throw error;
    if (reasons[0] === 'ConditionalCheckFailed') {
      // The same request raced itself: the first one stands.
      const first = await postBaseAdjustment(repository, adjustmentId, input);
      if (first) return { replayed: true, adjustment: first };
    }
    if (reasons[2] === 'ConditionalCheckFailed') {
      throw new DomainError('BASE_ADJUSTMENT_IN_PROGRESS', { employerAccountNo });
    }
    const remitted = remittable.find((_, i) => reasons[3 + i] === 'ConditionalCheckFailed');
    if (remitted)
      throw new DomainError('BASE_ADJUSTMENT_ROWS_INVALID', {
        errors: [monthAlreadyRemittedError(remitted)],
      });
    throw error;
  }
  const posted = await postBaseAdjustment(repository, adjustmentId, input);
  return { replayed: false, adjustment: posted ?? adjustment };
}

/**
 * Posts an accepted adjustment's chunks not yet posted, each in one transaction with its index;
 * then marks it posted and releases the employer's marker. Safe to run again at any point, and
 * two runs at once post every chunk once.
 */
export async function postBaseAdjustment(
  repository: CentreRepository,
  adjustmentId: string,
  options: { afterChunk?: (chunkIndex: number) => Promise<void> } = {},
): Promise<BaseAdjustmentRecord | undefined> {
  const first = await getBaseAdjustment(repository, adjustmentId);
  if (first?.status !== 'posting') return first;
  const city = repository.city;
  for (let chunkIndex = 0; chunkIndex < first.chunkCount; chunkIndex++) {
    const chunk = first.rows.slice(chunkIndex * ROWS_PER_CHUNK, (chunkIndex + 1) * ROWS_PER_CHUNK);
    // A version moved (a posting, another change) or another run posted this chunk: look again.
    await withOptimisticRetry(async () => {
      const current = await getBaseAdjustment(repository, adjustmentId);
      if (current?.status !== 'posting' || current.chunksDone?.has(chunkIndex)) return;
      const accounts = new Map(
        (
          await repository.batchGet<PersonalAccountRecord & Record<string, unknown>>(
            chunk.map((r) => ({ PK: personalAccountPartition(city, r.personalAccountNo), SK: ACCOUNT_SK })),
          )
        ).map((a) => [a.personalAccountNo, a]),
      );
      const items: TransactItem[] = [];
      let skipped = 0;
      for (const row of chunk) {
        const account = accounts.get(row.personalAccountNo);
        if (
          !account ||
          account.employerAccountNo !== current.employerAccountNo ||
          account.status === 'closed'
        ) {
          skipped += 1;
          continue;
        }
        const { items: changeItems } = depositTermsChangeItems(
          account,
          {
            monthlyDepositBaseFen: row.monthlyDepositBaseFen,
            employeeRateBasisPoints: row.employeeRateBasisPoints,
            employerRateBasisPoints: row.employerRateBasisPoints,
            ruleVersion: row.ruleVersion,
          },
          {
            changedBy: current.acceptedBy,
            changedAt: current.acceptedAt,
            effectiveMonth: current.effectiveMonth,
            // One change per row, named by the adjustment: a chunk posted twice would collide.
            changeId: `${adjustmentId}-R${row.row}`,
          },
        );
        items.push(...changeItems);
      }
      items.push({
        Update: {
          Key: baseAdjustmentKey(city, adjustmentId),
          UpdateExpression: 'ADD postedRows :posted, skippedRows :skipped, chunksDone :chunk',
          ConditionExpression: '#status = :posting AND NOT contains(chunksDone, :index)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':posted': chunk.length - skipped,
            ':skipped': skipped,
            ':chunk': new Set([chunkIndex]),
            ':index': chunkIndex,
            ':posting': 'posting',
          },
        },
      });
      await repository.transactWrite(items);
    });
    await options.afterChunk?.(chunkIndex);
  }
  return withOptimisticRetry(async () => {
    const current = await getBaseAdjustment(repository, adjustmentId);
    if (current?.status !== 'posting') return current;
    const postedAt = new Date().toISOString();
    await repository.transactWrite([
      {
        Update: {
          Key: baseAdjustmentKey(city, adjustmentId),
          UpdateExpression: 'SET #status = :posted, postedAt = :at',
          ConditionExpression: '#status = :posting AND size(chunksDone) = :chunks',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':posted': 'posted',
            ':posting': 'posting',
            ':at': postedAt,
            ':chunks': current.chunkCount,
          },
        },
      },
      { Delete: { Key: openKey(city, adjustmentId) } },
      {
        Delete: {
          Key: baseAdjustmentMarkerKey(city, current.employerAccountNo),
          ConditionExpression: 'attribute_not_exists(PK) OR adjustmentId = :id',
          ExpressionAttributeValues: { ':id': adjustmentId },
        },
      },
    ]);
    logger.info('base adjustment posted', { adjustmentId, postedRows: current.postedRows });
    return getBaseAdjustment(repository, adjustmentId);
  });
}

/** Finishes every adjustment of the centre whose postings a crash cut short (the sweep). */
export async function resumeBaseAdjustments(repository: CentreRepository): Promise<number> {
  let resumed = 0;
  for (const open of await repository.queryAll(openKey(repository.city, '').PK, { ConsistentRead: true })) {
    // One adjustment that keeps failing must not hold up the others: logged, retried next sweep.
    try {
      await postBaseAdjustment(repository, String(open.SK));
      resumed += 1;
    } catch (error) {
      logger.error('base adjustment posting failed; retried by the next sweep', {
        adjustmentId: open.SK,
        error: error as Error,
      });
    }
  }
  return resumed;
}
