/**
 * Certificates as records and their public authenticity check (CERT_VERIFY 证明验真): the
 * verification code, the key, the look-up and the public view. Kept apart from issuing so the
 * public, throttled verify function bundles only this (see certificates.ts for the record design).
 */
import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { monthOf } from '../calendar/dates.js';
import { toBeijingDate } from '../calendar/working-days.js';
import { CITIES, type CityCode } from '../config/cities.js';
import { tableName } from '../config/runtime.js';
import type { LocalisedMessage } from '../errors/domain-error.js';
import type { DepositFacts } from '../messaging/envelope.js';
import { dynamoDocumentClient } from '../persistence/client.js';
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

/** A deposit-usage certificate is valid for 90 days from issue; a payoff certificate never expires. */
export const DEPOSIT_USAGE_VALIDITY_DAYS = 90;
export const DAY_MS = 24 * 60 * 60 * 1000;

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
