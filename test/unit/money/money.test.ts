import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  assertFen,
  fenToYuanString,
  formatBasisPoints,
  formatYuan,
  roundHalfUp,
  toSafeNumber,
} from '../../../shared/money/money.js';

describe('roundHalfUp', () => {
  it('rounds a half away from zero, for positives and negatives', () => {
    expect(roundHalfUp(25n, 10n)).toBe(3n);
    expect(roundHalfUp(24n, 10n)).toBe(2n);
    expect(roundHalfUp(26n, 10n)).toBe(3n);
    expect(roundHalfUp(-25n, 10n)).toBe(-3n);
    expect(roundHalfUp(-24n, 10n)).toBe(-2n);
    expect(roundHalfUp(25n, -10n)).toBe(-3n);
    expect(roundHalfUp(-25n, -10n)).toBe(3n);
    expect(roundHalfUp(0n, 7n)).toBe(0n);
    expect(roundHalfUp(15_962n * 24_000n + 12_000n, 24_000n)).toBe(15_963n);
  });

  it('refuses a zero denominator', () => {
    expect(() => roundHalfUp(1n, 0n)).toThrow(RangeError);
  });

  it('is the nearest integer, ties away from zero, and odd-symmetric', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        (n, d) => {
          const q = roundHalfUp(n, d);
          const twiceError = 2n * (n - q * d); // 2 × (exact − rounded) × d
          expect(twiceError <= d && twiceError >= -d).toBe(true);
          // A tie (error exactly a half) is resolved away from zero.
          // (for n > 0 that makes q × d exceed n; for n < 0, fall below it).
          if (twiceError === d || twiceError === -d) expect(twiceError).toBe(n > 0n ? -d : d);
          expect(roundHalfUp(-n, d)).toBe(-q);
          expect(roundHalfUp(n, -d)).toBe(-q);
        },
      ),
    );
  });
});

describe('fen formatting', () => {
  it('writes plain yuan with two decimals', () => {
    expect(fenToYuanString(123_450)).toBe('1234.50');
    expect(fenToYuanString(5)).toBe('0.05');
    expect(fenToYuanString(0)).toBe('0.00');
    expect(fenToYuanString(-5)).toBe('-0.05');
    expect(fenToYuanString(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('writes yuan with thousands separators for display', () => {
    expect(formatYuan(249_000)).toBe('2,490.00');
    expect(formatYuan(123_456_789)).toBe('1,234,567.89');
    expect(formatYuan(99_999)).toBe('999.99');
    expect(formatYuan(-2_568_000)).toBe('-25,680.00');
  });

  it('refuses fractions and unsafe numbers', () => {
    expect(() => fenToYuanString(1.5)).toThrow(RangeError);
    expect(() => formatYuan(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => assertFen(-1)).toThrow(RangeError);
    expect(() => assertFen(-1, 'x', { allowNegative: true })).not.toThrow();
    expect(() => toSafeNumber(2n ** 53n)).toThrow(RangeError);
    expect(toSafeNumber(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('round-trips any safe amount through the yuan string', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (fen) => {
        const text = fenToYuanString(fen);
        expect(BigInt(text.replace('.', ''))).toBe(BigInt(fen));
        expect(formatYuan(fen).replaceAll(',', '')).toBe(text);
      }),
    );
  });

  it('writes basis points as an exact percentage', () => {
    expect(formatBasisPoints(500)).toBe('5%');
    expect(formatBasisPoints(1200)).toBe('12%');
    expect(formatBasisPoints(1201)).toBe('12.01%');
    expect(formatBasisPoints(150)).toBe('1.5%');
    expect(formatBasisPoints(5)).toBe('0.05%');
    expect(() => formatBasisPoints(-1)).toThrow(RangeError);
  });
});
