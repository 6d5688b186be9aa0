/** CERT_VERIFY: GET /v1/certificates/{verificationCode}, public. */
import * as z from 'zod/mini';
import { CertificateAnswer } from '../../shared/contract/answers.js';
import type { HandlerContract } from '../../shared/contract/route-contract.js';

/** Any string: the format is checked by the look-up, so a malformed code is a 404, not a 400. */
export const VerificationPath = z.object({ verificationCode: z.string() });

export const CONTRACT = {
  'GET /v1/certificates/{verificationCode}': {
    summary: 'Verify a certificate (证明核验): valid, expired or revoked, holder masked',
    body: null,
    path: VerificationPath,
    response: {
      status: 200,
      description:
        'The certificate as issued, with its status (JSON); with Accept: text/html the printable page in Chinese, with a QR code of this address',
      schema: CertificateAnswer,
      alsoAs: ['text/html'],
    },
    problems: ['NOT_FOUND', 'TOO_MANY_FAILED_LOOKUPS'],
  },
} satisfies HandlerContract;
