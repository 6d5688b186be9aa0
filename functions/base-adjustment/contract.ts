/** DEPOSIT_CHANGE, the yearly base adjustment (缴存基数年度调整): every employee at once, all rows or none. */
import * as z from 'zod/mini';
import { BaseAdjustmentRequest } from '../../shared/base-adjustments/schema.js';
import { type HandlerContract, jsonObject } from '../../shared/contract/route-contract.js';
import { yearMonthField } from '../../shared/http/fields.js';

const employerAccountNo = z.string().check(z.regex(/^\d{14}$/));
export const AdjustmentsPath = z.strictObject({ employerAccountNo });
export const AdjustmentPath = z.strictObject({
  employerAccountNo,
  id: z.string().check(z.regex(/^\d{6}-A-[0-9A-F]{16}$/)),
});
/** A text/csv body names its effective month here (the JSON body carries it itself). */
export const AdjustmentQuery = z.strictObject({ effectiveMonth: z.optional(yearMonthField) });

export const CONTRACT = {
  'POST /v1/employers/{employerAccountNo}/base-adjustments': {
    summary:
      'The yearly base adjustment (缴存基数年度调整): rows of account, base and rates from one month; JSON, or text/csv (UTF-8, header row, ?effectiveMonth=)',
    body: BaseAdjustmentRequest,
    bodyAlsoAs: ['text/csv'],
    path: AdjustmentsPath,
    query: AdjustmentQuery,
    response: {
      status: 201,
      description: 'The adjustment, every row posted as a deposit change (200 when a retry resumed it)',
      schema: jsonObject,
    },
    problems: ['NOT_FOUND', 'BASE_ADJUSTMENT_ROWS_INVALID', 'BASE_ADJUSTMENT_IN_PROGRESS'],
  },
  'GET /v1/employers/{employerAccountNo}/base-adjustments/{id}': {
    summary: 'A base adjustment: what it set and whether it is posted',
    body: null,
    path: AdjustmentPath,
    response: { status: 200, description: 'The adjustment', schema: jsonObject },
    problems: ['NOT_FOUND'],
  },
} satisfies HandlerContract;
