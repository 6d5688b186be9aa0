/** EARLY_PAYOFF 提前还款: POST /v1/me/loans/{loanId}/prepayments. */
import * as z from 'zod/mini';
import { type HandlerContract, jsonObject } from '../../shared/contract/route-contract.js';
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

export const CONTRACT = {
  'POST /v1/me/loans/{loanId}/prepayments': {
    summary: 'Repay early (提前还款): partial (shorter term or lower instalment) or full',
    body: PrepaymentBody,
    path: LoanPath,
    response: { status: 201, description: 'The prepayment posted and the new schedule', schema: jsonObject },
    problems: ['NOT_FOUND', 'LOAN_NOT_ACTIVE', 'PREPAYMENT_COVERS_LOAN', 'PREPAYMENT_BELOW_MINIMUM'],
  },
} satisfies HandlerContract;
