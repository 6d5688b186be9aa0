/**
 * EMPLOYER_OPEN 单位登记开户: POST /v1/employers. An employer registers itself (the credit code
 * must be the one in its token) in a centre and gets a deposit account number. The same code in
 * the same centre again → 409 with the existing number; other centres (branches) are separate.
 */
import { isCityCode } from '../../shared/config/cities.js';
import { openEmployerAccount } from '../../shared/deposits/store.js';
import { DomainError } from '../../shared/errors/domain-error.js';
import { httpHandler } from '../../shared/http/handler.js';
import { parseUscc } from '../../shared/identity/uscc.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { EmployerBody as Body } from './contract.js';

export const handler = httpHandler({
  role: 'employer',
  body: Body,
  handle: async ({ body, caller }) => {
    if (!isCityCode(body.city)) throw new DomainError('FORBIDDEN');
    if (body.uscc !== caller.uscc || body.city !== caller.city) {
      throw new DomainError('EMPLOYER_NOT_YOURS');
    }
    const uscc = parseUscc(body.uscc);
    const checkCharacterValid = uscc.ok && uscc.value.checkCharacterValid;
    // Early codes may fail the check character yet be legal: accepted, and said so (DESIGN.md §2).
    const warning = uscc.ok ? uscc.value.warning : undefined;
    const warnings = warning
      ? [
          {
            field: 'uscc',
            code: warning.code,
            message: { 'zh-CN': warning.messageZh, en: warning.messageEn },
          },
        ]
      : [];
    const result = await openEmployerAccount(centreRepository(body.city), {
      uscc: body.uscc,
      usccCheckCharacterValid: checkCharacterValid,
      name: body.name,
      address: body.address,
      contactName: body.contactName,
      contactPhone: body.contactPhone,
      payday: body.payday,
      openedAt: new Date().toISOString(),
      openedBy: caller.subject,
    });
    if (!result.opened) {
      throw new DomainError('EMPLOYER_ACCOUNT_EXISTS', {
        message: {
          'zh-CN': `该单位已在本中心开户，单位账号 ${result.employerAccountNo}。`,
          en: `This employer already has account ${result.employerAccountNo} in this centre.`,
        },
        employerAccountNo: result.employerAccountNo,
      });
    }
    const { PK: _pk, SK: _sk, ...employer } = result.record;
    return {
      status: 201,
      headers: { location: `/v1/employers/${employer.employerAccountNo}` },
      body: { ...employer, warnings },
    };
  },
});
