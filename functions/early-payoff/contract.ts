/** EARLY_PAYOFF 提前还款: POST /v1/me/loans/{loanId}/prepayments. */
import * as z from 'zod/mini';
import { fen, instalment, isoDate, isoDateTime, recordId } from '../../shared/contract/answers.js';
import type { HandlerContract } from '../../shared/contract/route-contract.js';
import { fenField } from '../../shared/http/fields.js';
import { PREPAYMENT_CHOICES } from '../../shared/loans/schedule.js';

export const LoanPath = z.strictObject({ loanId: z.string().check(z.regex(/^[A-Z0-9-]{8,64}$/)) });

/** A missing `choice` is left to prepay(), whose field error says what the two choices mean. */
export const PrepaymentBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('full') }),
  z.strictObject({
    kind: z.literal('partial'),
    amountFen: fenField,
    choice: z.optional(z.enum(PREPAYMENT_CHOICES)),
  }),
]);

/** The prepayment (提前还款) posted: the loan's ledger entry for it, answered again on a replay. */
const PrepaymentAnswer = z.looseObject({
  prepaymentId: z.string(),
  loanId: recordId,
  kind: z.enum(['full', 'partial']),
  choice: z.optional(z.enum(PREPAYMENT_CHOICES)),
  principalFen: fen,
  /** Interest to date paid with it. */
  interestFen: fen,
  totalFen: fen,
  interestFromDate: isoDate,
  interestDays: z.int(),
  annualRateHundredthsBp: z.int(),
  outstandingBeforeFen: fen,
  outstandingAfterFen: fen,
  previousMonthlyPaymentFen: z.optional(fen),
  newMonthlyPaymentFen: z.optional(fen),
  previousRemainingTermMonths: z.int(),
  newRemainingTermMonths: z.int(),
  /** The interest the remaining schedule no longer charges. */
  interestSavedFen: fen,
  paidOn: isoDate,
  at: isoDateTime,
});
/** The loan after it: repaid on a full payoff. */
const LoanAfter = z.looseObject({
  loanId: recordId,
  status: z.enum(['active', 'repaid']),
  outstandingPrincipalFen: fen,
  paidInstalments: z.int(),
  remainingTermMonths: z.int(),
  nextInstalment: z.nullable(instalment),
});

export const CONTRACT = {
  'POST /v1/me/loans/{loanId}/prepayments': {
    summary: 'Repay early (提前还款): partial (shorter term or lower instalment) or full',
    body: PrepaymentBody,
    path: LoanPath,
    response: {
      status: 201,
      description: '`prepayment` posted and the `loan` after it, with its next instalment',
      schema: z.looseObject({ prepayment: PrepaymentAnswer, loan: LoanAfter }),
    },
    problems: ['NOT_FOUND', 'LOAN_NOT_ACTIVE', 'PREPAYMENT_COVERS_LOAN', 'PREPAYMENT_BELOW_MINIMUM'],
  },
} satisfies HandlerContract;
