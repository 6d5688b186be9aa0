/** 灵活就业人员自愿缴存: the person's own account, payment orders, the bank's confirmation. */
import * as z from 'zod/mini';
import {
  accountStatus,
  basisPoints,
  centre,
  cityCode,
  fen,
  isoDateTime,
  yearMonth,
} from '../../shared/contract/answers.js';
import { type HandlerContract, personalAccountNo } from '../../shared/contract/route-contract.js';
import { ORDER_ID } from '../../shared/deposits/rules.js';
import {
  basisPointsField,
  cityField,
  fenField,
  textField,
  yearMonthField,
} from '../../shared/http/fields.js';

const orderId = z.string().check(z.regex(ORDER_ID));

export const AccountPath = z.strictObject({ personalAccountNo });
export const OrderPath = z.strictObject({ personalAccountNo, orderId });

export const VoluntaryAccountBody = z.strictObject({
  /** The centre chosen: any of the ten. */
  city: cityField,
  name: textField(50),
  monthlyDepositBaseFen: fenField,
  /** One rate for both shares (the person pays the employee's and the employer's). */
  rateBasisPoints: basisPointsField,
});
export const PaymentOrderBody = z.strictObject({ month: yearMonthField });
export const PaymentConfirmationBody = z.strictObject({
  orderId,
  /** The bank's own reference of the payment (银行流水号). */
  bankReference: z.string().check(z.regex(/^[\x21-\x7e]{4,64}$/)),
  amountFen: fenField,
  paidAt: z.iso.datetime({ offset: true }),
});

/** A voluntary account (自愿缴存): no employer, one rate for both shares, due by `dueDay` of the next month. */
const VoluntaryAccountAnswer = z.looseObject({
  personalAccountNo,
  centre,
  depositor: z.literal('self'),
  status: accountStatus,
  balanceFen: fen,
  monthlyDepositBaseFen: fen,
  rateBasisPoints: basisPoints,
  dueDay: z.int().check(z.minimum(1), z.maximum(31)),
  ruleVersion: z.string(),
  openedAt: isoDateTime,
});
/** A payment order (缴存单): credited only when the collecting bank confirms the payment. */
const OrderAnswer = z
  .looseObject({
    orderId: z.string().check(z.regex(ORDER_ID)),
    personalAccountNo,
    city: cityCode,
    month: yearMonth,
    /** `expired`: unpaid at the end of its due day. */
    status: z.enum(['awaiting_payment', 'paid', 'cancelled', 'expired']),
    amountFen: fen,
    employeeShareFen: fen,
    employerShareFen: fen,
    monthlyDepositBaseFen: fen,
    rateBasisPoints: basisPoints,
    ruleVersion: z.string(),
    createdAt: isoDateTime,
    expiresAt: isoDateTime,
    paidAt: z.optional(isoDateTime),
    bankReference: z.optional(z.string()),
    confirmedAt: z.optional(isoDateTime),
    confirmedBy: z.optional(z.looseObject({ agentOrgId: z.string(), subject: z.string() })),
    cancelledAt: z.optional(isoDateTime),
  })
  .register(z.globalRegistry, { id: 'PaymentOrder' });
const order = { status: 200, description: 'The payment order', schema: OrderAnswer } as const;

export const CONTRACT = {
  'POST /v1/me/voluntary-accounts': {
    summary: 'Open a voluntary deposit account (自愿缴存开户)',
    body: VoluntaryAccountBody,
    response: { status: 201, description: 'The account', schema: VoluntaryAccountAnswer },
    problems: ['VOLUNTARY_DEPOSIT_DUPLICATE', 'PERSON_HAS_ACCOUNT_IN_CENTRE', 'DEPOSIT_TERMS_OUT_OF_LIMITS'],
  },
  'POST /v1/me/voluntary-accounts/{personalAccountNo}/remittances': {
    summary: "A month's payment order (缴存单), credited when the bank confirms it",
    body: PaymentOrderBody,
    path: AccountPath,
    response: { ...order, status: 201, description: 'The order, awaiting payment' },
    otherResponses: [{ ...order, description: "The month's order, when the key was seen before" }],
    problems: [
      'NOT_FOUND',
      'ACCOUNT_CLOSED',
      'PAYMENT_ORDER_EXISTS',
      'REMITTANCE_MONTH_EXISTS',
      'REMITTANCE_MONTH_IN_FUTURE',
      'REMITTANCE_MONTH_NOT_REMITTABLE',
      'VOLUNTARY_DEPOSIT_DUPLICATE',
    ],
  },
  'GET /v1/me/voluntary-accounts/{personalAccountNo}/remittances': {
    summary: "The account's payment orders",
    body: null,
    path: AccountPath,
    response: {
      status: 200,
      description: "`orders`: the account's payment orders",
      schema: z.looseObject({ orders: z.array(OrderAnswer) }),
    },
    problems: ['NOT_FOUND'],
  },
  'GET /v1/me/voluntary-accounts/{personalAccountNo}/remittances/{orderId}': {
    summary: 'One payment order',
    body: null,
    path: OrderPath,
    response: order,
    problems: ['NOT_FOUND'],
  },
  'POST /v1/me/voluntary-accounts/{personalAccountNo}/remittances/{orderId}/cancellation': {
    summary: 'Cancel an unpaid payment order',
    body: null,
    path: OrderPath,
    response: order,
    problems: ['NOT_FOUND', 'PAYMENT_ORDER_ALREADY_PAID', 'PAYMENT_ORDER_CLOSED'],
  },
  'POST /v1/agent/payment-confirmations': {
    summary: "The centre's collecting bank confirms a payment received (the only way it is credited)",
    body: PaymentConfirmationBody,
    response: {
      status: 200,
      description: '`alreadyConfirmed` (true when the same payment was confirmed before) and the order, paid',
      schema: z.looseObject({ alreadyConfirmed: z.boolean(), order: OrderAnswer }),
    },
    problems: [
      'NOT_FOUND',
      'NOT_A_COLLECTING_BANK',
      'PAYMENT_AMOUNT_MISMATCH',
      'BANK_REFERENCE_USED',
      'PAYMENT_ORDER_ALREADY_PAID',
      'PAYMENT_ORDER_CLOSED',
      'VOLUNTARY_DEPOSIT_DUPLICATE',
      'REMITTANCE_MONTH_EXISTS',
    ],
  },
} satisfies HandlerContract;
