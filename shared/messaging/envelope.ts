/**
 * Inter-centre messages: versioned, schema-checked envelopes (DESIGN.md §4). Every message
 * names who asks and who answers, carries a request id (idempotency) and a correlation id
 * (tracing across centres), and a deadline after which an answer is no longer awaited.
 * Payloads are typed per message type; an unknown type or version fails the schema.
 */
import * as z from 'zod/mini';
import { CITY_CODES } from '../config/cities.js';
import { CORRELATION_ID_PATTERN } from '../observability/correlation.js';

export const ENVELOPE_VERSION = 1;

const isoInstant = z.iso.datetime({ offset: true });
const cityCode = z.enum(CITY_CODES);
const correlationId = z.string().check(z.regex(CORRELATION_ID_PATTERN));

const header = {
  version: z.literal(ENVELOPE_VERSION),
  requestId: z.uuid(),
  correlationId,
  from: cityCode,
  to: cityCode,
  sentAt: isoInstant,
  deadline: isoInstant,
};

/** A liveness check between two centres: the answer proves the whole path works. */
export const PingMessage = z.strictObject({
  ...header,
  type: z.literal('ping'),
  payload: z.strictObject({ note: z.optional(z.string().check(z.maxLength(200))) }),
});

export const PongMessage = z.strictObject({
  ...header,
  type: z.literal('pong'),
  /** The request this answers. */
  inReplyTo: z.uuid(),
  payload: z.strictObject({ receivedAt: isoInstant }),
});

const personKey = z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/));
const applicationId = z.string().check(z.regex(/^[A-Z0-9-]{8,64}$/));
const fen = z.int().check(z.minimum(0));

/**
 * Why a lending centre asks, which sets what the owning centre discloses: about the applicant
 * (`loan-application`) or a co-applying spouse who confirmed (`loan-application-co-applicant`),
 * the deposit facts; about a spouse who does not co-apply (`loan-application-spouse`), only the
 * spouse's HPF loans (the household has one HPF loan at a time).
 */
export const FACTS_PURPOSES = [
  'loan-application',
  'loan-application-spouse',
  'loan-application-co-applicant',
] as const;
export type FactsPurpose = (typeof FACTS_PURPOSES)[number];

/**
 * A lending centre asks a depositing centre for the facts a loan decision needs. The person is
 * named only by their person key (never the ID number); the purpose and application are stated
 * so the owning centre can record the disclosure.
 */
export const DepositFactsRequest = z.strictObject({
  ...header,
  type: z.literal('deposit-facts-request'),
  payload: z.strictObject({
    applicationId,
    personKey,
    purpose: z.enum(FACTS_PURPOSES),
  }),
});

/** Only what the decision needs (data minimisation): no name, no ledger, no employer. */
export const DepositFacts = z.strictObject({
  accountStatus: z.enum(['normal', 'sealed', 'closed', 'none']),
  continuousDepositMonths: z.int().check(z.minimum(0)),
  balanceFen: fen,
  monthlyDepositFen: fen,
  /** The current monthly deposit base (缴存基数): the income the repayment capacity counts. */
  monthlyDepositBaseFen: fen,
  outstandingHpfLoans: z.int().check(z.minimum(0)),
  onViolationList: z.boolean(),
  /** The account's employer is flagged in arrears (欠缴) by a joint-enforcement record: never a refusal. */
  employerInArrears: z.optional(z.boolean()),
  /** The base was raised shortly before the application (a risk check, shared/enforcement/risk-rules.ts). */
  depositBaseRaisedRecently: z.optional(z.boolean()),
});
export type DepositFacts = z.output<typeof DepositFacts>;

/** What a centre discloses about a spouse who does not co-apply: their HPF loans there, nothing else. */
export const SpouseLoanFacts = z.strictObject({
  outstandingHpfLoans: z.int().check(z.minimum(0)),
});
export type SpouseLoanFacts = z.output<typeof SpouseLoanFacts>;

export const DepositFactsReply = z.strictObject({
  ...header,
  type: z.literal('deposit-facts-reply'),
  inReplyTo: z.uuid(),
  payload: z.strictObject({ applicationId, facts: z.union([DepositFacts, SpouseLoanFacts]) }),
});

/** A withdrawal accepted by the API is handed to the account centre's worker, which decides and pays. */
export const WithdrawalSubmitted = z.strictObject({
  ...header,
  type: z.literal('withdrawal-submitted'),
  payload: z.strictObject({ applicationId }),
});

/** The account centre asks the loan centre about the loan a withdrawal is to repay (提取偿还异地贷款). */
export const LoanRepaymentsRequest = z.strictObject({
  ...header,
  type: z.literal('loan-repayments-request'),
  payload: z.strictObject({ applicationId, personKey, purpose: z.enum(['offsite-repay-withdrawal']) }),
});

export const LoanRepayments = z.strictObject({
  /** Whether the person holds or held an HPF loan at this centre. */
  held: z.boolean(),
  loanId: z.optional(z.string().check(z.maxLength(80))),
  status: z.optional(z.enum(['active', 'repaid'])),
  /** Repayments (instalments and prepayments), each once, with the day it was paid. */
  repayments: z.array(
    z.strictObject({ id: z.string().check(z.maxLength(120)), date: z.iso.date(), amountFen: fen }),
  ),
});
export type LoanRepayments = z.output<typeof LoanRepayments>;

export const LoanRepaymentsReply = z.strictObject({
  ...header,
  type: z.literal('loan-repayments-reply'),
  inReplyTo: z.uuid(),
  payload: z.strictObject({ applicationId, loan: LoanRepayments }),
});

/** 网签备案号 as the register keys it (upper case). */
const onlineSigningNo = z.string().check(z.regex(/^[A-Z0-9-]{6,40}$/));

/**
 * The account centre asks the property city for the online-signing record (网签备案) a purchase,
 * renovation or property-fee withdrawal names, and whether the applicant is one of its buyers (DESIGN.md §2b);
 * the lending centre asks the same of the record a loan application names (`loan-application`):
 * the registered price, not a declared one, bounds the loan.
 */
export const PropertyFactsRequest = z.strictObject({
  ...header,
  type: z.literal('property-facts-request'),
  payload: z.strictObject({
    applicationId,
    personKey,
    onlineSigningNo,
    purpose: z.enum([
      'purchase-withdrawal',
      'renovation-withdrawal',
      'property-fee-withdrawal',
      'loan-application',
    ]),
  }),
});

/** Only what the decision needs: never the buyers' keys, names or ID numbers. */
export const PropertyFacts = z.union([
  z.strictObject({ found: z.literal(false) }),
  // To someone not on the record, nothing of it: not its price, date, status or buyers.
  z.strictObject({ found: z.literal(true), applicantIsBuyer: z.literal(false) }),
  z.strictObject({
    found: z.literal(true),
    status: z.enum(['filed', 'cancelled']),
    contractDate: z.iso.date(),
    registeredPriceFen: fen,
    applicantIsBuyer: z.literal(true),
    buyerCount: z.int().check(z.minimum(1)),
  }),
]);
export type PropertyFacts = z.output<typeof PropertyFacts>;

export const PropertyFactsReply = z.strictObject({
  ...header,
  type: z.literal('property-facts-reply'),
  inReplyTo: z.uuid(),
  payload: z.strictObject({ applicationId, onlineSigningNo, property: PropertyFacts }),
});

// ------------------------------------------------------------------------------------------------
// ACCOUNT_TRANSFER 转移接续 (shared/transfers/): the receiving centre's letter, the sending centre's
// answer, the receiving centre's decision on the money, and a cancellation.

const transferId = z.string().check(z.regex(/^\d{6}-T-[A-Z0-9]{16}$/));
const personalAccountNo = z.string().check(z.regex(/^\d{16}$/));
const yearMonth = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/));

/** 联系函: the receiving centre asks the sending centre to move the person's account to it. */
export const TransferLetter = z.strictObject({
  ...header,
  type: z.literal('transfer-letter'),
  payload: z.strictObject({ transferId, personKey, sendingAccountNo: personalAccountNo }),
});

/** What travels with the money: the deposit history the loan rules count (连续缴存月数). */
export const DepositHistorySummary = z.strictObject({
  openedAt: isoInstant,
  depositMonths: z.array(yearMonth).check(z.maxLength(1200)),
  backPaidMonths: z.array(yearMonth).check(z.maxLength(1200)),
  lastDepositMonth: z.optional(yearMonth),
  monthlyDepositBaseFen: fen,
});
export type DepositHistorySummary = z.output<typeof DepositHistorySummary>;

/** The sending centre's answer, the same to every letter of a transfer: refused, or debited. */
export const TransferAnswer = z.strictObject({
  ...header,
  type: z.literal('transfer-answer'),
  inReplyTo: z.uuid(),
  payload: z.union([
    z.strictObject({
      transferId,
      outcome: z.literal('refused'),
      reason: z.strictObject({
        code: z.string().check(z.maxLength(60)),
        message: z.strictObject({ 'zh-CN': z.string(), en: z.string() }),
      }),
    }),
    z.strictObject({
      transferId,
      outcome: z.literal('debited'),
      /** The whole balance debited: principal plus the interest to date settled with it. */
      amountFen: fen,
      interestFen: fen,
      debitedAt: isoInstant,
      history: DepositHistorySummary,
    }),
  ]),
});

/** The receiving centre's decision on the debited money: credited, or sent back. */
export const TransferResult = z.strictObject({
  ...header,
  type: z.literal('transfer-result'),
  inReplyTo: z.uuid(),
  payload: z.strictObject({ transferId, outcome: z.enum(['credited', 'returned']), amountFen: fen }),
});

/** The applicant cancelled: a letter the sending centre has not handled yet is then refused. */
export const TransferCancellation = z.strictObject({
  ...header,
  type: z.literal('transfer-cancellation'),
  payload: z.strictObject({ transferId }),
});

export const Envelope = z.discriminatedUnion('type', [
  PropertyFactsRequest,
  PropertyFactsReply,
  WithdrawalSubmitted,
  LoanRepaymentsRequest,
  LoanRepaymentsReply,
  PingMessage,
  PongMessage,
  DepositFactsRequest,
  DepositFactsReply,
  TransferLetter,
  TransferAnswer,
  TransferResult,
  TransferCancellation,
]);
export type Envelope = z.output<typeof Envelope>;
export type MessageType = Envelope['type'];
export type MessageOf<T extends MessageType> = Extract<Envelope, { type: T }>;

export class InvalidEnvelopeError extends Error {
  override name = 'InvalidEnvelopeError';
}

/** Parse a queue message body; a body that is not a valid envelope throws (it ends in the DLQ). */
export function parseEnvelope(body: string): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidEnvelopeError('message body is not JSON');
  }
  const result = z.safeParse(Envelope, json);
  if (!result.success) {
    const where = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`).join('; ');
    throw new InvalidEnvelopeError(`message is not a valid envelope: ${where}`);
  }
  return result.data;
}

type Header = Pick<Envelope, 'from' | 'to' | 'correlationId'>;

/** A new message of a type, stamped with a fresh request id and its deadline. */
/**
 * The same request asked again as a new message (a new request id, so the receiver, idempotent by
 * request id, answers it afresh), with a new deadline.
 */
export function reissue(message: Envelope, deadline: Date, now: Date): Envelope {
  return {
    ...message,
    requestId: crypto.randomUUID(),
    sentAt: now.toISOString(),
    deadline: deadline.toISOString(),
  };
}

export function newMessage<T extends MessageType>(
  type: T,
  route: Header & { deadline: Date; now?: Date },
  body: Omit<MessageOf<T>, keyof typeof header | 'type'>,
): MessageOf<T> {
  const now = route.now ?? new Date();
  return {
    ...body,
    version: ENVELOPE_VERSION,
    requestId: crypto.randomUUID(),
    correlationId: route.correlationId,
    from: route.from,
    to: route.to,
    sentAt: now.toISOString(),
    deadline: route.deadline.toISOString(),
    type,
  } as MessageOf<T>;
}
