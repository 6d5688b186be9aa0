/**
 * The withdrawal grounds of the revised Regulations (in force 2026-09-20, DESIGN.md §2a) end to end on
 * the emulators: rent (租房), renovation (装修) and property fees (物业费), each with its cap and its
 * once-per-period rule, concurrent requests against one cap, the register's home refusing a rent
 * withdrawal, the rule version each decision names, and the 400s of the request's fields.
 */

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { getPersonalAccount } from '../../shared/deposits/store.js';
import { protectBankAccount } from '../../shared/identity/bank-account.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import { rentPeriodOf } from '../../shared/withdrawals/consumption.js';
import {
  getWithdrawal,
  renovationKey,
  rentTallyKey,
  submitWithdrawal,
  type WithdrawalRecord,
} from '../../shared/withdrawals/withdrawals.js';
import { makeDepositor, randomIdNumber } from '../support/depositors.js';
import { assertBalanceEqualsLedger } from '../support/ledger-assertions.js';
import { useLocalRegion } from '../support/local-region.js';
import { registerProperty } from '../support/properties.js';
import { eventually } from '../support/region.js';

const region = useLocalRegion();

const bank = { accountNumber: '6222021234567890123', holderName: '测试人', bankName: '中国工商银行' };
const newKey = () => `cw-${randomBytes(8).toString('hex')}`;
const yuan = (amount: number) => amount * 100;
const today = () => toBeijingDate(new Date());
const caps = (city: CityCode) => {
  const consumption = parametersInForce(city, today()).consumptionWithdrawals;
  if (!consumption) throw new Error(`${city} states no caps today`);
  return consumption;
};

async function withdraw(idNumber: string, body: Record<string, unknown>, key = newKey()) {
  const token = await region.api.token({ sub: `c-${idNumber.slice(-6)}`, role: 'citizen', idNumber });
  const response = await region.api.request('POST', '/v1/me/withdrawals', {
    token,
    json: body,
    headers: { 'idempotency-key': key },
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

async function settled(city: CityCode, id: string): Promise<WithdrawalRecord> {
  return eventually(
    async () => {
      const withdrawal = await getWithdrawal(centreRepository(city), id);
      return withdrawal && withdrawal.status !== 'awaiting_facts' ? withdrawal : undefined;
    },
    20_000,
    `a decision on withdrawal ${id}`,
  );
}

/** Applies and waits for the decision. */
async function decided(city: CityCode, idNumber: string, body: Record<string, unknown>) {
  const { response, body: answer } = await withdraw(idNumber, body);
  expect(response.status).toBe(202);
  return settled(city, String(answer.applicationId));
}

const codes = (withdrawal: WithdrawalRecord) => withdrawal.reasons?.map((r) => r.code) ?? [];

describe('rent (租房提取)', () => {
  // 徐州: DEMO cap per month.
  const city: CityCode = '320300';

  it('pays within the period’s cap across withdrawals, names the rule versions, then refuses', async () => {
    const { rentCapFen, rentCapPeriod } = caps(city);
    expect(rentCapPeriod).toBe('month');
    const person = await makeDepositor([city], 12);
    const rent = { type: 'rent', personalAccountNo: person.accounts[city], bankAccount: bank };
    const first = await decided(city, person.idNumber, { ...rent, amountFen: rentCapFen - yuan(500) });
    expect(first).toMatchObject({
      status: 'paid',
      payoutFen: rentCapFen - yuan(500),
      itemCode: 'RENT_WITHDRAW',
      ruleVersion: 'national-2026-09-20',
      parameterVersion: parametersInForce(city, today()).ruleVersion,
    });
    expect(first.decision).toMatchObject({ ruleVersion: 'national-2026-09-20' });
    const second = await decided(city, person.idNumber, { ...rent, amountFen: yuan(1_000) });
    expect(second).toMatchObject({ status: 'paid', payoutFen: yuan(500) });
    expect(codes(second)).toContain('CAPPED_BY_RENT_CAP');
    const third = await decided(city, person.idNumber, { ...rent, amountFen: yuan(100) });
    expect(third.status).toBe('rejected');
    expect(codes(third)).toEqual(['RENT_CAP_REACHED']);
    const tally = await centreRepository(city).get(
      rentTallyKey(city, person.personKey, rentPeriodOf(today(), 'month')),
      { consistent: true },
    );
    expect(tally?.withdrawnFen).toBe(rentCapFen);
    await assertBalanceEqualsLedger(city, person.accounts[city] as string);
  });

  it('six at once cannot exceed the cap together', async () => {
    const { rentCapFen } = caps(city);
    const person = await makeDepositor([city], 12);
    const accountNo = person.accounts[city] as string;
    const before = (await getPersonalAccount(centreRepository(city), accountNo))?.balanceFen ?? 0;
    const each = Math.ceil(rentCapFen / 4); // six of them ask for 1.5 × the cap
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        withdraw(person.idNumber, {
          type: 'rent',
          personalAccountNo: accountNo,
          bankAccount: bank,
          amountFen: each,
        }),
      ),
    );
    const outcomes = await Promise.all(results.map((r) => settled(city, String(r.body.applicationId))));
    const paid = outcomes.filter((o) => o.status === 'paid').reduce((sum, o) => sum + (o.payoutFen ?? 0), 0);
    expect(paid).toBe(rentCapFen);
    const after = await getPersonalAccount(centreRepository(city), accountNo);
    expect(after?.balanceFen).toBe(before - rentCapFen);
    await assertBalanceEqualsLedger(city, accountNo);
  }, 60_000);

  it('is refused on the applicant’s home in the deposit city, and goes to staff on the spouse’s', async () => {
    const owner = await makeDepositor([city], 6);
    const homeNo = await registerProperty(city, [owner.idNumber]);
    const refused = await decided(city, owner.idNumber, {
      type: 'rent',
      personalAccountNo: owner.accounts[city],
      bankAccount: bank,
      amountFen: yuan(500),
    });
    expect(refused.status).toBe('rejected');
    expect(codes(refused)).toEqual(['OWNS_HOME_IN_DEPOSIT_CITY']);
    expect(refused.reasons?.[0]?.message['zh-CN']).toContain(homeNo);

    // The declared spouse's home in the deposit city sends it to staff, telling the applicant nothing
    // of what the spouse owns; the spouse is kept by masked number only.
    const married = await makeDepositor([city], 6);
    const spouse = randomIdNumber();
    await registerProperty(city, [spouse]);
    const { response, body } = await withdraw(married.idNumber, {
      type: 'rent',
      personalAccountNo: married.accounts[city],
      bankAccount: bank,
      amountFen: yuan(500),
      spouseIdNumber: spouse,
    });
    expect(response.status).toBe(202);
    expect((body.request as { spouse: unknown }).spouse).toEqual({ idNumberMasked: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain(spouse);
    const toStaff = await settled(city, String(body.applicationId));
    expect(toStaff.status).toBe('review');
    expect(codes(toStaff)).toEqual(['HOUSEHOLD_HOMES_TO_CHECK']);

    // A home in another city, or a cancelled record here, is no home in the deposit city.
    const elsewhere = await makeDepositor([city], 6);
    await registerProperty('320700', [elsewhere.idNumber]);
    await registerProperty(city, [elsewhere.idNumber], { status: 'cancelled' });
    const paid = await decided(city, elsewhere.idNumber, {
      type: 'rent',
      personalAccountNo: elsewhere.accounts[city],
      bankAccount: bank,
      amountFen: yuan(500),
    });
    expect(paid).toMatchObject({ status: 'paid', payoutFen: yuan(500) });
  });

  it('a record cancelled after filing (撤销备案) no longer counts as a home', async () => {
    const person = await makeDepositor([city], 6);
    const onlineSigningNo = await registerProperty(city, [person.idNumber]);
    // The housing authority's feed re-files the same record as cancelled: the buyer's index follows.
    await registerProperty(city, [person.idNumber], { onlineSigningNo, status: 'cancelled' });
    const paid = await decided(city, person.idNumber, {
      type: 'rent',
      personalAccountNo: person.accounts[city],
      bankAccount: bank,
      amountFen: yuan(300),
    });
    expect(paid.status).toBe('paid');
  });
});

describe('renovation (装修提取)', () => {
  // 枣庄: DEMO 80 % of the invoice, at most 80,000 yuan, once per home in 10 years.
  const city: CityCode = '370400';

  it('pays at most the invoice share; once per home for all its buyers, at every centre', async () => {
    const { renovationInvoiceShareBasisPoints: share } = caps(city);
    const [a, b] = [await makeDepositor([city], 24), await makeDepositor(['370800'], 24)];
    const onlineSigningNo = await registerProperty('370800', [a.idNumber, b.idNumber]);
    const invoiceFen = yuan(10_000);
    const body = (no: string) => ({
      type: 'renovation',
      bankAccount: bank,
      amountFen: invoiceFen,
      property: { onlineSigningNo, city: '370800' },
      invoice: { invoiceNo: no, amountFen: invoiceFen, issuedOn: today(), evidenceRef: 'FILE-1' },
    });
    const first = await decided(city, a.idNumber, {
      ...body('INV-000001'),
      personalAccountNo: a.accounts[city],
    });
    expect(first).toMatchObject({
      status: 'paid',
      payoutFen: (invoiceFen * share) / 10_000,
      ruleVersion: 'national-2026-09-20',
    });
    expect(codes(first)).toEqual(['CAPPED_BY_INVOICE_SHARE']);
    // The co-buyer, depositing in 济宁, for the same home: once per period.
    const second = await decided('370800', b.idNumber, {
      ...body('INV-000002'),
      personalAccountNo: b.accounts['370800'],
    });
    expect(second.status).toBe('rejected');
    expect(codes(second)).toEqual(['RENOVATION_ONCE_PER_PERIOD']);
    await assertBalanceEqualsLedger(city, a.accounts[city] as string);
  });

  it('two buyers at two centres at once for one home: one is paid', async () => {
    const [a, b] = [await makeDepositor(['370400'], 24), await makeDepositor(['371300'], 24)];
    const onlineSigningNo = await registerProperty('371300', [a.idNumber, b.idNumber]);
    const body = {
      type: 'renovation',
      bankAccount: bank,
      amountFen: yuan(2_000),
      property: { onlineSigningNo, city: '371300' },
      invoice: { invoiceNo: 'INV-RACE01', amountFen: yuan(5_000), issuedOn: today(), evidenceRef: 'FILE-2' },
    };
    const [ra, rb] = await Promise.all([
      withdraw(a.idNumber, { ...body, personalAccountNo: a.accounts['370400'] }),
      withdraw(b.idNumber, { ...body, personalAccountNo: b.accounts['371300'] }),
    ]);
    const outcomes = await Promise.all([
      settled('370400', String(ra.body.applicationId)),
      settled('371300', String(rb.body.applicationId)),
    ]);
    expect(outcomes.filter((o) => o.status === 'paid')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').flatMap(codes)).toEqual([
      'RENOVATION_ONCE_PER_PERIOD',
    ]);
  }, 60_000);

  it('is refused for a home whose record does not name the applicant', async () => {
    const person = await makeDepositor([city], 12);
    const onlineSigningNo = await registerProperty(city, [randomIdNumber()]);
    const refused = await decided(city, person.idNumber, {
      type: 'renovation',
      personalAccountNo: person.accounts[city],
      bankAccount: bank,
      amountFen: yuan(1_000),
      property: { onlineSigningNo, city },
      invoice: { invoiceNo: 'INV-000003', amountFen: yuan(5_000), issuedOn: today(), evidenceRef: 'FILE-3' },
    });
    expect(refused.status).toBe('rejected');
    expect(codes(refused)).toEqual(['NOT_A_BUYER']);
  });
});

describe('property fees (物业费提取)', () => {
  const city: CityCode = '371700';

  it('a typed notice cannot empty the account: an old fee year is refused, a huge notice pays the cap', async () => {
    const person = await makeDepositor([city], 24);
    const onlineSigningNo = await registerProperty(city, [person.idNumber]);
    const fee = (feeYear: number) => ({
      type: 'property-fee',
      personalAccountNo: person.accounts[city],
      bankAccount: bank,
      amountFen: 9_999_999_999,
      property: { onlineSigningNo, city },
      feeNotice: { noticeNo: `WY-X-${feeYear}`, amountFen: 9_999_999_999, feeYear, evidenceRef: 'FILE-X' },
    });
    const old = await decided(city, person.idNumber, fee(2006));
    expect(old.status).toBe('rejected');
    expect(codes(old)).toEqual(['FEE_YEAR_NOT_ALLOWED']);
    const capped = await decided(city, person.idNumber, fee(Number(today().slice(0, 4))));
    const cap = parametersInForce(city, today()).consumptionWithdrawals?.propertyFeeYearCapFen;
    expect(capped).toMatchObject({ status: 'paid', payoutFen: cap });
    expect(codes(capped)).toContain('CAPPED_BY_PROPERTY_FEE_CAP');
  });

  it('pays at most the fee notice; once per home and fee year, even when asked four times at once', async () => {
    const person = await makeDepositor([city], 24);
    // Bought two years ago: last year's fees are its own too.
    const onlineSigningNo = await registerProperty(city, [person.idNumber], { daysAgo: 730 });
    const year = Number(today().slice(0, 4));
    const fee = (feeYear: number) => ({
      type: 'property-fee',
      personalAccountNo: person.accounts[city],
      bankAccount: bank,
      amountFen: yuan(5_000),
      property: { onlineSigningNo, city },
      feeNotice: { noticeNo: `WY-${feeYear}`, amountFen: yuan(3_600), feeYear, evidenceRef: 'FILE-4' },
    });
    const results = await Promise.all(Array.from({ length: 4 }, () => withdraw(person.idNumber, fee(year))));
    const outcomes = await Promise.all(results.map((r) => settled(city, String(r.body.applicationId))));
    const paid = outcomes.filter((o) => o.status === 'paid');
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({ payoutFen: yuan(3_600), itemCode: 'PROPERTY_FEE_WITHDRAW' });
    expect(codes(paid[0] as WithdrawalRecord)).toEqual(['CAPPED_BY_FEE_NOTICE']);
    for (const other of outcomes.filter((o) => o.status !== 'paid')) {
      expect(codes(other)).toEqual(['PROPERTY_FEE_ALREADY_WITHDRAWN']);
    }
    // Another fee year of the same home is its own.
    const lastYear = await decided(city, person.idNumber, fee(year - 1));
    expect(lastYear).toMatchObject({ status: 'paid', payoutFen: yuan(3_600) });
    await assertBalanceEqualsLedger(city, person.accounts[city] as string);
  }, 60_000);
});

describe('a payout the bank returned (退票)', () => {
  async function staffPost(sub: string, city: CityCode, path: string, json?: unknown) {
    const token = await region.api.token({ sub, role: 'staff', city });
    const response = await region.api.request('POST', path, {
      token,
      ...(json ? { json } : {}),
      headers: { 'idempotency-key': newKey() },
    });
    return response.status;
  }
  async function returned(city: CityCode, withdrawalId: string) {
    const path = `/v1/staff/payouts/${withdrawalId}/return`;
    expect(await staffPost('rt-1', city, path, { bankReference: 'RT-0001', reasonZh: '银行退票' })).toBe(200);
    expect(await staffPost('rt-2', city, `${path}/confirmation`)).toBe(200);
  }

  it('releases the rent tally and reopens the home’s renovation period and fee year', async () => {
    const city: CityCode = '370400';
    const person = await makeDepositor([city], 24);
    const common = { personalAccountNo: person.accounts[city], bankAccount: bank };
    const { rentCapFen } = caps(city);
    const rent = await decided(city, person.idNumber, { ...common, type: 'rent', amountFen: rentCapFen });
    expect(rent.payoutFen).toBe(rentCapFen);
    await returned(city, rent.applicationId);
    const rentAgain = await decided(city, person.idNumber, { ...common, type: 'rent', amountFen: yuan(100) });
    expect(rentAgain).toMatchObject({ status: 'paid', payoutFen: yuan(100) });

    // A home in another city, so that the rent withdrawals above were not refused.
    const onlineSigningNo = await registerProperty('370800', [person.idNumber]);
    const property = { onlineSigningNo, city: '370800' };
    const renovation = {
      ...common,
      type: 'renovation',
      amountFen: yuan(1_000),
      property,
      invoice: { invoiceNo: 'INV-RETURN1', amountFen: yuan(5_000), issuedOn: today(), evidenceRef: 'F' },
    };
    const fee = {
      ...common,
      type: 'property-fee',
      amountFen: yuan(1_000),
      property,
      feeNotice: {
        noticeNo: 'WY-RT',
        amountFen: yuan(1_000),
        feeYear: Number(today().slice(0, 4)),
        evidenceRef: 'F',
      },
    };
    for (const body of [renovation, fee]) {
      const paid = await decided(city, person.idNumber, body);
      expect(paid.status).toBe('paid');
      expect((await decided(city, person.idNumber, body)).status).toBe('rejected');
      await returned(city, paid.applicationId);
      expect((await decided(city, person.idNumber, body)).status).toBe('paid');
    }
    await assertBalanceEqualsLedger(city, person.accounts[city] as string);
  }, 60_000);

  it('a renovation payout returned after a later payout for the home is credited back; the period stands', async () => {
    const city: CityCode = '370400';
    const person = await makeDepositor([city], 24);
    const onlineSigningNo = await registerProperty('370800', [person.idNumber]);
    const paid = await decided(city, person.idNumber, {
      personalAccountNo: person.accounts[city],
      bankAccount: bank,
      type: 'renovation',
      amountFen: yuan(1_000),
      property: { onlineSigningNo, city: '370800' },
      invoice: { invoiceNo: 'INV-LATER1', amountFen: yuan(5_000), issuedOn: today(), evidenceRef: 'F' },
    });
    expect(paid.status).toBe('paid');
    // Years later another payout for the home is its last one (written here as the guard would be).
    const guardKey = renovationKey('370800', onlineSigningNo);
    const later = { withdrawal: '370400/370400-W-LATERPAYOUT00001', lastPaidOn: today() };
    await centreRepository(city).update({
      Key: guardKey,
      UpdateExpression: 'SET withdrawal = :w, lastPaidOn = :d',
      ExpressionAttributeValues: { ':w': later.withdrawal, ':d': later.lastPaidOn },
    });
    const before = (await getPersonalAccount(centreRepository(city), person.accounts[city] as string))
      ?.balanceFen;
    await returned(city, paid.applicationId);
    const after = (await getPersonalAccount(centreRepository(city), person.accounts[city] as string))
      ?.balanceFen;
    expect((after ?? 0) - (before ?? 0)).toBe(paid.payoutFen);
    expect(await centreRepository(city).get(guardKey, { consistent: true })).toMatchObject(later);
    await assertBalanceEqualsLedger(city, person.accounts[city] as string);
  });
});

describe('the request’s fields', () => {
  const city: CityCode = '320300';
  const fieldsOf = (body: Record<string, unknown>) =>
    (body.errors as { field: string; code: string }[]).map((e) => ({ field: e.field, code: e.code }));

  it('400s name the field: zero or negative amounts, future dates, dates before birth', async () => {
    const idNumber = randomIdNumber(1990);
    const person = await makeDepositor([city], 6, idNumber);
    const common = { personalAccountNo: person.accounts[city], bankAccount: bank };
    const property = { onlineSigningNo: 'WQ-0000000001', city };
    const invoice = { invoiceNo: 'INV-000009', amountFen: yuan(1_000), issuedOn: today(), evidenceRef: 'F' };

    const zero = await withdraw(idNumber, { ...common, type: 'rent', amountFen: 0 });
    expect(zero.response.status).toBe(400);
    expect(fieldsOf(zero.body)).toEqual([expect.objectContaining({ field: 'amountFen' })]);

    const negative = await withdraw(idNumber, {
      ...common,
      type: 'renovation',
      amountFen: yuan(100),
      property,
      invoice: { ...invoice, amountFen: -1 },
    });
    expect(negative.response.status).toBe(400);
    expect(fieldsOf(negative.body)).toEqual([expect.objectContaining({ field: 'invoice.amountFen' })]);

    const future = await withdraw(idNumber, {
      ...common,
      type: 'renovation',
      amountFen: yuan(100),
      property,
      invoice: { ...invoice, issuedOn: '2099-01-01' },
    });
    expect(future.response.status).toBe(400);
    expect(fieldsOf(future.body)).toEqual([{ field: 'invoice.issuedOn', code: 'DATE_IN_FUTURE' }]);

    const beforeBirth = await withdraw(idNumber, {
      ...common,
      type: 'renovation',
      amountFen: yuan(100),
      property,
      invoice: { ...invoice, issuedOn: '1980-01-01' },
    });
    expect(fieldsOf(beforeBirth.body)).toEqual([{ field: 'invoice.issuedOn', code: 'DATE_BEFORE_BIRTH' }]);

    const feeYear = Number(today().slice(0, 4)) + 1;
    const nextYear = await withdraw(idNumber, {
      ...common,
      type: 'property-fee',
      amountFen: yuan(100),
      property,
      feeNotice: { noticeNo: 'WY-1', amountFen: yuan(100), feeYear, evidenceRef: 'F' },
    });
    expect(nextYear.response.status).toBe(400);
    expect(fieldsOf(nextYear.body)).toEqual([{ field: 'feeNotice.feeYear', code: 'DATE_IN_FUTURE' }]);

    const ownSpouse = await withdraw(idNumber, {
      ...common,
      type: 'rent',
      amountFen: 100,
      spouseIdNumber: idNumber,
    });
    expect(fieldsOf(ownSpouse.body)).toEqual([{ field: 'spouseIdNumber', code: 'SPOUSE_ID_IS_OWN' }]);
  });
});

describe('the rule version of the day of acceptance (Beijing)', () => {
  const city: CityCode = '320300';

  it('refuses a rent withdrawal accepted on 2026-09-19 and accepts one on 2026-09-20', async () => {
    const person = await makeDepositor([city], 6);
    const account = await getPersonalAccount(centreRepository(city), person.accounts[city] as string);
    if (!account) throw new Error('no account');
    const input = async (now: Date) => ({
      account,
      idempotencyScope: randomBytes(16).toString('hex'),
      birthDate: '1990-01-01',
      sex: 'male' as const,
      idNumberMasked: '3203**********0011',
      request: { type: 'rent' as const, amountFen: yuan(100) },
      bankAccount: await protectBankAccount(bank, account.city),
      channel: 'online' as const,
      acceptedBy: 'test',
      correlationId: randomBytes(8).toString('hex'),
      now,
    });
    // 23:59:59 on 19 September in Beijing is 15:59:59 UTC.
    await expect(
      submitWithdrawal(centreRepository(city), await input(new Date('2026-09-19T15:59:59.000Z'))),
    ).rejects.toMatchObject({ code: 'WITHDRAWAL_GROUND_NOT_IN_FORCE' });
    const { withdrawal } = await submitWithdrawal(
      centreRepository(city),
      await input(new Date('2026-09-19T16:00:00.000Z')),
    );
    expect(withdrawal).toMatchObject({
      ruleVersion: 'national-2026-09-20',
      parameterVersion: `${city}-2026-09-20`,
    });
  });
});
