/**
 * The yearly base adjustment (缴存基数年度调整) through the local gateway: a CSV or JSON batch is
 * checked row by row with the single change's rules, all rows or none; a good batch becomes one
 * deposit change per row (terms history and change log), posted in chunks; a replay, a crash
 * between chunks, a remittance meanwhile and another employer's accounts are each handled once.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  getBaseAdjustment,
  postBaseAdjustment,
  ROWS_PER_CHUNK,
  resumeBaseAdjustments,
  submitBaseAdjustment,
} from '../../shared/base-adjustments/adjustment.js';
import { addMonths, monthOf, nextMonth } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { remit } from '../../shared/deposits/remittance.js';
import {
  type EmployerRecord,
  getEmployer,
  getPersonalAccount,
  openEmployerAccount,
  openPersonalAccount,
  termsFor,
} from '../../shared/deposits/store.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { personalAccountPartition } from '../../shared/ledger/ledger.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import { randomIdNumber, randomUscc } from '../support/depositors.js';
import { startTestGateway, type TestGateway, type TestRequestOptions } from '../support/gateway.js';
import { asJob } from '../support/jobs.js';

let api: TestGateway;
beforeAll(async () => {
  api = await startTestGateway();
});
afterAll(async () => {
  await api.close();
});

async function call(method: string, path: string, options: TestRequestOptions = {}) {
  const response = await api.request(method, path, options);
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever the answer holds
  const body: any = text ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, body };
}

const JINING: CityCode = '370800';
const THIS_MONTH = monthOf(toBeijingDate(new Date()));
/** Always allowed and never remitted yet: the month after this one. */
const NEXT = nextMonth(THIS_MONTH);
const params = parametersInForce(JINING, `${NEXT}-01`);
const NEW_BASE = params.depositBaseFloorFen * 2;

interface Employer {
  record: EmployerRecord;
  employerAccountNo: string;
  token: string;
  accounts: string[];
}

async function employerWith(employees: number): Promise<Employer> {
  const repository = centreRepository(JINING);
  const uscc = randomUscc(JINING);
  const openedAt = `${addMonths(THIS_MONTH, -3)}-01T00:00:00.000Z`;
  const opened = await openEmployerAccount(repository, {
    uscc,
    usccCheckCharacterValid: true,
    name: '基数调整测试单位',
    address: '测试路 2 号',
    contactName: '测试',
    contactPhone: '13800000000',
    payday: 10,
    openedAt,
    openedBy: 'base-adjustments.test',
  });
  if (!opened.opened) throw new Error('a random credit code collided');
  const employerAccountNo = opened.record.employerAccountNo;
  const today = parametersInForce(JINING, toBeijingDate(new Date()));
  const openSome = (count: number) =>
    Promise.all(
      Array.from({ length: count }, async () => {
        const idNumber = randomIdNumber();
        const account = await openPersonalAccount(repository, {
          employerAccountNo,
          personKey: await personKey(idNumber),
          name: '职工',
          idNumberMasked: maskIdNumber(idNumber),
          monthlyDepositBaseFen: today.depositBaseFloorFen,
          employeeRateBasisPoints: 500,
          employerRateBasisPoints: 500,
          ruleVersion: today.ruleVersion,
          openedAt,
        });
        if (!account.opened) throw new Error('a random ID number collided');
        return account.record.personalAccountNo;
      }),
    );
  const accounts: string[] = [];
  // In groups of 25: the SDK's sockets, not the test, would otherwise be the bottleneck.
  for (let done = 0; done < employees; done += 25) {
    accounts.push(...(await openSome(Math.min(25, employees - done))));
  }
  const token = await api.token({
    sub: `hr-${randomBytes(4).toString('hex')}`,
    role: 'employer',
    uscc,
    city: JINING,
  });
  return { record: opened.record, employerAccountNo, token, accounts };
}

const key = () => `adj-${randomBytes(8).toString('hex')}`;

function csvOf(rows: string[][]): string {
  return `\uFEFFpersonalAccountNo,monthlyDepositBaseFen,employeeRateBasisPoints,employerRateBasisPoints\r\n${rows
    .map((r) => r.join(','))
    .join('\r\n')}\r\n`;
}

function goodRows(employer: Employer): string[][] {
  return employer.accounts.map((no) => [no, String(NEW_BASE), '1200', '1000']);
}

function postCsv(employer: Employer, csv: string, idempotencyKey: string, month = NEXT) {
  return call(
    'POST',
    `/v1/employers/${employer.employerAccountNo}/base-adjustments?effectiveMonth=${month}`,
    {
      token: employer.token,
      headers: { 'idempotency-key': idempotencyKey, 'content-type': 'text/csv; charset=utf-8' },
      body: csv,
    },
  );
}

function postJson(employer: Employer, json: unknown, idempotencyKey: string) {
  return call('POST', `/v1/employers/${employer.employerAccountNo}/base-adjustments`, {
    token: employer.token,
    headers: { 'idempotency-key': idempotencyKey },
    json,
  });
}

async function changeLog(personalAccountNo: string) {
  return centreRepository(JINING).queryAll(personalAccountPartition(JINING, personalAccountNo), {
    sortKeyCondition: 'begins_with(SK, :change)',
    ExpressionAttributeValues: { ':change': 'CHANGE#' },
    ConsistentRead: true,
  });
}

async function termsNextMonth(personalAccountNo: string) {
  const account = await getPersonalAccount(centreRepository(JINING), personalAccountNo);
  if (!account) throw new Error('account vanished');
  return { now: termsFor(account, THIS_MONTH), next: termsFor(account, NEXT), account };
}

describe('a CSV base adjustment', () => {
  it('with one bad row posts nothing and names the row; corrected it posts once; replayed nothing', async () => {
    const employer = await employerWith(3);
    const rows = goodRows(employer);
    // Row 2 below the floor of the rules in force next month; row 3 a rate above the maximum.
    const bad = rows.map((r) => [...r]);
    (bad[1] as string[])[1] = String(params.depositBaseFloorFen - 1);
    (bad[2] as string[])[2] = String(params.depositRateMaxBasisPoints + 1);
    const refused = await postCsv(employer, csvOf(bad), key());
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('BASE_ADJUSTMENT_ROWS_INVALID');
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        row: 2,
        field: 'monthlyDepositBaseFen',
        code: 'DEPOSIT_BASE_BELOW_FLOOR',
        limitFen: params.depositBaseFloorFen,
        ruleVersion: params.ruleVersion,
      }),
      expect.objectContaining({
        row: 3,
        field: 'employeeRateBasisPoints',
        code: 'DEPOSIT_RATE_OUT_OF_RANGE',
      }),
    ]);
    for (const no of employer.accounts) {
      expect(await changeLog(no)).toHaveLength(0);
      expect((await termsNextMonth(no)).next.monthlyDepositBaseFen).toBe(
        parametersInForce(JINING, toBeijingDate(new Date())).depositBaseFloorFen,
      );
    }

    // The same file corrected (and the same key: a refusal keeps nothing under it).
    const idempotencyKey = key();
    const csv = csvOf(rows);
    const posted = await postCsv(employer, csv, idempotencyKey);
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({
      status: 'posted',
      effectiveMonth: NEXT,
      rowCount: 3,
      postedRows: 3,
      skippedRows: 0,
      chunkCount: 1,
    });
    for (const no of employer.accounts) {
      const { now, next } = await termsNextMonth(no);
      // This month keeps its terms; next month on, the new ones.
      expect(now.monthlyDepositBaseFen).not.toBe(NEW_BASE);
      expect(next).toEqual({
        effectiveMonth: NEXT,
        monthlyDepositBaseFen: NEW_BASE,
        employeeRateBasisPoints: 1200,
        employerRateBasisPoints: 1000,
      });
      const log = await changeLog(no);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({
        effectiveMonth: NEXT,
        changedBy: expect.stringMatching(/^employer:hr-/),
        previous: { monthlyDepositBaseFen: expect.any(Number), employeeRateBasisPoints: 500 },
        next: {
          monthlyDepositBaseFen: NEW_BASE,
          employeeRateBasisPoints: 1200,
          employerRateBasisPoints: 1000,
        },
      });
    }

    // Replayed: the same answer, nothing posted again.
    const replay = await postCsv(employer, csv, idempotencyKey);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(posted.body);
    // The same content as JSON under the same key is the same request (the CSV becomes this value).
    const asJson = await postJson(
      employer,
      {
        effectiveMonth: NEXT,
        rows: employer.accounts.map((no) => ({
          personalAccountNo: no,
          monthlyDepositBaseFen: NEW_BASE,
          employeeRateBasisPoints: 1200,
          employerRateBasisPoints: 1000,
        })),
      },
      idempotencyKey,
    );
    expect(asJson.headers.get('idempotent-replayed')).toBe('true');
    for (const no of employer.accounts) expect(await changeLog(no)).toHaveLength(1);

    // The same key with another body.
    const other = await postCsv(employer, csvOf(rows.slice(0, 2)), idempotencyKey);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    for (const no of employer.accounts) expect(await changeLog(no)).toHaveLength(1);

    const status = await call('GET', posted.headers.get('location') as string, { token: employer.token });
    expect(status.status).toBe(200);
    expect(status.body).toEqual(posted.body);
  });

  it('reads cells that are not whole numbers as row errors, all at once, and refuses a GBK file or a bad header', async () => {
    const employer = await employerWith(2);
    const rows = goodRows(employer);
    const refused = await postCsv(
      employer,
      csvOf([
        [rows[0]?.[0] as string, '6500.00', '1200', '1000'],
        [rows[1]?.[0] as string, String(NEW_BASE), '', '12%'],
      ]),
      key(),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [1, 'monthlyDepositBaseFen'],
      [2, 'employeeRateBasisPoints'],
      [2, 'employerRateBasisPoints'],
    ]);

    // A spreadsheet saved as GBK (中文 in a header-like cell) is not UTF-8.
    const gbk = Buffer.concat([Buffer.from(csvOf(rows)), Buffer.from([0xd6, 0xd0, 0xce, 0xc4])]);
    const notUtf8 = await call(
      'POST',
      `/v1/employers/${employer.employerAccountNo}/base-adjustments?effectiveMonth=${NEXT}`,
      { token: employer.token, headers: { 'idempotency-key': key(), 'content-type': 'text/csv' }, body: gbk },
    );
    expect(notUtf8.status).toBe(400);
    expect(notUtf8.body.errors[0].code).toBe('CSV_NOT_UTF8');

    const header = await postCsv(employer, `personalAccountNo,base\r\n${rows[0]?.[0]},650000\r\n`, key());
    expect(header.status).toBe(400);
    expect(header.body.errors[0].code).toBe('CSV_HEADER_INVALID');

    // Without a BOM, LF line ends, columns in another order: the same rows.
    const plain = `employerRateBasisPoints,personalAccountNo,employeeRateBasisPoints,monthlyDepositBaseFen\n${rows
      .map((r) => `${r[3]},${r[0]},${r[2]},${r[1]}`)
      .join('\n')}\n`;
    const posted = await postCsv(employer, plain, key());
    expect(posted.status).toBe(201);
    expect(posted.body.postedRows).toBe(2);
    for (const no of employer.accounts) expect(await changeLog(no)).toHaveLength(1);
    for (const no of employer.accounts)
      for (const change of await changeLog(no)) expect(change.effectiveMonth).toBe(NEXT);
  });
});

describe('a JSON base adjustment', () => {
  it('lists a zero base and a zero rate as row errors; a value of the wrong type is a 400 naming its path', async () => {
    const employer = await employerWith(2);
    const [a, b] = employer.accounts as [string, string];
    const row = (personalAccountNo: string, base: unknown, rate: unknown) => ({
      personalAccountNo,
      monthlyDepositBaseFen: base,
      employeeRateBasisPoints: rate,
      employerRateBasisPoints: 1200,
    });
    const zeros = await postJson(
      employer,
      { effectiveMonth: NEXT, rows: [row(a, NEW_BASE, 1200), row(b, 0, 0)] },
      key(),
    );
    expect(zeros.status).toBe(422);
    expect(zeros.body.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [2, 'DEPOSIT_BASE_BELOW_FLOOR'],
      [2, 'DEPOSIT_RATE_OUT_OF_RANGE'],
    ]);
    const typed = await postJson(employer, { effectiveMonth: NEXT, rows: [row(a, '6500.00', 1200)] }, key());
    expect(typed.status).toBe(400);
    expect(typed.body.errors[0].field).toBe('rows.0.monthlyDepositBaseFen');
    for (const no of employer.accounts) expect(await changeLog(no)).toHaveLength(0);
  });
});

describe('what a batch may change', () => {
  it('refuses another employer’s accounts, a repeated account and a closed one, naming each row', async () => {
    const mine = await employerWith(3);
    const theirs = await employerWith(1);
    const closed = mine.accounts[2] as string;
    await centreRepository(JINING).update({
      Key: { PK: personalAccountPartition(JINING, closed), SK: 'ACCOUNT' },
      UpdateExpression: 'SET #status = :closed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':closed': 'closed' },
    });
    const rows = goodRows(mine);
    const refused = await postCsv(
      mine,
      csvOf([
        ...rows,
        [theirs.accounts[0] as string, String(NEW_BASE), '1200', '1000'],
        [rows[0]?.[0] as string, String(NEW_BASE), '1200', '1000'],
        ['3708009999999999', String(NEW_BASE), '1200', '1000'],
      ]),
      key(),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [3, 'ACCOUNT_CLOSED'],
      [4, 'NOT_AN_EMPLOYEE'],
      [5, 'DUPLICATE_ACCOUNT'],
      [6, 'NOT_AN_EMPLOYEE'],
    ]);
    // Nothing said about whose account row 3 is.
    expect(JSON.stringify(refused.body)).not.toContain(theirs.employerAccountNo);
    for (const no of [...mine.accounts, ...theirs.accounts]) expect(await changeLog(no)).toHaveLength(0);

    // Another employer's token on my account number: 404, as for no such employer.
    const foreignCsv = await call(
      'POST',
      `/v1/employers/${mine.employerAccountNo}/base-adjustments?effectiveMonth=${NEXT}`,
      {
        token: theirs.token,
        headers: { 'idempotency-key': key(), 'content-type': 'text/csv' },
        body: csvOf(rows),
      },
    );
    expect(foreignCsv.status).toBe(404);
    const citizen = await api.token({ sub: 'c-1', role: 'citizen', idNumber: randomIdNumber() });
    const asCitizen = await call('POST', `/v1/employers/${mine.employerAccountNo}/base-adjustments`, {
      token: citizen,
      headers: { 'idempotency-key': key() },
      json: { effectiveMonth: NEXT, rows: [] },
    });
    expect(asCitizen.status).toBe(403);
  });

  it('takes effect only from a month still remittable and not yet remitted; a month remitted keeps the old base', async () => {
    const employer = await employerWith(1);
    const rows = goodRows(employer);
    const old = await postCsv(employer, csvOf(rows), key(), addMonths(THIS_MONTH, -2));
    expect(old.status).toBe(422);
    expect(old.body.errors).toEqual([
      expect.objectContaining({
        field: 'effectiveMonth',
        code: 'EFFECTIVE_MONTH_OUT_OF_RANGE',
        allowedTo: NEXT,
      }),
    ]);
    const far = await postCsv(employer, csvOf(rows), key(), addMonths(THIS_MONTH, 2));
    expect(far.body.errors[0].code).toBe('EFFECTIVE_MONTH_OUT_OF_RANGE');

    await remit(centreRepository(JINING), {
      employerAccountNo: employer.employerAccountNo,
      month: THIS_MONTH,
      idempotencyKey: key(),
    });
    const remitted = await postCsv(employer, csvOf(rows), key(), THIS_MONTH);
    expect(remitted.status).toBe(422);
    expect(remitted.body.errors).toEqual([
      expect.objectContaining({ field: 'effectiveMonth', code: 'MONTH_ALREADY_REMITTED', month: THIS_MONTH }),
    ]);
    expect(await changeLog(employer.accounts[0] as string)).toHaveLength(0);
    const next = await postCsv(employer, csvOf(rows), key(), NEXT);
    expect(next.status).toBe(201);
  });

  it('runs one adjustment of an employer at a time when two race', async () => {
    const employer = await employerWith(3);
    const results = await Promise.all(
      [1100, 1200].map((rate) =>
        postCsv(
          employer,
          csvOf(employer.accounts.map((no) => [no, String(NEW_BASE), String(rate), String(rate)])),
          key(),
        ),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses).toContain(201);
    const made = statuses.filter((s) => s === 201).length;
    for (const r of results.filter((x) => x.status === 409))
      expect(r.body.code).toBe('BASE_ADJUSTMENT_IN_PROGRESS');
    for (const no of employer.accounts) expect(await changeLog(no)).toHaveLength(made);
  });
});

describe('a large batch', () => {
  it('posts 250 rows in chunks, and a crash between chunks is finished by the sweep, each row once', async () => {
    const employer = await employerWith(250);
    const repository = centreRepository(JINING);
    const record = (await getEmployer(repository, employer.employerAccountNo)) as EmployerRecord;
    const request = {
      effectiveMonth: NEXT,
      rows: employer.accounts.map((no, i) => ({
        personalAccountNo: no,
        monthlyDepositBaseFen: NEW_BASE + i,
        employeeRateBasisPoints: 1200,
        employerRateBasisPoints: 1200,
      })),
    };
    const seed = randomBytes(32).toString('hex');
    const crash = new Error('the function timed out after chunk 1');
    await expect(
      submitBaseAdjustment(repository, {
        employer: record,
        request,
        idempotencySeed: seed,
        acceptedBy: 'employer:test',
        afterChunk: async (index) => {
          if (index === 1) throw crash;
        },
      }),
    ).rejects.toBe(crash);

    const id = `${JINING}-A-${seed.slice(0, 16).toUpperCase()}`;
    const cut = await getBaseAdjustment(repository, id);
    expect(cut).toMatchObject({ status: 'posting', chunkCount: Math.ceil(250 / ROWS_PER_CHUNK) });
    expect([...(cut?.chunksDone ?? [])].sort()).toEqual([0, 1]);
    expect(cut?.postedRows).toBe(2 * ROWS_PER_CHUNK);
    expect(await changeLog(employer.accounts[0] as string)).toHaveLength(1);
    expect(await changeLog(employer.accounts[249] as string)).toHaveLength(0);

    // Meanwhile the employer's remittances of months from the effective month on wait; this month's does not.
    const remittance = await call('POST', `/v1/employers/${employer.employerAccountNo}/remittances`, {
      token: employer.token,
      headers: { 'idempotency-key': key() },
      json: { month: THIS_MONTH },
    });
    expect(remittance.status).toBe(201);
    const second = await postCsv(employer, csvOf(goodRows(employer).slice(0, 1)), key());
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('BASE_ADJUSTMENT_IN_PROGRESS');

    // The sweep finishes what the crash left (its last chunk lifts the marker); a retry of the same
    // request and another posting at once then change nothing: every chunk once.
    const resumed = await asJob('loan-sweep', () => resumeBaseAdjustments(repository));
    expect(resumed).toBeGreaterThanOrEqual(1);
    const [retried] = await Promise.all([
      submitBaseAdjustment(repository, {
        employer: record,
        request,
        idempotencySeed: seed,
        acceptedBy: 'employer:test',
      }),
      postBaseAdjustment(repository, id),
    ]);
    expect(retried.replayed).toBe(true);
    const done = await getBaseAdjustment(repository, id);
    expect(done).toMatchObject({ status: 'posted', postedRows: 250, skippedRows: 0 });
    expect(done?.chunksDone?.size).toBe(done?.chunkCount);
    for (const [i, no] of employer.accounts.entries()) {
      const log = await changeLog(no);
      expect(log).toHaveLength(1);
      expect((await termsNextMonth(no)).next.monthlyDepositBaseFen).toBe(NEW_BASE + i);
    }
    // Posted, it leaves the sweep's list and the marker: the next adjustment goes through.
    expect(await asJob('loan-sweep', () => resumeBaseAdjustments(repository))).toBe(0);
    const after = await postCsv(employer, csvOf(goodRows(employer).slice(0, 1)), key());
    expect(after.status).toBe(201);
  });
});
