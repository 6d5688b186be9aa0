/**
 * Resident identity card numbers (居民身份证号, GB 11643-1999): 6-digit region code, 8-digit
 * birth date, 3-digit sequence (odd = male), and an ISO 7064 MOD 11-2 check character.
 *
 * Nothing here puts the number itself in a message: callers may log or return these errors.
 */

import { BEIJING_OFFSET_MS, daysInMonth } from '../calendar/dates.js';

export type Sex = 'male' | 'female';

export interface IdNumber {
  /** Normalised: a lowercase check character x becomes X. */
  idNumber: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  sex: Sex;
  /** The first 6 digits: the GB/T 2260 region where the number was issued (发证地). */
  regionCode: string;
}

export type IdNumberErrorCode = 'ID_NUMBER_FORMAT' | 'ID_NUMBER_BIRTH_DATE' | 'ID_NUMBER_CHECK_CHARACTER';

export interface IdNumberError {
  ok: false;
  code: IdNumberErrorCode;
  messageZh: string;
  messageEn: string;
}

export type IdNumberResult = { ok: true; value: IdNumber } | IdNumberError;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
// [0-9] rather than \d so full-width digits (３２０…) never pass, whatever the regex flags.
const FIRST_17 = /^[0-9]{17}$/;
const FORMAT = /^[0-9]{17}[0-9Xx]$/;
const ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const EARLIEST_BIRTH_YEAR = 1900;

const MESSAGES: Record<IdNumberErrorCode, { messageZh: string; messageEn: string }> = {
  ID_NUMBER_FORMAT: {
    messageZh: '身份证号码格式不正确：应为18位，前17位为数字，最后一位为数字或X',
    messageEn: 'The ID number must be 18 characters: 17 digits followed by a digit or X',
  },
  ID_NUMBER_BIRTH_DATE: {
    messageZh: '身份证号码中的出生日期无效',
    messageEn: 'The birth date in the ID number is not a valid date',
  },
  ID_NUMBER_CHECK_CHARACTER: {
    messageZh: '身份证号码校验位不正确，请核对号码',
    messageEn: 'The check character of the ID number does not match; please check the number',
  },
};

function failure(code: IdNumberErrorCode): IdNumberError {
  return { ok: false, code, ...MESSAGES[code] };
}

/** The check character (校验码) of the 17 leading digits; throws on anything but 17 ASCII digits. */
export function idNumberCheckCharacter(first17: string): string {
  // The message stays generic: the argument is nearly a full ID number.
  if (!FIRST_17.test(first17)) throw new RangeError('expected the first 17 digits of an ID number');
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK_CHARACTERS[sum % 11] as string;
}

/** Today's calendar date in Beijing time (UTC+8), as YYYY-MM-DD. */
function beijingToday(): string {
  return new Date(Date.now() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Parses and validates an ID number. No trimming: surrounding whitespace is a format error, so
 * a caller never stores or hashes a number that differs from what was checked.
 *
 * @param today YYYY-MM-DD (Beijing calendar date); a birth date after it is refused. Defaults to
 *   the current date in Beijing.
 */
export function parseIdNumber(input: string, today: string = beijingToday()): IdNumberResult {
  if (!ISO_DATE.test(today)) throw new RangeError('today must be a YYYY-MM-DD date');
  if (!FORMAT.test(input)) return failure('ID_NUMBER_FORMAT');

  const idNumber = input.toUpperCase();
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  // Same-format ISO dates compare correctly as strings.
  if (
    year < EARLIEST_BIRTH_YEAR ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(birthDate.slice(0, 7)) ||
    birthDate > today
  )
    return failure('ID_NUMBER_BIRTH_DATE');

  if (idNumberCheckCharacter(idNumber.slice(0, 17)) !== idNumber[17])
    return failure('ID_NUMBER_CHECK_CHARACTER');

  return {
    ok: true,
    value: {
      idNumber,
      birthDate,
      sex: Number(idNumber[16]) % 2 === 1 ? 'male' : 'female',
      regionCode: idNumber.slice(0, 6),
    },
  };
}

const ID_NUMBER_CANDIDATE = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])/g;

/** Whether a free text carries a valid ID number in clear (kept out of records: people are keys). */
export function containsIdNumber(text: string): boolean {
  for (const match of text.matchAll(ID_NUMBER_CANDIDATE)) if (parseIdNumber(match[0]).ok) return true;
  return false;
}
