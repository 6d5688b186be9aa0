/** ACCOUNT_TRANSFER 转移接续: apply (citizen or agent of the receiving city), follow, cancel. */
import * as z from 'zod/mini';
import {
  applicationAnswerOf,
  applicationListed,
  cityCode,
  fen,
  nextCursor,
} from '../../shared/contract/answers.js';
import { type HandlerContract, personalAccountNo } from '../../shared/contract/route-contract.js';
import { cityField, idNumberField, PersonListQuery } from '../../shared/http/fields.js';

const common = {
  /** The account left behind (转出), sealed by its employer. */
  personalAccountNo,
  /** The city moved to (转入): the person's open account there receives the balance. */
  toCity: cityField,
};
export const CitizenTransferBody = z.strictObject(common);
export const AgentTransferBody = z.strictObject({ ...common, idNumber: idNumberField });

export const TransferPath = z.strictObject({ id: z.string().check(z.regex(/^\d{6}-T-[A-Z0-9]{16}$/)) });

/** A transfer (转移接续) as its applicant sees it: from which account to which, and where the saga stands. */
const TransferAnswer = applicationAnswerOf({
  itemCode: z.literal('ACCOUNT_TRANSFER'),
  fromCity: cityCode,
  sendingAccountNo: personalAccountNo,
  receivingAccountNo: personalAccountNo,
  transferState: z.string(),
  /** Once the sending centre answered: what it moved (balance and interest to date). */
  amountFen: z.optional(fen),
  interestFen: z.optional(fen),
}).register(z.globalRegistry, { id: 'Transfer' });

const TransferListed = z.extend(applicationListed, {
  fromCity: cityCode,
  transferState: z.string(),
  amountFen: z.nullable(fen),
});

const accepted = {
  status: 202,
  description:
    'The transfer accepted by the receiving centre, its letter (联系函) on its way to the sending centre',
  schema: TransferAnswer,
} as const;
const applyProblems = ['NOT_FOUND', 'TRANSFER_SAME_CITY', 'TRANSFER_NO_RECEIVING_ACCOUNT'] as const;

export const CONTRACT = {
  'POST /v1/me/transfers': {
    summary:
      'Move an account to another region city (转移接续): the sealed old balance to the open new account',
    body: CitizenTransferBody,
    response: accepted,
    problems: applyProblems,
  },
  'POST /v1/agent/transfers': {
    summary: 'A branch of the receiving city accepts a transfer for a citizen present (转移接续)',
    body: AgentTransferBody,
    response: accepted,
    problems: applyProblems,
  },
  'GET /v1/me/transfers': {
    summary: 'My transfers between region cities, newest first (我的办件)',
    body: null,
    query: PersonListQuery,
    response: {
      status: 200,
      description: 'A page of `transfers` (newest first, the ID number masked) and `nextCursor`',
      schema: z.looseObject({ transfers: z.array(TransferListed), nextCursor }),
    },
  },
  'GET /v1/me/transfers/{id}': {
    summary: 'A transfer with its timeline and where the money is (转移接续)',
    body: null,
    path: TransferPath,
    response: { status: 200, description: 'The transfer and its saga state', schema: TransferAnswer },
    problems: ['NOT_FOUND'],
  },
  'POST /v1/me/transfers/{id}/cancellation': {
    summary: 'Cancel a transfer while the sending centre has not moved the money',
    body: null,
    path: TransferPath,
    response: { status: 200, description: 'The transfer, withdrawn', schema: TransferAnswer },
    problems: ['NOT_FOUND', 'APPLICATION_STATUS_CONFLICT'],
  },
} satisfies HandlerContract;
