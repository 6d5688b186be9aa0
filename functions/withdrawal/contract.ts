/** Withdrawals (提取): one desk, a body discriminated by `type`. */
import * as z from 'zod/mini';
import {
  applicationAnswerOf,
  applicationListed,
  applicationStatus,
  bankAccountAnswer,
  fen,
  isoDateTime,
  itemCode,
  maskedIdNumber,
  nextCursor,
} from '../../shared/contract/answers.js';
import { type HandlerContract, recordId } from '../../shared/contract/route-contract.js';
import { cityField, fenField, idNumberField, PersonListQuery, textField } from '../../shared/http/fields.js';

const isoDate = z.iso.date();
/** An amount asked for: at least 1 fen. */
const positiveFen = z.int().check(z.minimum(1), z.maximum(9_999_999_999_999));
/** 网签备案号 in the property city's register, and the city. */
const propertyRef = z.strictObject({
  onlineSigningNo: z.string().check(z.regex(/^[A-Za-z0-9-]{6,40}$/)),
  city: cityField,
});
const common = {
  personalAccountNo: z.string().check(z.regex(/^\d{16}$/)),
  bankAccount: z.strictObject({
    accountNumber: z.string().check(z.maxLength(40)),
    holderName: textField(50),
    bankName: textField(60),
  }),
};
const variants = [
  z.strictObject({
    type: z.literal('retirement'),
    ...common,
    /** 退休证明: accepted in place of the computed age (early retirement, up to 3 years). */
    retirementRecord: z.optional(
      z.strictObject({
        retirementDate: isoDate,
        documentNo: textField(60),
        /** 特殊工种 (men 55, women 45) and 病退 (men 50, women 45) are accepted at their own ages. */
        category: z.optional(z.enum(['statutory', 'special-work', 'ill-health'])),
      }),
    ),
  }),
  z.strictObject({
    type: z.literal('emigration'),
    ...common,
    settlement: z.strictObject({ country: textField(60), documentNo: textField(60), issuedOn: isoDate }),
  }),
  z.strictObject({
    type: z.literal('purchase'),
    ...common,
    amountFen: z.int().check(z.minimum(1), z.maximum(9_999_999_999_999)),
    property: z.strictObject({
      /** 网签备案号 in the property city's register: the cap is per property, for all buyers together. */
      onlineSigningNo: z.string().check(z.regex(/^[A-Za-z0-9-]{6,40}$/)),
      city: cityField,
      // Accepted from older clients and IGNORED (never stored, never used): the contract date and
      // price are the register's (DESIGN.md §2b), so a declaration can neither raise nor block a cap.
      contractDate: z.optional(isoDate),
      pricePaidFen: z.optional(fenField),
    }),
  }),
  z.strictObject({ type: z.literal('offsite-repay'), ...common, loanCity: cityField }),
  z.strictObject({
    type: z.literal('rent'),
    ...common,
    amountFen: positiveFen,
    /** A married applicant's spouse: the household must own no home in the deposit city. */
    spouseIdNumber: z.optional(idNumberField),
  }),
  z.strictObject({
    type: z.literal('renovation'),
    ...common,
    amountFen: positiveFen,
    property: propertyRef,
    invoice: z.strictObject({
      invoiceNo: z.string().check(z.regex(/^[A-Za-z0-9-]{6,40}$/)),
      amountFen: positiveFen,
      issuedOn: isoDate,
      /** The centre's file reference of the uploaded invoice. */
      evidenceRef: textField(100),
    }),
  }),
  z.strictObject({
    type: z.literal('property-fee'),
    ...common,
    amountFen: positiveFen,
    property: propertyRef,
    feeNotice: z.strictObject({
      noticeNo: textField(60),
      amountFen: positiveFen,
      feeYear: z.int().check(z.minimum(1900), z.maximum(9999)),
      evidenceRef: textField(100),
    }),
  }),
] as const;
export const CitizenWithdrawalBody = z.discriminatedUnion('type', [...variants]);
export const AgentWithdrawalBody = z.discriminatedUnion(
  'type',
  variants.map((variant) => z.extend(variant, { idNumber: idNumberField })) as unknown as typeof variants,
);

export const WithdrawalPath = z.strictObject({ id: recordId });
/** The newest submissions first; `before` is the previous page's `nextCursor`. */
export const AgentApplicationsQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  before: z.optional(z.string().check(z.maxLength(200))),
});

const WithdrawalListed = z.extend(applicationListed, {
  type: z.string(),
  payoutFen: z.nullable(fen),
  payoutReturned: z.nullable(z.looseObject({ amountFen: fen, returnedAt: isoDateTime })),
});

/** A withdrawal (提取) as its applicant sees it: the payee account masked, the decision and the amount paid. */
const WithdrawalAnswer = applicationAnswerOf({
  kind: z.literal('withdrawal'),
  type: z.enum([
    'retirement',
    'emigration',
    'purchase',
    'offsite-repay',
    'rent',
    'renovation',
    'property-fee',
  ]),
  personalAccountNo: z.string().check(z.regex(/^\d{16}$/)),
  bankAccount: bankAccountAnswer,
  request: z.looseObject({ type: z.string() }),
  decision: z.optional(z.looseObject({}).check(z.describe('The outcome, the amount and the rule versions'))),
  /** What was paid to the bank account, once paid. */
  payoutFen: z.optional(fen),
}).register(z.globalRegistry, {
  id: 'Withdrawal',
  examples: [
    {
      applicationId: '320300-W-3AE8439558CCB09F',
      kind: 'withdrawal',
      type: 'retirement',
      itemCode: 'RETIRE_WITHDRAW',
      city: '320300',
      channel: 'online',
      acceptedBy: 'c-133432',
      idNumberMasked: '3203**********9131',
      personalAccountNo: '3203002000000007',
      request: { type: 'retirement' },
      bankAccount: { accountNumber: '6222 **** **** 0123', holderName: '张三', bankName: '工商银行' },
      status: 'awaiting_facts',
      acceptedAt: '2026-12-01T18:10:48.117Z',
      committedDeadline: '2026-12-03T15:59:59.999Z',
      committedDeadlineCalendar: 'official',
      timeline: [{ status: 'awaiting_facts', at: '2026-12-01T18:10:48.117Z', by: 'c-133432' }],
      requests: { '320300': { sentAt: null, answeredAt: null } },
      timeLeft: { open: true, overdue: false, workingDaysLeft: 1 },
    },
  ],
});

const accepted = {
  status: 202,
  description:
    'Accepted with the committed deadline; the account centre decides and pays (bank account masked)',
  schema: WithdrawalAnswer,
} as const;
const refusals = [
  'NOT_FOUND',
  'BANK_ACCOUNT_NOT_ACCEPTED',
  'WITHDRAWAL_GROUND_NOT_IN_FORCE',
  'OUTSTANDING_HPF_LOAN',
  'ACCOUNT_CLOSED',
] as const;

export const CONTRACT = {
  'POST /v1/me/withdrawals': {
    summary:
      'Withdraw (提取): retirement, emigration, purchase, offsite repay, rent, renovation, property fee',
    body: CitizenWithdrawalBody,
    response: accepted,
    problems: refusals,
  },
  'POST /v1/agent/withdrawals': {
    summary: "A branch accepts a present citizen's withdrawal (线下受理)",
    body: AgentWithdrawalBody,
    response: accepted,
    problems: refusals,
  },
  'GET /v1/me/withdrawals': {
    summary: 'My withdrawals in every centre, newest first (我的办件)',
    body: null,
    query: PersonListQuery,
    response: {
      status: 200,
      description: 'A page of `withdrawals` (newest first, the ID number masked) and `nextCursor`',
      schema: z.looseObject({ withdrawals: z.array(WithdrawalListed), nextCursor }),
    },
  },
  'GET /v1/me/withdrawals/{id}': {
    summary: 'My withdrawal: status, timeline, amount paid, reasons',
    body: null,
    path: WithdrawalPath,
    response: { status: 200, description: 'The withdrawal', schema: WithdrawalAnswer },
    problems: ['NOT_FOUND'],
  },
  'GET /v1/agent/applications': {
    summary: 'What this agent submitted (loans and withdrawals), newest first',
    body: null,
    query: AgentApplicationsQuery,
    response: {
      status: 200,
      description: '`applications` (newest first, the ID number masked) and `nextCursor` (pass as `before`)',
      schema: z.looseObject({
        agentOrgId: z.string(),
        nextCursor,
        applications: z.array(
          z.looseObject({
            applicationId: recordId,
            itemCode,
            acceptedAt: isoDateTime,
            acceptedBy: z.string(),
            /** Null only while the application is not yet readable. */
            status: z.nullable(applicationStatus),
            committedDeadline: z.nullable(isoDateTime),
            idNumber: z.nullable(maskedIdNumber),
          }),
        ),
      }),
    },
  },
} satisfies HandlerContract;
