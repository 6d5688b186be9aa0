/**
 * DEPOSIT_CERT 出具贷款职工缴存使用证明 and PAYOFF_CERT 开具贷款全部还清证明:
 *  POST /v1/me/certificates   { kind: 'deposit-usage', personalAccountNo } | { kind: 'loan-payoff', loanId }
 * Issued at once from the citizen's own records by the centre that holds them: 201 with the
 * certificate (the JSON record is the certificate) and the public URL that verifies it.
 * Someone else's account or loan is a 404; a closed account, or a loan with principal still
 * outstanding, is a 409.
 */
import {
  issueDepositUsageCertificate,
  issueLoanPayoffCertificate,
} from '../../shared/certificates/certificates.js';
import { certificateView, verifyPath } from '../../shared/certificates/records.js';
import { httpHandler } from '../../shared/http/handler.js';
import { personKey } from '../../shared/identity/person-key.js';
import { CertificateBody as Body } from './contract.js';

export const handler = httpHandler({
  role: 'citizen',
  body: Body,
  handle: async ({ body, caller }) => {
    const now = new Date();
    const request = {
      personKey: await personKey(caller.idNumber),
      idNumber: caller.idNumber,
      issuedBy: caller.subject,
      now,
    };
    const record =
      body.kind === 'deposit-usage'
        ? await issueDepositUsageCertificate({ ...request, personalAccountNo: body.personalAccountNo })
        : await issueLoanPayoffCertificate({ ...request, loanId: body.loanId });
    const verifyUrl = verifyPath(record.verificationCode);
    return {
      status: 201,
      headers: { location: verifyUrl },
      body: { ...certificateView(record, now), verifyUrl },
    };
  },
});
