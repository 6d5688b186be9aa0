/**
 * A centre's staff desk (own centre only). Every decision goes through the application kernel
 * with the item's own rule (shared/applications/kernel.ts): staff approve at most what the rule
 * allows, and a second staff member confirms.
 *  GET  /v1/staff/applications?status=…              the work queue, soonest committed deadline first
 *  POST /v1/staff/applications/{id}/decision         approve, reduce, refuse, or ask silent centres again
 *  POST /v1/staff/applications/{id}/confirmation     a second staff member confirms or returns a decision
 *  GET  /v1/staff/audit?from=&to=                    the centre's staff actions and disclosures (JSON or CSV)
 *  POST /v1/staff/loans/{loanId}/disbursement        create the loan and its schedule
 *  GET  /v1/staff/payouts/{withdrawalId}             a payout instruction, and a return waiting for confirmation
 *  POST /v1/staff/payouts/{withdrawalId}/return      record the bank's return of a payout (退票)
 *  POST /v1/staff/payouts/{withdrawalId}/return/confirmation   a second staff member: credited back, caps released
 *  GET  /v1/stats/regional-loans                     any staff: loans to depositors of other region cities
 */
import { type AuditLine, auditTrail } from '../../shared/applications/audit.js';
import {
  type ApplicationItem,
  type PendingDecision,
  staffAskAgain,
  staffConfirm,
  staffDecide,
} from '../../shared/applications/kernel.js';
import { type ApplicationBase, type Reason, timeLeft, workQueue } from '../../shared/applications/records.js';
import { CITIES, isCityCode } from '../../shared/config/cities.js';
import { tableName } from '../../shared/config/runtime.js';
import { type BackPayRecord, backPayItem, isBackPayId, postBackPay } from '../../shared/deposits/back-pay.js';
import { DomainError, invalidFields } from '../../shared/errors/domain-error.js';
import { toCsv } from '../../shared/http/csv.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import { bankAccountView } from '../../shared/identity/bank-account.js';
import { factsDeadlineFrom } from '../../shared/loans/apply.js';
import { loanItem } from '../../shared/loans/decide.js';
import { disburseLoan } from '../../shared/loans/disburse.js';
import { type LoanApplicationRecord, REGIONAL_LOAN_STATS_PK } from '../../shared/loans/store.js';
import { centreRepository, queryAll } from '../../shared/persistence/centre-repository.js';
import { transferItem } from '../../shared/transfers/flows.js';
import { isTransferId, type TransferApplication } from '../../shared/transfers/store.js';
import {
  confirmPayoutReturn,
  getPayout,
  type PayoutRecord,
  recordPayoutReturn,
} from '../../shared/withdrawals/payout-return.js';
import { type WithdrawalRecord, withdrawalItem } from '../../shared/withdrawals/withdrawals.js';
import {
  ApplicationPath,
  AuditQuery,
  ConfirmationBody,
  DecisionBody,
  LoanPath,
  PayoutPath,
  PayoutReturnBody,
  WorkQueueQuery,
} from './contract.js';

type QueuedApplication = ApplicationBase & {
  request?: object;
  /** A sending centre's transfer record (`kind: 'transfer-out'`): the amount debited into transit. */
  kind?: string;
  amountFen?: number;
  /** A back-pay's: what it would credit. */
  totalFen?: number;
  employerAccountNo?: string;
  pendingDecision?: PendingDecision;
  returnedDecision?: PendingDecision & { returnedBy: string; reason: Reason };
  decisionFailure?: { at: string; error: string; detail: string };
};

/**
 * The amount asked: a loan's `requestedFen`, a purchase withdrawal's `amountFen`, what a back-pay
 * credits, what a sending centre debited into transit for a transfer; none for the others.
 */
function amountAsked(application: QueuedApplication): number | null {
  if (application.kind === 'transfer-out') return application.amountFen ?? null;
  const asked = application.request as { requestedFen?: number; amountFen?: number } | undefined;
  return asked?.requestedFen ?? asked?.amountFen ?? application.totalFen ?? null;
}

/** One line of the work queue: what staff act on, with the time left against the committed deadline. */
function queueLine(application: QueuedApplication, now: Date) {
  const { overdue, workingDaysLeft } = timeLeft(application, now);
  return {
    applicationId: application.applicationId,
    itemCode: application.itemCode,
    status: application.status,
    channel: application.channel,
    idNumber: application.idNumberMasked || null,
    amountFen: amountAsked(application),
    // A back-pay: the employer, months, accounts, reason and evidence staff decide on.
    ...(isBackPayId(application.applicationId)
      ? { employerAccountNo: application.employerAccountNo, backPay: application.request }
      : {}),
    acceptedAt: application.acceptedAt,
    committedDeadline: application.committedDeadline,
    committedDeadlineCalendar: application.committedDeadlineCalendar,
    workingDaysLeft,
    overdue,
    reasons: application.reasons ?? [],
    // What a second staff member confirms: the outcome, amount, reason, facts recorded, who decided.
    pendingDecision: application.pendingDecision ?? null,
    returnedDecision: application.returnedDecision ?? null,
    decisionFailure: application.decisionFailure ?? null,
  };
}

const listWorkQueue = httpHandler({
  role: 'staff',
  query: WorkQueueQuery,
  handle: async ({ query, caller }) => {
    const city = caller.city;
    const now = new Date();
    const items = await workQueue<QueuedApplication>(city, query.status);
    return {
      status: 200,
      body: { city, status: query.status, applications: items.map((a) => queueLine(a, now)) },
    };
  },
});

/** The item an application id names: withdrawals carry `-W-` after the city, back-pays `-B-`, transfers `-T-`, loans none. */
function itemOf(
  applicationId: string,
):
  | ApplicationItem<LoanApplicationRecord>
  | ApplicationItem<WithdrawalRecord>
  | ApplicationItem<BackPayRecord>
  | ApplicationItem<TransferApplication> {
  if (isBackPayId(applicationId)) return backPayItem;
  if (isTransferId(applicationId)) return transferItem;
  return applicationId.slice(6, 9) === '-W-' ? withdrawalItem : loanItem;
}

function reasonOf(body: {
  reasonZh?: string | undefined;
  reasonEn?: string | undefined;
}): Reason | undefined {
  return body.reasonZh
    ? { code: 'STAFF_DECISION', message: { 'zh-CN': body.reasonZh, en: body.reasonEn ?? body.reasonZh } }
    : undefined;
}

/**
 * A staff member decides a referred application (approve within the rule's limit, reduce or
 * refuse with a reason: it then waits for a second staff member), or asks silent centres again.
 */
const decide = httpHandler({
  role: 'staff',
  path: ApplicationPath,
  body: DecisionBody,
  handle: async ({ path, body, caller }) => {
    const repository = centreRepository(caller.city);
    const now = new Date();
    const item = itemOf(path.id) as ApplicationItem;
    const reason = reasonOf(body);
    const application =
      body.outcome === 'ask-again'
        ? await staffAskAgain(item, repository, path.id, caller, factsDeadlineFrom(now), now)
        : await staffDecide(
            item,
            repository,
            path.id,
            caller,
            {
              outcome: body.outcome,
              ...(body.approvedFen !== undefined ? { amountFen: body.approvedFen } : {}),
              ...(reason ? { reason } : {}),
              ...(body.womanRetirementCategory
                ? { staffFacts: { womanRetirementCategory: body.womanRetirementCategory } }
                : {}),
            },
            now,
          );
    return { status: 200, body: queueLine(application, now) };
  },
});

/** A second staff member of the centre confirms a pending decision (it takes effect) or returns it. */
const confirm = httpHandler({
  role: 'staff',
  path: ApplicationPath,
  body: ConfirmationBody,
  handle: async ({ path, body, caller }) => {
    const repository = centreRepository(caller.city);
    const now = new Date();
    const reason = reasonOf(body);
    const confirmed = await staffConfirm(
      itemOf(path.id) as ApplicationItem,
      repository,
      path.id,
      caller,
      { confirm: body.outcome === 'confirm', ...(reason ? { reason } : {}) },
      now,
    );
    // An approved back-pay is credited now; if this is cut short, the sweep finishes it.
    const application =
      isBackPayId(path.id) && confirmed.status === 'approved'
        ? ((await postBackPay(repository, path.id, now)) ?? confirmed)
        : confirmed;
    return { status: 200, body: queueLine(application, now) };
  },
});

const AUDIT_COLUMNS = [
  { header: '时间 at', value: (l: AuditLine) => l.at },
  { header: '类别 kind', value: (l: AuditLine) => l.kind },
  { header: '工作人员 staff', value: (l: AuditLine) => l.staff },
  { header: '操作 action', value: (l: AuditLine) => l.action },
  { header: '申请 application', value: (l: AuditLine) => l.applicationId },
  { header: '事项 item', value: (l: AuditLine) => l.itemCode },
  { header: '结果 outcome', value: (l: AuditLine) => l.outcome },
  { header: '金额(分) amountFen', value: (l: AuditLine) => l.amountFen },
  { header: '理由 reason', value: (l: AuditLine) => l.reason },
  { header: '原决定人 decidedBy', value: (l: AuditLine) => l.decidedBy },
  { header: '查询中心 askedBy', value: (l: AuditLine) => l.askedBy },
  { header: '披露字段 fieldsDisclosed', value: (l: AuditLine) => l.fieldsDisclosed },
] as const;

const MAX_AUDIT_DAYS = 366;
/** Lines in one CSV file (a Lambda answer is at most 6 MB). */
const MAX_CSV_LINES = 20_000;

function periodTooLong(limit: string) {
  return invalidFields([
    {
      in: 'query',
      field: 'to',
      code: 'PERIOD_INVALID',
      message: {
        'zh-CN': `查询期间须向后推进且不超过上限（${limit}），请缩短期间。`,
        en: `The period must run forward and stay within the limit (${limit}); narrow it.`,
      },
    },
  ]);
}

/** The centre's staff actions and disclosures for a period: JSON pages, or CSV with `Accept: text/csv`. */
const audit = httpHandler({
  role: 'staff',
  query: AuditQuery,
  handle: async ({ query, caller, headers }) => {
    const days = (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000;
    if (days < 0 || days >= MAX_AUDIT_DAYS) throw periodTooLong(`at most ${MAX_AUDIT_DAYS} days`);
    const repository = centreRepository(caller.city);
    const period = { from: query.from, to: query.to };
    if (headers.accept?.split(',').some((type) => type.trim().startsWith('text/csv'))) {
      // The file holds the whole period: an auditor's spreadsheet, not a page of it.
      const lines: AuditLine[] = [];
      let after: string | undefined;
      do {
        const page = await auditTrail(repository, period, { limit: 1000, ...(after ? { after } : {}) });
        lines.push(...page.lines);
        after = page.next;
        if (lines.length > MAX_CSV_LINES) throw periodTooLong(`at most ${MAX_CSV_LINES} lines in one file`);
      } while (after);
      return {
        status: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="audit-${caller.city}-${query.from}-${query.to}.csv"`,
        },
        body: toCsv(AUDIT_COLUMNS, lines),
      };
    }
    const after =
      query.cursor === undefined ? undefined : Buffer.from(query.cursor, 'base64url').toString('utf8');
    const page = await auditTrail(repository, period, { limit: query.limit, ...(after ? { after } : {}) });
    const next = page.next ? Buffer.from(page.next, 'utf8').toString('base64url') : null;
    return {
      status: 200,
      body: { city: caller.city, from: query.from, to: query.to, lines: page.lines, nextCursor: next },
    };
  },
});

const disburse = httpHandler({
  role: 'staff',
  path: LoanPath,
  handle: async ({ path, caller }) => {
    const loan = await disburseLoan(centreRepository(caller.city), path.loanId, caller);
    const {
      PK: _pk,
      SK: _sk,
      GSI1PK: _g,
      GSI1SK: _s,
      personKey: _key,
      spousePersonKey: _spouse,
      ...view
    } = loan;
    return {
      status: 201,
      body: {
        ...view,
        applicationToDisbursementMinutes: Math.round(loan.applicationToDisbursementMs / 60_000),
      },
    };
  },
});

function payoutView(payout: PayoutRecord) {
  const { PK: _pk, SK: _sk, bankAccount, ...view } = payout;
  return { ...view, bankAccount: bankAccountView(bankAccount) };
}

const showPayout = httpHandler({
  role: 'staff',
  path: PayoutPath,
  handle: async ({ path, caller }) => {
    const payout = await getPayout(centreRepository(caller.city), path.withdrawalId);
    if (!payout) throw new DomainError('NOT_FOUND');
    return { status: 200, body: payoutView(payout) };
  },
});

/** The bank's notice that a payout came back (退票): the first of two staff members. */
const recordReturn = httpHandler({
  role: 'staff',
  path: PayoutPath,
  body: PayoutReturnBody,
  handle: async ({ path, body, caller }) => {
    const payout = await recordPayoutReturn(
      centreRepository(caller.city),
      path.withdrawalId,
      { bankReference: body.bankReference, reason: body.reasonZh },
      caller,
      new Date(),
    );
    return { status: 200, body: payoutView(payout) };
  },
});

const confirmReturn = httpHandler({
  role: 'staff',
  path: PayoutPath,
  handle: async ({ path, caller }) => {
    const payout = await confirmPayoutReturn(
      centreRepository(caller.city),
      path.withdrawalId,
      caller,
      new Date(),
    );
    return { status: 200, body: payoutView(payout) };
  },
});

const regionalStats = httpHandler({
  role: 'staff',
  handle: async () => {
    const statistics = await queryAll({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :stats',
      ExpressionAttributeValues: { ':stats': REGIONAL_LOAN_STATS_PK },
    });
    const cells = statistics.map((item) => ({
      lendingCity: item.lendingCity as string,
      depositCity: item.depositCity as string,
      loanCount: Number(item.loanCount ?? 0),
      amountFen: Number(item.amountFen ?? 0),
      demo: item.demo === true,
    }));
    const byLendingCity = new Map<
      string,
      { lendingCity: string; nameZh: string; loanCount: number; amountFen: number }
    >();
    for (const cell of cells) {
      const entry = byLendingCity.get(cell.lendingCity) ?? {
        lendingCity: cell.lendingCity,
        nameZh: isCityCode(cell.lendingCity) ? CITIES[cell.lendingCity].nameZh : cell.lendingCity,
        loanCount: 0,
        amountFen: 0,
      };
      entry.loanCount += cell.loanCount;
      entry.amountFen += cell.amountFen;
      byLendingCity.set(cell.lendingCity, entry);
    }
    return {
      status: 200,
      body: {
        cells,
        byLendingCity: [...byLendingCity.values()],
        total: {
          loanCount: cells.reduce((n, c) => n + c.loanCount, 0),
          amountFen: cells.reduce((n, c) => n + c.amountFen, 0),
        },
      },
    };
  },
});

export const handler = byRoute({
  'GET /v1/staff/applications': listWorkQueue,
  'POST /v1/staff/applications/{id}/decision': decide,
  'POST /v1/staff/applications/{id}/confirmation': confirm,
  'GET /v1/staff/audit': audit,
  'POST /v1/staff/loans/{loanId}/disbursement': disburse,
  'GET /v1/staff/payouts/{withdrawalId}': showPayout,
  'POST /v1/staff/payouts/{withdrawalId}/return': recordReturn,
  'POST /v1/staff/payouts/{withdrawalId}/return/confirmation': confirmReturn,
  'GET /v1/stats/regional-loans': regionalStats,
});
