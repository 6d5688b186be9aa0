/** INFO_QUERY 信息查询: the citizen's own accounts, ledgers and loans across the region. */
import * as z from 'zod/mini';
import {
  accountStatus,
  basisPoints,
  centre,
  employerAccountNo,
  fen,
  instalment,
  isoDateTime,
  ledgerEntry,
  loanAnswer,
  nextCursor,
  yearMonth,
} from '../../shared/contract/answers.js';
import { type HandlerContract, personalAccountNo, recordId } from '../../shared/contract/route-contract.js';
import { pageQueryMembers } from '../../shared/http/fields.js';

export const LedgerPath = z.strictObject({ personalAccountNo });
export const LedgerQuery = z.strictObject(pageQueryMembers);
export const LoanPath = z.strictObject({ loanId: recordId });

/** An account as its holder sees it, in any centre. */
const AccountAnswer = z.looseObject({
  personalAccountNo,
  centre,
  /** A voluntary account (自愿缴存) has no employer: the person remits both shares. */
  depositor: z.enum(['employer', 'self']),
  employerAccountNo: z.nullable(employerAccountNo),
  status: accountStatus,
  balanceFen: fen,
  monthlyDepositBaseFen: fen,
  employeeRateBasisPoints: basisPoints,
  employerRateBasisPoints: basisPoints,
  continuousDepositMonths: z.int().check(z.minimum(0), z.describe('连续缴存月数 as of this month')),
  lastDepositMonth: z.nullable(yearMonth),
  openedAt: isoDateTime,
});
/** The loan, the next instalment due (null once repaid) and, for one loan, the whole schedule. */
const LoanListed = z.extend(loanAnswer, { centre, nextInstalment: z.nullable(instalment) });
const LoanShown = z.extend(LoanListed, { schedule: z.array(instalment) });

export const CONTRACT = {
  'GET /v1/me/accounts': {
    summary: 'My HPF accounts in every centre (缴存信息查询)',
    body: null,
    response: {
      status: 200,
      description: '`accounts`: balance, status, base and rates, per centre',
      schema: z.looseObject({ accounts: z.array(AccountAnswer) }),
    },
  },
  'GET /v1/me/accounts/{personalAccountNo}/ledger': {
    summary: "An account's ledger, newest first (明细查询)",
    body: null,
    path: LedgerPath,
    query: LedgerQuery,
    response: {
      status: 200,
      description: 'The balance, a page of `entries` (newest first) and `nextCursor`',
      schema: z.looseObject({
        personalAccountNo,
        balanceFen: fen,
        entries: z.array(ledgerEntry),
        nextCursor,
      }),
    },
    problems: ['NOT_FOUND'],
  },
  'GET /v1/me/loans': {
    summary: 'My HPF loans (贷款信息查询)',
    body: null,
    response: {
      status: 200,
      description: '`loans`, each with its next instalment',
      schema: z.looseObject({ loans: z.array(LoanListed) }),
    },
  },
  'GET /v1/me/loans/{loanId}': {
    summary: 'One loan with its schedule',
    body: null,
    path: LoanPath,
    response: { status: 200, description: 'The loan and its schedule', schema: LoanShown },
    problems: ['NOT_FOUND'],
  },
} satisfies HandlerContract;
