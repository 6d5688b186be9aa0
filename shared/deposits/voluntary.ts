/**
 * Voluntary deposits (灵活就业人员自愿缴存, DESIGN.md §2a): an account with no employer, opened by
 * the person at a centre of their choice, who pays both shares at the one rate they chose.
 *
 * - Opening is refused while an employer still deposits for the person anywhere in the region
 *   (重复缴存): a fact read, not declared — the regional index of the person's accounts and each
 *   listed account in its centre. The opening's transaction requires the person's regional count
 *   of deposit starts (store.ts `DEPOSIT_STARTS`) to be the one read before the check, so an
 *   account opened or unsealed anywhere in between makes the opening check again.
 * - A month is paid by a payment order (缴款单) at that month's terms; the account is credited only
 *   when the centre's bank confirms the payment, once: the posting carries the same guard as an
 *   employer's remittance (`POSTED#REMIT#<month>`), so a month is deposited once whatever the way.
 *
 * Records, in the account's partition `C#<city>#PACCT#<personalAccountNo>`:
 *   SK `PAYORDER#<YYYY-MM>#<suffix>`  a payment order (id `<personalAccountNo>-<YYYYMM>-<suffix>`)
 *   SK `PAYMONTH#<YYYY-MM>`           the month's live order (awaiting payment or paid): one at a time
 * and `C#<city>#BANKREF#<hash>` / `CONFIRMATION`: a bank's reference confirms one order only.
 */
import { createHash } from 'node:crypto';
import { dayInMonth, monthOf, nextMonth, type YearMonth } from '../calendar/dates.js';
import { toBeijingDate } from '../calendar/working-days.js';
import type { CityCode } from '../config/cities.js';
import { DomainError, type FieldError } from '../errors/domain-error.js';
import { personalAccountPartition, postingGuardKey, postingItems } from '../ledger/ledger.js';
import { type CentreRepository, centreRepository } from '../persistence/centre-repository.js';
import { accountIndexOfPerson } from '../persistence/person-accounts.js';
import { centreKey } from '../persistence/table.js';
import { withOptimisticRetry } from '../persistence/transactions.js';
import { parametersInForce } from '../rules/centre-parameters.js';
import { depositRunAfter, remittanceReference } from './remittance.js';
import {
  checkDepositTerms,
  monthlyDeposit,
  ORDER_ID,
  type RemittanceWindow,
  remittanceWindow,
} from './rules.js';
import {
  depositStartsKey,
  getPersonalAccount,
  isVoluntary,
  openVoluntaryAccount,
  type PersonalAccountRecord,
  termsFor,
} from './store.js';

/**
 * A voluntary account's due day: a month may be paid until the 15th of the following month (an
 * employer's is its payday). Recorded on the account, so a later change applies to new accounts.
 */
export const VOLUNTARY_DUE_DAY = 15;

/** How far a bank's stated payment time may be ahead of our clock. */
const CLOCK_SKEW_MS = 5 * 60_000;

// ---------------------------------------------------------------------------------------------------
// Opening

interface Depositing {
  city: CityCode;
  depositor: 'employer' | 'self';
}

/**
 * Where deposits are still made for the person: every normal account with an employer, and a
 * normal voluntary account in another centre than `city`. With the regional count of deposit starts
 * read before the accounts, for the opening's transaction to hold to.
 */
export async function depositsElsewhere(
  personKey: string,
  city: CityCode,
): Promise<{ depositing: Depositing[]; startsSeen: number }> {
  const starts = await centreRepository(city).get(depositStartsKey(personKey), { consistent: true });
  const entries = await accountIndexOfPerson(personKey);
  const accounts = await Promise.all(
    entries.map((entry) => getPersonalAccount(centreRepository(entry.city), entry.personalAccountNo)),
  );
  const depositing = accounts
    .filter((a): a is NonNullable<typeof a> => a?.status === 'normal')
    .filter((a) => !isVoluntary(a) || a.city !== city)
    .map((a) => ({ city: a.city, depositor: isVoluntary(a) ? ('self' as const) : ('employer' as const) }));
  return { depositing, startsSeen: Number(starts?.count ?? 0) };
}

function duplicateDeposit(depositing: Depositing[]): DomainError {
  return new DomainError('VOLUNTARY_DEPOSIT_DUPLICATE', { depositingAt: depositing });
}

export interface VoluntaryTerms {
  monthlyDepositBaseFen: number;
  /** One rate for both shares: the person pays the employee's and the employer's. */
  rateBasisPoints: number;
}

/** The terms under the centre's rule version in force today, or a 422 naming each field crossed. */
function assertTermsAllowed(city: CityCode, terms: VoluntaryTerms, today: string): string {
  const params = parametersInForce(city, today);
  const violations = checkDepositTerms(params, {
    baseFen: terms.monthlyDepositBaseFen,
    employeeRateBasisPoints: terms.rateBasisPoints,
    employerRateBasisPoints: terms.rateBasisPoints,
  });
  // Both shares take the one rate: its violation is reported once, on the field the person sent.
  const errors: FieldError[] = [];
  for (const { field, code, message, ...limit } of violations) {
    const named = field === 'monthlyDepositBaseFen' ? field : 'rateBasisPoints';
    if (errors.some((e) => e.field === named)) continue;
    errors.push({ in: 'body', field: named, code, message, ...limit });
  }
  if (errors.length > 0) {
    throw new DomainError('DEPOSIT_TERMS_OUT_OF_LIMITS', { errors, ruleVersion: params.ruleVersion });
  }
  return params.ruleVersion;
}

export interface OpenVoluntaryInput extends VoluntaryTerms {
  city: CityCode;
  personKey: string;
  name: string;
  idNumberMasked: string;
  /** The request's idempotency seed, kept on the account. */
  seed: string;
  now?: Date;
}

export async function openVoluntary(input: OpenVoluntaryInput): Promise<PersonalAccountRecord> {
  const now = input.now ?? new Date();
  const ruleVersion = assertTermsAllowed(input.city, input, toBeijingDate(now));
  const repository = centreRepository(input.city);
  // An account opened or unsealed anywhere between the check and the write moves the count: check again.
  const result = await withOptimisticRetry(async () => {
    const { depositing, startsSeen } = await depositsElsewhere(input.personKey, input.city);
    if (depositing.length > 0) throw duplicateDeposit(depositing);
    return openVoluntaryAccount(
      repository,
      {
        personKey: input.personKey,
        name: input.name,
        idNumberMasked: input.idNumberMasked,
        monthlyDepositBaseFen: input.monthlyDepositBaseFen,
        employeeRateBasisPoints: input.rateBasisPoints,
        employerRateBasisPoints: input.rateBasisPoints,
        payday: VOLUNTARY_DUE_DAY,
        openingSeed: input.seed,
        ruleVersion,
        openedAt: now.toISOString(),
      },
      startsSeen,
    );
  });
  if (!result.opened) {
    const existing = await getPersonalAccount(repository, result.personalAccountNo);
    // This very request, retried after it opened the account but before it answered.
    if (existing?.openingSeed === input.seed) return existing;
    const own = existing !== undefined && isVoluntary(existing);
    throw new DomainError('PERSON_HAS_ACCOUNT_IN_CENTRE', {
      message: {
        'zh-CN': own
          ? `您已在本中心开立自愿缴存账户 ${result.personalAccountNo}。`
          : '您在本中心已有个人账户（一人在一个中心只能有一个个人账户），请先办理账户转移。',
        en: own
          ? `You already have voluntary account ${result.personalAccountNo} in this centre.`
          : 'You already have an account in this centre (one per person per centre); it must be transferred first.',
      },
      ...(own ? { personalAccountNo: result.personalAccountNo } : {}),
    });
  }
  return result.record;
}

// ---------------------------------------------------------------------------------------------------
// Payment orders (缴款单)

export type PaymentOrderStatus = 'awaiting_payment' | 'paid' | 'cancelled';

export interface PaymentOrder {
  orderId: string;
  personalAccountNo: string;
  city: CityCode;
  month: YearMonth;
  status: PaymentOrderStatus;
  amountFen: number;
  employeeShareFen: number;
  employerShareFen: number;
  monthlyDepositBaseFen: number;
  rateBasisPoints: number;
  ruleVersion: string;
  createdAt: string;
  /** The end of the due day (Beijing time): unpaid by then, the order expires. */
  expiresAt: string;
  paidAt?: string;
  bankReference?: string;
  confirmedAt?: string;
  confirmedBy?: { agentOrgId: string; subject: string };
  cancelledAt?: string;
}

type OrderRecord = PaymentOrder & { PK: string; SK: string; [attribute: string]: unknown };

export { ORDER_ID };

function orderKey(city: CityCode, personalAccountNo: string, month: string, suffix: string) {
  return { PK: personalAccountPartition(city, personalAccountNo), SK: `PAYORDER#${month}#${suffix}` };
}

function monthKey(city: CityCode, personalAccountNo: string, month: string) {
  return { PK: personalAccountPartition(city, personalAccountNo), SK: `PAYMONTH#${month}` };
}

/** The order's key from its id alone (the id names the account, hence the centre, and the month). */
export function orderKeyOf(
  orderId: string,
):
  | { city: CityCode; personalAccountNo: string; month: YearMonth; key: { PK: string; SK: string } }
  | undefined {
  const match = ORDER_ID.exec(orderId);
  if (!match) return undefined;
  const [, personalAccountNo, year, mm, suffix] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  const city = personalAccountNo.slice(0, 6) as CityCode;
  const month = `${year}-${mm}`;
  return { city, personalAccountNo, month, key: orderKey(city, personalAccountNo, month, suffix) };
}

/** What the citizen and the bank see; an awaiting order past its due day shows as expired. */
export function orderView(order: PaymentOrder, now: Date) {
  const { PK: _pk, SK: _sk, ...rest } = order as OrderRecord;
  const expired = order.status === 'awaiting_payment' && now.toISOString() > order.expiresAt;
  return { ...rest, status: expired ? 'expired' : order.status };
}

function monthProblems(month: string, openingMonth: string, window: RemittanceWindow, today: string) {
  const range = window.earliest ? { allowedFrom: window.earliest, allowedTo: window.latest } : {};
  if (month > monthOf(today)) {
    return new DomainError('REMITTANCE_MONTH_IN_FUTURE', {
      message: {
        'zh-CN': `不能缴存未来月份（${month}）。`,
        en: `Cannot pay for a future month (${month}).`,
      },
      month,
      ...range,
    });
  }
  return new DomainError('REMITTANCE_MONTH_NOT_REMITTABLE', {
    message:
      month < openingMonth
        ? {
            'zh-CN': `${month} 早于账户开户月份 ${openingMonth}，不能缴存。`,
            en: `${month} is before the account's opening month ${openingMonth}: nothing is owed for it.`,
          }
        : {
            'zh-CN': `${month} 已过缴存期限（次月 ${VOLUNTARY_DUE_DAY} 日），自愿缴存不办理补缴。`,
            en: `${month} is past its due date (the ${VOLUNTARY_DUE_DAY}th of the following month); voluntary deposits have no back-pay.`,
          },
    month,
    openingMonth,
    ...range,
  });
}

/** The citizen's own voluntary account, or 404 (absent, another person's, or one with an employer). */
export async function ownVoluntaryAccount(
  personKey: string,
  personalAccountNo: string,
  repository: CentreRepository,
): Promise<PersonalAccountRecord> {
  const account = await getPersonalAccount(repository, personalAccountNo);
  if (!account || account.personKey !== personKey || !isVoluntary(account))
    throw new DomainError('NOT_FOUND');
  return account;
}

export interface CreateOrderInput {
  personalAccountNo: string;
  personKey: string;
  month: YearMonth;
  /** The request's idempotency seed: the order id derives from it, so a retry finds the same order. */
  seed: string;
  now?: Date;
}

export async function createPaymentOrder(
  repository: CentreRepository,
  input: CreateOrderInput,
): Promise<{ created: boolean; order: PaymentOrder }> {
  const now = input.now ?? new Date();
  const today = toBeijingDate(now);
  const account = await ownVoluntaryAccount(input.personKey, input.personalAccountNo, repository);
  const city = repository.city;
  const suffix = createHash('sha256').update(input.seed).digest('hex').slice(0, 12).toUpperCase();
  const orderId = `${account.personalAccountNo}-${input.month.replace('-', '')}-${suffix}`;
  const key = orderKey(city, account.personalAccountNo, input.month, suffix);
  const existing = await repository.get<OrderRecord>(key, { consistent: true });
  // A retry of a request that wrote its order before failing: the same order.
  if (existing) return { created: false, order: existing };

  if (account.status !== 'normal') throw new DomainError('ACCOUNT_CLOSED');
  const payday = account.payday ?? VOLUNTARY_DUE_DAY;
  const openingMonth = monthOf(toBeijingDate(account.openedAt));
  const window = remittanceWindow({ openingMonth, payday, today });
  if (window.earliest === undefined || input.month < window.earliest || input.month > monthOf(today)) {
    throw monthProblems(input.month, openingMonth, window, today);
  }
  // Taking a job since the opening is 重复缴存 too: no new month is paid while an employer deposits.
  const { depositing } = await depositsElsewhere(input.personKey, city);
  if (depositing.length > 0) throw duplicateDeposit(depositing);

  const params = parametersInForce(city, today);
  const terms = termsFor(account, input.month);
  const amounts = monthlyDeposit({
    baseFen: terms.monthlyDepositBaseFen,
    employeeRateBasisPoints: terms.employeeRateBasisPoints,
    employerRateBasisPoints: terms.employerRateBasisPoints,
    rounding: params.depositRounding,
  });
  const dueDate = dayInMonth(nextMonth(input.month), payday);
  const order: OrderRecord = {
    ...key,
    orderId,
    personalAccountNo: account.personalAccountNo,
    city,
    month: input.month,
    status: 'awaiting_payment',
    amountFen: amounts.totalFen,
    employeeShareFen: amounts.employeeShareFen,
    employerShareFen: amounts.employerShareFen,
    monthlyDepositBaseFen: terms.monthlyDepositBaseFen,
    rateBasisPoints: terms.employeeRateBasisPoints,
    ruleVersion: params.ruleVersion,
    createdAt: now.toISOString(),
    expiresAt: new Date(`${dueDate}T23:59:59.999+08:00`).toISOString(),
  };
  const [live, posted] = await Promise.all([
    repository.get(monthKey(city, account.personalAccountNo, input.month), { consistent: true }),
    repository.get(postingGuardKey(city, account.personalAccountNo, remittanceReference(input.month)), {
      consistent: true,
    }),
  ]);
  if (posted) throw monthDeposited(input.month);
  if (live) throw await liveOrderConflict(repository, String(live.orderId), now);
  try {
    await repository.transactWrite([
      {
        Put: {
          Item: { ...monthKey(city, account.personalAccountNo, input.month), orderId },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        ConditionCheck: {
          Key: postingGuardKey(city, account.personalAccountNo, remittanceReference(input.month)),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      { Put: { Item: order, ConditionExpression: 'attribute_not_exists(PK)' } },
    ]);
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
    // Another order for the month, or the month credited, meanwhile.
    const winner = await repository.get(monthKey(city, account.personalAccountNo, input.month), {
      consistent: true,
    });
    if (winner?.orderId === orderId) return { created: false, order };
    if (winner) throw await liveOrderConflict(repository, String(winner.orderId), now);
    throw monthDeposited(input.month);
  }
  return { created: true, order };
}

function monthDeposited(month: string): DomainError {
  return new DomainError('REMITTANCE_MONTH_EXISTS', {
    message: { 'zh-CN': `${month} 已缴存入账。`, en: `${month} has already been deposited.` },
    month,
  });
}

async function liveOrderConflict(repository: CentreRepository, orderId: string, now: Date) {
  const located = orderKeyOf(orderId);
  const order = located && (await repository.get<OrderRecord>(located.key, { consistent: true }));
  if (order?.status === 'paid') return monthDeposited(order.month);
  return new DomainError('PAYMENT_ORDER_EXISTS', order ? { order: orderView(order, now) } : {});
}

/** The account's payment orders, newest month first. */
export async function paymentOrdersOf(
  repository: CentreRepository,
  account: PersonalAccountRecord,
): Promise<PaymentOrder[]> {
  const items = await repository.queryAll<OrderRecord>(account.PK, {
    sortKeyCondition: 'begins_with(SK, :order)',
    ExpressionAttributeValues: { ':order': 'PAYORDER#' },
    ScanIndexForward: false,
    ConsistentRead: true,
  });
  return items;
}

export async function getPaymentOrder(
  repository: CentreRepository,
  orderId: string,
): Promise<PaymentOrder | undefined> {
  const located = orderKeyOf(orderId);
  if (!located || located.city !== repository.city) return undefined;
  return repository.get<OrderRecord>(located.key, { consistent: true });
}

/** The citizen withdraws an order not yet paid; the month may then be ordered again. */
export async function cancelPaymentOrder(
  repository: CentreRepository,
  order: PaymentOrder,
  now = new Date(),
): Promise<PaymentOrder> {
  const located = orderKeyOf(order.orderId);
  if (!located) throw new DomainError('NOT_FOUND');
  if (order.status === 'cancelled') return order;
  if (order.status === 'paid') throw new DomainError('PAYMENT_ORDER_ALREADY_PAID');
  try {
    await repository.transactWrite([
      {
        Update: {
          Key: located.key,
          UpdateExpression: 'SET #status = :cancelled, cancelledAt = :at',
          ConditionExpression: '#status = :awaiting',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':cancelled': 'cancelled',
            ':awaiting': 'awaiting_payment',
            ':at': now.toISOString(),
          },
        },
      },
      {
        Delete: {
          Key: monthKey(repository.city, order.personalAccountNo, order.month),
          ConditionExpression: 'orderId = :order',
          ExpressionAttributeValues: { ':order': order.orderId },
        },
      },
    ]);
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
    // The bank confirmed it first: paid stays paid.
    const current = await repository.get<OrderRecord>(located.key, { consistent: true });
    if (current?.status === 'cancelled') return current;
    throw new DomainError('PAYMENT_ORDER_ALREADY_PAID');
  }
  return { ...order, status: 'cancelled', cancelledAt: now.toISOString() };
}

// ---------------------------------------------------------------------------------------------------
// The bank's confirmation (到账确认)

export interface PaymentConfirmation {
  orderId: string;
  /** The bank's own reference of the payment (银行流水号). */
  bankReference: string;
  amountFen: number;
  /** When the bank received the money. */
  paidAt: string;
  /** The confirming bank (the agent's organisation) and its user. */
  agentOrgId: string;
  subject: string;
  now?: Date;
}

function bankReferenceKey(city: CityCode, agentOrgId: string, bankReference: string) {
  const digest = createHash('sha256').update(`${agentOrgId}\u0000${bankReference}`).digest('base64url');
  return { PK: centreKey(city, 'BANKREF', digest), SK: 'CONFIRMATION' };
}

/**
 * Credits the order's month once: the ledger entry, the guard `POSTED#REMIT#<month>`, the account,
 * the order (awaiting → paid) and the bank reference in one transaction. The same confirmation
 * delivered again answers the paid order (`alreadyConfirmed`); any other is refused.
 */
export async function confirmPayment(
  repository: CentreRepository,
  confirmation: PaymentConfirmation,
): Promise<{ alreadyConfirmed: boolean; order: PaymentOrder }> {
  const now = confirmation.now ?? new Date();
  const located = orderKeyOf(confirmation.orderId);
  if (!located || located.city !== repository.city) throw new DomainError('NOT_FOUND');
  const refKey = bankReferenceKey(repository.city, confirmation.agentOrgId, confirmation.bankReference);
  return withOptimisticRetry(async () => {
    const reference = remittanceReference(located.month);
    // The order last: the reference, the guard and the account are written with the paid order,
    // so an order read after any of them is at least as new.
    const [usedRef, posted, account] = await Promise.all([
      repository.get(refKey, { consistent: true }),
      repository.get(postingGuardKey(repository.city, located.personalAccountNo, reference), {
        consistent: true,
      }),
      getPersonalAccount(repository, located.personalAccountNo),
    ]);
    const order = await repository.get<OrderRecord>(located.key, { consistent: true });
    if (!order) throw new DomainError('NOT_FOUND');
    if (order.status === 'paid') {
      const same =
        order.bankReference === confirmation.bankReference &&
        order.confirmedBy?.agentOrgId === confirmation.agentOrgId &&
        order.amountFen === confirmation.amountFen;
      if (same) return { alreadyConfirmed: true, order };
      throw new DomainError('PAYMENT_ORDER_ALREADY_PAID');
    }
    if (usedRef) throw new DomainError('BANK_REFERENCE_USED');
    if (order.status === 'cancelled')
      throw new DomainError('PAYMENT_ORDER_CLOSED', { orderStatus: 'cancelled' });
    if (confirmation.amountFen !== order.amountFen) {
      throw new DomainError('PAYMENT_AMOUNT_MISMATCH', {
        expectedFen: order.amountFen,
        receivedFen: confirmation.amountFen,
      });
    }
    if (Date.parse(confirmation.paidAt) > now.getTime() + CLOCK_SKEW_MS) {
      throw new DomainError('VALIDATION_FAILED', {
        errors: [
          {
            in: 'body',
            field: 'paidAt',
            code: 'PAID_AT_IN_FUTURE',
            message: { 'zh-CN': '到账时间不能晚于当前时间。', en: 'paidAt cannot be in the future.' },
          },
        ],
      });
    }
    if (new Date(confirmation.paidAt).toISOString() < order.createdAt) {
      throw new DomainError('VALIDATION_FAILED', {
        errors: [
          {
            in: 'body',
            field: 'paidAt',
            code: 'PAID_AT_BEFORE_ORDER',
            message: {
              'zh-CN': '到账时间不能早于缴款单的生成时间。',
              en: 'paidAt cannot be before the payment order was made.',
            },
          },
        ],
      });
    }
    if (new Date(confirmation.paidAt).toISOString() > order.expiresAt) {
      throw new DomainError('PAYMENT_ORDER_CLOSED', { orderStatus: 'expired', expiresAt: order.expiresAt });
    }
    if (!account) throw new DomainError('NOT_FOUND');
    // Neither can change back: refused now rather than retried until the tries run out.
    if (posted) throw monthDeposited(order.month);
    if (account.status !== 'normal') throw new DomainError('ACCOUNT_CLOSED');
    const paid: OrderRecord = {
      ...order,
      status: 'paid',
      paidAt: new Date(confirmation.paidAt).toISOString(),
      bankReference: confirmation.bankReference,
      confirmedAt: now.toISOString(),
      confirmedBy: { agentOrgId: confirmation.agentOrgId, subject: confirmation.subject },
    };
    await repository.transactWrite([
      ...postingItems(repository.city, account, {
        reference,
        kind: 'remittance',
        amountFen: order.amountFen,
        valueDate: toBeijingDate(now),
        postedAt: now.toISOString(),
        details: {
          month: order.month,
          voluntary: true,
          orderId: order.orderId,
          bankReference: confirmation.bankReference,
          employeeShareFen: order.employeeShareFen,
          employerShareFen: order.employerShareFen,
          monthlyDepositBaseFen: order.monthlyDepositBaseFen,
          ruleVersion: order.ruleVersion,
        },
        accountSet: depositRunAfter(account, [order.month]),
        allowedStatuses: ['normal'],
      }),
      {
        Put: {
          Item: paid,
          ConditionExpression: '#status = :awaiting',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':awaiting': 'awaiting_payment' },
        },
      },
      {
        Put: {
          Item: { ...refKey, orderId: order.orderId, confirmedAt: now.toISOString() },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ]);
    return { alreadyConfirmed: false, order: paid };
  });
}
