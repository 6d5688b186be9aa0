/**
 * Withdrawals end to end on the emulators: each type decided and paid by the account centre's
 * worker, the repay-a-loan withdrawal with the loan centre answering over the queues (and not),
 * concurrent and duplicated requests, and an injected transaction conflict.
 */

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { recordAnswer } from '../../shared/applications/outbox.js';
import { sweepApplications } from '../../shared/applications/sweep.js';
import { addMonths, monthOf } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { tableName } from '../../shared/config/runtime.js';
import { getPersonalAccount } from '../../shared/deposits/store.js';
import { protectBankAccount } from '../../shared/identity/bank-account.js';
import { loanIndexKey } from '../../shared/loans/store.js';
import {
  CentreRepository,
  centreRepository,
  type TransactItem,
} from '../../shared/persistence/centre-repository.js';
import { dynamoDocumentClient } from '../../shared/persistence/client.js';
import { centreKey } from '../../shared/persistence/table.js';
import {
  decideWithdrawal,
  getWithdrawal,
  submitWithdrawal,
  withdrawalKey,
} from '../../shared/withdrawals/withdrawals.js';
import { makeDepositor, randomIdNumber } from '../support/depositors.js';
import { assertBalanceEqualsLedger, ledgerEntries } from '../support/ledger-assertions.js';
import { useLocalRegion } from '../support/local-region.js';
import { registerProperty } from '../support/properties.js';
import { eventually, withInboxesUnreachable } from '../support/region.js';

/** 宿迁 321300 never answers, for the silent-centre case. */
const ANSWERING: CityCode[] = [
  '320300',
  '320700',
  '341300',
  '340600',
  '411400',
  '370400',
  '370800',
  '371300',
  '371700',
];

const region = useLocalRegion(ANSWERING);

const bank = { accountNumber: '6222021234567890123', holderName: '测试人', bankName: '中国工商银行徐州分行' };
const newKey = () => `wd-${randomBytes(8).toString('hex')}`;

async function withdraw(idNumber: string, body: Record<string, unknown>, key = newKey()) {
  const token = await region.api.token({ sub: `c-${idNumber.slice(-6)}`, role: 'citizen', idNumber });
  const response = await region.api.request('POST', '/v1/me/withdrawals', {
    token,
    json: body,
    headers: { 'idempotency-key': key },
  });
  return { response, body: (await response.json()) as Record<string, unknown>, token };
}

/** The sweep run with its clock at the withdrawal's facts deadline (instead of waiting for it). */
async function sweepAtDeadline(city: CityCode, id: string) {
  const withdrawal = await getWithdrawal(centreRepository(city), id);
  if (!withdrawal) throw new Error(`no withdrawal ${id}`);
  return sweepApplications(centreRepository(city), { now: new Date(withdrawal.factsDeadline) });
}

async function settled(city: CityCode, id: string) {
  return eventually(
    async () => {
      const withdrawal = await getWithdrawal(centreRepository(city), id);
      return withdrawal && withdrawal.status !== 'awaiting_facts' ? withdrawal : undefined;
    },
    20_000,
    `a decision on withdrawal ${id}`,
  );
}

describe('closing withdrawals', () => {
  it('a man past the statutory age withdraws the whole balance with interest to date, and the account closes', async () => {
    const person = await makeDepositor(['320300'], 8, randomIdNumber(1960, 'male'));
    const accountNo = person.accounts['320300'] as string;
    const before = await getPersonalAccount(centreRepository('320300'), accountNo);
    const { response, body } = await withdraw(person.idNumber, {
      type: 'retirement',
      personalAccountNo: accountNo,
      bankAccount: bank,
    });
    expect(response.status).toBe(202);
    expect((body.bankAccount as { accountNumber: string }).accountNumber).not.toContain('4567890');
    const done = await settled('320300', String(body.applicationId));
    expect(done.status).toBe('paid');
    const after = await getPersonalAccount(centreRepository('320300'), accountNo);
    expect(after).toMatchObject({ status: 'closed', balanceFen: 0 });
    // The payout is the balance plus the interest accrued since 1 July, posted first as its own entry,
    // once. The deposits (value dates the 10th of the 8 months before this one) have earned some.
    const interest = (await ledgerEntries('320300', accountNo)).filter(
      (entry) => entry.reference === `INTEREST-TO-DATE#${body.applicationId}`,
    );
    expect(interest).toEqual([expect.objectContaining({ kind: 'interest' })]);
    const interestFen = interest[0]?.amountFen ?? 0;
    expect(interestFen).toBeGreaterThan(0);
    expect(before?.balanceFen).toBeGreaterThan(0);
    expect(done.payoutFen).toBe((before?.balanceFen ?? 0) + interestFen);
    await assertBalanceEqualsLedger('320300', accountNo);
    // The person may open a new account in this centre later: the one-open-account guard is gone.
    expect(
      await centreRepository('320300').get({
        PK: centreKey('320300', 'PERSON', person.personKey),
        SK: 'OPEN_ACCOUNT',
      }),
    ).toBeUndefined();
  });

  it('a woman whose retirement age category is not recorded goes to staff, who record it; then she is paid', async () => {
    const person = await makeDepositor(['371700'], 4, randomIdNumber(1958, 'female'));
    const accountNo = person.accounts['371700'] as string;
    const { body } = await withdraw(person.idNumber, {
      type: 'retirement',
      personalAccountNo: accountNo,
      bankAccount: bank,
    });
    const reviewed = await settled('371700', String(body.applicationId));
    expect(reviewed.status).toBe('review');
    expect(reviewed.reasons?.[0]?.code).toBe('RETIREMENT_CATEGORY_UNKNOWN');
    const staff = await region.api.token({ sub: 'staff-hz', role: 'staff', city: '371700' });
    const queue = (await (
      await region.api.request('GET', '/v1/staff/applications?status=review', { token: staff })
    ).json()) as {
      applications: { applicationId: string; itemCode: string }[];
    };
    expect(queue.applications.find((a) => a.applicationId === reviewed.applicationId)).toMatchObject({
      itemCode: 'RETIRE_WITHDRAW',
    });
    // Another centre's staff cannot decide it.
    const other = await region.api.token({ sub: 'staff-xz', role: 'staff', city: '320300' });
    expect(
      (
        await region.api.request('POST', `/v1/staff/applications/${reviewed.applicationId}/decision`, {
          token: other,
          json: { outcome: 'approve' },
        })
      ).status,
    ).toBe(404);
    // Born 1958, category 55: she reached 55 in 2013, so once it is recorded she is paid.
    const approved = await region.api.request(
      'POST',
      `/v1/staff/applications/${reviewed.applicationId}/decision`,
      {
        token: staff,
        json: { outcome: 'approve', womanRetirementCategory: 'age55' },
      },
    );
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as { status: string }).status).toBe('pending_confirmation');
    // Four eyes: the same staff member cannot confirm; a second one does, and she is paid by the same rule.
    const confirm = (token: string) =>
      region.api.request('POST', `/v1/staff/applications/${reviewed.applicationId}/confirmation`, {
        token,
        headers: { 'idempotency-key': newKey() },
        json: { outcome: 'confirm' },
      });
    expect((await confirm(staff)).status).toBe(403);
    const second = await region.api.token({ sub: 'staff-hz-2', role: 'staff', city: '371700' });
    expect((await confirm(second)).status).toBe(200);
    const paid = await settled('371700', reviewed.applicationId);
    expect(paid.status).toBe('paid');
    expect(paid?.timeline.map((t) => t.status)).toEqual([
      'awaiting_facts',
      'review',
      'pending_confirmation',
      'paid',
    ]);
    expect(await getPersonalAccount(centreRepository('371700'), accountNo)).toMatchObject({
      status: 'closed',
      balanceFen: 0,
    });
    await assertBalanceEqualsLedger('371700', accountNo);
  });

  it('someone below the statutory age without a retirement record is refused, in words', async () => {
    const person = await makeDepositor(['320700'], 8, randomIdNumber(1990, 'male'));
    const { body } = await withdraw(person.idNumber, {
      type: 'retirement',
      personalAccountNo: person.accounts['320700'],
      bankAccount: bank,
    });
    const done = await settled('320700', String(body.applicationId));
    expect(done.status).toBe('rejected');
    expect(done.reasons?.[0]?.code).toBe('RETIREMENT_AGE_NOT_REACHED');
  });

  it('settling abroad pays the whole balance and closes the account', async () => {
    const person = await makeDepositor(['370400'], 5);
    const accountNo = person.accounts['370400'] as string;
    const { body, token } = await withdraw(person.idNumber, {
      type: 'emigration',
      personalAccountNo: accountNo,
      bankAccount: bank,
      settlement: { country: '加拿大', documentNo: 'CA-778899', issuedOn: '2026-09-15' },
    });
    const done = await settled('370400', String(body.applicationId));
    expect(done.status).toBe('paid');
    expect(await getPersonalAccount(centreRepository('370400'), accountNo)).toMatchObject({
      status: 'closed',
      balanceFen: 0,
    });
    const shown = (await (
      await region.api.request('GET', `/v1/me/withdrawals/${done.applicationId}`, { token })
    ).json()) as Record<string, unknown>;
    expect(shown).toMatchObject({ status: 'paid', itemCode: 'EMIGRATE_WITHDRAW', timeLeft: { open: false } });
    expect(shown).not.toHaveProperty('personKey');
    await assertBalanceEqualsLedger('370400', accountNo);
  });

  it('settling abroad is refused while an HPF loan is outstanding anywhere in the region', async () => {
    const person = await makeDepositor(['341300'], 8);
    await centreRepository('341300').put({
      ...loanIndexKey(person.personKey),
      status: 'active',
      lendingCity: '370800',
      loanId: 'X-L',
      repaidLoans: 0,
    });
    const { body } = await withdraw(person.idNumber, {
      type: 'emigration',
      personalAccountNo: person.accounts['341300'],
      bankAccount: bank,
      settlement: { country: '新西兰', documentNo: 'NZ-123456', issuedOn: '2026-08-01' },
    });
    const done = await settled('341300', String(body.applicationId));
    expect(done.status).toBe('rejected');
    expect(done.reasons?.[0]?.code).toBe('LOAN_OUTSTANDING');
  });

  it('pays only to an account in the applicant’s own name', async () => {
    const person = await makeDepositor(['340600'], 3);
    const { response, body } = await withdraw(person.idNumber, {
      type: 'emigration',
      personalAccountNo: person.accounts['340600'],
      bankAccount: { ...bank, holderName: '别人' },
      settlement: { country: '新西兰', documentNo: 'NZ-1', issuedOn: '2026-08-01' },
    });
    expect(response.status).toBe(422);
    expect(body).toMatchObject({ code: 'BANK_ACCOUNT_NOT_ACCEPTED' });
  });
});

describe('purchase withdrawals', () => {
  it('buyers with accounts in two centres together withdraw at most the registered price', async () => {
    const [a, b] = [await makeDepositor(['370400'], 12), await makeDepositor(['370800'], 12)];
    const onlineSigningNo = await registerProperty('370400', [a.idNumber, b.idNumber], {
      registeredPriceFen: 2_000_000,
    });
    // A number typed in lower case is the same record.
    const property = { onlineSigningNo: onlineSigningNo.toLowerCase(), city: '370400' };
    const first = await withdraw(a.idNumber, {
      type: 'purchase',
      personalAccountNo: a.accounts['370400'],
      bankAccount: bank,
      amountFen: 1_500_000,
      property,
    });
    expect((await settled('370400', String(first.body.applicationId))).payoutFen).toBe(1_500_000);
    // The other buyer types the number in capitals: it is the same property.
    const second = await withdraw(b.idNumber, {
      type: 'purchase',
      personalAccountNo: b.accounts['370800'],
      bankAccount: bank,
      amountFen: 1_500_000,
      property: { ...property, onlineSigningNo },
    });
    const done = await settled('370800', String(second.body.applicationId));
    expect(done.status).toBe('paid');
    expect(done.payoutFen).toBe(500_000);
    expect(done.reasons?.map((r) => r.code)).toContain('CAPPED_BY_PROPERTY_REMAINING');
  });

  it('the same Idempotency-Key twice is one withdrawal, paid once', async () => {
    const person = await makeDepositor(['411400'], 6);
    const key = newKey();
    const body = {
      type: 'purchase',
      personalAccountNo: person.accounts['411400'],
      bankAccount: bank,
      amountFen: 100_000,
      property: { onlineSigningNo: await registerProperty('411400', [person.idNumber]), city: '411400' },
    };
    const racing = await Promise.all([
      withdraw(person.idNumber, body, key),
      withdraw(person.idNumber, body, key),
    ]);
    // Both at once: one is accepted, the other is the same withdrawal or told that it is in progress.
    const accepted = racing.filter((r) => r.response.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    for (const other of racing.filter((r) => r.response.status !== 202)) {
      expect(other.response.status).toBe(409);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    }
    const one = accepted[0] as (typeof racing)[number];
    expect(new Set(accepted.map((r) => r.body.applicationId)).size).toBe(1);
    // Afterwards the same key answers the first response again, marked as a replay.
    const again = await withdraw(person.idNumber, body, key);
    expect(again.response.status).toBe(202);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.applicationId).toBe(one.body.applicationId);
    await settled('411400', String(one.body.applicationId));
    const ledger = await centreRepository('411400').query(
      centreKey('411400', 'PACCT', person.accounts['411400'] as string),
      {
        sortKeyCondition: 'begins_with(SK, :posted)',
        ExpressionAttributeValues: { ':posted': 'POSTED#WITHDRAWAL#' },
        ConsistentRead: true,
      },
    );
    expect(ledger.items).toHaveLength(1);
  });

  it('fifty withdrawals at once on one balance: never below zero, balance = ledger', async () => {
    const person = await makeDepositor(['371300'], 6);
    const accountNo = person.accounts['371300'] as string;
    const before = (await getPersonalAccount(centreRepository('371300'), accountNo))?.balanceFen ?? 0;
    const each = Math.ceil(before / 20); // 50 × each is well over the balance
    const properties = await Promise.all(
      Array.from({ length: 50 }, () => registerProperty('371300', [person.idNumber])),
    );
    const results = await Promise.all(
      properties.map((onlineSigningNo) =>
        withdraw(person.idNumber, {
          type: 'purchase',
          personalAccountNo: accountNo,
          bankAccount: bank,
          amountFen: each,
          property: { onlineSigningNo, city: '371300' },
        }),
      ),
    );
    const outcomes = await Promise.all(results.map((r) => settled('371300', String(r.body.applicationId))));
    const paid = outcomes.filter((o) => o.status === 'paid').reduce((sum, o) => sum + (o.payoutFen ?? 0), 0);
    const after = await getPersonalAccount(centreRepository('371300'), accountNo);
    expect(after?.balanceFen).toBe(before - paid);
    expect(after?.balanceFen).toBeGreaterThanOrEqual(0);
    expect(paid).toBe(before);
    await assertBalanceEqualsLedger('371300', accountNo);
  }, 120_000);
  it('a property city that does not answer sends it to staff, who cannot approve it without the record', async () => {
    const person = await makeDepositor(['320700'], 6);
    // 宿迁's worker does not run in this file, and the request is not even relayed: no answer comes.
    const onlineSigningNo = await registerProperty('321300', [person.idNumber]);
    const { body } = await withInboxesUnreachable(
      () =>
        withdraw(person.idNumber, {
          type: 'purchase',
          personalAccountNo: person.accounts['320700'],
          bankAccount: bank,
          amountFen: 10_000,
          property: { onlineSigningNo, city: '321300' },
        }),
      { replyDeadlineMs: 800 },
    );
    const id = String(body.applicationId);
    await sweepAtDeadline('320700', id);
    expect((await getWithdrawal(centreRepository('320700'), id))?.status).toBe('review');
    const staff = await region.api.token({ sub: 'lyg-1', role: 'staff', city: '320700' });
    const approve = await region.api.request('POST', `/v1/staff/applications/${id}/decision`, {
      token: staff,
      json: { outcome: 'approve', approvedFen: 10_000, reasonZh: '已核对纸质合同' },
    });
    expect(approve.status).toBe(422);
    expect(await approve.json()).toMatchObject({ code: 'NO_COMPUTED_LIMIT' });
  });
});

describe('withdrawing to repay an HPF loan in another region city', () => {
  /**
   * A loan in `loanCity` with `months` monthly repayments on the 2nd of the month (records as the
   * loan centre keeps them), the newest the last 2nd on or before today: so exactly 12 of them fall
   * in the 12 months before an application made today, whatever the day of the month.
   */
  async function loanWithRepayments(
    person: { personKey: string },
    loanCity: CityCode,
    months: number,
    paymentFen: number,
  ) {
    const repository = centreRepository(loanCity);
    const loanId = `${loanCity}-T-${randomBytes(3).toString('hex').toUpperCase()}-L`;
    await repository.put({
      PK: centreKey(loanCity, 'PERSON', person.personKey),
      SK: `LOAN#${loanId}`,
      loanId,
      status: 'active',
    });
    const today = toBeijingDate(new Date());
    const thisMonth = monthOf(today);
    const newest = `${thisMonth}-02` <= today ? 0 : 1;
    for (let m = newest; m < newest + months; m++) {
      const month = addMonths(thisMonth, -m);
      await repository.put({
        PK: centreKey(loanCity, 'LOAN', loanId),
        SK: `REPAYMENT#${month}`,
        postedAt: `${month}-02T02:00:00.000Z`,
        paymentFen,
      });
    }
    return loanId;
  }

  it('pays the repayments of the last 12 months, once: the loan centre answers over the queues', async () => {
    const person = await makeDepositor(['320300'], 12);
    const accountNo = person.accounts['320300'] as string;
    await loanWithRepayments(person, '370800', 14, 100_000);
    const before = await getPersonalAccount(centreRepository('320300'), accountNo);
    // The balance (12 months of deposits) is more than the 12 repayments: they, not it, set the amount.
    expect(before?.balanceFen).toBeGreaterThan(12 * 100_000);
    const disclosureMonth = toBeijingDate(new Date()).slice(0, 7);
    const { body } = await withdraw(person.idNumber, {
      type: 'offsite-repay',
      personalAccountNo: accountNo,
      bankAccount: bank,
      loanCity: '370800',
    });
    const done = await settled('320300', String(body.applicationId));
    expect(done.status).toBe('paid');
    // 12 of the 14 monthly repayments are in the window.
    expect(done.payoutFen).toBe(1_200_000);
    expect((done.decision as { details: { counted: unknown[] } }).details.counted).toHaveLength(12);
    expect(done.reasons?.map((r) => r.code)).not.toContain('CAPPED_BY_BALANCE');
    expect(done.facts['370800']).toMatchObject({ held: true });
    expect((await getPersonalAccount(centreRepository('320300'), accountNo))?.balanceFen).toBe(
      (before?.balanceFen ?? 0) - 1_200_000,
    );
    // The loan centre logged what it disclosed, to whom and why, in its own partition.
    const disclosures = await centreRepository('370800').query(
      centreKey('370800', 'DISCLOSURE', disclosureMonth),
      { ConsistentRead: true },
    );
    expect(disclosures.items.filter((d) => d.applicationId === done.applicationId)).toEqual([
      expect.objectContaining({ askedBy: '320300', purpose: 'offsite-repay-withdrawal' }),
    ]);
    // Every repayment in the window is covered now: a second withdrawal has nothing left to pay.
    const again = await withdraw(person.idNumber, {
      type: 'offsite-repay',
      personalAccountNo: accountNo,
      bankAccount: bank,
      loanCity: '370800',
    });
    const second = await settled('320300', String(again.body.applicationId));
    expect(second.status).toBe('rejected');
    expect(second.reasons?.[0]?.code).toBe('NO_UNCOVERED_REPAYMENTS');
    await assertBalanceEqualsLedger('320300', accountNo);
  });

  it('a payout the bank returned frees the repayments it covered, once confirmed by a second staff member', async () => {
    const person = await makeDepositor(['371700'], 12);
    const accountNo = person.accounts['371700'] as string;
    await loanWithRepayments(person, '370400', 12, 50_000);
    const body = {
      type: 'offsite-repay',
      personalAccountNo: accountNo,
      bankAccount: bank,
      loanCity: '370400',
    };
    const first = await settled('371700', String((await withdraw(person.idNumber, body)).body.applicationId));
    expect(first.payoutFen).toBe(600_000);
    const staff = (sub: string) => region.api.token({ sub, role: 'staff', city: '371700' });
    const path = `/v1/staff/payouts/${first.applicationId}/return`;
    const post = async (sub: string, to: string, json?: Record<string, unknown>) =>
      (
        await region.api.request('POST', to, {
          token: await staff(sub),
          ...(json ? { json } : {}),
          headers: { 'idempotency-key': newKey() },
        })
      ).status;
    expect(await post('hz-1', path, { bankReference: 'RT-HZ-1', reasonZh: '户名不符，银行退票' })).toBe(200);
    expect(await post('hz-2', `${path}/confirmation`)).toBe(200);
    // The twelve repayments are uncovered again: a new withdrawal covers them.
    const second = await settled(
      '371700',
      String((await withdraw(person.idNumber, body)).body.applicationId),
    );
    expect(second).toMatchObject({ status: 'paid', payoutFen: 600_000 });
    await assertBalanceEqualsLedger('371700', accountNo);
  });

  it('a repayment covered from one centre is not covered again from another, even at once', async () => {
    const person = await makeDepositor(['320300', '320700'], 12);
    await loanWithRepayments(person, '370800', 12, 100_000);
    const body = (city: CityCode) => ({
      type: 'offsite-repay',
      personalAccountNo: person.accounts[city],
      bankAccount: bank,
      loanCity: '370800',
    });
    const [xuzhou, lianyungang] = await Promise.all([
      withdraw(person.idNumber, body('320300')),
      withdraw(person.idNumber, body('320700')),
    ]);
    const done = await Promise.all([
      settled('320300', String(xuzhou.body.applicationId)),
      settled('320700', String(lianyungang.body.applicationId)),
    ]);
    // Twelve repayments of 1,000 yuan are paid once in all, whichever centre came first.
    const paid = done.filter((w) => w.status === 'paid');
    expect(paid.reduce((sum, w) => sum + (w.payoutFen ?? 0), 0)).toBe(1_200_000);
    for (const w of done.filter((w) => w.status !== 'paid')) {
      expect(w.reasons?.[0]?.code).toBe('NO_UNCOVERED_REPAYMENTS');
    }
  });

  it('a loan centre that does not answer sends the withdrawal to staff review after the deadline', async () => {
    const person = await makeDepositor(['320700'], 6);
    process.env.REPLY_DEADLINE_MS = '800';
    let id: string;
    try {
      const { body } = await withdraw(person.idNumber, {
        type: 'offsite-repay',
        personalAccountNo: person.accounts['320700'],
        bankAccount: bank,
        loanCity: '321300',
      });
      id = String(body.applicationId);
    } finally {
      delete process.env.REPLY_DEADLINE_MS;
    }
    await sweepAtDeadline('320700', id);
    const reviewed = await getWithdrawal(centreRepository('320700'), id);
    expect(reviewed?.status).toBe('review');
    expect(reviewed?.reasons?.[0]?.message['zh-CN']).toContain('宿迁');
  });
});

describe('a bank branch accepting for a present citizen', () => {
  it('submits for its own centre’s accounts, records the channel and lists what it submitted', async () => {
    const person = await makeDepositor(['370800'], 4);
    const agent = await region.api.token({
      sub: 'teller-7',
      role: 'agent',
      city: '370800',
      agentOrgId: 'JN-BANK-0007',
    });
    const body = {
      type: 'purchase',
      idNumber: person.idNumber,
      personalAccountNo: person.accounts['370800'],
      bankAccount: bank,
      amountFen: 50_000,
      property: { onlineSigningNo: await registerProperty('370800', [person.idNumber]), city: '370800' },
    };
    const accepted = await region.api.request('POST', '/v1/agent/withdrawals', {
      token: agent,
      json: body,
      headers: { 'idempotency-key': newKey() },
    });
    expect(accepted.status).toBe(202);
    const withdrawal = (await accepted.json()) as {
      applicationId: string;
      channel: string;
      agentOrgId: string;
    };
    expect(withdrawal).toMatchObject({ channel: 'agent', agentOrgId: 'JN-BANK-0007' });
    const list = (await (
      await region.api.request('GET', '/v1/agent/applications', { token: agent })
    ).json()) as {
      applications: { applicationId: string; itemCode: string }[];
    };
    expect(list.applications.map((a) => a.applicationId)).toContain(withdrawal.applicationId);
    // A branch of another centre may not accept for this account.
    const elsewhere = await region.api.token({
      sub: 'teller-9',
      role: 'agent',
      city: '320300',
      agentOrgId: 'XZ-BANK-0009',
    });
    const refused = await region.api.request('POST', '/v1/agent/withdrawals', {
      token: elsewhere,
      json: body,
      headers: { 'idempotency-key': newKey() },
    });
    expect(refused.status).toBe(403);
  });
});

describe('an injected transaction conflict', () => {
  it('is retried without paying twice', async () => {
    const person = await makeDepositor(['340600'], 6, randomIdNumber(1960, 'male'));
    const repository = centreRepository('340600');
    const account = await getPersonalAccount(repository, person.accounts['340600'] as string);
    if (!account) throw new Error('no account');
    // Recorded but not relayed: the test plays the worker.
    const { withdrawal } = await withInboxesUnreachable(async () =>
      submitWithdrawal(repository, {
        account,
        idempotencyScope: newKey(),
        birthDate: '1960-01-01',
        sex: 'male',
        idNumberMasked: '3203**********0000',
        request: { type: 'retirement' },
        bankAccount: await protectBankAccount(bank, account.city),
        channel: 'online',
        acceptedBy: 'test',
        correlationId: 'conflict',
      }),
    );
    const withdrawalId = withdrawal.applicationId;
    const own = withdrawal.requests['340600'];
    await recordAnswer(
      repository,
      withdrawalKey('340600', withdrawalId),
      { from: '340600', inReplyTo: own?.requestId ?? '', messageId: own?.requestId ?? '' },
      new Date(),
    );
    let conflicts = 1;
    const flaky = new (class extends CentreRepository {
      override async transactWrite(items: readonly TransactItem[]) {
        if (items.length > 3 && conflicts-- > 0) {
          throw Object.assign(new Error('Transaction cancelled'), {
            name: 'TransactionCanceledException',
            CancellationReasons: items.map(() => ({ Code: 'TransactionConflict' })),
          });
        }
        return super.transactWrite(items);
      }
    })('340600', dynamoDocumentClient(), tableName());
    await decideWithdrawal(flaky, withdrawalId);
    expect(conflicts).toBe(-1);
    expect((await getWithdrawal(repository, withdrawalId))?.status).toBe('paid');
    expect(await getPersonalAccount(repository, account.personalAccountNo)).toMatchObject({
      balanceFen: 0,
      status: 'closed',
    });
    await assertBalanceEqualsLedger('340600', account.personalAccountNo);
  });
});

describe('a decision that failed after its answer was recorded', () => {
  it('is taken when the message comes again', async () => {
    const person = await makeDepositor(['320700'], 4, randomIdNumber(1960, 'male'));
    const repository = centreRepository('320700');
    const account = await getPersonalAccount(repository, person.accounts['320700'] as string);
    if (!account) throw new Error('no account');
    const { withdrawal } = await withInboxesUnreachable(async () =>
      submitWithdrawal(repository, {
        account,
        idempotencyScope: newKey(),
        birthDate: '1960-01-01',
        sex: 'male',
        idNumberMasked: '3203**********0000',
        request: { type: 'retirement' },
        bankAccount: await protectBankAccount(bank, account.city),
        channel: 'online',
        acceptedBy: 'test',
        correlationId: 'redelivered',
      }),
    );
    const own = withdrawal.requests['320700'];
    const answer = {
      from: '320700' as const,
      inReplyTo: own?.requestId ?? '',
      messageId: own?.requestId ?? '',
    };
    // First delivery: the answer is recorded, then the worker dies before deciding.
    expect(
      await recordAnswer(repository, withdrawalKey('320700', withdrawal.applicationId), answer, new Date()),
    ).toBe('complete');
    expect((await getWithdrawal(repository, withdrawal.applicationId))?.status).toBe('awaiting_facts');
    // Redelivery: the same answer says the decision is still due.
    expect(
      await recordAnswer(repository, withdrawalKey('320700', withdrawal.applicationId), answer, new Date()),
    ).toBe('complete');
    await decideWithdrawal(repository, withdrawal.applicationId);
    expect((await getWithdrawal(repository, withdrawal.applicationId))?.status).toBe('paid');
    // Once decided, a further copy is dropped.
    expect(
      await recordAnswer(repository, withdrawalKey('320700', withdrawal.applicationId), answer, new Date()),
    ).toBe('dropped');
  });
});
