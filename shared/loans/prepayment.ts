/**
 * EARLY_PAYOFF 提前还款: a borrower repays a running loan early, in full (提前结清) or in part
 * (提前部分还款) with a choice of a shorter term (缩短期限) or a lower instalment (减少月供).
 *
 * Conventions (DESIGN.md §2; the loan arithmetic itself is shared/loans/schedule.ts):
 * - Due day (还款日): an instalment falls due on the contract day of its month (the day of the
 *   month of `contractDate`), or on the month's last day when the month is shorter (contracted on
 *   31 January: due 28/29 February, 31 March, 30 April…). Schedules only carry the due month; this
 *   rule gives the date.
 * - Interest to date: interest has been paid up to the due date of the last instalment paid, or
 *   charged from the contract (disbursement) date when none is paid yet. A prepayment pays interest
 *   at annual / 360 for the actual days from that date (not counted) to the day of payment (counted,
 *   Beijing time), half-up to the fen (`payoffAmount`, `partialPeriodInterestFen`). An instalment
 *   collected before its due date (the monthly job may run early in the month) means interest is paid
 *   beyond today: 0 days, never a negative number (nothing is refunded).
 * - The rate is the one the next instalment carries (`scheduleFor` in repayments.ts): a repricing due
 *   on 1 January that the monthly job has not yet applied is applied here, to the prepayment and to
 *   the new schedule, and stored on the loan.
 * - Full payoff: outstanding principal + interest to date. The schedule keeps the instalments paid
 *   and ends with one payoff line (its month is the month of payment); the loan is repaid, leaves the
 *   centre's running loans and the regional loan index (released, `repaidLoans` + 1).
 * - Partial: `amountFen` is principal. It is at least PARTIAL_PREPAYMENT_MINIMUM_FEN (10,000 yuan, a
 *   demo value: the common centre rule is "不低于 1 万元") and less than the outstanding principal (all
 *   of it is a full payoff). On top of it the borrower pays the part-period interest on the prepaid
 *   amount only, for the days since the last due date; the remaining principal's interest stays in the
 *   next instalment as before. The remaining schedule is recomputed from the next due month
 *   (`scheduleAfterPrepayment`): 'shorter-term' keeps the instalment (at most the current one) and
 *   shortens the term, 'lower-instalment' keeps the term. An instalment overdue but not yet collected
 *   does not stop a prepayment: the new schedule still starts with it.
 * - `termMonths` on the loan becomes the term actually scheduled (instalments paid + remaining), so
 *   the 1 January repricing (which recomputes `termMonths − paidInstalments` months) keeps a shortened
 *   term; the rate band stays the contract's (`contractTermMonths`).
 * - `interestSavedFen`: the interest the remaining schedule no longer charges (before minus after);
 *   the interest paid with the prepayment is `interestFen`, separately.
 *
 * Money moves in one transaction (DESIGN.md §4): the prepayment record (the loan's ledger entry, once
 * only per `Idempotency-Key`), the loan (guarded by the version read) and, on a full payoff, the links
 * and the regional index. A cancelled transaction (a monthly instalment posted meanwhile, a concurrent
 * request with the same key) is re-read and recomputed, a bounded number of times; the record's
 * `attribute_not_exists` guard and the version guard mean it never takes effect twice.
 */
import { createHash } from 'node:crypto';
import { dayInMonth, monthOf, type YearMonth } from '../calendar/dates.js';
import { toBeijingDate } from '../calendar/working-days.js';
import { DomainError } from '../errors/domain-error.js';
import { formatYuan } from '../money/money.js';
import type { CentreRepository, TransactItem } from '../persistence/centre-repository.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import type { IsoDate } from '../rules/national.js';
import { getLoan } from './disburse.js';
import { scheduleFor } from './repayments.js';
import {
  actualDaysBetween,
  type Instalment,
  PREPAYMENT_CHOICES,
  type PrepaymentChoice,
  partialPeriodInterestFen,
  payoffAmount,
  scheduleAfterPrepayment,
} from './schedule.js';
import { type LoanRecord, loanKey, loanRepaidItems } from './store.js';

/** The smallest partial prepayment: 10,000 yuan (demo value; a centre parameter when one is set). */
export const PARTIAL_PREPAYMENT_MINIMUM_FEN = 1_000_000;
export { PREPAYMENT_CHOICES };
export type PrepaymentKind = 'full' | 'partial';

/** The loan as this module reads it: the attributes a prepayment adds to the loan item. */
export type PrepaidLoan = LoanRecord & { prepaymentCount?: number };

/** The final line of a paid-off schedule. */
export interface PayoffLine extends Instalment {
  kind: 'payoff';
  paidOn: IsoDate;
}

// ---------------------------------------------------------------------------------------------------
// Pure: due dates, interest to date, the two plans

/** The due date of an instalment of `dueMonth`: the contract day, or the month's last day if shorter. */
export function dueDateIn(dueMonth: YearMonth, contractDate: IsoDate): IsoDate {
  return dayInMonth(dueMonth, Number(contractDate.slice(8, 10)));
}

/** The date interest is paid up to: the last paid instalment's due date, else the contract date. */
export function lastDueDateOf(
  loan: Pick<LoanRecord, 'schedule' | 'paidInstalments' | 'contractDate' | 'lastPaidMonth'>,
): IsoDate {
  if (loan.paidInstalments === 0) return loan.contractDate;
  const month = loan.schedule.find((i) => i.number === loan.paidInstalments)?.dueMonth ?? loan.lastPaidMonth;
  if (month === undefined) throw new Error('a loan with paid instalments has no last paid month');
  return dueDateIn(month, loan.contractDate);
}

/** From the last due date to the payment date; 0 days when interest is already paid beyond it. */
function interestPeriod(loan: LoanRecord, on: IsoDate): { from: IsoDate; to: IsoDate } {
  const from = lastDueDateOf(loan);
  return { from: from > on ? on : from, to: on };
}

interface Basis {
  paid: Instalment[];
  unpaid: Instalment[];
  rate: number;
  ruleVersion: string;
}

/** The loan's schedule at the rate its next instalment carries (a pending 1 January repricing applied). */
function basisOf(loan: LoanRecord): Basis {
  const next = loan.schedule.find((i) => i.number === loan.paidInstalments + 1);
  if (!next) throw new Error(`loan ${loan.loanId} is active but has no instalment left to pay`);
  const { schedule, rate, ruleVersion } = scheduleFor(loan, next.dueMonth);
  return {
    paid: schedule.filter((i) => i.number <= loan.paidInstalments),
    unpaid: schedule.filter((i) => i.number > loan.paidInstalments),
    rate,
    ruleVersion,
  };
}

const sum = (instalments: readonly Instalment[], pick: (i: Instalment) => number) =>
  instalments.reduce((total, i) => total + pick(i), 0);

export interface PayoffPlan {
  kind: 'full';
  principalFen: number;
  interestFen: number;
  totalFen: number;
  interestFromDate: IsoDate;
  interestDays: number;
  annualRateHundredthsBp: number;
  rateRuleVersion: string;
  /** The instalments paid, then the payoff line. */
  schedule: Instalment[];
  previousRemainingTermMonths: number;
  interestSavedFen: number;
  paidOn: IsoDate;
}

/** 提前结清 on `on` (a Beijing date): principal + interest to date; the schedule closed by one payoff line. */
export function planPayoff(loan: LoanRecord, on: IsoDate): PayoffPlan {
  const { paid, unpaid, rate, ruleVersion } = basisOf(loan);
  const period = interestPeriod(loan, on);
  const payoff = payoffAmount({
    outstandingPrincipalFen: loan.outstandingPrincipalFen,
    annualRateHundredthsBp: rate,
    lastDueDate: period.from,
    payoffDate: period.to,
  });
  const line: PayoffLine = {
    number: loan.paidInstalments + 1,
    dueMonth: monthOf(on),
    paymentFen: payoff.totalFen,
    principalFen: payoff.principalFen,
    interestFen: payoff.interestFen,
    remainingPrincipalFen: 0,
    kind: 'payoff',
    paidOn: on,
  };
  return {
    kind: 'full',
    principalFen: payoff.principalFen,
    interestFen: payoff.interestFen,
    totalFen: payoff.totalFen,
    interestFromDate: period.from,
    interestDays: payoff.days,
    annualRateHundredthsBp: rate,
    rateRuleVersion: ruleVersion,
    schedule: [...paid, line],
    previousRemainingTermMonths: unpaid.length,
    interestSavedFen: sum(unpaid, (i) => i.interestFen),
    paidOn: on,
  };
}

export interface PartialPlan {
  kind: 'partial';
  choice: PrepaymentChoice;
  principalFen: number;
  interestFen: number;
  totalFen: number;
  interestFromDate: IsoDate;
  interestDays: number;
  annualRateHundredthsBp: number;
  rateRuleVersion: string;
  outstandingAfterFen: number;
  /** The instalments paid, then the new remaining schedule (numbered on from them). */
  schedule: Instalment[];
  /** Instalments paid + the new remaining term. */
  termMonths: number;
  previousMonthlyPaymentFen: number;
  newMonthlyPaymentFen: number;
  previousRemainingTermMonths: number;
  newRemainingTermMonths: number;
  interestSavedFen: number;
  paidOn: IsoDate;
}

const problems = {
  loanNotActive: (status: string) => new DomainError('LOAN_NOT_ACTIVE', { loanStatus: status }),
  coversLoan: (amountFen: number, payoff: PayoffPlan) =>
    new DomainError('PREPAYMENT_COVERS_LOAN', {
      message: {
        'zh-CN': `部分提前还款金额 ${formatYuan(amountFen)} 元不少于贷款余额 ${formatYuan(payoff.principalFen)} 元，请改为提前结清：今日结清需还 ${formatYuan(payoff.totalFen)} 元（含利息 ${formatYuan(payoff.interestFen)} 元）。`,
        en: `A partial prepayment of CNY ${formatYuan(amountFen)} is not less than the outstanding CNY ${formatYuan(payoff.principalFen)}: pay the loan off in full instead (kind "full"), CNY ${formatYuan(payoff.totalFen)} today including CNY ${formatYuan(payoff.interestFen)} interest.`,
      },
      ...{
        suggestedKind: 'full',
        outstandingPrincipalFen: payoff.principalFen,
        payoff: {
          principalFen: payoff.principalFen,
          interestFen: payoff.interestFen,
          totalFen: payoff.totalFen,
        },
      },
    }),
  belowMinimum: (amountFen: number) =>
    new DomainError('PREPAYMENT_BELOW_MINIMUM', {
      message: {
        'zh-CN': `部分提前还款金额不得低于 ${formatYuan(PARTIAL_PREPAYMENT_MINIMUM_FEN)} 元（本次 ${formatYuan(amountFen)} 元）。`,
        en: `A partial prepayment must be at least CNY ${formatYuan(PARTIAL_PREPAYMENT_MINIMUM_FEN)} (this one is CNY ${formatYuan(amountFen)}).`,
      },
      minimumFen: PARTIAL_PREPAYMENT_MINIMUM_FEN,
    }),
  required: (field: 'choice' | 'amountFen') =>
    new DomainError('VALIDATION_FAILED', {
      errors: [
        {
          in: 'body',
          field,
          code: 'REQUIRED',
          message:
            field === 'choice'
              ? {
                  'zh-CN': '部分提前还款须选择缩短期限（shorter-term）或减少月供（lower-instalment）。',
                  en: 'A partial prepayment needs a choice: shorter-term or lower-instalment.',
                }
              : {
                  'zh-CN': '部分提前还款须填写还款本金金额（分）。',
                  en: 'A partial prepayment needs the principal amount in fen.',
                },
        },
      ],
    }),
  keyReused: () =>
    new DomainError('IDEMPOTENCY_KEY_REUSED', {
      message: {
        'zh-CN': '该幂等键已用于另一笔提前还款，请为新的还款使用新的幂等键。',
        en: 'This Idempotency-Key was used for a different prepayment; use a new key for a new prepayment.',
      },
    }),
};

/**
 * 提前部分还款 on `on`: `amountFen` of principal plus the part-period interest on it; the remaining
 * schedule recomputed from the next due month. Refusals are HttpProblems (422 below the minimum or
 * not less than the outstanding principal).
 */
export function planPartialPrepayment(
  loan: LoanRecord,
  request: { amountFen: number; choice: PrepaymentChoice },
  on: IsoDate,
): PartialPlan {
  const { amountFen, choice } = request;
  if (amountFen >= loan.outstandingPrincipalFen) throw problems.coversLoan(amountFen, planPayoff(loan, on));
  if (amountFen < PARTIAL_PREPAYMENT_MINIMUM_FEN) throw problems.belowMinimum(amountFen);
  const { paid, unpaid, rate, ruleVersion } = basisOf(loan);
  const first = unpaid[0] as Instalment; // basisOf guarantees one
  const period = interestPeriod(loan, on);
  const days = actualDaysBetween(period.from, period.to);
  const interestFen = partialPeriodInterestFen(amountFen, rate, days);
  const after = scheduleAfterPrepayment({
    remainingPrincipalFen: loan.outstandingPrincipalFen,
    annualRateHundredthsBp: rate,
    remainingTermMonths: unpaid.length,
    method: loan.method,
    firstDueMonth: first.dueMonth,
    prepaymentFen: amountFen,
    choice,
  });
  const rest = after.instalments.map((i) => ({ ...i, number: i.number + loan.paidInstalments }));
  return {
    kind: 'partial',
    choice,
    principalFen: amountFen,
    interestFen,
    totalFen: amountFen + interestFen,
    interestFromDate: period.from,
    interestDays: days,
    annualRateHundredthsBp: rate,
    rateRuleVersion: ruleVersion,
    outstandingAfterFen: after.principalFen,
    schedule: [...paid, ...rest],
    termMonths: loan.paidInstalments + after.termMonths,
    previousMonthlyPaymentFen: after.previousMonthlyPaymentFen,
    newMonthlyPaymentFen: after.monthlyPaymentFen,
    previousRemainingTermMonths: after.previousTermMonths,
    newRemainingTermMonths: after.termMonths,
    interestSavedFen: after.interestSavedFen,
    paidOn: on,
  };
}

// ---------------------------------------------------------------------------------------------------
// Records

/** What the borrower sees of the loan after the prepayment. */
export interface LoanSummary {
  loanId: string;
  status: 'active' | 'repaid';
  outstandingPrincipalFen: number;
  paidInstalments: number;
  remainingTermMonths: number;
  nextInstalment: Instalment | null;
}

/** The prepayment as answered (and replayed): the loan's ledger entry for it. */
export interface PrepaymentView {
  prepaymentId: string;
  loanId: string;
  kind: PrepaymentKind;
  choice?: PrepaymentChoice;
  /** Principal repaid. */
  principalFen: number;
  /** Interest to date paid with it (on the whole outstanding for a payoff, on the amount for a partial). */
  interestFen: number;
  totalFen: number;
  interestFromDate: IsoDate;
  interestDays: number;
  annualRateHundredthsBp: number;
  outstandingBeforeFen: number;
  outstandingAfterFen: number;
  previousMonthlyPaymentFen?: number;
  newMonthlyPaymentFen?: number;
  previousRemainingTermMonths: number;
  newRemainingTermMonths: number;
  interestSavedFen: number;
  /** The Beijing date of payment. */
  paidOn: IsoDate;
  at: string;
}

interface RequestFingerprint {
  kind: PrepaymentKind;
  amountFen?: number;
  choice?: PrepaymentChoice;
}

interface PrepaymentItem extends PrepaymentView {
  PK: string;
  SK: string;
  itemCode: 'EARLY_PAYOFF';
  request: RequestFingerprint;
  loanAfter: LoanSummary;
  [attribute: string]: unknown;
}

/** `C#<city>#LOAN#<loanId>` / `PREPAYMENT#<sha-256 of the Idempotency-Key>`. */
export function prepaymentKey(repository: CentreRepository, loanId: string, idempotencyKey: string) {
  // The key is the client's: hashed, it is short and free of separators.
  const digest = createHash('sha256').update(idempotencyKey).digest('base64url');
  return { PK: loanKey(repository.city, loanId).PK, SK: `PREPAYMENT#${digest}` };
}

function summaryOf(
  loan: LoanRecord,
  after: { status: 'active' | 'repaid'; outstanding: number; paid: number; schedule: Instalment[] },
): LoanSummary {
  return {
    loanId: loan.loanId,
    status: after.status,
    outstandingPrincipalFen: after.outstanding,
    paidInstalments: after.paid,
    remainingTermMonths: after.schedule.filter((i) => i.number > after.paid).length,
    nextInstalment: after.schedule.find((i) => i.number === after.paid + 1) ?? null,
  };
}

function sameRequest(a: RequestFingerprint, b: RequestFingerprint): boolean {
  return a.kind === b.kind && a.amountFen === b.amountFen && a.choice === b.choice;
}

function viewOf(item: PrepaymentItem): PrepaymentView {
  const { PK: _pk, SK: _sk, itemCode: _code, request: _request, loanAfter: _loan, ...view } = item;
  return view as PrepaymentView;
}

// ---------------------------------------------------------------------------------------------------
// The transaction

export interface PrepayInput {
  loanId: string;
  /** The caller's person key: another person's loan is not found. */
  personKey: string;
  kind: PrepaymentKind;
  /** Partial only: principal to repay, in fen. */
  amountFen?: number;
  /** Partial only. */
  choice?: PrepaymentChoice;
  idempotencyKey: string;
  now: Date;
}

export interface PrepayResult {
  /** True when the key was used before: the first answer, unchanged. */
  replayed: boolean;
  prepayment: PrepaymentView;
  loan: LoanSummary;
}

function fingerprintOf(input: PrepayInput): RequestFingerprint {
  if (input.kind === 'full') return { kind: 'full' };
  if (input.amountFen === undefined || !Number.isSafeInteger(input.amountFen) || input.amountFen < 0) {
    throw problems.required('amountFen');
  }
  if (input.choice === undefined || !(PREPAYMENT_CHOICES as readonly string[]).includes(input.choice)) {
    throw problems.required('choice');
  }
  return { kind: 'partial', amountFen: input.amountFen, choice: input.choice };
}

/** The loan's update and, on a payoff, the links and the regional index; all in one transaction. */
function transactionItems(
  repository: CentreRepository,
  loan: PrepaidLoan,
  plan: PayoffPlan | PartialPlan,
  record: PrepaymentItem,
): TransactItem[] {
  const at = record.at;
  const common = {
    ':schedule': plan.schedule,
    ':rate': plan.annualRateHundredthsBp,
    ':ruleVersion': plan.rateRuleVersion,
    ':version': loan.version,
    ':next': loan.version + 1,
    ':active': 'active',
    ':one': 1,
  };
  const names = { '#schedule': 'schedule', '#status': 'status', '#version': 'version' };
  const guard = '#version = :version AND #status = :active';
  const put: TransactItem = { Put: { Item: record, ConditionExpression: 'attribute_not_exists(PK)' } };
  if (plan.kind === 'partial') {
    return [
      put,
      {
        Update: {
          Key: loanKey(repository.city, loan.loanId),
          UpdateExpression:
            'SET outstandingPrincipalFen = :outstanding, #schedule = :schedule, termMonths = :term, ' +
            'annualRateHundredthsBp = :rate, rateRuleVersion = :ruleVersion, #version = :next ' +
            'ADD prepaymentCount :one',
          ConditionExpression: guard,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ...common,
            ':outstanding': plan.outstandingAfterFen,
            ':term': plan.termMonths,
          },
        },
      },
    ];
  }
  return [
    put,
    {
      Update: {
        Key: loanKey(repository.city, loan.loanId),
        UpdateExpression:
          'SET outstandingPrincipalFen = :zero, #status = :repaid, #schedule = :schedule, ' +
          'paidInstalments = :paid, lastPaidMonth = :month, annualRateHundredthsBp = :rate, ' +
          'rateRuleVersion = :ruleVersion, repaidOn = :paidOn, #version = :next ' +
          'ADD prepaymentCount :one',
        ConditionExpression: guard,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ...common,
          ':zero': 0,
          ':repaid': 'repaid',
          ':paid': loan.paidInstalments + 1,
          ':month': monthOf(plan.paidOn),
          ':paidOn': plan.paidOn,
        },
      },
    },
    ...loanRepaidItems(loan, at),
  ];
}

function recordOf(
  repository: CentreRepository,
  loan: PrepaidLoan,
  plan: PayoffPlan | PartialPlan,
  input: PrepayInput,
  request: RequestFingerprint,
): PrepaymentItem {
  const full = plan.kind === 'full';
  const outstandingAfter = full ? 0 : plan.outstandingAfterFen;
  const paidAfter = full ? loan.paidInstalments + 1 : loan.paidInstalments;
  return {
    ...prepaymentKey(repository, loan.loanId, input.idempotencyKey),
    itemCode: 'EARLY_PAYOFF',
    prepaymentId: `${loan.loanId}-P${(loan.prepaymentCount ?? 0) + 1}`,
    loanId: loan.loanId,
    kind: plan.kind,
    ...(full ? {} : { choice: plan.choice }),
    principalFen: plan.principalFen,
    interestFen: plan.interestFen,
    totalFen: plan.totalFen,
    interestFromDate: plan.interestFromDate,
    interestDays: plan.interestDays,
    annualRateHundredthsBp: plan.annualRateHundredthsBp,
    outstandingBeforeFen: loan.outstandingPrincipalFen,
    outstandingAfterFen: outstandingAfter,
    ...(full
      ? {}
      : {
          previousMonthlyPaymentFen: plan.previousMonthlyPaymentFen,
          newMonthlyPaymentFen: plan.newMonthlyPaymentFen,
        }),
    previousRemainingTermMonths: plan.previousRemainingTermMonths,
    newRemainingTermMonths: full ? 0 : plan.newRemainingTermMonths,
    interestSavedFen: plan.interestSavedFen,
    paidOn: plan.paidOn,
    at: input.now.toISOString(),
    request,
    loanAfter: summaryOf(loan, {
      status: full ? 'repaid' : 'active',
      outstanding: outstandingAfter,
      paid: paidAfter,
      schedule: plan.schedule,
    }),
  };
}

/**
 * Repays a loan early, once per Idempotency-Key: a replay answers the first result (a different
 * request under the same key is a 422). Another person's loan, or none, is a 404.
 */
export async function prepay(repository: CentreRepository, input: PrepayInput): Promise<PrepayResult> {
  const request = fingerprintOf(input);
  const recordKey = prepaymentKey(repository, input.loanId, input.idempotencyKey);
  const on = toBeijingDate(input.now);
  // The loan moved (an instalment posted, another prepayment) or the same key won meanwhile:
  // read again; the guards made sure this attempt changed nothing.
  return withOptimisticRetry(async () => {
    const loan = (await getLoan(repository, input.loanId)) as PrepaidLoan | undefined;
    if (!loan || loan.personKey !== input.personKey) throw new DomainError('NOT_FOUND');
    const stored = await repository.get<PrepaymentItem>(recordKey, { consistent: true });
    if (stored) {
      if (!sameRequest(stored.request, request)) throw problems.keyReused();
      return { replayed: true, prepayment: viewOf(stored), loan: stored.loanAfter };
    }
    if (loan.status !== 'active') throw problems.loanNotActive(loan.status);
    const plan =
      request.kind === 'full'
        ? planPayoff(loan, on)
        : planPartialPrepayment(
            loan,
            { amountFen: request.amountFen as number, choice: request.choice as PrepaymentChoice },
            on,
          );
    const record = recordOf(repository, loan, plan, input, request);
    await repository.transactWrite(transactionItems(repository, loan, plan, record));
    return { replayed: false, prepayment: viewOf(record), loan: record.loanAfter };
  });
}
