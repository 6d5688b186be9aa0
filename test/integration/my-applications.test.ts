/**
 * 我的办件: a citizen's own withdrawals, transfers and loan applications across the centres
 * (GET /v1/me/withdrawals, /v1/me/transfers, /v1/me/loan-applications): newest first, a page at a
 * time with an opaque cursor, another person's never listed, a forged cursor a 400 on its field,
 * a replayed Idempotency-Key listed once. No worker runs: what is listed is what was accepted.
 */
import { describe, expect, it } from '@jest/globals';
import type { CityCode } from '../../shared/config/cities.js';
import { makeDepositor, sealAccount } from '../support/depositors.js';
import { useLocalRegion } from '../support/local-region.js';

const region = useLocalRegion([]);

const bank = { accountNumber: '6222021234567890123', holderName: '测试人', bankName: '中国工商银行徐州分行' };

async function citizen(idNumber: string) {
  return region.api.token({ sub: `c-${idNumber.slice(-6)}`, role: 'citizen', idNumber });
}

async function call(token: string, method: string, path: string, json?: unknown, key?: string) {
  const response = await region.api.request(method, path, {
    token,
    ...(json === undefined ? {} : { json }),
    headers: { 'idempotency-key': key ?? crypto.randomUUID() },
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const emigration = (personalAccountNo: string) => ({
  type: 'emigration',
  personalAccountNo,
  bankAccount: bank,
  settlement: { country: '加拿大', documentNo: 'CA-778899', issuedOn: '2026-09-15' },
});

/** Every page of a list, `limit` at a time: the ids in order and the number of pages. */
async function walk(token: string, path: string, member: string, limit: number) {
  const ids: string[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const query: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await call(token, 'GET', `${path}${query}`);
    expect(page.status).toBe(200);
    expect(page.body[member].length).toBeLessThanOrEqual(limit);
    ids.push(...page.body[member].map((item: { applicationId: string }) => item.applicationId));
    cursor = page.body.nextCursor;
    pages++;
  } while (cursor !== null && pages < 10);
  return { ids, pages };
}

describe('my withdrawals across the centres', () => {
  const cities: CityCode[] = ['370400', '320300', '371300'];

  it('lists my own newest first, two by two over two pages, never another citizen’s', async () => {
    const me = await makeDepositor(cities, 6);
    const other = await makeDepositor(['370400'], 6);
    const token = await citizen(me.idNumber);
    const otherToken = await citizen(other.idNumber);

    const mine: string[] = [];
    for (const city of cities) {
      const accepted = await call(
        token,
        'POST',
        '/v1/me/withdrawals',
        emigration(me.accounts[city] as string),
      );
      expect(accepted.status).toBe(202);
      mine.push(accepted.body.applicationId);
    }
    const theirs = await call(
      otherToken,
      'POST',
      '/v1/me/withdrawals',
      emigration(other.accounts['370400'] as string),
    );
    expect(theirs.status).toBe(202);

    const walked = await walk(token, '/v1/me/withdrawals', 'withdrawals', 2);
    expect(walked).toEqual({ ids: [...mine].reverse(), pages: 2 });
    expect(walked.ids).not.toContain(theirs.body.applicationId);
    expect((await walk(otherToken, '/v1/me/withdrawals', 'withdrawals', 2)).ids).toEqual([
      theirs.body.applicationId,
    ]);

    const first = await call(token, 'GET', '/v1/me/withdrawals?limit=1');
    expect(first.body.withdrawals[0]).toMatchObject({
      applicationId: mine[2],
      itemCode: 'EMIGRATE_WITHDRAW',
      city: '371300',
      status: 'awaiting_facts',
      type: 'emigration',
      payoutFen: null,
      payoutReturned: null,
    });
    // Masked only: no clear ID number, no person key, no bank account anywhere in the page.
    const text = JSON.stringify(first.body);
    expect(first.body.withdrawals[0].idNumberMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(text).not.toContain(me.idNumber);
    expect(text).not.toContain(me.personKey);
    expect(text).not.toContain(bank.accountNumber);
  });

  it('a forged, foreign or garbled cursor is a 400 naming the cursor; a bad limit names the limit', async () => {
    const me = await makeDepositor(['370400'], 6);
    const token = await citizen(me.idNumber);
    const wrap = (p: unknown) => Buffer.from(JSON.stringify({ p })).toString('base64url');
    // The ledger's kind of position, another list's sort key, a key with a bound's character, garbage.
    for (const bad of [
      'not-a-cursor',
      '%%%',
      wrap('12'),
      wrap('APP#TRANSFER#2026-12-01T00:00:00.000Z#320300-T-AAAAAAAAAAAAAAAA'),
      wrap('APP#WITHDRAWAL#~'),
      wrap('APP#WITHDRAWAL#'),
      Buffer.from('{"v":2}').toString('base64url'),
    ]) {
      const answer = await call(token, 'GET', `/v1/me/withdrawals?cursor=${encodeURIComponent(bad)}`);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ in: 'query', field: 'cursor', code: 'INVALID_CURSOR' })],
      });
    }
    const limit = await call(token, 'GET', '/v1/me/withdrawals?limit=ten');
    expect(limit.status).toBe(400);
    expect(limit.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
  });

  it('the same Idempotency-Key sent twice, and twice at once, is listed once', async () => {
    const me = await makeDepositor(['320300'], 6);
    const token = await citizen(me.idNumber);
    const key = crypto.randomUUID();
    const body = emigration(me.accounts['320300'] as string);
    const [a, b] = await Promise.all([
      call(token, 'POST', '/v1/me/withdrawals', body, key),
      call(token, 'POST', '/v1/me/withdrawals', body, key),
    ]);
    const again = await call(token, 'POST', '/v1/me/withdrawals', body, key);
    const accepted = [a, b, again].filter((answer) => answer.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(2);
    const ids = new Set(accepted.map((answer) => answer.body.applicationId));
    expect(ids.size).toBe(1);
    expect((await walk(token, '/v1/me/withdrawals', 'withdrawals', 5)).ids).toEqual([...ids]);
  });
});

describe('who else may read the lists', () => {
  it('a withdrawal a bank branch accepted for me is in my list; staff, employers and agents are refused the lists', async () => {
    const me = await makeDepositor(['320700'], 6);
    const agent = await region.api.token({
      sub: 'teller-1',
      role: 'agent',
      city: '320700',
      agentOrgId: '320700-BANK-0009',
    });
    const accepted = await call(agent, 'POST', '/v1/agent/withdrawals', {
      ...emigration(me.accounts['320700'] as string),
      idNumber: me.idNumber,
    });
    expect(accepted.status).toBe(202);
    const token = await citizen(me.idNumber);
    // A zero limit is the smallest page, not an empty one.
    const listed = await call(token, 'GET', '/v1/me/withdrawals?limit=0');
    expect(listed.body.withdrawals).toEqual([
      expect.objectContaining({ applicationId: accepted.body.applicationId, channel: 'agent' }),
    ]);
    const staff = await region.api.token({ sub: 'staff-x', role: 'staff', city: '320700' });
    const employer = await region.api.token({
      sub: 'employer-x',
      role: 'employer',
      uscc: '91320700MA0HPF0700',
      city: '320700',
    });
    for (const other of [staff, employer, agent]) {
      for (const path of ['/v1/me/withdrawals', '/v1/me/transfers', '/v1/me/loan-applications']) {
        expect((await call(other, 'GET', path)).status).toBe(403);
      }
    }
  });
});

describe('my transfers and loan applications', () => {
  it('a transfer is listed in its receiving centre’s name, only to its mover', async () => {
    const me = await makeDepositor(['371300'], 12);
    await makeDepositor(['320300'], 3, me.idNumber);
    await sealAccount('371300', me.accounts['371300'] as string);
    const other = await makeDepositor(['371300'], 12);
    await makeDepositor(['320300'], 3, other.idNumber);
    await sealAccount('371300', other.accounts['371300'] as string);
    const token = await citizen(me.idNumber);
    const otherToken = await citizen(other.idNumber);

    const accepted = await call(token, 'POST', '/v1/me/transfers', {
      personalAccountNo: me.accounts['371300'],
      toCity: '320300',
    });
    expect(accepted.status).toBe(202);
    const theirs = await call(otherToken, 'POST', '/v1/me/transfers', {
      personalAccountNo: other.accounts['371300'],
      toCity: '320300',
    });
    expect(theirs.status).toBe(202);

    const listed = await call(token, 'GET', '/v1/me/transfers');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({
      transfers: [
        {
          applicationId: accepted.body.applicationId,
          itemCode: 'ACCOUNT_TRANSFER',
          city: '320300',
          fromCity: '371300',
          amountFen: null,
        },
      ],
      nextCursor: null,
    });
    // My withdrawals are not my transfers: one index, three lists.
    expect((await call(token, 'GET', '/v1/me/withdrawals')).body.withdrawals).toEqual([]);
  });

  it('loan applications in two lending centres, newest first, one page each', async () => {
    const me = await makeDepositor(['371300'], 12);
    const token = await citizen(me.idNumber);
    const ids: string[] = [];
    for (const lendingCity of ['320300', '370800']) {
      const accepted = await call(token, 'POST', '/v1/me/loan-applications', {
        lendingCity,
        propertyCity: lendingCity,
        housePriceFen: 100_000_000,
        requestedFen: 20_000_000,
        termMonths: 240,
        method: 'equal-installment',
        declaredHomeOrder: 'first',
        otherMonthlyDebtFen: 0,
        maritalStatus: 'single',
      });
      expect(accepted.status).toBe(202);
      ids.push(accepted.body.applicationId);
    }
    const walked = await walk(token, '/v1/me/loan-applications', 'applications', 1);
    expect(walked).toEqual({ ids: [...ids].reverse(), pages: 2 });
    const first = await call(token, 'GET', '/v1/me/loan-applications?limit=1');
    expect(first.body.applications[0]).toMatchObject({
      itemCode: 'OFFSITE_LOAN',
      city: '370800',
      propertyCity: '370800',
      requestedFen: 20_000_000,
      loanId: null,
    });
    const stranger = await citizen((await makeDepositor(['371300'], 1)).idNumber);
    expect((await call(stranger, 'GET', '/v1/me/loan-applications')).body).toEqual({
      applications: [],
      nextCursor: null,
    });
  });
});
