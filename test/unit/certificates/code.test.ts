import { describe, expect, it } from '@jest/globals';
import { maskAccountNo } from '../../../shared/certificates/certificates.js';
import {
  type CertificateRecord,
  CODE_BITS,
  CODE_SYMBOLS,
  CROCKFORD_ALPHABET,
  certificateStatus,
  displayCode,
  newVerificationCode,
  normaliseVerificationCode,
} from '../../../shared/certificates/records.js';

const DISPLAY = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/;

describe('verification codes', () => {
  it('are 20 Crockford base32 symbols in groups of four: 100 bits, at least the 80 DESIGN.md asks', () => {
    expect(CROCKFORD_ALPHABET).toHaveLength(32);
    expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/);
    expect(new Set(CROCKFORD_ALPHABET).size).toBe(32);
    expect(CODE_SYMBOLS).toBe(20);
    expect(CODE_BITS).toBe(100);
    expect(CODE_BITS).toBeGreaterThanOrEqual(80);
    const code = newVerificationCode();
    expect(code).toMatch(DISPLAY);
    expect(code).toHaveLength(24);
  });

  it('take 5 bits of one random byte per symbol, so every symbol is uniform', () => {
    const bytes = Uint8Array.from({ length: 20 }, (_, i) => i * 13 + 7);
    const code = newVerificationCode(() => bytes);
    const expected = Array.from(bytes, (b) => CROCKFORD_ALPHABET[b & 31]).join('');
    expect(code).toBe(displayCode(expected));
    // 0..255 maps onto each of the 32 symbols exactly 8 times
    const counts = new Map<string, number>();
    for (let b = 0; b < 256; b++) {
      const symbol = CROCKFORD_ALPHABET[b & 31] as string;
      counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual(Array(32).fill(8));
    expect(() => newVerificationCode(() => new Uint8Array(19))).toThrow(RangeError);
  });

  it('come from the system CSPRNG: no repeats, every symbol used in every position', () => {
    const codes = Array.from({ length: 2000 }, () => newVerificationCode());
    expect(new Set(codes).size).toBe(codes.length);
    for (let position = 0; position < 24; position++) {
      if (position % 5 === 4) continue; // a hyphen
      expect(new Set(codes.map((c) => c[position])).size).toBe(32);
    }
  });

  it('normalise case, hyphens and spaces to one canonical form', () => {
    const code = newVerificationCode();
    const canonical = code.replaceAll('-', '');
    expect(normaliseVerificationCode(code)).toBe(canonical);
    expect(normaliseVerificationCode(canonical)).toBe(canonical);
    expect(normaliseVerificationCode(code.toLowerCase())).toBe(canonical);
    expect(normaliseVerificationCode(canonical.toLowerCase())).toBe(canonical);
    expect(normaliseVerificationCode(code.replaceAll('-', ' '))).toBe(canonical);
    expect(normaliseVerificationCode(`${canonical.slice(0, 7)}-${canonical.slice(7)}`)).toBe(canonical);
    expect(displayCode(canonical)).toBe(code);
  });

  it('read I and L as 1 and O as 0, as Crockford decoding does', () => {
    expect(normaliseVerificationCode('IiLl-Oo00-ABCD-EFGH-JKMN')).toBe('11110000ABCDEFGHJKMN');
  });

  it('reject anything that cannot be a code', () => {
    const canonical = newVerificationCode().replaceAll('-', '');
    for (const malformed of [
      '',
      canonical.slice(0, 19),
      `${canonical}0`,
      `${canonical.slice(0, 19)}U`,
      `${canonical.slice(0, 19)}u`,
      `${canonical.slice(0, 19)}*`,
      `${canonical.slice(0, 19)}_`,
      `${canonical.slice(0, 19)}é`,
      '../../etc/passwd',
      `${canonical.slice(0, 10)}%00${canonical.slice(10)}`,
      '-'.repeat(65) + canonical,
      'null',
    ]) {
      expect(normaliseVerificationCode(malformed)).toBeUndefined();
    }
  });
});

describe('certificate status', () => {
  const base = {
    PK: 'R#CERT#X',
    SK: 'CERT',
    verificationCode: 'X',
    issuingCity: '320300',
    issuedAt: '2025-01-01T00:00:00.000Z',
    status: 'valid',
    holder: { nameMasked: '*三', idNumberMasked: '3203**********1234' },
    personKey: 'k',
  } as const;
  const deposit = {
    ...base,
    kind: 'deposit-usage',
    itemCode: 'DEPOSIT_CERT',
    validUntil: '2025-04-01T00:00:00.000Z',
    facts: {},
  } as unknown as CertificateRecord;
  const payoff = {
    ...base,
    kind: 'loan-payoff',
    itemCode: 'PAYOFF_CERT',
    validUntil: null,
    facts: {},
  } as unknown as CertificateRecord;

  it('is valid up to validUntil, expired after it, and a payoff certificate never expires', () => {
    expect(certificateStatus(deposit, new Date('2025-04-01T00:00:00.000Z'))).toBe('valid');
    expect(certificateStatus(deposit, new Date('2025-04-01T00:00:00.001Z'))).toBe('expired');
    expect(certificateStatus(payoff, new Date('2099-01-01T00:00:00.000Z'))).toBe('valid');
  });

  it('is revoked whatever the date', () => {
    expect(certificateStatus({ ...deposit, status: 'revoked' }, new Date('2025-02-01'))).toBe('revoked');
    expect(certificateStatus({ ...deposit, status: 'revoked' }, new Date('2026-01-01'))).toBe('revoked');
    expect(certificateStatus({ ...payoff, status: 'revoked' }, new Date('2025-02-01'))).toBe('revoked');
  });
});

describe('maskAccountNo', () => {
  it('keeps the first 4 and the last 4 of an account number', () => {
    expect(maskAccountNo('3203002000000123')).toBe('3203********0123');
    expect(maskAccountNo('320300200000')).toBe('************');
  });
});
