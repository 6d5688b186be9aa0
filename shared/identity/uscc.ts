/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character
 * set, the last a check character.
 *
 * A wrong length or character is refused; a check character that does not match is accepted
 * with a warning, because a few early codes issued before the check was enforced fail it yet are
 * legal. ASCII lowercase letters are uppercased (people type them; the code has no lowercase
 * meaning), so `91350100m000100y43` is read as `91350100M000100Y43`.
 */

/** The GB 32100 charset: digits and uppercase letters without I, O, Z, S, V. */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** 3ⁱ mod 31, for positions 1 to 17. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const CANONICAL_FIRST_17 = /^[0-9A-HJ-NPQRTUWXY]{17}$/;
// Lowercase forms of the charset letters only: i, o, z, s, v stay refused after uppercasing.
const FORMAT = /^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$/;

export interface UsccWarning {
  code: 'USCC_CHECK_CHARACTER';
  messageZh: string;
  messageEn: string;
}

export interface Uscc {
  /** Normalised to uppercase. */
  uscc: string;
  checkCharacterValid: boolean;
  /** Present exactly when the check character does not match. */
  warning?: UsccWarning;
}

export interface UsccError {
  ok: false;
  code: 'USCC_FORMAT';
  messageZh: string;
  messageEn: string;
}

export type UsccResult = { ok: true; value: Uscc } | UsccError;

const CHECK_CHARACTER_WARNING: UsccWarning = {
  code: 'USCC_CHECK_CHARACTER',
  messageZh: '统一社会信用代码校验位不符，请核对代码（部分早期代码属此情况，已按原样受理）',
  messageEn:
    'The check character of the unified social credit code does not match; please check the code ' +
    '(a few early codes are like this and it has been accepted as given)',
};

const FORMAT_ERROR: UsccError = {
  ok: false,
  code: 'USCC_FORMAT',
  messageZh: '统一社会信用代码格式不正确：应为18位数字或大写字母（不含I、O、Z、S、V）',
  messageEn:
    'The unified social credit code must be 18 digits or uppercase letters (excluding I, O, Z, S and V)',
};

/** The check character of the 17 leading characters, which must already be uppercase; throws otherwise. */
export function usccCheckCharacter(first17: string): string {
  if (!CANONICAL_FIRST_17.test(first17))
    throw new RangeError('expected the first 17 characters of a unified social credit code');
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++)
    sum += CHARSET.indexOf(first17[i] as string) * (WEIGHTS[i] as number);
  return CHARSET[(31 - (sum % 31)) % 31] as string;
}

/** Parses a unified social credit code. No trimming: surrounding whitespace is a format error. */
export function parseUscc(input: string): UsccResult {
  if (!FORMAT.test(input)) return { ...FORMAT_ERROR };
  const uscc = input.toUpperCase();
  if (usccCheckCharacter(uscc.slice(0, 17)) === uscc[17])
    return { ok: true, value: { uscc, checkCharacterValid: true } };
  return { ok: true, value: { uscc, checkCharacterValid: false, warning: { ...CHECK_CHARACTER_WARNING } } };
}
