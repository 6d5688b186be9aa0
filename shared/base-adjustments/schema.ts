/**
 * The request of the yearly base adjustment (缴存基数年度调整), for the handler and the OpenAPI
 * document alike: JSON `{ effectiveMonth, rows }`, or `text/csv` with a header row and the
 * effective month as the query parameter `effectiveMonth`. A CSV is turned into the same value as
 * the JSON form (so the same Idempotency-Key with the same content is the same request, whichever
 * form it came in); a CSV cell that is not a whole number is a row error of the 422, with its row.
 */
import * as z from 'zod/mini';
import type { FieldError } from '../errors/domain-error.js';
import { basisPointsField, fenField, yearMonthField } from '../http/fields.js';

/** Rows per adjustment: a CSV of 500 rows is about 20 KiB (JSON about 60 KiB, within the 64 KiB body). */
export const MAX_BASE_ADJUSTMENT_ROWS = 500;

export const BaseAdjustmentRow = z.strictObject({
  personalAccountNo: z.string().check(z.regex(/^\d{16}$/)),
  /** The new monthly deposit base (缴存基数), in fen. */
  monthlyDepositBaseFen: fenField,
  employeeRateBasisPoints: basisPointsField,
  employerRateBasisPoints: basisPointsField,
});
export type BaseAdjustmentRow = z.output<typeof BaseAdjustmentRow>;

/** POST /v1/employers/{employerAccountNo}/base-adjustments (JSON body; the CSV form becomes this). */
export const BaseAdjustmentRequest = z.strictObject({
  /** The one month every row takes effect from (usually July, the centre's adjustment year). */
  effectiveMonth: yearMonthField,
  rows: z.array(BaseAdjustmentRow).check(z.minLength(1), z.maxLength(MAX_BASE_ADJUSTMENT_ROWS)),
});
export type BaseAdjustmentRequest = z.output<typeof BaseAdjustmentRequest>;

/** A row error: `row` counts data rows from 1 (in a CSV, the line is `row + 1`, after the header); `field` is the column. */
export type RowError = FieldError & { row: number };

export function rowError(row: number, field: string, code: string, zh: string, en: string): RowError {
  return { in: 'body', row, field, code, message: { 'zh-CN': zh, en } };
}
