/**
 * Voluntary deposits (灵活就业人员自愿缴存):
 *  POST /v1/me/voluntary-accounts                                            open an account with no employer
 *  POST /v1/me/voluntary-accounts/{personalAccountNo}/remittances            a month's payment order (缴款单)
 *  GET  /v1/me/voluntary-accounts/{personalAccountNo}/remittances            the account's orders
 *  GET  /v1/me/voluntary-accounts/{personalAccountNo}/remittances/{orderId}  one order
 *  POST /v1/me/voluntary-accounts/{personalAccountNo}/remittances/{orderId}/cancellation
 *  POST /v1/agent/payment-confirmations                                      the centre's bank: money received
 * A citizen acts only on their own voluntary accounts (else 404); a bank only on orders of its own
 * centre (else 404).
 */

import type * as z from 'zod/mini';
import { CITIES } from '../../shared/config/cities.js';
import { isCollectingBank } from '../../shared/config/collecting-banks.js';
import type { PersonalAccountRecord } from '../../shared/deposits/store.js';
import {
  cancelPaymentOrder,
  confirmPayment,
  createPaymentOrder,
  getPaymentOrder,
  openVoluntary,
  orderKeyOf,
  orderView,
  ownVoluntaryAccount,
  paymentOrdersOf,
} from '../../shared/deposits/voluntary.js';
import { DomainError } from '../../shared/errors/domain-error.js';
import { byRoute, httpHandler } from '../../shared/http/handler.js';
import type { IdempotencyScope } from '../../shared/http/idempotency.js';
import { cityOf } from '../../shared/http/ownership.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import {
  AccountPath,
  OrderPath,
  PaymentConfirmationBody,
  PaymentOrderBody,
  VoluntaryAccountBody,
} from './contract.js';

function voluntaryAccountView(account: PersonalAccountRecord) {
  const city = CITIES[account.city];
  return {
    personalAccountNo: account.personalAccountNo,
    centre: { code: city.code, nameZh: city.nameZh, nameEn: city.nameEn },
    depositor: 'self' as const,
    status: account.status,
    balanceFen: account.balanceFen,
    monthlyDepositBaseFen: account.monthlyDepositBaseFen,
    rateBasisPoints: account.employeeRateBasisPoints,
    dueDay: account.payday,
    ruleVersion: account.ruleVersion,
    openedAt: account.openedAt,
  };
}

const openAccount = httpHandler({
  role: 'citizen',
  body: VoluntaryAccountBody,
  handle: async ({ body, caller, idempotency }) => {
    const account = await openVoluntary({
      seed: (idempotency as IdempotencyScope).seed,
      city: body.city,
      personKey: await personKey(caller.idNumber),
      name: body.name,
      idNumberMasked: maskIdNumber(caller.idNumber),
      monthlyDepositBaseFen: body.monthlyDepositBaseFen,
      rateBasisPoints: body.rateBasisPoints,
    });
    return {
      status: 201,
      headers: { location: `/v1/me/voluntary-accounts/${account.personalAccountNo}` },
      body: voluntaryAccountView(account),
    };
  },
});

async function ownAccount(personalAccountNo: string, idNumber: string) {
  const repository = centreRepository(cityOf(personalAccountNo));
  const account = await ownVoluntaryAccount(await personKey(idNumber), personalAccountNo, repository);
  return { repository, account };
}

const orderMonth = httpHandler({
  role: 'citizen',
  path: AccountPath,
  body: PaymentOrderBody,
  handle: async ({ path, body, caller, idempotency }) => {
    const repository = centreRepository(cityOf(path.personalAccountNo));
    const now = new Date();
    const { created, order } = await createPaymentOrder(repository, {
      personalAccountNo: path.personalAccountNo,
      personKey: await personKey(caller.idNumber),
      month: body.month,
      seed: (idempotency as IdempotencyScope).seed,
      now,
    });
    return {
      status: created ? 201 : 200,
      headers: {
        location: `/v1/me/voluntary-accounts/${path.personalAccountNo}/remittances/${order.orderId}`,
      },
      body: orderView(order, now),
    };
  },
});

const listOrders = httpHandler({
  role: 'citizen',
  path: AccountPath,
  handle: async ({ path, caller }) => {
    const { repository, account } = await ownAccount(path.personalAccountNo, caller.idNumber);
    const now = new Date();
    const orders = await paymentOrdersOf(repository, account);
    return { status: 200, body: { orders: orders.map((order) => orderView(order, now)) } };
  },
});

async function ownOrder(path: z.output<typeof OrderPath>, idNumber: string) {
  const { repository } = await ownAccount(path.personalAccountNo, idNumber);
  const order = await getPaymentOrder(repository, path.orderId);
  if (!order || order.personalAccountNo !== path.personalAccountNo) throw new DomainError('NOT_FOUND');
  return { repository, order };
}

const showOrder = httpHandler({
  role: 'citizen',
  path: OrderPath,
  handle: async ({ path, caller }) => {
    const { order } = await ownOrder(path, caller.idNumber);
    return { status: 200, body: orderView(order, new Date()) };
  },
});

const cancelOrder = httpHandler({
  role: 'citizen',
  path: OrderPath,
  handle: async ({ path, caller }) => {
    const { repository, order } = await ownOrder(path, caller.idNumber);
    const now = new Date();
    return { status: 200, body: orderView(await cancelPaymentOrder(repository, order, now), now) };
  },
});

const confirm = httpHandler({
  role: 'agent',
  body: PaymentConfirmationBody,
  handle: async ({ body, caller }) => {
    const located = orderKeyOf(body.orderId);
    // A centre's bank confirms payments into that centre's account only: another's orders are not found.
    if (!located || located.city !== caller.city) throw new DomainError('NOT_FOUND');
    if (!isCollectingBank(located.city, caller.agentOrgId)) throw new DomainError('NOT_A_COLLECTING_BANK');
    const now = new Date();
    const { alreadyConfirmed, order } = await confirmPayment(centreRepository(located.city), {
      ...body,
      agentOrgId: caller.agentOrgId,
      subject: caller.subject,
      now,
    });
    return { status: 200, body: { alreadyConfirmed, order: orderView(order, now) } };
  },
});

export const handler = byRoute({
  'POST /v1/me/voluntary-accounts': openAccount,
  'POST /v1/me/voluntary-accounts/{personalAccountNo}/remittances': orderMonth,
  'GET /v1/me/voluntary-accounts/{personalAccountNo}/remittances': listOrders,
  'GET /v1/me/voluntary-accounts/{personalAccountNo}/remittances/{orderId}': showOrder,
  'POST /v1/me/voluntary-accounts/{personalAccountNo}/remittances/{orderId}/cancellation': cancelOrder,
  'POST /v1/agent/payment-confirmations': confirm,
});
