/**
 * 贷款试算 POST /v1/calculators/loan: public, its own throttle; reaches no table, no queue and no
 * secret. The answer is the loan rule's own computation (shared/loans/calculator.ts).
 */
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { invalidFields } from '../../shared/errors/domain-error.js';
import { httpHandler } from '../../shared/http/handler.js';
import { estimateLoan, loanEstimateErrors } from '../../shared/loans/calculator.js';
import { LoanCalculatorBody } from './contract.js';

export const handler = httpHandler({
  body: LoanCalculatorBody,
  handle: async ({ body }) => {
    const today = toBeijingDate(new Date());
    const errors = loanEstimateErrors(body, today);
    if (errors.length > 0) throw invalidFields(errors.map((e) => ({ in: 'body' as const, ...e })));
    return { status: 200, body: estimateLoan(body, today) };
  },
});
