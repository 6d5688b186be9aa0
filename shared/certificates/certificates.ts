import { toBeijingDate } from '../calendar/working-days.js';
import { isCityCode } from '../config/cities.js';
import { getPersonalAccount, type PersonalAccountRecord } from '../deposits/store.js';
import { DomainError } from '../errors/domain-error.js';
import { maskIdNumber, maskName } from '../identity/mask.js';
import { getLoan } from '../loans/disburse.js';
import { factsOfAccount } from '../loans/facts.js';
import { type CentreRepository, centreRepository } from '../persistence/centre-repository.js';
import { accountsOfPerson } from '../persistence/person-accounts.js';
import { withOptimisticRetry } from '../persistence/transactions.js';

// ------------------------------------------------------------------------------------------------
// Issuing

import { byCodeUnits } from '../text/order.js';
/** A personal account number shown on a certificate: first 4 and last 4, the rest starred. */
import {
  type CertificateRecord,
  centreView,
  certificateKey,
  certificateLogKey,
  DAY_MS,
  DEPOSIT_USAGE_VALIDITY_DAYS,
  getCertificate,
  newVerificationCode,
  normaliseVerificationCode,
} from './records.js';
export function maskAccountNo(accountNo: string): string {
  const chars = Array.from(accountNo);
  if (chars.length < 16) return '*'.repeat(chars.length);
  return chars.slice(0, 4).join('') + '*'.repeat(chars.length - 8) + chars.slice(-4).join('');
}

export interface IssueRequest {
  personKey: string;
  /** The holder's ID number (from the token), shown masked only. */
  idNumber: string;
  /** Who asked (the token subject), for the centre's log. */
  issuedBy: string;
  now?: Date;
}

const ACCOUNT_CLOSED = () =>
  new DomainError('ACCOUNT_CLOSED', {
    message: {
      'zh-CN': '该公积金账户已销户，不能出具缴存使用证明。',
      en: 'This account is closed; no deposit and usage certificate can be issued for it.',
    },
  });

/** DEPOSIT_CERT: the depositing centre certifies what a lending centre would ask about the account. */
export async function issueDepositUsageCertificate(
  request: IssueRequest & { personalAccountNo: string },
): Promise<CertificateRecord> {
  const now = request.now ?? new Date();
  const city = request.personalAccountNo.slice(0, 6);
  if (!isCityCode(city)) throw new DomainError('NOT_FOUND');
  const repository = centreRepository(city);
  const account = await getPersonalAccount(repository, request.personalAccountNo);
  // Someone else's account and no account look the same: a 404 tells nothing about who holds it.
  if (!account || account.personKey !== request.personKey) throw new DomainError('NOT_FOUND');
  if (account.status === 'closed') throw ACCOUNT_CLOSED();
  const facts = await factsOfAccount(repository, request.personKey, account, now);
  return saveCertificate(repository, request, now, account.personalAccountNo, (code) => ({
    ...certificateKey(code),
    kind: 'deposit-usage',
    itemCode: 'DEPOSIT_CERT',
    validUntil: new Date(now.getTime() + DEPOSIT_USAGE_VALIDITY_DAYS * DAY_MS).toISOString(),
    holder: holderOf(account, request.idNumber),
    facts: {
      ...facts,
      personalAccountNoMasked: maskAccountNo(account.personalAccountNo),
      depositCentre: centreView(city),
      asOf: toBeijingDate(now),
    },
  }));
}

/** PAYOFF_CERT: the lending centre certifies that a loan is fully repaid. */
export async function issueLoanPayoffCertificate(
  request: IssueRequest & { loanId: string },
): Promise<CertificateRecord> {
  const now = request.now ?? new Date();
  const city = request.loanId.slice(0, 6);
  if (!isCityCode(city)) throw new DomainError('NOT_FOUND');
  const repository = centreRepository(city);
  const loan = await getLoan(repository, request.loanId);
  if (!loan || loan.personKey !== request.personKey) throw new DomainError('NOT_FOUND');
  if (loan.status !== 'repaid' || loan.outstandingPrincipalFen > 0) {
    throw new DomainError('LOAN_NOT_REPAID', {
      loanStatus: loan.status,
      outstandingPrincipalFen: loan.outstandingPrincipalFen,
    });
  }
  const accounts = await accountsOfPerson(request.personKey);
  // The name as the centres record it: the lending centre's account first, then the newest elsewhere.
  const named =
    accounts.find((a) => a.city === city) ??
    [...accounts].sort((a, b) => byCodeUnits(b.openedAt, a.openedAt))[0];
  return saveCertificate(repository, request, now, loan.loanId, (code) => ({
    ...certificateKey(code),
    kind: 'loan-payoff',
    itemCode: 'PAYOFF_CERT',
    validUntil: null,
    holder: holderOf(named, request.idNumber),
    facts: {
      loanId: loan.loanId,
      lendingCentre: centreView(city),
      principalFen: loan.principalFen,
      contractDate: loan.contractDate,
      repaidOn: loan.repaidOn ?? null,
      outstandingPrincipalFen: 0,
    },
  }));
}

function holderOf(account: PersonalAccountRecord | undefined, idNumber: string) {
  return {
    // No account to take the name from would be a data fault; the ID number still identifies the holder.
    nameMasked: account ? maskName(account.name) : '*',
    idNumberMasked: maskIdNumber(idNumber),
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What each kind decides; the rest (code, centre, time, status, person) is the same for all. */
type Body = DistributiveOmit<
  CertificateRecord,
  'verificationCode' | 'issuingCity' | 'issuedAt' | 'status' | 'personKey' | 'revokedAt' | 'revocationReason'
>;

/**
 * Writes the certificate and the issuing centre's log entry in one transaction. A code that
 * already exists (2^-100 per pair, but cheap to guard) is never overwritten: a new one is drawn.
 */
async function saveCertificate(
  repository: CentreRepository,
  request: IssueRequest,
  now: Date,
  /** What the certificate is about, for the centre's log: the account number or the loan id. */
  subject: string,
  build: (canonicalCode: string) => Body,
): Promise<CertificateRecord> {
  // A code collision cancels the transaction: the retry draws a new code.
  return withOptimisticRetry(
    async () => {
      const verificationCode = newVerificationCode();
      const canonical = normaliseVerificationCode(verificationCode) as string;
      const record = {
        ...build(canonical),
        verificationCode,
        issuingCity: repository.city,
        issuedAt: now.toISOString(),
        status: 'valid',
        personKey: request.personKey,
      } as CertificateRecord;
      await repository.transactWrite([
        { Put: { Item: record, ConditionExpression: 'attribute_not_exists(PK)' } },
        {
          Put: {
            Item: {
              ...certificateLogKey(repository.city, now, canonical),
              verificationCode,
              kind: record.kind,
              itemCode: record.itemCode,
              personKey: request.personKey,
              issuedBy: request.issuedBy,
              issuedAt: record.issuedAt,
              validUntil: record.validUntil,
              subject,
            },
          },
        },
      ]);
      return record;
    },
    { attempts: 3 },
  );
}

/**
 * Revokes a certificate (e.g. issued in error): the record keeps its facts and answers `revoked`.
 * Only the issuing centre revokes; revoking twice changes nothing. Returns false for an unknown code.
 */
export async function revokeCertificate(
  repository: CentreRepository,
  code: string,
  meta: { by: string; reason: string; now?: Date },
): Promise<boolean> {
  const canonical = normaliseVerificationCode(code);
  if (!canonical) return false;
  const at = (meta.now ?? new Date()).toISOString();
  try {
    await repository.update({
      Key: certificateKey(canonical),
      UpdateExpression:
        'SET #status = :revoked, revokedAt = :at, revokedBy = :by, revocationReason = :reason',
      ConditionExpression: 'issuingCity = :city AND #status = :valid',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':revoked': 'revoked',
        ':valid': 'valid',
        ':at': at,
        ':by': meta.by,
        ':reason': meta.reason,
        ':city': repository.city,
      },
    });
    return true;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    const existing = await getCertificate(canonical);
    return existing?.issuingCity === repository.city && existing.status === 'revoked';
  }
}
