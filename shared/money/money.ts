/**
 * Money arithmetic. Amounts are integer fen (分) held in `number` and always safe integers; products
 * that could pass 2^53 (balance × days × rate) are formed in `bigint`, and a quotient is rounded once,
 * with `roundHalfUp`, never through a binary float.
 */

/** Throws unless `value` is a safe integer (and, unless `allowNegative`, not negative). */
export function assertFen(value: number, what = 'amount', { allowNegative = false } = {}): void {
  if (!Number.isSafeInteger(value) || (!allowNegative && value < 0)) {
    throw new RangeError(
      `${what} must be ${allowNegative ? 'a' : 'a non-negative'} safe integer number of fen, got ${value}`,
    );
  }
}

/**
 * numerator / denominator rounded to the nearest integer, a half rounded away from zero (四舍五入):
 * 2.5 → 3 and −2.5 → −3, so rounding is symmetric and rounding a negated amount negates the result.
 * The one rounding primitive of the platform.
 */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('roundHalfUp: division by zero');
  if (denominator < 0n) return roundHalfUp(-numerator, -denominator);
  if (numerator < 0n) return -roundHalfUp(-numerator, denominator);
  // Both non-negative: floor((2n + d) / 2d); bigint division truncates, which is floor here.
  return (2n * numerator + denominator) / (2n * denominator);
}

/** A bigint known to fit back into a safe-integer `number` (throws rather than lose precision). */
export function toSafeNumber(value: bigint, what = 'amount'): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} ${value} is beyond a safe integer`);
  }
  return Number(value);
}

function yuanParts(fen: number): { sign: string; whole: string; cents: string } {
  assertFen(fen, 'fen', { allowNegative: true });
  const magnitude = BigInt(fen < 0 ? -fen : fen);
  return {
    sign: fen < 0 ? '-' : '',
    whole: (magnitude / 100n).toString(),
    cents: (magnitude % 100n).toString().padStart(2, '0'),
  };
}

/** 123450 → '1234.50', −5 → '-0.05': plain yuan with two decimals, for data and display. */
export function fenToYuanString(fen: number): string {
  const { sign, whole, cents } = yuanParts(fen);
  return `${sign}${whole}.${cents}`;
}

/** 249000 → '2,490.00': yuan with thousands separators, for texts shown to citizens and staff. */
export function formatYuan(fen: number): string {
  const { sign, whole, cents } = yuanParts(fen);
  return `${sign}${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${cents}`;
}

/** 500 → '5%', 1201 → '12.01%', 150 → '1.5%': a rate in basis points written exactly. */
export function formatBasisPoints(basisPoints: number): string {
  if (!Number.isSafeInteger(basisPoints) || basisPoints < 0) {
    throw new RangeError(`not a rate in basis points: ${basisPoints}`);
  }
  const fraction = String(basisPoints % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${Math.floor(basisPoints / 100)}${fraction === '' ? '' : `.${fraction}`}%`;
}
