/**
 * EARLY_PAYOFF 提前还款:
 *  POST /v1/me/loans/{loanId}/prepayments   { kind: 'full' } | { kind: 'partial', amountFen, choice }
 * with a required `Idempotency-Key` header. The borrower repays their own loan in full (principal and
 * interest to date; the loan leaves the regional loan index) or in part (a shorter term or a lower
 * instalment, the new schedule to the fen). Answers 201 with the prepayment and the loan after it; a
 * repeat with the same key answers the same, with `idempotent-replayed: true`, and pays nothing again.
 * Another person's loan is a 404. The rules and conventions are in shared/loans/prepayment.ts.
 */
import { httpHandler } from '../../shared/http/handler.js';
import type { IdempotencyScope } from '../../shared/http/idempotency.js';
import { cityOf } from '../../shared/http/ownership.js';
import { personKey } from '../../shared/identity/person-key.js';
import { prepay } from '../../shared/loans/prepayment.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { LoanPath, PrepaymentBody } from './contract.js';

export const handler = httpHandler({
  role: 'citizen',
  path: LoanPath,
  body: PrepaymentBody,
  handle: async ({ path, body, caller, idempotency }) => {
    const result = await prepay(centreRepository(cityOf(path.loanId)), {
      loanId: path.loanId,
      personKey: await personKey(caller.idNumber),
      ...body,
      idempotencyKey: (idempotency as IdempotencyScope).key,
      now: new Date(),
    });
    // A replay answers exactly as the first time, and says that it is one.
    const replayHeader: Record<string, string> = result.replayed ? { 'idempotent-replayed': 'true' } : {};
    return {
      status: 201,
      headers: replayHeader,
      body: { prepayment: result.prepayment, loan: result.loan },
    };
  },
});
