/** A centre's staff desk: work queue, decisions with four eyes, audit, disbursement, returned payouts. */
import * as z from 'zod/mini';
import { APPLICATION_STATUSES } from '../../shared/applications/statuses.js';
import {
  applicationStatus,
  bankAccountAnswer,
  calendarStatus,
  cityCode,
  fen,
  instalment,
  isoDate,
  isoDateTime,
  loanAnswer,
  maskedIdNumber,
  nextCursor,
  queueItemCode,
  reason,
  yearMonth,
} from '../../shared/contract/answers.js';
import { type HandlerContract, recordId } from '../../shared/contract/route-contract.js';
import { fenField, textField } from '../../shared/http/fields.js';

export const WorkQueueQuery = z.strictObject({ status: z._default(z.enum(APPLICATION_STATUSES), 'review') });
export const ApplicationPath = z.strictObject({ id: recordId });
export const LoanPath = z.strictObject({ loanId: recordId });
export const PayoutPath = z.strictObject({ withdrawalId: recordId });

const reasonFields = {
  /** In words the applicant understands: it is shown to them. */
  reasonZh: z.optional(textField(500)),
  reasonEn: z.optional(textField(500)),
};

export const DecisionBody = z.strictObject({
  outcome: z.enum(['approve', 'reject', 'ask-again']),
  approvedFen: z.optional(fenField),
  ...reasonFields,
  /** A withdrawal referred for it: the women's retirement age the account did not record. */
  womanRetirementCategory: z.optional(z.enum(['age55', 'age50'])),
});
export const ConfirmationBody = z.strictObject({ outcome: z.enum(['confirm', 'return']), ...reasonFields });
export const AuditQuery = z.strictObject({
  from: z.iso.date(),
  to: z.iso.date(),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000)), 200),
  cursor: z.optional(z.string().check(z.maxLength(200))),
});
export const PayoutReturnBody = z.strictObject({ bankReference: textField(80), reasonZh: textField(500) });

/** A staff decision waiting for (or returned by) the second staff member: the rule's own result beside it. */
const StaffDecision = z.looseObject({
  outcome: z.string(),
  amountFen: z.optional(fen),
  reasons: z.optional(z.array(reason)),
  decidedBy: z.string(),
  decidedAt: isoDateTime,
  /** What the rule decided by itself and its ceiling: staff approve at most that. */
  automatic: z.optional(
    z.looseObject({ outcome: z.string(), amountFen: z.optional(fen), ceilingFen: z.optional(fen) }),
  ),
});
/** One line of the work queue (待办): what staff act on, with the time left against the committed deadline. */
const QueueLine = z
  .looseObject({
    applicationId: recordId,
    itemCode: queueItemCode,
    status: applicationStatus,
    channel: z.enum(['online', 'agent']),
    idNumber: z.nullable(maskedIdNumber),
    /** The amount asked (a loan, a withdrawal, what a back-pay or transfer moves); null when none. */
    amountFen: z.nullable(fen),
    acceptedAt: isoDateTime,
    committedDeadline: isoDateTime,
    committedDeadlineCalendar: calendarStatus,
    /** Working days to the committed deadline; null once decided. */
    workingDaysLeft: z.nullable(z.int()),
    overdue: z.boolean(),
    reasons: z.array(reason),
    pendingDecision: z.nullable(StaffDecision),
    returnedDecision: z.nullable(z.extend(StaffDecision, { returnedBy: z.string(), reason })),
    decisionFailure: z.nullable(z.looseObject({ at: isoDateTime, error: z.string(), detail: z.string() })),
    /** A back-pay (补缴): the employer and the request staff decide on. */
    employerAccountNo: z.optional(z.string()),
    backPay: z.optional(
      z.looseObject({
        months: z.array(yearMonth),
        personalAccountNos: z.array(z.string()),
        reason: z.string(),
        evidence: z.array(z.looseObject({ documentNo: z.string(), description: z.string() })),
      }),
    ),
  })
  .register(z.globalRegistry, { id: 'QueueLine' });
const queueLine = {
  status: 200,
  description: 'The application as the work queue shows it',
  schema: QueueLine,
} as const;
/** A withdrawal payout (支付指令) and a bank's return of it (退票), the account masked. */
const PayoutAnswer = z
  .looseObject({
    withdrawalId: recordId,
    amountFen: fen,
    status: z.enum(['instructed', 'return_pending', 'returned']),
    instructedAt: isoDateTime,
    bankAccount: bankAccountAnswer,
    returnNotice: z.optional(
      z.looseObject({
        bankReference: z.string(),
        reason: z.string(),
        recordedBy: z.string(),
        recordedAt: isoDateTime,
      }),
    ),
    returnedAt: z.optional(isoDateTime),
    returnConfirmedBy: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'Payout' });
const payout = { status: 200, description: 'The payout and its return', schema: PayoutAnswer } as const;
/** A line of the audit trail (审计): a staff action or a disclosure of facts to another centre. */
const AuditLine = z.looseObject({
  at: isoDateTime,
  kind: z.enum(['staff-action', 'disclosure']),
  staff: z.nullable(z.string()),
  action: z.string(),
  applicationId: z.string(),
  itemCode: z.nullable(z.string()),
  outcome: z.nullable(z.string()),
  amountFen: z.nullable(fen),
  reason: z.nullable(z.string()),
  decidedBy: z.nullable(z.string()),
  askedBy: z.nullable(z.string()),
  fieldsDisclosed: z.nullable(z.string()),
});
const loanCount = z.int().check(z.minimum(0));

export const CONTRACT = {
  'GET /v1/staff/applications': {
    summary: "The centre's work queue by status, with committed deadlines",
    body: null,
    query: WorkQueueQuery,
    response: {
      status: 200,
      description: '`applications` of the status, soonest committed deadline first',
      schema: z.looseObject({ city: cityCode, status: applicationStatus, applications: z.array(QueueLine) }),
    },
  },
  'POST /v1/staff/applications/{id}/decision': {
    summary: 'Decide a referred application within the rule (it then waits for a second staff member)',
    body: DecisionBody,
    path: ApplicationPath,
    response: queueLine,
    problems: [
      'NOT_FOUND',
      'NOT_AWAITING_REVIEW',
      'NO_COMPUTED_LIMIT',
      'STAFF_APPROVAL_ABOVE_LIMIT',
      'NOTHING_TO_ASK',
      'STAFF_FACT_NOT_ALLOWED',
      'APPLICATION_CHANGED',
    ],
  },
  'POST /v1/staff/applications/{id}/confirmation': {
    summary: 'A second staff member confirms or returns a decision (复核, four eyes)',
    body: ConfirmationBody,
    path: ApplicationPath,
    response: queueLine,
    problems: [
      'NOT_FOUND',
      'OWN_DECISION',
      'NOT_PENDING_CONFIRMATION',
      'APPLICATION_CHANGED',
      'NO_COMPUTED_LIMIT',
    ],
  },
  'GET /v1/staff/audit': {
    summary: "The centre's staff actions and disclosures for a period",
    body: null,
    query: AuditQuery,
    response: {
      status: 200,
      description: '`lines` and `nextCursor`; CSV with `Accept: text/csv` (the whole period)',
      schema: z.looseObject({
        city: cityCode,
        from: isoDate,
        to: isoDate,
        lines: z.array(AuditLine),
        nextCursor,
      }),
      alsoAs: ['text/csv'],
    },
  },
  'POST /v1/staff/loans/{loanId}/disbursement': {
    summary: 'Disburse an approved loan (放款): the contract, the schedule',
    body: null,
    path: LoanPath,
    response: {
      status: 201,
      description: 'The loan with its schedule (还款计划)',
      schema: z.extend(loanAnswer, {
        schedule: z.array(instalment),
        applicationToDisbursementMinutes: z.int().check(z.minimum(0)),
      }),
    },
    problems: ['NOT_FOUND', 'LOAN_NOT_APPROVED', 'LOAN_BARRED'],
  },
  'GET /v1/staff/payouts/{withdrawalId}': {
    summary: 'A withdrawal payout',
    body: null,
    path: PayoutPath,
    response: payout,
    problems: ['NOT_FOUND'],
  },
  'POST /v1/staff/payouts/{withdrawalId}/return': {
    summary: 'Record a payout the bank returned (退票), first of two staff members',
    body: PayoutReturnBody,
    path: PayoutPath,
    response: payout,
    problems: ['NOT_FOUND', 'PAYOUT_NOT_RETURNABLE', 'PAYOUT_RETURN_NOT_SUPPORTED'],
  },
  'POST /v1/staff/payouts/{withdrawalId}/return/confirmation': {
    summary: 'A second staff member confirms the return: credited back, caps released',
    body: null,
    path: PayoutPath,
    response: payout,
    problems: ['NOT_FOUND', 'OWN_DECISION', 'NOT_PENDING_CONFIRMATION'],
  },
  'GET /v1/stats/regional-loans': {
    summary: 'Regional loan statistics by centre',
    body: null,
    response: {
      status: 200,
      description:
        'Loans to depositors of other region cities (异地贷款): by lending and depositing centre, by lending centre, in all',
      schema: z.looseObject({
        cells: z.array(
          z.looseObject({
            lendingCity: z.string(),
            depositCity: z.string(),
            loanCount,
            amountFen: fen,
            /** Seeded demonstration figures. */
            demo: z.boolean(),
          }),
        ),
        byLendingCity: z.array(
          z.looseObject({ lendingCity: z.string(), nameZh: z.string(), loanCount, amountFen: fen }),
        ),
        total: z.looseObject({ loanCount, amountFen: fen }),
      }),
    },
  },
} satisfies HandlerContract;
