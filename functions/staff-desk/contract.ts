/** A centre's staff desk: work queue, decisions with four eyes, audit, disbursement, returned payouts. */
import * as z from 'zod/mini';
import { APPLICATION_STATUSES } from '../../shared/applications/statuses.js';
import { type HandlerContract, jsonObject, recordId } from '../../shared/contract/route-contract.js';
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

const queueLine = {
  status: 200,
  description: 'The application as the work queue shows it',
  schema: jsonObject,
} as const;
const payout = { status: 200, description: 'The payout and its return', schema: jsonObject } as const;

export const CONTRACT = {
  'GET /v1/staff/applications': {
    summary: "The centre's work queue by status, with committed deadlines",
    body: null,
    query: WorkQueueQuery,
    response: { status: 200, description: '`applications` of the status', schema: jsonObject },
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
      description: '`lines` and `nextCursor`; CSV with `Accept: text/csv`',
      schema: jsonObject,
      alsoAs: ['text/csv'],
    },
  },
  'POST /v1/staff/loans/{loanId}/disbursement': {
    summary: 'Disburse an approved loan (放款): the contract, the schedule',
    body: null,
    path: LoanPath,
    response: { status: 201, description: 'The loan with its schedule', schema: jsonObject },
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
    response: { status: 200, description: 'Counts and sums by centre', schema: jsonObject },
  },
} satisfies HandlerContract;
