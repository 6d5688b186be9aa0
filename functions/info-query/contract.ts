/** INFO_QUERY 信息查询: the citizen's own accounts, ledgers and loans across the region. */
import * as z from 'zod/mini';
import {
  type HandlerContract,
  jsonObject,
  personalAccountNo,
  recordId,
} from '../../shared/contract/route-contract.js';

export const LedgerPath = z.strictObject({ personalAccountNo });
export const LedgerQuery = z.strictObject({
  limit: z.optional(z.pipe(z.string().check(z.regex(/^\d{1,3}$/)), z.transform(Number))),
  cursor: z.optional(z.string().check(z.maxLength(200))),
});
export const LoanPath = z.strictObject({ loanId: recordId });

export const CONTRACT = {
  'GET /v1/me/accounts': {
    summary: 'My HPF accounts in every centre (缴存信息查询)',
    body: null,
    response: {
      status: 200,
      description: '`accounts`: balance, status, base and rates, per centre',
      schema: jsonObject,
    },
  },
  'GET /v1/me/accounts/{personalAccountNo}/ledger': {
    summary: "An account's ledger, newest first (明细查询)",
    body: null,
    path: LedgerPath,
    query: LedgerQuery,
    response: { status: 200, description: '`entries` and `nextCursor`', schema: jsonObject },
    problems: ['NOT_FOUND'],
  },
  'GET /v1/me/loans': {
    summary: 'My HPF loans (贷款信息查询)',
    body: null,
    response: { status: 200, description: '`loans`', schema: jsonObject },
  },
  'GET /v1/me/loans/{loanId}': {
    summary: 'One loan with its schedule',
    body: null,
    path: LoanPath,
    response: { status: 200, description: 'The loan, its schedule and repayments', schema: jsonObject },
    problems: ['NOT_FOUND'],
  },
} satisfies HandlerContract;
