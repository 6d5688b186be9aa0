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

/** Free text a person typed: trimmed, non-empty, bounded. */
export function textField(maxLength: number) {
  return z.string().check(z.trim(), z.minLength(1), z.maxLength(maxLength));
}
