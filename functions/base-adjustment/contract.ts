/** DEPOSIT_CHANGE, the yearly base adjustment (缴存基数年度调整): every employee at once, all rows or none. */
import * as z from 'zod/mini';
import { BaseAdjustmentRequest } from '../../shared/base-adjustments/schema.js';
import {
  basisPoints,
  cityCode,
  fen,
  isoDateTime,
  personalAccountNo,
  yearMonth,
} from '../../shared/contract/answers.js';
import type { HandlerContract } from '../../shared/contract/route-contract.js';
import { yearMonthField } from '../../shared/http/fields.js';

const employerAccountNo = z.string().check(z.regex(/^\d{14}$/));
export const AdjustmentsPath = z.strictObject({ employerAccountNo });
export const AdjustmentPath = z.strictObject({
  employerAccountNo,
  id: z.string().check(z.regex(/^\d{6}-A-[0-9A-F]{16}$/)),
});
/** A text/csv body names its effective month here (the JSON body carries it itself). */
export const AdjustmentQuery = z.strictObject({ effectiveMonth: z.optional(yearMonthField) });

/** The adjustment as the employer sees it: every row as checked and posted, without the posting's bookkeeping. */
const AdjustmentAnswer = z
  .looseObject({
    adjustmentId: z.string().check(z.regex(/^\d{6}-A-[0-9A-F]{16}$/)),
    city: cityCode,
    employerAccountNo,
    effectiveMonth: yearMonth,
    /** `posting` while its chunks are posted (a retry resumes it), then `posted`. */
    status: z.enum(['posting', 'posted']),
    rows: z.array(
      z.looseObject({
        row: z.int().check(z.minimum(1), z.describe("The row's number in the request, from 1")),
        personalAccountNo,
        monthlyDepositBaseFen: fen,
        employeeRateBasisPoints: basisPoints,
        employerRateBasisPoints: basisPoints,
        ruleVersion: z.string(),
      }),
    ),
    rowCount: z.int(),
    chunkCount: z.int(),
    postedRows: z.int(),
    /** Rows whose account left the employer or closed between acceptance and posting. */
    skippedRows: z.int(),
    acceptedAt: isoDateTime,
    acceptedBy: z.string(),
    postedAt: z.optional(isoDateTime),
  })
  .register(z.globalRegistry, { id: 'BaseAdjustment' });

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
      description: 'The adjustment, every row posted as a deposit change (变更记录)',
      schema: AdjustmentAnswer,
    },
    otherResponses: [
      {
        status: 200,
        description: 'The same adjustment, when the key was seen before (a retry resumes its posting)',
        schema: AdjustmentAnswer,
      },
    ],
    problems: ['NOT_FOUND', 'BASE_ADJUSTMENT_ROWS_INVALID', 'BASE_ADJUSTMENT_IN_PROGRESS'],
  },
  'GET /v1/employers/{employerAccountNo}/base-adjustments/{id}': {
    summary: 'A base adjustment: what it set and whether it is posted',
    body: null,
    path: AdjustmentPath,
    response: { status: 200, description: 'The adjustment', schema: AdjustmentAnswer },
    problems: ['NOT_FOUND'],
  },
} satisfies HandlerContract;
