/**
 * Certificates (DEPOSIT_CERT 出具贷款职工缴存使用证明, PAYOFF_CERT 开具贷款全部还清证明) and their public
 * authenticity check (CERT_VERIFY 证明验真). The JSON record is the certificate: a snapshot of the
 * facts at issue, the holder masked, an issuing centre, an issue time and a validity.
 *
 * | record                                 | PK                           | SK                     |
 * |----------------------------------------|------------------------------|------------------------|
 * | the certificate (public check by code) | `R#CERT#<code>`              | `CERT`                 |
 * | the issuing centre's log (audit trail) | `C#<city>#CERT#<YYYY-MM>`    | `<issuedAt>#<code>`    |
 *
 * The certificate lives under a regional key so that the public check needs no centre; `<code>`
 * in the key is the canonical form (20 symbols, no hyphens). The month of the log is Beijing time.
 *
 * Verification codes: 20 symbols of Crockford base32 (0-9 and A-Z without I, L, O, U), 5 random
 * bits each from node:crypto, so 100 bits: far beyond guessing at any throttle. They are shown in
 * groups of four (`7K3M-…`); a code typed back is accepted in any case, with or without hyphens
 * or spaces, and with Crockford's reading of I and L as 1 and O as 0. Anything else is not a code,
 * and the verify route answers it with the same plain 404 as an unknown one.
 */
import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { toBeijingDate } from '../calendar/working-days.js';
import { tableName } from '../config/runtime.js';
import { CITIES, type CityCode, isCityCode } from '../domain/cities.js';
import { monthOf } from '../domain/months.js';
import { HttpProblem, type LocalisedMessage } from '../http/problem.js';
import { maskIdNumber, maskName } from '../identity/mask.js';
import { getLoan } from '../loans/disburse.js';
import { depositFactsOf } from '../loans/facts.js';
import type { DepositFacts } from '../messaging/envelope.js';
import { type CentreRepository, centreRepository } from '../persistence/centre-repository.js';
import { dynamoDocumentClient } from '../persistence/client.js';
import {
  getPersonalAccount,
  openAccountOfPerson,
  type PersonalAccountRecord,
} from '../persistence/deposit-store.js';
import { accountsOfPerson } from '../persistence/person-accounts.js';
import { centreKey, regionalKey } from '../persistence/table.js';

// ------------------------------------------------------------------------------------------------
// Verification codes

/** Crockford base32: digits and letters without I, L, O, U (easily misread or obscene). */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Symbols in a code; each carries log2(32) = 5 bits. */
export const CODE_SYMBOLS = 20;
export const CODE_BITS = CODE_SYMBOLS * Math.log2(CROCKFORD_ALPHABET.length);
const GROUP = 4;
/** Longer input than this is not a code however it is spaced (and is not worth normalising). */
const MAX_INPUT_LENGTH = 64;
const CANONICAL = /^[0-9A-HJKMNP-TV-Z]{20}$/;

/**
 * A new verification code, shown in groups: `XXXX-XXXX-XXXX-XXXX-XXXX`. One random byte per
 * symbol, its low 5 bits kept: 256 is a multiple of 32, so every symbol is uniform.
 */
export function newVerificationCode(random: (size: number) => Uint8Array = randomBytes): string {
  const bytes = random(CODE_SYMBOLS);
  if (bytes.length < CODE_SYMBOLS) throw new RangeError('not enough random bytes for a verification code');
  let symbols = '';
  for (let i = 0; i < CODE_SYMBOLS; i++) symbols += CROCKFORD_ALPHABET[(bytes[i] as number) & 31];
  return displayCode(symbols);
}

/** The canonical code (20 symbols) in groups of four, as printed and returned. */
export function displayCode(canonical: string): string {
  return (canonical.match(new RegExp(`.{1,${GROUP}}`, 'g')) ?? []).join('-');
}

/**
 * The canonical form of a code as someone typed it (upper case, no hyphens or spaces, I/L → 1,
 * O → 0), or undefined when it cannot be a code. No reason is given: to a guesser a malformed
 * code and an unknown one look the same.
 */
export function normaliseVerificationCode(input: string): string | undefined {
  if (input.length > MAX_INPUT_LENGTH) return undefined;
  const compact = input.replace(/[\s-]/g, '').toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0');
  return CANONICAL.test(compact) ? compact : undefined;
}

// ------------------------------------------------------------------------------------------------
// Records

export const CERTIFICATE_KINDS = ['deposit-usage', 'loan-payoff'] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];

export const CERTIFICATE_ITEM_CODES = {
  'deposit-usage': 'DEPOSIT_CERT',
  'loan-payoff': 'PAYOFF_CERT',
} as const satisfies Record<CertificateKind, string>;

/** A deposit-usage certificate is valid for 90 days from issue; a payoff certificate never expires. */
export const DEPOSIT_USAGE_VALIDITY_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export const VALIDITY_TEXT: Readonly<Record<CertificateKind, LocalisedMessage>> = {
  'deposit-usage': {
    'zh-CN': `自出具之日起 ${DEPOSIT_USAGE_VALIDITY_DAYS} 日内有效。`,
    en: `Valid for ${DEPOSIT_USAGE_VALIDITY_DAYS} days from issue.`,
  },
  'loan-payoff': {
    'zh-CN': '长期有效（贷款已结清的事实不会失效）。',
    en: 'Does not expire: the loan stays repaid.',
  },
};

export interface CentreView {
  code: CityCode;
  nameZh: string;
  nameEn: string;
  provinceZh: string;
  provinceEn: string;
}

export function centreView(city: CityCode): CentreView {
  const { code, nameZh, nameEn, provinceZh, provinceEn } = CITIES[city];
  return { code, nameZh, nameEn, provinceZh, provinceEn };
}

/** What a lending centre asks (depositFactsOf) about the account, as of the issue date. */
export interface DepositUsageFacts extends DepositFacts {
  personalAccountNoMasked: string;
  depositCentre: CentreView;
  /** The Beijing date the facts are as of (the issue date). */
  asOf: string;
}

export interface LoanPayoffFacts {
  loanId: string;
  lendingCentre: CentreView;
  principalFen: number;
  contractDate: string;
  /** The payoff date when the loan records it, else the month of the last instalment paid. */
  repaidOn: string | null;
  outstandingPrincipalFen: 0;
}

export type CertificateStatus = 'valid' | 'expired' | 'revoked';

interface CertificateBase {
  PK: string;
  SK: 'CERT';
  verificationCode: string;
  issuingCity: CityCode;
  issuedAt: string;
  status: 'valid' | 'revoked';
  revokedAt?: string;
  revocationReason?: string;
  holder: { nameMasked: string; idNumberMasked: string };
  /** Never shown: the holder's key, for the centre's own follow-up (revocation, audit). */
  personKey: string;
}

export type CertificateRecord =
  | (CertificateBase & {
      kind: 'deposit-usage';
      itemCode: 'DEPOSIT_CERT';
      validUntil: string;
      facts: DepositUsageFacts;
    })
  | (CertificateBase & {
      kind: 'loan-payoff';
      itemCode: 'PAYOFF_CERT';
      validUntil: null;
      facts: LoanPayoffFacts;
    });

export function certificateKey(canonicalCode: string) {
  return { PK: regionalKey('CERT', canonicalCode), SK: 'CERT' as const };
}

export function certificateLogKey(city: CityCode, issuedAt: Date, canonicalCode: string) {
  return {
    PK: centreKey(city, 'CERT', monthOf(toBeijingDate(issuedAt))),
    SK: `${issuedAt.toISOString()}#${canonicalCode}`,
  };
}

/** A certificate by a code as typed; undefined for an unknown or malformed code. */
export async function getCertificate(code: string): Promise<CertificateRecord | undefined> {
  const canonical = normaliseVerificationCode(code);
  if (!canonical) return undefined;
  const result = await dynamoDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: certificateKey(canonical), ConsistentRead: true }),
  );
  return result.Item as CertificateRecord | undefined;
}

/** Revoked wins over expired: a revoked certificate is never shown as merely out of date. */
export function certificateStatus(record: CertificateRecord, now: Date): CertificateStatus {
  if (record.status === 'revoked') return 'revoked';
  if (record.validUntil !== null && now.getTime() > Date.parse(record.validUntil)) return 'expired';
  return 'valid';
}

/** The certificate as anyone holding its code sees it: masked holder, facts, status as of `now`. */
export function certificateView(record: CertificateRecord, now: Date) {
  return {
    verificationCode: record.verificationCode,
    status: certificateStatus(record, now),
    kind: record.kind,
    itemCode: record.itemCode,
    issuingCentre: centreView(record.issuingCity),
    issuedAt: record.issuedAt,
    validUntil: record.validUntil,
    validity: VALIDITY_TEXT[record.kind],
    ...(record.status === 'revoked' ? { revokedAt: record.revokedAt ?? null } : {}),
    holder: { nameMasked: record.holder.nameMasked, idNumberMasked: record.holder.idNumberMasked },
    facts: record.facts,
  };
}

export function verifyPath(verificationCode: string): string {
  return `/v1/certificates/${verificationCode}`;
}

// ------------------------------------------------------------------------------------------------
// Issuing

/** A personal account number shown on a certificate: first 4 and last 4, the rest starred. */
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
  new HttpProblem(409, 'ACCOUNT_CLOSED', 'Account closed', {
    'zh-CN': '该公积金账户已销户，不能出具缴存使用证明。',
    en: 'This account is closed; no deposit and usage certificate can be issued for it.',
  });

/** DEPOSIT_CERT: the depositing centre certifies what a lending centre would ask about the account. */
export async function issueDepositUsageCertificate(
  request: IssueRequest & { personalAccountNo: string },
): Promise<CertificateRecord> {
  const now = request.now ?? new Date();
  const city = request.personalAccountNo.slice(0, 6);
  if (!isCityCode(city)) throw HttpProblem.of('NOT_FOUND');
  const repository = centreRepository(city);
  const account = await getPersonalAccount(repository, request.personalAccountNo);
  // Someone else's account and no account look the same: a 404 tells nothing about who holds it.
  if (!account || account.personKey !== request.personKey) throw HttpProblem.of('NOT_FOUND');
  if (account.status === 'closed') throw ACCOUNT_CLOSED();
  // The facts are those of the person's one open account here; it must be this one.
  if ((await openAccountOfPerson(repository, request.personKey)) !== account.personalAccountNo)
    throw ACCOUNT_CLOSED();
  const facts = await depositFactsOf(repository, request.personKey, now);
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
  if (!isCityCode(city)) throw HttpProblem.of('NOT_FOUND');
  const repository = centreRepository(city);
  const loan = await getLoan(repository, request.loanId);
  if (!loan || loan.personKey !== request.personKey) throw HttpProblem.of('NOT_FOUND');
  if (loan.status !== 'repaid' || loan.outstandingPrincipalFen > 0) {
    throw new HttpProblem(
      409,
      'LOAN_NOT_REPAID',
      'Loan not fully repaid',
      {
        'zh-CN': '该笔贷款尚未全部还清，暂不能开具贷款结清证明。还清后即可申请。',
        en: 'This loan is not fully repaid yet, so no payoff certificate can be issued. Apply again once it is repaid.',
      },
      { loanStatus: loan.status, outstandingPrincipalFen: loan.outstandingPrincipalFen },
    );
  }
  const accounts = await accountsOfPerson(request.personKey);
  // The name as the centres record it: the lending centre's account first, then the newest elsewhere.
  const named =
    accounts.find((a) => a.city === city) ??
    [...accounts].sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0];
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
  for (let attempt = 0; ; attempt++) {
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
    try {
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
    } catch (error) {
      if (attempt < 2 && (error as { name?: string }).name === 'TransactionCanceledException') continue;
      throw error;
    }
  }
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
