/**
 * Back-pay (补缴): an employer's deposits for months past their remittance window, an application on
 * the kernel (DESIGN.md §2b "Deposit months are earned, not typed"). The employer states the months,
 * the accounts, a reason and the evidence; the centre's staff decide it (the rule refers every
 * back-pay to staff) and a second staff member confirms (four eyes); on approval each account is
 * credited for each month at that month's own base and rates, rounded by the rule version in force
 * in that month, in one transaction per chunk of accounts like a remittance.
 *
 * Each month is posted under the remittance's own reference (`REMIT#<month>`), so a month is
 * deposited once whichever way it arrives; a posting interrupted halfway is resumed by the sweep.
 * Whether back-paid months count toward continuous deposit months is the centre's rule data
 * (`backPayCountsAsContinuous`, as in force on the day the application was accepted): counted, they
 * join `depositMonths`; not counted, they are kept apart in `backPaidMonths`.
 *
 * Record: `C#<city>#BACKPAY#<id>` / `APPLICATION`, id `<city>-B-<16 hex of the idempotency seed>`.
 */

import type { ApplicationItem, Decision } from '../applications/kernel.js';
import { actorOf, transitionItem } from '../applications/kernel.js';
import { recordApplicationOnce } from '../applications/outbox.js';
import {
  type ApplicationBase,
  applicantView,
  type Reason,
  workQueue,
  workQueueKey,
} from '../applications/records.js';
import { isYearMonth, monthOf, type YearMonth } from '../calendar/dates.js';
import { committedDeadline, toBeijingDate } from '../calendar/working-days.js';
import { catalogueItem } from '../catalogue/catalogue.js';
import type { CityCode } from '../config/cities.js';
import { DomainError, type FieldError } from '../errors/domain-error.js';
import {
  ACCOUNT_SK,
  type LedgerPosting,
  personalAccountPartition,
  postingGuardKey,
  postingsItems,
} from '../ledger/ledger.js';
import { logger } from '../observability/logger.js';
import type { CentreRepository, TransactItem } from '../persistence/centre-repository.js';
import { centreKey } from '../persistence/table.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { earliestRuleData, parametersInForce } from '../rules/centre-parameters.js';
import { depositRunAfter, remittanceReference } from './remittance.js';
import { checkDepositTerms, isBackPayMonth, monthlyDeposit } from './rules.js';
import { getEmployer, type PersonalAccountRecord, termsFor } from './store.js';

export interface BackPayEvidence {
  /** The document's number or reference (e.g. a labour arbitration award, 仲裁裁决书). */
  documentNo: string;
  description: string;
}

export interface BackPayRequest {
  /** Every listed account is back-paid for every listed month. */
  months: YearMonth[];
  personalAccountNos: string[];
  reason: string;
  evidence: BackPayEvidence[];
}

/** One account's deposit for one month, at that month's terms. */
export interface BackPayRow {
  personalAccountNo: string;
  month: YearMonth;
  monthlyDepositBaseFen: number;
  employeeShareFen: number;
  employerShareFen: number;
  totalFen: number;
  /** The centre's rule version in force in that month (its limits and rounding). */
  ruleVersion: string;
}

export interface BackPayRecord extends ApplicationBase {
  kind: 'back-pay';
  itemCode: 'DEPOSIT_CHANGE';
  employerAccountNo: string;
  request: BackPayRequest;
  /** The rule version in force on the day it was accepted, and what it says of continuous months. */
  ruleVersion: string;
  countsAsContinuous: boolean;
  totalFen: number;
  decision?: Record<string, unknown>;
  /** Postings made so far (once approved): rows credited, fen credited, rows another posting had made. */
  postedRows?: number;
  postedFen?: number;
  skippedRows?: number;
  /** The chunks of accounts already posted, by index (each once). */
  chunksDone?: Set<number>;
}

export function backPayKey(city: CityCode, applicationId: string) {
  return { PK: centreKey(city, 'BACKPAY', applicationId), SK: 'APPLICATION' };
}

/** The same caller, route and Idempotency-Key always name the same back-pay: a retry finds it. */
export function backPayIdFor(city: CityCode, idempotencySeed: string): string {
  return `${city}-B-${idempotencySeed.slice(0, 16).toUpperCase()}`;
}

export function isBackPayId(applicationId: string): boolean {
  return applicationId.slice(6, 9) === '-B-';
}

export async function getBackPay(
  repository: CentreRepository,
  applicationId: string,
): Promise<BackPayRecord | undefined> {
  return repository.get<BackPayRecord & Record<string, unknown>>(backPayKey(repository.city, applicationId), {
    consistent: true,
  });
}

/** What the employer sees: the application as its applicant sees one, without the posting's bookkeeping. */
export function backPayView(backPay: BackPayRecord, now: Date) {
  const { chunksDone: _chunks, ...rest } = backPay;
  return applicantView(rest, now);
}

function rowError(field: string, code: string, zh: string, en: string): FieldError {
  return { in: 'body', field, code, message: { 'zh-CN': zh, en } };
}

interface Assessment {
  rows: BackPayRow[];
  errors: FieldError[];
}

/**
 * What the back-pay would credit on the accounts as they are now, or why a row cannot be
 * back-paid: an account not of this employer or closed, a month before the account's opening, a
 * month still remittable, one already deposited, or terms outside that month's limits.
 */
async function assess(
  repository: CentreRepository,
  employerAccountNo: string,
  request: BackPayRequest,
  today: string,
): Promise<Assessment> {
  const employer = await getEmployer(repository, employerAccountNo);
  if (!employer) throw new DomainError('NOT_FOUND');
  const employerOpening = monthOf(toBeijingDate(employer.openedAt));
  const accounts = await repository.batchGet<PersonalAccountRecord & Record<string, unknown>>(
    request.personalAccountNos.map((no) => ({
      PK: personalAccountPartition(repository.city, no),
      SK: ACCOUNT_SK,
    })),
  );
  const byNo = new Map(accounts.map((a) => [a.personalAccountNo, a]));
  const guards = await repository.batchGet(
    request.personalAccountNos.flatMap((no) =>
      request.months.map((month) => postingGuardKey(repository.city, no, remittanceReference(month))),
    ),
  );
  const posted = new Set(guards.map((g) => `${g.PK}|${g.SK}`));
  const rows: BackPayRow[] = [];
  const errors: FieldError[] = [];
  request.personalAccountNos.forEach((no, i) => {
    const account = byNo.get(no);
    const field = `personalAccountNos[${i}]`;
    if (!account || account.employerAccountNo !== employerAccountNo) {
      errors.push(
        rowError(
          field,
          'NOT_AN_EMPLOYEE_ACCOUNT',
          `${no} 不是本单位职工的个人账户。`,
          `${no} is not an account of your employee.`,
        ),
      );
      return;
    }
    if (account.status === 'closed') {
      errors.push(rowError(field, 'ACCOUNT_CLOSED', `个人账户 ${no} 已销户。`, `Account ${no} is closed.`));
      return;
    }
    // Deposits are owed from the later of the employer's and the account's opening months.
    const openingMonth = [employerOpening, monthOf(toBeijingDate(account.openedAt))].sort()[1] as YearMonth;
    for (const [j, month] of request.months.entries()) {
      const monthField = `months[${j}]`;
      if (month < openingMonth) {
        errors.push(
          rowError(
            monthField,
            'MONTH_BEFORE_OPENING',
            `${month} 早于账户 ${no} 开始缴存的月份 ${openingMonth}，不能补缴。`,
            `${month} is before account ${no} started depositing (${openingMonth}): nothing is owed for it.`,
          ),
        );
        continue;
      }
      if (!isBackPayMonth(month, { openingMonth, payday: employer.payday, today })) {
        errors.push(
          rowError(
            monthField,
            'MONTH_STILL_REMITTABLE',
            `${month} 仍在汇缴期内（或尚未到来），请办理汇缴，不需补缴。`,
            `${month} is still within its remittance window (or not yet due): remit it, no back-pay is needed.`,
          ),
        );
        continue;
      }
      const guard = postingGuardKey(repository.city, no, remittanceReference(month));
      if (posted.has(`${guard.PK}|${guard.SK}`)) {
        errors.push(
          rowError(
            monthField,
            'MONTH_ALREADY_DEPOSITED',
            `账户 ${no} 的 ${month} 已缴存，不能重复缴存。`,
            `Account ${no} has already been deposited for ${month}.`,
          ),
        );
        continue;
      }
      if (`${month}-01` < earliestRuleData(repository.city)) {
        errors.push(
          rowError(
            monthField,
            'MONTH_BEFORE_RULE_DATA',
            `${month} 早于本中心规则数据的起始日期，无法按当月规定计算，请到中心柜台办理。`,
            `${month} is before this centre's earliest rule data: it cannot be computed at that month's rules; apply at the centre's counter.`,
          ),
        );
        continue;
      }
      // Each month at its own base and rates, against the limits and the rounding in force then.
      const { terms, params, amounts } = depositForMonth(repository.city, account, month);
      const violations = checkDepositTerms(params, {
        baseFen: terms.monthlyDepositBaseFen,
        employeeRateBasisPoints: terms.employeeRateBasisPoints,
        employerRateBasisPoints: terms.employerRateBasisPoints,
      });
      if (violations.length > 0) {
        errors.push(
          rowError(
            monthField,
            'MONTH_TERMS_OUT_OF_LIMITS',
            `账户 ${no} 在 ${month} 的缴存基数或比例超出当月规定（${params.ruleVersion}），请先更正。`,
            `Account ${no}'s base or rates for ${month} are outside that month's limits (${params.ruleVersion}).`,
          ),
        );
        continue;
      }
      rows.push({
        personalAccountNo: no,
        month,
        monthlyDepositBaseFen: terms.monthlyDepositBaseFen,
        employeeShareFen: amounts.employeeShareFen,
        employerShareFen: amounts.employerShareFen,
        totalFen: amounts.totalFen,
        ruleVersion: params.ruleVersion,
      });
    }
  });
  return { rows, errors };
}

function unique<T>(values: readonly T[]): boolean {
  return new Set(values).size === values.length;
}

export interface SubmitBackPayInput {
  employerAccountNo: string;
  request: BackPayRequest;
  /** The request's idempotency seed (shared/http/idempotency.ts). */
  idempotencySeed: string;
  acceptedBy: string;
  now?: Date;
}

/** Accepts a back-pay for staff review; the same key answers the first; an invalid row is a 422. */
export async function submitBackPay(
  repository: CentreRepository,
  input: SubmitBackPayInput,
): Promise<{ replayed: boolean; backPay: BackPayRecord }> {
  const now = input.now ?? new Date();
  const city = repository.city;
  const id = backPayIdFor(city, input.idempotencySeed);
  const existing = await getBackPay(repository, id);
  if (existing) return { replayed: true, backPay: existing };
  const { request } = input;
  const duplicates: FieldError[] = [];
  if (!unique(request.months)) {
    duplicates.push(rowError('months', 'DUPLICATE', '月份有重复。', 'A month is listed twice.'));
  }
  if (!unique(request.personalAccountNos)) {
    duplicates.push(
      rowError('personalAccountNos', 'DUPLICATE', '账户有重复。', 'An account is listed twice.'),
    );
  }
  if (duplicates.length > 0) throw new DomainError('VALIDATION_FAILED', { errors: duplicates });
  if (!request.months.every(isYearMonth)) throw new RangeError('months must be validated first');
  const today = toBeijingDate(now);
  const { rows, errors } = await assess(repository, input.employerAccountNo, request, today);
  if (errors.length > 0) throw new DomainError('BACK_PAY_NOT_ALLOWED', { errors });
  const params = parametersInForce(city, today);
  const { committedWorkingDays } = catalogueItem('DEPOSIT_CHANGE');
  const deadline = committedDeadline(now, committedWorkingDays);
  const reasons: Reason[] = [
    {
      code: 'BACK_PAY_REVIEW',
      message: {
        'zh-CN': '补缴须经中心工作人员审核（双人复核）后入账。',
        en: 'Back-pay is credited once the centre’s staff approve it (checked by a second staff member).',
      },
    },
  ];
  const backPay: BackPayRecord = {
    ...backPayKey(city, id),
    GSI1PK: workQueueKey(city, 'review'),
    GSI1SK: `${deadline.deadline}#${id}`,
    applicationId: id,
    kind: 'back-pay',
    itemCode: 'DEPOSIT_CHANGE',
    city,
    channel: 'online',
    acceptedBy: input.acceptedBy,
    // An employer's application: no person is its applicant.
    personKey: `EMPLOYER#${input.employerAccountNo}`,
    idNumberMasked: '',
    employerAccountNo: input.employerAccountNo,
    request,
    ruleVersion: params.ruleVersion,
    countsAsContinuous: params.backPayCountsAsContinuous,
    totalFen: rows.reduce((sum, row) => sum + row.totalFen, 0),
    status: 'review',
    reasons,
    timeline: [{ status: 'review', at: now.toISOString(), by: input.acceptedBy }],
    acceptedAt: now.toISOString(),
    committedDeadline: deadline.deadline,
    committedDeadlineCalendar: deadline.calendar,
    committedWorkingDays,
    factsDeadline: now.toISOString(),
    requests: {},
    facts: {},
    version: 0,
  };
  const recorded = await recordApplicationOnce(repository, backPay, () => getBackPay(repository, id));
  return { replayed: recorded.replayed, backPay: recorded.application };
}

/**
 * The rule: every row still back-payable on the accounts now (else a refusal naming the rows);
 * staff decide, for exactly the computed amount. Approval moves it to `approved`; the postings
 * follow (`postBackPay`).
 */
export const backPayItem: ApplicationItem<BackPayRecord> = {
  load: getBackPay,
  async evaluate(repository, backPay, now, staffFacts) {
    if (staffFacts && Object.keys(staffFacts).length > 0) {
      throw new DomainError('STAFF_FACT_NOT_ALLOWED', { field: Object.keys(staffFacts)[0] });
    }
    const { rows, errors } = await assess(
      repository,
      backPay.employerAccountNo,
      backPay.request,
      toBeijingDate(now),
    );
    const totalFen = rows.reduce((sum, row) => sum + row.totalFen, 0);
    const reasons: Reason[] = errors.map((e) => ({ code: e.code, message: e.message }));
    const record = { rows: rows.length, totalFen, ruleVersion: backPay.ruleVersion };
    const carryOut = (decision: Decision, at: Date): TransactItem[] => {
      const decided = {
        ...record,
        decidedAt: at.toISOString(),
        decidedBy: decision.by,
        ...(decision.confirmedBy ? { confirmedBy: decision.confirmedBy } : {}),
      };
      if (decision.outcome === 'reject' || errors.length > 0) {
        return [
          {
            Update: transitionItem(backPay, 'rejected', actorOf(decision), at, {
              decision: { ...decided, status: 'rejected' },
              reasons: decision.reasons.length > 0 ? decision.reasons : reasons,
            }),
          },
        ];
      }
      return [
        {
          Update: transitionItem(backPay, 'approved', actorOf(decision), at, {
            decision: { ...decided, status: 'approved' },
            reasons: decision.reasons,
            totalFen,
            postedRows: 0,
            postedFen: 0,
            skippedRows: 0,
          }),
        },
      ];
    };
    return {
      outcome: errors.length > 0 ? 'reject' : 'review',
      ...(errors.length > 0 ? {} : { amountFen: totalFen, ceilingFen: totalFen, fixedAmount: true }),
      reasons,
      ruleVersion: backPay.ruleVersion,
      record,
      carryOut,
    };
  },
};

/** Items per transaction: per account an update and per month a ledger entry and a guard; then the progress. */
const ITEMS_PER_TRANSACTION = 99;

/** The account's months after the back-paid ones: joining the run (counted) or kept apart. */
function monthsAfter(account: PersonalAccountRecord, months: YearMonth[], counted: boolean) {
  if (counted) return depositRunAfter(account, months);
  return { backPaidMonths: [...new Set([...(account.backPaidMonths ?? []), ...months])].sort() };
}

/** One month's deposit on an account: that month's terms, rounded by the rule version then in force. */
function depositForMonth(city: CityCode, account: PersonalAccountRecord, month: YearMonth) {
  const terms = termsFor(account, month);
  const params = parametersInForce(city, `${month}-01`);
  const amounts = monthlyDeposit({
    baseFen: terms.monthlyDepositBaseFen,
    employeeRateBasisPoints: terms.employeeRateBasisPoints,
    employerRateBasisPoints: terms.employerRateBasisPoints,
    rounding: params.depositRounding,
  });
  return { terms, params, amounts };
}

/**
 * Credits an approved back-pay, chunk by chunk, each chunk one transaction; then marks it paid.
 * Safe to run again at any point (a second delivery, the sweep after a crash): every month's
 * guard makes a posting once, and a row someone else deposited meanwhile is skipped and counted.
 */
export async function postBackPay(
  repository: CentreRepository,
  applicationId: string,
  now = new Date(),
): Promise<BackPayRecord | undefined> {
  const backPay = await getBackPay(repository, applicationId);
  if (backPay?.status !== 'approved') return backPay;
  const city = repository.city;
  const months = [...backPay.request.months].sort();
  const perAccount = 1 + 2 * months.length;
  const accountsPerChunk = Math.max(1, Math.floor((ITEMS_PER_TRANSACTION - 1) / perAccount));
  const numbers = backPay.request.personalAccountNos;
  for (let start = 0, chunkIndex = 0; start < numbers.length; start += accountsPerChunk, chunkIndex += 1) {
    const chunk = numbers.slice(start, start + accountsPerChunk);
    // A version moved (a remittance, a withdrawal) or another run posted this chunk: look again.
    await withOptimisticRetry(async () => {
      const current = await getBackPay(repository, applicationId);
      if (current?.status !== 'approved' || current.chunksDone?.has(chunkIndex)) return;
      const accounts = await repository.batchGet<PersonalAccountRecord & Record<string, unknown>>(
        chunk.map((no) => ({ PK: personalAccountPartition(city, no), SK: ACCOUNT_SK })),
      );
      const guards = await repository.batchGet(
        chunk.flatMap((no) => months.map((month) => postingGuardKey(city, no, remittanceReference(month)))),
      );
      const posted = new Set(guards.map((g) => `${g.PK}|${g.SK}`));
      const items: TransactItem[] = [];
      const progress = { rows: 0, fen: 0, skipped: 0 };
      for (const account of accounts) {
        const due = months.filter((month) => {
          const guard = postingGuardKey(city, account.personalAccountNo, remittanceReference(month));
          return !posted.has(`${guard.PK}|${guard.SK}`);
        });
        // A month deposited meanwhile (an interrupted remittance resumed), or an account closed since.
        const postable = account.status === 'closed' ? [] : due;
        progress.skipped += months.length - postable.length;
        if (postable.length === 0) continue;
        const postings: LedgerPosting[] = postable.map((month) => {
          const { terms, params, amounts } = depositForMonth(city, account, month);
          progress.rows += 1;
          progress.fen += amounts.totalFen;
          return {
            reference: remittanceReference(month),
            kind: 'back-pay',
            amountFen: amounts.totalFen,
            valueDate: toBeijingDate(now),
            postedAt: now.toISOString(),
            details: {
              month,
              backPayId: backPay.applicationId,
              employerAccountNo: backPay.employerAccountNo,
              employeeShareFen: amounts.employeeShareFen,
              employerShareFen: amounts.employerShareFen,
              monthlyDepositBaseFen: terms.monthlyDepositBaseFen,
              ruleVersion: params.ruleVersion,
            },
          };
        });
        items.push(
          ...postingsItems(city, account, postings, {
            accountSet: monthsAfter(account, postable, backPay.countsAsContinuous),
            allowedStatuses: ['normal', 'sealed'],
          }),
        );
      }
      // The chunk's progress, once: its index joins chunksDone in the same transaction.
      items.push({
        Update: {
          Key: { PK: backPay.PK, SK: backPay.SK },
          UpdateExpression: 'ADD postedRows :rows, postedFen :fen, skippedRows :skipped, chunksDone :chunk',
          ConditionExpression: '#status = :approved AND NOT contains(chunksDone, :index)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':rows': progress.rows,
            ':fen': progress.fen,
            ':skipped': progress.skipped,
            ':chunk': new Set([chunkIndex]),
            ':index': chunkIndex,
            ':approved': 'approved',
          },
        },
      });
      await repository.transactWrite(items);
    });
  }
  return withOptimisticRetry(async () => {
    const current = await getBackPay(repository, applicationId);
    if (current?.status !== 'approved') return current;
    await repository.update(
      transitionItem(current, 'paid', 'system', now, { postedAt: now.toISOString() }, 'back-pay credited'),
    );
    logger.info('back-pay credited', { applicationId, postedFen: current.postedFen });
    return getBackPay(repository, applicationId);
  });
}

/** Resumes every approved back-pay of the centre whose postings did not finish (the sweep). */
export async function resumeBackPays(repository: CentreRepository, now = new Date()): Promise<number> {
  let resumed = 0;
  for (const listed of await workQueue(repository.city, 'approved')) {
    if (!isBackPayId(listed.applicationId)) continue;
    // One back-pay that keeps failing must not hold up the others: logged, retried next sweep.
    try {
      await postBackPay(repository, listed.applicationId, now);
      resumed += 1;
    } catch (error) {
      logger.error('back-pay posting failed; retried by the next sweep', {
        applicationId: listed.applicationId,
        error: error as Error,
      });
    }
  }
  return resumed;
}
