/**
 * Voluntary deposits (灵活就业人员自愿缴存) through the local gateway: an account with no employer,
 * refused while an employer deposits for the person anywhere in the region; months paid by payment
 * orders that only the centre's bank confirmation credits, once; the account in INFO_QUERY, in
 * the interest settlement and as a loan's deposit facts.
 */
import { randomBytes } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from '@jest/globals';
import { addMonths, monthOf, nextMonth, type YearMonth } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { tableName } from '../../shared/config/runtime.js';
import { settleAccount } from '../../shared/deposits/interest.js';
import { monthlyDeposit } from '../../shared/deposits/rules.js';
import {
  changeDepositTerms,
  getPersonalAccount,
  openVoluntaryAccount,
  type PersonalAccountRecord,
} from '../../shared/deposits/store.js';
import {
  confirmPayment,
  createPaymentOrder,
  depositsElsewhere,
  openVoluntary as openVoluntaryFlow,
} from '../../shared/deposits/voluntary.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { ACCOUNT_SK, personalAccountPartition } from '../../shared/ledger/ledger.js';
import { getApplication } from '../../shared/loans/decide.js';
import type { LoanApplicationRecord } from '../../shared/loans/store.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { dynamoDocumentClient } from '../../shared/persistence/client.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import { makeDepositor, randomIdNumber } from '../support/depositors.js';
import { assertBalanceEqualsLedger } from '../support/ledger-assertions.js';
import { useLocalRegion } from '../support/local-region.js';
import { homeBoughtBy } from '../support/properties.js';
import { eventually } from '../support/region.js';

const XUZHOU: CityCode = '320300';
const JINING: CityCode = '370800';
const LINYI: CityCode = '371300';

const TODAY = toBeijingDate(new Date());
const THIS_MONTH = monthOf(TODAY);

const region = useLocalRegion();

const touched: [CityCode, string][] = [];
afterEach(async () => {
  for (const [city, no] of touched.splice(0)) await assertBalanceEqualsLedger(city, no);
  expect(region.api.handlerErrors).toEqual([]);
});

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  body: any;
}

async function call(
  method: string,
  path: string,
  options: { token: string; json?: unknown; key?: string },
): Promise<Answer> {
  const response = await region.api.request(method, path, {
    token: options.token,
    ...(options.json === undefined ? {} : { json: options.json }),
    headers: options.key ? { 'idempotency-key': options.key } : {},
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

function expectProblem(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body?.code }).toEqual({ status, code });
}

const key = () => `vol-${randomBytes(10).toString('hex')}`;
const citizen = (idNumber: string) =>
  region.api.token({ sub: `citizen-${idNumber.slice(-8)}`, role: 'citizen', idNumber });
const bank = (city: CityCode, org = `BANK-${city}`) =>
  region.api.token({ sub: `bank-${org}`, role: 'agent', city, agentOrgId: org });

function terms(city: CityCode) {
  const params = parametersInForce(city, TODAY);
  return {
    monthlyDepositBaseFen: params.depositBaseFloorFen * 2,
    rateBasisPoints: params.depositRateMinBasisPoints + 100,
    deposit: (base = params.depositBaseFloorFen * 2, rate = params.depositRateMinBasisPoints + 100) =>
      monthlyDeposit({
        baseFen: base,
        employeeRateBasisPoints: rate,
        employerRateBasisPoints: rate,
        rounding: params.depositRounding,
      }).totalFen,
  };
}

async function openVoluntary(city: CityCode, token: string, idempotencyKey = key()) {
  const { deposit: _d, ...body } = terms(city);
  return call('POST', '/v1/me/voluntary-accounts', {
    token,
    key: idempotencyKey,
    json: { city, name: '灵活就业人员', ...body },
  });
}

async function order(token: string, personalAccountNo: string, month: string, idempotencyKey = key()) {
  return call('POST', `/v1/me/voluntary-accounts/${personalAccountNo}/remittances`, {
    token,
    key: idempotencyKey,
    json: { month },
  });
}

async function confirm(
  token: string,
  body: { orderId: string; amountFen: number; bankReference?: string; paidAt?: string },
) {
  return call('POST', '/v1/agent/payment-confirmations', {
    token,
    key: key(),
    json: {
      bankReference: `BR-${randomBytes(6).toString('hex')}`,
      paidAt: new Date().toISOString(),
      ...body,
    },
  });
}

async function myAccounts(token: string) {
  const answer = await call('GET', '/v1/me/accounts', { token });
  expect(answer.status).toBe(200);
  return answer.body.accounts as Record<string, unknown>[];
}

describe('opening a voluntary account', () => {
  it('opens with no employer, shows in INFO_QUERY, and keeps one account per person per centre', async () => {
    const idNumber = randomIdNumber();
    const token = await citizen(idNumber);
    const k = key();
    const opened = await openVoluntary(XUZHOU, token, k);
    expect(opened.status).toBe(201);
    const no = opened.body.personalAccountNo as string;
    touched.push([XUZHOU, no]);
    expect(opened.body).toMatchObject({
      depositor: 'self',
      status: 'normal',
      balanceFen: 0,
      dueDay: 15,
      rateBasisPoints: terms(XUZHOU).rateBasisPoints,
      ruleVersion: expect.stringMatching(/^320300-/),
    });
    // The person pays both shares at the one rate.
    const account = await getPersonalAccount(centreRepository(XUZHOU), no);
    expect(account).not.toHaveProperty('employerAccountNo');
    expect(account?.employeeRateBasisPoints).toBe(account?.employerRateBasisPoints);

    expect(await myAccounts(token)).toEqual([
      expect.objectContaining({
        personalAccountNo: no,
        depositor: 'self',
        employerAccountNo: null,
        balanceFen: 0,
      }),
    ]);

    // The same key and body: the same answer. The same key, another body: 422.
    const replay = await openVoluntary(XUZHOU, token, k);
    expect(replay.status).toBe(201);
    expect(replay.body.personalAccountNo).toBe(no);
    const other = await call('POST', '/v1/me/voluntary-accounts', {
      token,
      key: k,
      json: { city: XUZHOU, name: '另一个名字', ...(({ deposit: _d, ...b }) => b)(terms(XUZHOU)) },
    });
    expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
    // A new key for a second account in the same centre: 409, naming the account.
    const again = await openVoluntary(XUZHOU, token);
    expectProblem(again, 409, 'PERSON_HAS_ACCOUNT_IN_CENTRE');
    expect(again.body.personalAccountNo).toBe(no);
    // A second voluntary account in another centre is 重复缴存.
    const elsewhere = await openVoluntary(LINYI, token);
    expectProblem(elsewhere, 422, 'VOLUNTARY_DEPOSIT_DUPLICATE');
  });

  it('refuses a base below the floor or a rate out of range, naming the field', async () => {
    const token = await citizen(randomIdNumber());
    const params = parametersInForce(JINING, TODAY);
    const low = await call('POST', '/v1/me/voluntary-accounts', {
      token,
      key: key(),
      json: {
        city: JINING,
        name: '甲',
        monthlyDepositBaseFen: params.depositBaseFloorFen - 1,
        rateBasisPoints: params.depositRateMinBasisPoints,
      },
    });
    expectProblem(low, 422, 'DEPOSIT_TERMS_OUT_OF_LIMITS');
    expect(low.body.errors).toEqual([
      expect.objectContaining({
        field: 'monthlyDepositBaseFen',
        code: 'DEPOSIT_BASE_BELOW_FLOOR',
        limitFen: params.depositBaseFloorFen,
      }),
    ]);
    const rate = await call('POST', '/v1/me/voluntary-accounts', {
      token,
      key: key(),
      json: {
        city: JINING,
        name: '甲',
        monthlyDepositBaseFen: params.depositBaseFloorFen,
        rateBasisPoints: params.depositRateMaxBasisPoints + 1,
      },
    });
    expectProblem(rate, 422, 'DEPOSIT_TERMS_OUT_OF_LIMITS');
    expect(rate.body.errors).toEqual([
      expect.objectContaining({ field: 'rateBasisPoints', code: 'DEPOSIT_RATE_OUT_OF_RANGE' }),
    ]);
    expect(await myAccounts(token)).toEqual([]);
  });

  it('is refused while an employer deposits for the person, in another centre or this one', async () => {
    const person = await makeDepositor([JINING], 1);
    const token = await citizen(person.idNumber);
    for (const city of [XUZHOU, JINING] as const) {
      const refused = await openVoluntary(city, token);
      expectProblem(refused, 422, 'VOLUNTARY_DEPOSIT_DUPLICATE');
      expect(refused.body.depositingAt).toEqual([{ city: JINING, depositor: 'employer' }]);
    }
    // Once the employer has sealed the account (封存, the job ended), the person may deposit voluntarily.
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { PK: personalAccountPartition(JINING, person.accounts[JINING] as string), SK: ACCOUNT_SK },
        UpdateExpression: 'SET #status = :sealed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sealed': 'sealed' },
      }),
    );
    const opened = await openVoluntary(XUZHOU, token);
    expect(opened.status).toBe(201);
    touched.push([XUZHOU, opened.body.personalAccountNo]);

    // Hired again elsewhere since: no new month is ordered while an employer deposits.
    const hired = await makeDepositor([LINYI], 0, person.idNumber);
    expect(hired.accounts[LINYI]).toBeDefined();
    expectProblem(
      await order(token, opened.body.personalAccountNo, THIS_MONTH),
      422,
      'VOLUNTARY_DEPOSIT_DUPLICATE',
    );
  });

  it('an opening retried after it wrote the account answers that account', async () => {
    const idNumber = randomIdNumber();
    const input = {
      city: XUZHOU,
      personKey: await personKey(idNumber),
      name: '甲',
      idNumberMasked: maskIdNumber(idNumber),
      monthlyDepositBaseFen: terms(XUZHOU).monthlyDepositBaseFen,
      rateBasisPoints: terms(XUZHOU).rateBasisPoints,
      seed: `seed-${key()}`,
    };
    const first = await openVoluntaryFlow(input);
    const retried = await openVoluntaryFlow(input);
    expect(retried.personalAccountNo).toBe(first.personalAccountNo);
    await expect(openVoluntaryFlow({ ...input, seed: `seed-${key()}` })).rejects.toMatchObject({
      code: 'PERSON_HAS_ACCOUNT_IN_CENTRE',
    });
  });

  it('an employer account unsealed between the check and the write fails the opening', async () => {
    const person = await makeDepositor([JINING], 1);
    const repository = centreRepository(JINING);
    const employed = (await getPersonalAccount(
      repository,
      person.accounts[JINING] as string,
    )) as PersonalAccountRecord;
    const meta = { changedBy: 'test', changedAt: new Date().toISOString(), effectiveMonth: THIS_MONTH };
    await changeDepositTerms(
      repository,
      employed,
      { status: 'sealed', ruleVersion: employed.ruleVersion },
      {
        ...meta,
        changeId: key(),
      },
    );
    const checked = await depositsElsewhere(person.personKey, XUZHOU);
    expect(checked.depositing).toEqual([]);
    // 启封 after the check: the count of deposit starts moved, so the stale opening cannot commit.
    const sealed = (await getPersonalAccount(
      repository,
      employed.personalAccountNo,
    )) as PersonalAccountRecord;
    await changeDepositTerms(
      repository,
      sealed,
      { status: 'normal', ruleVersion: sealed.ruleVersion },
      {
        ...meta,
        changeId: key(),
      },
    );
    const idNumberMasked = maskIdNumber(person.idNumber);
    await expect(
      openVoluntaryAccount(
        centreRepository(XUZHOU),
        {
          personKey: person.personKey,
          name: '甲',
          idNumberMasked,
          monthlyDepositBaseFen: terms(XUZHOU).monthlyDepositBaseFen,
          employeeRateBasisPoints: terms(XUZHOU).rateBasisPoints,
          employerRateBasisPoints: terms(XUZHOU).rateBasisPoints,
          payday: 15,
          openingSeed: key(),
          ruleVersion: 'test',
          openedAt: new Date().toISOString(),
        },
        checked.startsSeen,
      ),
    ).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    // Checked again, it is refused.
    expectProblem(
      await openVoluntary(XUZHOU, await citizen(person.idNumber)),
      422,
      'VOLUNTARY_DEPOSIT_DUPLICATE',
    );
  });

  it('two openings in two centres at once: one account', async () => {
    const token = await citizen(randomIdNumber());
    const answers = await Promise.all([openVoluntary(XUZHOU, token), openVoluntary(LINYI, token)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422]);
    const accounts = await myAccounts(token);
    expect(accounts).toHaveLength(1);
  });
});

describe('payment orders and the bank confirmation', () => {
  async function voluntaryDepositor(city: CityCode = XUZHOU) {
    const idNumber = randomIdNumber();
    const token = await citizen(idNumber);
    const opened = await openVoluntary(city, token);
    expect(opened.status).toBe(201);
    const no = opened.body.personalAccountNo as string;
    touched.push([city, no]);
    return { idNumber, token, no };
  }

  it('credits a month only on the confirmation, once however often it is delivered', async () => {
    const { token, no } = await voluntaryDepositor();
    const created = await order(token, no, THIS_MONTH);
    expect(created.status).toBe(201);
    const amountFen = terms(XUZHOU).deposit();
    expect(created.body).toMatchObject({ month: THIS_MONTH, status: 'awaiting_payment', amountFen });
    expect(created.body.employeeShareFen).toBe(created.body.employerShareFen);
    const orderId = created.body.orderId as string;

    // Not credited yet.
    expect((await myAccounts(token))[0]).toMatchObject({ balanceFen: 0, lastDepositMonth: null });
    const listed = await call('GET', `/v1/me/voluntary-accounts/${no}/remittances`, { token });
    expect(listed.body.orders).toEqual([expect.objectContaining({ orderId, status: 'awaiting_payment' })]);

    // A month with a live order takes no second one.
    expectProblem(await order(token, no, THIS_MONTH), 409, 'PAYMENT_ORDER_EXISTS');

    const teller = await bank(XUZHOU);
    // Refused: another centre's bank, an agent that is not a collecting bank (a sales office), a
    // payment dated before the order, a wrong amount, an order that does not exist.
    expectProblem(await confirm(await bank(LINYI), { orderId, amountFen }), 404, 'NOT_FOUND');
    expectProblem(
      await confirm(await bank(XUZHOU, 'SALESOFFICE-XZ-0001'), { orderId, amountFen }),
      403,
      'NOT_A_COLLECTING_BANK',
    );
    const early = await confirm(teller, { orderId, amountFen, paidAt: '2000-01-01T00:00:00Z' });
    expectProblem(early, 400, 'VALIDATION_FAILED');
    expect(early.body.errors).toEqual([
      expect.objectContaining({ field: 'paidAt', code: 'PAID_AT_BEFORE_ORDER' }),
    ]);
    const wrong = await confirm(teller, { orderId, amountFen: amountFen - 1 });
    expectProblem(wrong, 422, 'PAYMENT_AMOUNT_MISMATCH');
    const ghost = `${no}-${THIS_MONTH.replace('-', '')}-000000000000`;
    expectProblem(await confirm(teller, { orderId: ghost, amountFen }), 404, 'NOT_FOUND');
    expect((await myAccounts(token))[0]).toMatchObject({ balanceFen: 0 });

    const bankReference = `BR-${randomBytes(6).toString('hex')}`;
    const first = await confirm(teller, { orderId, amountFen, bankReference });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ alreadyConfirmed: false, order: { status: 'paid', bankReference } });
    const second = await confirm(teller, { orderId, amountFen, bankReference });
    expect(second.body).toMatchObject({ alreadyConfirmed: true, order: { status: 'paid' } });
    // Another payment for a paid order is refused.
    expectProblem(
      await confirm(teller, { orderId, amountFen, bankReference: `${bankReference}-2` }),
      409,
      'PAYMENT_ORDER_ALREADY_PAID',
    );

    const [shown] = await myAccounts(token);
    expect(shown).toMatchObject({
      balanceFen: amountFen,
      lastDepositMonth: THIS_MONTH,
      continuousDepositMonths: 1,
    });
    const { entries } = await assertBalanceEqualsLedger(XUZHOU, no);
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'remittance', reference: `REMIT#${THIS_MONTH}`, amountFen }),
    ]);
    // The month is deposited: no new order for it.
    expectProblem(await order(token, no, THIS_MONTH), 409, 'REMITTANCE_MONTH_EXISTS');
  });

  it('twenty confirmations at once credit once', async () => {
    const { token, no } = await voluntaryDepositor(LINYI);
    const created = await order(token, no, THIS_MONTH);
    const { orderId, amountFen } = created.body as { orderId: string; amountFen: number };
    const teller = await bank(LINYI);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => confirm(teller, { orderId, amountFen, bankReference: `LY-${no}` })),
    );
    expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(20).fill([200, undefined]));
    expect(answers.filter((a) => a.body.alreadyConfirmed === false)).toHaveLength(1);
    const { account, entries } = await assertBalanceEqualsLedger(LINYI, no);
    expect(account.balanceFen).toBe(amountFen);
    expect(entries).toHaveLength(1);
  });

  it('an order never confirmed is never credited; cancelled, it can no longer be', async () => {
    const { token, no } = await voluntaryDepositor();
    const created = await order(token, no, THIS_MONTH);
    const { orderId, amountFen } = created.body as { orderId: string; amountFen: number };
    const shown = await call('GET', `/v1/me/voluntary-accounts/${no}/remittances/${orderId}`, { token });
    expect(shown.body).toMatchObject({ status: 'awaiting_payment', expiresAt: expect.any(String) });
    expect((await myAccounts(token))[0]).toMatchObject({ balanceFen: 0 });

    const cancelled = await call(
      'POST',
      `/v1/me/voluntary-accounts/${no}/remittances/${orderId}/cancellation`,
      {
        token,
      },
    );
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expectProblem(await confirm(await bank(XUZHOU), { orderId, amountFen }), 409, 'PAYMENT_ORDER_CLOSED');
    const { account, entries } = await assertBalanceEqualsLedger(XUZHOU, no);
    expect({ balance: account.balanceFen, entries: entries.length }).toEqual({ balance: 0, entries: 0 });
    // The month may be ordered again.
    expect((await order(token, no, THIS_MONTH)).status).toBe(201);
  });

  it('refuses a month before the opening or in the future, naming the allowed range', async () => {
    const { token, no } = await voluntaryDepositor();
    const before = await order(token, no, addMonths(THIS_MONTH, -1));
    expectProblem(before, 422, 'REMITTANCE_MONTH_NOT_REMITTABLE');
    expect(before.body).toMatchObject({
      openingMonth: THIS_MONTH,
      allowedFrom: THIS_MONTH,
      allowedTo: THIS_MONTH,
    });
    // The same key for another month: 422, nothing ordered.
    const k = key();
    expect((await order(token, no, THIS_MONTH, k)).status).toBe(201);
    expectProblem(await order(token, no, nextMonth(THIS_MONTH), k), 422, 'IDEMPOTENCY_KEY_REUSED');
    const future = await order(token, no, nextMonth(THIS_MONTH));
    expectProblem(future, 422, 'REMITTANCE_MONTH_IN_FUTURE');
    expect(future.body).toMatchObject({ allowedFrom: THIS_MONTH, allowedTo: THIS_MONTH });
  });

  it("another person's account, or one with an employer, is not found", async () => {
    const { no } = await voluntaryDepositor();
    const stranger = await citizen(randomIdNumber());
    expectProblem(await order(stranger, no, THIS_MONTH), 404, 'NOT_FOUND');
    expectProblem(
      await call('GET', `/v1/me/voluntary-accounts/${no}/remittances`, { token: stranger }),
      404,
      'NOT_FOUND',
    );
    const employee = await makeDepositor([JINING], 0);
    const own = await citizen(employee.idNumber);
    expectProblem(await order(own, employee.accounts[JINING] as string, THIS_MONTH), 404, 'NOT_FOUND');
  });
});

describe('a voluntary account as deposit history', () => {
  it('is the deposit facts of a loan elsewhere, and earns interest', async () => {
    const idNumber = randomIdNumber();
    const token = await citizen(idNumber);
    const opened = await openVoluntary(LINYI, token);
    const no = opened.body.personalAccountNo as string;
    touched.push([LINYI, no]);
    // Opened a year ago (the API opens today): then twelve months paid, each confirmed in its month.
    const firstMonth = addMonths(THIS_MONTH, -12);
    const openedAt = `${firstMonth}-01T00:00:00.000Z`;
    const account = await getPersonalAccount(centreRepository(LINYI), no);
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { PK: personalAccountPartition(LINYI, no), SK: ACCOUNT_SK },
        UpdateExpression: 'SET openedAt = :at, termsHistory = :terms',
        ExpressionAttributeValues: {
          ':at': openedAt,
          ':terms': account?.termsHistory.map((t) => ({ ...t, effectiveMonth: firstMonth })),
        },
      }),
    );
    const repository = centreRepository(LINYI);
    const person = (await getPersonalAccount(repository, no))?.personKey as string;
    let total = 0;
    for (let m = 0; m < 12; m++) {
      const month: YearMonth = addMonths(firstMonth, m);
      const now = new Date(`${month}-10T02:00:00Z`);
      const { order: o } = await createPaymentOrder(repository, {
        personalAccountNo: no,
        personKey: person,
        month,
        seed: `loan-test-${no}-${month}`,
        now,
      });
      await confirmPayment(repository, {
        orderId: o.orderId,
        bankReference: `LOAN-${no}-${month}`,
        amountFen: o.amountFen,
        paidAt: now.toISOString(),
        agentOrgId: 'BANK-371300',
        subject: 'bank',
        now,
      });
      total += o.amountFen;
    }

    const applied = await call('POST', '/v1/me/loan-applications', {
      token,
      key: key(),
      json: {
        lendingCity: XUZHOU,
        ...(await homeBoughtBy(idNumber, XUZHOU)),
        housePriceFen: 100_000_000,
        requestedFen: 5_000_000,
        termMonths: 240,
        method: 'equal-installment',
        declaredHomeOrder: 'first',
        otherMonthlyDebtFen: 0,
        maritalStatus: 'single',
      },
    });
    expect(applied.status).toBe(202);
    const application = await eventually(
      async () => {
        const a = await getApplication(centreRepository(XUZHOU), applied.body.applicationId);
        return a && a.status !== 'awaiting_facts' ? (a as LoanApplicationRecord) : undefined;
      },
      20_000,
      'the loan decision',
    );
    expect(application.facts[LINYI]).toMatchObject({
      accountStatus: 'normal',
      continuousDepositMonths: 12,
      balanceFen: total,
      monthlyDepositBaseFen: terms(LINYI).monthlyDepositBaseFen,
    });
    expect(application.status).toBe('approved');

    // A deposit and usage certificate (DEPOSIT_CERT) certifies it like any other account.
    const certificate = await call('POST', '/v1/me/certificates', {
      token,
      key: key(),
      json: { kind: 'deposit-usage', personalAccountNo: no },
    });
    expect(certificate.status).toBe(201);
    expect(certificate.body.facts).toMatchObject({ continuousDepositMonths: 12, balanceFen: total });

    // 结息: the interest year to the last 30 June settles this account like any other, once.
    const settlementDate =
      TODAY.slice(5) > '06-30' ? `${TODAY.slice(0, 4)}-06-30` : `${Number(TODAY.slice(0, 4)) - 1}-06-30`;
    const settled = await settleAccount(repository, no, settlementDate, new Date());
    expect(settled.outcome).toBe('posted');
    expect(settled.interestFen).toBeGreaterThan(0);
    expect((await settleAccount(repository, no, settlementDate, new Date())).outcome).toBe('alreadySettled');
  });
});
