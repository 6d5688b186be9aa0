/** DEPOSIT_CERT and PAYOFF_CERT: POST /v1/me/certificates. */
import * as z from 'zod/mini';
import { CertificateAnswer } from '../../shared/contract/answers.js';
import type { HandlerContract } from '../../shared/contract/route-contract.js';

export const CertificateBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('deposit-usage'),
    personalAccountNo: z.string().check(z.regex(/^\d{16}$/)),
  }),
  z.strictObject({
    kind: z.literal('loan-payoff'),
    loanId: z.string().check(z.regex(/^[A-Z0-9-]{8,64}$/)),
  }),
]);

export const CONTRACT = {
  'POST /v1/me/certificates': {
    summary: 'Issue a deposit-usage (缴存使用证明) or loan-payoff (贷款结清证明) certificate',
    body: CertificateBody,
    response: {
      status: 201,
      description: 'The certificate (the JSON record is the certificate) and its public verification URL',
      schema: z.extend(CertificateAnswer, {
        verifyUrl: z.string().check(z.describe('The public verification address (证明核验)')),
      }),
    },
    problems: ['NOT_FOUND', 'ACCOUNT_CLOSED', 'LOAN_NOT_REPAID'],
  },
} satisfies HandlerContract;
