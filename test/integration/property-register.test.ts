/**
 * Purchase withdrawals decided on the property city's register (网签备案, DESIGN.md §2b): the property
 * city answers a `property-facts-request` from its register; only its buyers withdraw, all together
 * at most the registered price, even racing from two centres; a squatter's declaration has no
 * effect. The register's paper records: entered by the property city's staff, confirmed by another.
 * Messages delivered twice or lost.
 */

import { describe, expect, it } from '@jest/globals';
import { handleMessage, sendReply } from '../../functions/centre-worker/messages.js';
import { sweepApplications } from '../../shared/applications/sweep.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { getPersonalAccount } from '../../shared/deposits/store.js';
import { protectBankAccount } from '../../shared/identity/bank-account.js';
import { parseEnvelope } from '../../shared/messaging/envelope.js';
import { centreRepository, workerRepository } from '../../shared/persistence/centre-repository.js';
import { centreKey } from '../../shared/persistence/table.js';
import { getPropertyRecord, propertyRecordKey } from '../../shared/property/register.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import {
  getWithdrawal,
  propertyKey,
  submitWithdrawal,
  type WithdrawalRecord,
  withdrawalKey,
} from '../../shared/withdrawals/withdrawals.js';
import { makeDepositor, randomIdNumber } from '../support/depositors.js';
import { assertBalanceEqualsLedger, ledgerEntries } from '../support/ledger-assertions.js';
import { useLocalRegion } from '../support/local-region.js';
import { newOnlineSigningNo, registerProperty } from '../support/properties.js';
import { eventually, withInboxesUnreachable } from '../support/region.js';

const region = useLocalRegion();

const bank = { accountNumber: '6222021234567890123', holderName: '测试人', bankName: '中国银行徐州分行' };
let keys = 0;
const newKey = () => `pr-${Date.now().toString(36)}-${(keys++).toString(36)}`;

async function withdraw(idNumber: string, body: Record<string, unknown>) {
  const token = await region.api.token({ sub: `c-${idNumber.slice(-6)}`, role: 'citizen', idNumber });
  const response = await region.api.request('POST', '/v1/me/withdrawals', {
    token,
    json: body,
    headers: { 'idempotency-key': newKey() },
  });
  expect(response.status).toBe(202);
  return (await response.json()) as { applicationId: string };
}

function purchase(accountNo: string | undefined, amountFen: number, property: Record<string, unknown>) {
  return { type: 'purchase', personalAccountNo: accountNo, bankAccount: bank, amountFen, property };
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

async function tallyOf(city: CityCode, onlineSigningNo: string) {
  return centreRepository(city).get(propertyKey(city, onlineSigningNo), { consistent: true });
}

describe('purchase withdrawals on the register’s record', () => {
  it('a depositor who is not a buyer is refused, and the record’s buyers are not told to them', async () => {
    const [buyer, stranger] = [await makeDepositor(['320300'], 6), await makeDepositor(['320300'], 6)];
    const no = await registerProperty('320300', [buyer.idNumber]);
    const { applicationId } = await withdraw(
      stranger.idNumber,
      purchase(stranger.accounts['320300'], 10_000, { onlineSigningNo: no, city: '320300' }),
    );
    const done = await settled('320300', applicationId);
    expect(done.status).toBe('rejected');
    expect(done.reasons?.[0]?.code).toBe('NOT_A_BUYER');
    expect(done.payoutFen).toBeUndefined();
    // A non-buyer learns nothing of the record: no buyers, no price, no date, no status.
    expect(JSON.stringify(done.facts)).not.toContain(buyer.personKey);
    expect(done.facts['320300']).toEqual({ found: true, applicantIsBuyer: false });
  });

  it('a 1-fen squatter is refused and cannot block the real buyer; declared prices have no effect', async () => {
    const [buyer, squatter] = [await makeDepositor(['371300'], 12), await makeDepositor(['320700'], 12)];
    const no = await registerProperty('371300', [buyer.idNumber], { registeredPriceFen: 1_000_000 });
    const declared = { onlineSigningNo: no, city: '371300', contractDate: '2026-01-01', pricePaidFen: 1 };
    const squat = await withdraw(squatter.idNumber, purchase(squatter.accounts['320700'], 1, declared));
    const refused = await settled('320700', squat.applicationId);
    expect(refused.reasons?.[0]?.code).toBe('NOT_A_BUYER');
    // Nothing was tallied against the property, and the declaration was not even kept.
    expect(await tallyOf('371300', no)).toBeUndefined();
    expect(refused.request).toEqual(
      expect.objectContaining({ property: { onlineSigningNo: no, city: '371300' } }),
    );
    // The buyer declares a 1-fen price too: the register's price is the cap.
    const { applicationId } = await withdraw(
      buyer.idNumber,
      purchase(buyer.accounts['371300'], 800_000, declared),
    );
    const paid = await settled('371300', applicationId);
    expect(paid.status).toBe('paid');
    expect(paid.payoutFen).toBe(800_000);
    expect(paid.decision).toMatchObject({
      details: { property: { registeredPriceFen: 1_000_000, alreadyWithdrawnForPropertyFen: 0 } },
    });
    expect(await tallyOf('371300', no)).toMatchObject({
      withdrawnFen: 800_000,
      registeredPriceFen: 1_000_000,
    });
  });

  it('two buyers in two centres racing at once together withdraw at most the registered price', async () => {
    const [a, b] = [await makeDepositor(['320300'], 12), await makeDepositor(['341300'], 12)];
    const priceFen = 1_000_000;
    const no = await registerProperty('411400', [a.idNumber, b.idNumber], { registeredPriceFen: priceFen });
    for (const person of [a, b]) {
      const city = Object.keys(person.accounts)[0] as CityCode;
      const balance = (await getPersonalAccount(centreRepository(city), person.accounts[city] as string))
        ?.balanceFen;
      expect(balance).toBeGreaterThan(800_000);
    }
    const property = { onlineSigningNo: no, city: '411400' };
    const [fromXuzhou, fromSuzhou] = await Promise.all([
      withdraw(a.idNumber, purchase(a.accounts['320300'], 800_000, property)),
      withdraw(b.idNumber, purchase(b.accounts['341300'], 800_000, property)),
    ]);
    const done = await Promise.all([
      settled('320300', fromXuzhou.applicationId),
      settled('341300', fromSuzhou.applicationId),
    ]);
    expect(done.map((w) => w.status)).toEqual(['paid', 'paid']);
    // One got 8,000 yuan; the other what was left of the price, whichever came first.
    expect(done.map((w) => w.payoutFen).sort()).toEqual([200_000, 800_000]);
    expect(await tallyOf('411400', no)).toMatchObject({ withdrawnFen: priceFen });
    await assertBalanceEqualsLedger('320300', a.accounts['320300'] as string);
    await assertBalanceEqualsLedger('341300', b.accounts['341300'] as string);
  });

  it('a cancelled record is refused; an unknown one goes to staff; a contract older than the period is refused', async () => {
    const person = await makeDepositor(['370800'], 6);
    const accountNo = person.accounts['370800'];
    const cancelled = await registerProperty('370800', [person.idNumber], { status: 'cancelled' });
    const period = parametersInForce('370800', toBeijingDate(new Date())).purchaseWithdrawalPeriodDays;
    const old = await registerProperty('370400', [person.idNumber], { daysAgo: period + 1 });
    const lastDay = await registerProperty('370400', [person.idNumber], { daysAgo: period });
    const [c, u, o, l] = await Promise.all([
      withdraw(person.idNumber, purchase(accountNo, 10_000, { onlineSigningNo: cancelled, city: '370800' })),
      withdraw(
        person.idNumber,
        purchase(accountNo, 10_000, { onlineSigningNo: newOnlineSigningNo(), city: '320300' }),
      ),
      withdraw(person.idNumber, purchase(accountNo, 10_000, { onlineSigningNo: old, city: '370400' })),
      withdraw(person.idNumber, purchase(accountNo, 10_000, { onlineSigningNo: lastDay, city: '370400' })),
    ]);
    const [onCancelled, onUnknown, onOld, onLastDay] = await Promise.all(
      [c, u, o, l].map((w) => settled('370800', w.applicationId)),
    );
    expect(onCancelled).toMatchObject({
      status: 'rejected',
      reasons: [{ code: 'PROPERTY_RECORD_CANCELLED' }],
    });
    expect(onUnknown).toMatchObject({ status: 'review', reasons: [{ code: 'PROPERTY_RECORD_NOT_FOUND' }] });
    expect(onOld).toMatchObject({ status: 'rejected', reasons: [{ code: 'PURCHASE_PERIOD_PASSED' }] });
    // The period's last day is still in it.
    expect(onLastDay).toMatchObject({ status: 'paid', payoutFen: 10_000 });
  });
});

/** A staff member's token, and a POST with its own Idempotency-Key: its status and JSON body. */
const staff = (sub: string, city: CityCode) => region.api.token({ sub, role: 'staff', city });
async function post(token: string, path: string, json?: Record<string, unknown>) {
  const response = await region.api.request('POST', path, {
    token,
    ...(json ? { json } : {}),
    headers: { 'idempotency-key': newKey() },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('staff enter a paper record (four eyes)', () => {
  it('only the property city’s staff enter it, another confirms it, then it answers; no ID number in clear', async () => {
    const [buyer, coBuyer] = [await makeDepositor(['321300'], 12), { idNumber: randomIdNumber() }];
    const onlineSigningNo = newOnlineSigningNo();
    const record = {
      onlineSigningNo: onlineSigningNo.toLowerCase(),
      city: '321300',
      contractDate: '2026-11-20',
      registeredPriceFen: 600_000,
      buyers: [{ idNumber: buyer.idNumber }, { idNumber: coBuyer.idNumber }],
      evidenceRef: 'SQ-档案-2026-0042',
    };
    // Staff of another city may not enter a 宿迁 record.
    const elsewhere = await post(await staff('xz-1', '320300'), '/v1/staff/property-records', record);
    expect(elsewhere).toMatchObject({ status: 403, body: { code: 'NOT_PROPERTY_CITY_STAFF' } });
    const first = await staff('sq-1', '321300');
    const future = await post(first, '/v1/staff/property-records', { ...record, contractDate: '2099-01-01' });
    expect(future.status).toBe(400);
    const entered = await post(first, '/v1/staff/property-records', record);
    expect(entered.status).toBe(201);
    expect(entered.body).toMatchObject({ onlineSigningNo, status: 'pending', source: 'paper' });
    const again = await post(await staff('sq-3', '321300'), '/v1/staff/property-records', record);
    expect(again).toMatchObject({ status: 409, body: { code: 'PROPERTY_RECORD_EXISTS' } });

    // Stored as person keys and masked numbers only.
    const stored = await getPropertyRecord(centreRepository('321300'), onlineSigningNo);
    const text = JSON.stringify(stored);
    for (const idNumber of [buyer.idNumber, coBuyer.idNumber]) expect(text).not.toContain(idNumber);
    expect(stored?.buyers.map((b) => b.personKey)).toContain(buyer.personKey);

    // Pending: not in effect, so a withdrawal on it finds no record.
    const early = await withdraw(
      buyer.idNumber,
      purchase(buyer.accounts['321300'], 50_000, { onlineSigningNo, city: '321300' }),
    );
    expect((await settled('321300', early.applicationId)).reasons?.[0]?.code).toBe(
      'PROPERTY_RECORD_NOT_FOUND',
    );

    // The confirmer sees what was entered, masked, against the paper contract.
    const shown = await region.api.request('GET', `/v1/staff/property-records/${onlineSigningNo}`, {
      token: await staff('sq-2', '321300'),
    });
    expect(await shown.json()).toMatchObject({
      status: 'pending',
      registeredPriceFen: 600_000,
      enteredBy: 'staff:sq-1',
      buyers: [{ idNumber: expect.stringContaining('*') }, { idNumber: expect.stringContaining('*') }],
    });
    const confirmation = `/v1/staff/property-records/${onlineSigningNo}/confirmation`;
    expect(await post(first, confirmation)).toMatchObject({ status: 403, body: { code: 'OWN_DECISION' } });
    const confirmed = await post(await staff('sq-2', '321300'), confirmation);
    expect(confirmed).toMatchObject({ status: 200, body: { status: 'filed', confirmedBy: 'staff:sq-2' } });
    expect(await post(await staff('sq-3', '321300'), confirmation)).toMatchObject({
      status: 409,
      body: { code: 'NOT_PENDING_CONFIRMATION' },
    });

    // The withdrawal waiting in review: staff ask the property city again, and it is decided on the record.
    const askAgain = await region.api.request(
      'POST',
      `/v1/staff/applications/${early.applicationId}/decision`,
      {
        token: await staff('sq-4', '321300'),
        json: { outcome: 'ask-again' },
      },
    );
    expect(askAgain.status).toBe(200);
    expect(await settled('321300', early.applicationId)).toMatchObject({ status: 'paid', payoutFen: 50_000 });
    const later = await withdraw(
      buyer.idNumber,
      purchase(buyer.accounts['321300'], 60_000, { onlineSigningNo, city: '321300' }),
    );
    expect(await settled('321300', later.applicationId)).toMatchObject({ status: 'paid', payoutFen: 60_000 });

    // Both steps are in the centre's audit trail, by whom.
    const audit = await centreRepository('321300').query(
      centreKey('321300', 'AUDIT', toBeijingDate(new Date()).slice(0, 7)),
      { ConsistentRead: true },
    );
    const lines = audit.items.filter((i) => i.applicationId === `PROPREG#${onlineSigningNo}`);
    expect(lines.map((l) => [l.action, l.staff]).sort()).toEqual([
      ['confirm-property-record', 'sq-2'],
      ['enter-property-record', 'sq-1'],
    ]);
  });
  it('a record marked cancelled (撤销备案) refuses the withdrawals that come after', async () => {
    const buyer = await makeDepositor(['340600'], 6);
    const onlineSigningNo = await registerProperty('340600', [buyer.idNumber]);
    const path = `/v1/staff/property-records/${onlineSigningNo}/cancellation`;
    const notice = { reasonZh: '房管部门通知撤销网签备案', evidenceRef: 'HB-撤销-2026-007' };
    expect(await post(await staff('hb-9', '320300'), path, notice)).toMatchObject({ status: 404 });
    const hb = await staff('hb-1', '340600');
    expect(await post(hb, path, notice)).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect(await post(hb, path, notice)).toMatchObject({
      status: 409,
      body: { code: 'PROPERTY_RECORD_CANCELLED' },
    });
    const { applicationId } = await withdraw(
      buyer.idNumber,
      purchase(buyer.accounts['340600'], 10_000, { onlineSigningNo, city: '340600' }),
    );
    expect((await settled('340600', applicationId)).reasons?.[0]?.code).toBe('PROPERTY_RECORD_CANCELLED');
  });
});

describe('a payout the bank returned (退票)', () => {
  it('is credited back once, after a second staff member confirms, and releases the property’s tally', async () => {
    const buyer = await makeDepositor(['320300'], 12);
    const accountNo = buyer.accounts['320300'] as string;
    const no = await registerProperty('320300', [buyer.idNumber], { registeredPriceFen: 700_000 });
    const before = (await getPersonalAccount(centreRepository('320300'), accountNo))?.balanceFen ?? 0;
    const first = await withdraw(
      buyer.idNumber,
      purchase(accountNo, 700_000, { onlineSigningNo: no, city: '320300' }),
    );
    expect(await settled('320300', first.applicationId)).toMatchObject({
      status: 'paid',
      payoutFen: 700_000,
    });
    expect(await tallyOf('320300', no)).toMatchObject({ withdrawnFen: 700_000 });

    const path = `/v1/staff/payouts/${first.applicationId}/return`;
    const notice = { bankReference: 'ICBC-RT-20261201-0007', reasonZh: '收款账户已销户，银行退票' };
    const recorder = await staff('xz-1', '320300');
    expect(await post(recorder, path, notice)).toMatchObject({
      status: 200,
      body: { status: 'return_pending' },
    });
    expect(await post(recorder, path, notice)).toMatchObject({
      status: 409,
      body: { code: 'PAYOUT_NOT_RETURNABLE' },
    });
    expect(await post(recorder, `${path}/confirmation`)).toMatchObject({
      status: 403,
      body: { code: 'OWN_DECISION' },
    });
    // The confirmer sees the bank's notice as recorded, the account masked.
    const pending = await region.api.request('GET', `/v1/staff/payouts/${first.applicationId}`, {
      token: await staff('xz-2', '320300'),
    });
    expect(await pending.json()).toMatchObject({
      status: 'return_pending',
      amountFen: 700_000,
      returnNotice: { bankReference: notice.bankReference, recordedBy: 'staff:xz-1' },
      bankAccount: { accountNumber: expect.not.stringContaining('4567890') },
    });
    // Another centre's staff see no such payout.
    expect((await post(await staff('ly-1', '371300'), `${path}/confirmation`)).status).toBe(404);
    const [a, b] = await Promise.all([
      post(await staff('xz-2', '320300'), `${path}/confirmation`),
      post(await staff('xz-3', '320300'), `${path}/confirmation`),
    ]);
    // Two confirmers at once: one carries it out, the other finds nothing pending.
    expect([a.status, b.status].sort()).toEqual([200, 409]);

    const { account, entries } = await assertBalanceEqualsLedger('320300', accountNo);
    expect(account.balanceFen).toBe(before);
    expect(entries.filter((e) => e.reference === `PAYOUT-RETURNED#${first.applicationId}`)).toEqual([
      expect.objectContaining({ kind: 'adjustment', amountFen: 700_000 }),
    ]);
    expect(await tallyOf('320300', no)).toMatchObject({ withdrawnFen: 0 });
    expect(
      (await getWithdrawal(centreRepository('320300'), first.applicationId))?.payoutReturned,
    ).toMatchObject({
      amountFen: 700_000,
      bankReference: notice.bankReference,
    });
    // The buyer applies again, to a good account: the whole price is open again.
    const again = await withdraw(
      buyer.idNumber,
      purchase(accountNo, 700_000, { onlineSigningNo: no, city: '320300' }),
    );
    expect(await settled('320300', again.applicationId)).toMatchObject({
      status: 'paid',
      payoutFen: 700_000,
    });
  });

  it('of a closing withdrawal is not credited to the closed account', async () => {
    const person = await makeDepositor(['320300'], 4, randomIdNumber(1960, 'male'));
    const { applicationId } = await withdraw(person.idNumber, {
      type: 'retirement',
      personalAccountNo: person.accounts['320300'],
      bankAccount: bank,
    });
    expect((await settled('320300', applicationId)).status).toBe('paid');
    expect(
      await post(await staff('xz-1', '320300'), `/v1/staff/payouts/${applicationId}/return`, {
        bankReference: 'RT-1',
        reasonZh: '退票',
      }),
    ).toMatchObject({ status: 422, body: { code: 'PAYOUT_RETURN_NOT_SUPPORTED' } });
  });
});

describe('property-facts messages delivered twice or lost', () => {
  /** A purchase withdrawal recorded with its request, which never reached the property city. */
  async function unsent(city: CityCode, propertyCity: CityCode) {
    const person = await makeDepositor([city], 12);
    const no = await registerProperty(propertyCity, [person.idNumber], { registeredPriceFen: 5_000_000 });
    const repository = centreRepository(city);
    const account = await getPersonalAccount(repository, person.accounts[city] as string);
    if (!account) throw new Error('no account');
    const { withdrawal } = await withInboxesUnreachable(async () =>
      submitWithdrawal(repository, {
        account,
        idempotencyScope: newKey(),
        birthDate: '1990-01-01',
        sex: 'male',
        idNumberMasked: '3203**********0000',
        request: {
          type: 'purchase',
          amountFen: 30_000,
          property: { onlineSigningNo: no, city: propertyCity },
        },
        bankAccount: await protectBankAccount(bank, account.city),
        channel: 'online',
        acceptedBy: 'test',
        correlationId: 'property-facts',
      }),
    );
    return { withdrawal, no, accountNo: account.personalAccountNo };
  }

  it('a request delivered twice is answered twice, and the second answer changes nothing', async () => {
    const { withdrawal, no, accountNo } = await unsent('320700', '370400');
    const request = parseEnvelope(withdrawal.requests['370400']?.message ?? '');
    expect(request.type).toBe('property-facts-request');
    // The property city's worker handles the same request twice (a redelivery past its idempotency).
    const deps = { city: '370400' as const, repository: workerRepository('370400') };
    await sendReply(await handleMessage(request, deps));
    await sendReply(await handleMessage(request, deps));
    const done = await settled('320700', withdrawal.applicationId);
    expect(done).toMatchObject({ status: 'paid', payoutFen: 30_000 });
    // The extra reply is kept for the audit and dropped.
    await eventually(
      async () => {
        const dropped = await centreRepository('320700').query(withdrawal.PK, {
          sortKeyCondition: 'begins_with(SK, :reply)',
          ExpressionAttributeValues: { ':reply': 'REPLY#' },
          ConsistentRead: true,
        });
        return dropped.items.length === 1 ? dropped.items : undefined;
      },
      10_000,
      'the second reply dropped',
    );
    const entries = await ledgerEntries('320700', accountNo);
    expect(entries.filter((e) => e.reference === `WITHDRAWAL#${withdrawal.applicationId}`)).toHaveLength(1);
    expect(await tallyOf('370400', no)).toMatchObject({ withdrawnFen: 30_000 });
    // The property city logged what it disclosed, once per answer, in its own partition.
    const disclosures = await centreRepository('370400').query(
      centreKey('370400', 'DISCLOSURE', toBeijingDate(new Date()).slice(0, 7)),
      { ConsistentRead: true },
    );
    expect(disclosures.items.filter((d) => d.applicationId === withdrawal.applicationId)).toEqual([
      expect.objectContaining({ askedBy: '320700', purpose: 'purchase-withdrawal' }),
      expect.objectContaining({ askedBy: '320700', purpose: 'purchase-withdrawal' }),
    ]);
  });

  it('a request sent whose reply was lost is sent again by the sweep, and then decided', async () => {
    const { withdrawal } = await unsent('371700', '371700');
    // Sent long ago, never answered: the reply was lost on the way back.
    await centreRepository('371700').update({
      Key: withdrawalKey('371700', withdrawal.applicationId),
      UpdateExpression: 'SET requests.#city.sentAt = :long',
      ExpressionAttributeNames: { '#city': '371700' },
      ExpressionAttributeValues: { ':long': new Date(Date.now() - 3_600_000).toISOString() },
    });
    const report = await sweepApplications(centreRepository('371700'));
    expect(report.resent).toBeGreaterThanOrEqual(1);
    expect(await settled('371700', withdrawal.applicationId)).toMatchObject({
      status: 'paid',
      payoutFen: 30_000,
    });
  });
});

describe('the register record', () => {
  it('is kept under the property city, whatever case its number is typed in', () => {
    expect(propertyRecordKey('320300', 'xz2026-001234')).toEqual({
      PK: 'C#320300#PROPREG#XZ2026-001234',
      SK: 'RECORD',
    });
    expect(propertyKey('320300', 'xz2026-001234').PK).toBe('R#PROPERTY#320300#XZ2026-001234');
  });
});
