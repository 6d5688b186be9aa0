/**
 * Field schemas every handler shares, with domain checks that report their own codes
 * (DESIGN.md §2: a wrong ID number or credit code format is a 400 naming the field).
 */
import * as z from 'zod/mini';
import { CITY_CODES } from '../config/cities.js';
import { parseIdNumber } from '../identity/id-number.js';
import { parseUscc } from '../identity/uscc.js';
import { domainIssue } from './validation.js';

/** 居民身份证号: checked (format, birth date, check character) and normalised (x → X). */
export const idNumberField = z.pipe(
  z.string().check(
    z.superRefine((value, ctx) => {
      const parsed = parseIdNumber(value);
      if (!parsed.ok) {
        ctx.addIssue(
          domainIssue({ code: parsed.code, message: { 'zh-CN': parsed.messageZh, en: parsed.messageEn } }),
        );
      }
    }),
  ),
  z.transform((value: string) => value.toUpperCase()),
);

/**
 * 统一社会信用代码: a wrong length or character is refused; a check character that does not
 * match is accepted (a few early legal codes fail it) and reported by the handler as a warning.
 */
export const usccField = z.pipe(
  z.string().check(
    z.superRefine((value, ctx) => {
      const parsed = parseUscc(value);
      if (!parsed.ok) {
        ctx.addIssue(
          domainIssue({ code: parsed.code, message: { 'zh-CN': parsed.messageZh, en: parsed.messageEn } }),
        );
      }
    }),
  ),
  z.transform((value: string) => value.toUpperCase()),
);

export const cityField = z.enum(CITY_CODES);

/** Money in fen: a whole, non-negative number below 10^13 fen (100 billion yuan). */
export const fenField = z.int().check(z.minimum(0), z.maximum(9_999_999_999_999));

export const basisPointsField = z.int().check(z.minimum(0), z.maximum(10_000));

/** A calendar month, 'YYYY-MM'. */
export const yearMonthField = z.string().check(z.regex(/^(19|20)\d{2}-(0[1-9]|1[0-2])$/));

/**
 * What no text a person typed may carry: C0 and C1 control characters (NUL, line breaks, escapes
 * included: every text field is one line), DEL, the bidirectional overrides and isolates that
 * make a text read differently from what it stores, and the noncharacters U+FFFE/U+FFFF.
 */
function isUnprintable(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfffe ||
    code === 0xffff
  );
}

/** Whether a string is clean text: well-formed UTF-16 (no lone surrogate) and nothing unprintable. */
export function isCleanText(value: string): boolean {
  if (!value.isWellFormed()) return false;
  for (let i = 0; i < value.length; i++) if (isUnprintable(value.charCodeAt(i))) return false;
  return true;
}

const cleanText = z.superRefine((value: string, ctx) => {
  if (!isCleanText(value)) {
    ctx.addIssue(
      domainIssue({
        code: 'TEXT_NOT_PRINTABLE',
        message: {
          'zh-CN': '不得包含控制字符、换行或无法显示的字符。',
          en: 'Must not contain control characters, line breaks or characters that cannot be displayed.',
        },
      }),
    );
  }
});

/** Free text a person typed: trimmed, non-empty, bounded, clean (the one helper for every text field). */
export function textField(maxLength: number) {
  return z.string().check(z.trim(), z.minLength(1), z.maxLength(maxLength), cleanText);
}

/** `limit` and `cursor` of a paginated list's query string (the cursor: shared/http/cursor.ts). */
export const pageQueryMembers = {
  limit: z.optional(z.pipe(z.string().check(z.regex(/^\d{1,3}$/)), z.transform(Number))),
  cursor: z.optional(z.string().check(z.maxLength(300))),
};

/** The query of a citizen's own list (我的办件): a page and nothing else. */
export const PersonListQuery = z.strictObject(pageQueryMembers);
