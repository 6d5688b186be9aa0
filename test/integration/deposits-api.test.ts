/**
 * Issue 3, "Employers and deposits", through the local gateway (JWT authorizer, the real handlers,
 * DynamoDB Local): employer registration, employee accounts, deposit changes, remittances and the
 * citizen's own accounts and ledger — every route, every role, every foreign identity.
 *
 * All integration files share one table, so every test makes its own credit codes and ID numbers.
 * "Today" is the real clock: months are taken relative to the current Beijing month.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { addMonths, monthOf, nextMonth, previousMonth, type YearMonth } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { tableName } from '../../shared/config/runtime.js';
import { remit } from '../../shared/deposits/remittance.js';
import { monthlyDeposit } from '../../shared/deposits/rules.js';
import { employerPartition, getPersonalAccount, personIndexKey } from '../../shared/deposits/store.js';
import { idNumberCheckCharacter } from '../../shared/identity/id-number.js';
import { maskName } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { usccCheckCharacter } from '../../shared/identity/uscc.js';
import { ACCOUNT_SK, personalAccountPartition } from '../../shared/ledger/ledger.js';
import { formatYuan } from '../../shared/money/money.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { dynamoDocumentClient } from '../../shared/persistence/client.js';
import { GSI1 } from '../../shared/persistence/table.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { assertBalanceEqualsLedger } from '../support/ledger-assertions.js';

const JINING = '370800';
const XUZHOU = '320300';
const LINYI = '371300';

const TODAY = toBeijingDate(new Date());
const THIS_MONTH = monthOf(TODAY);
const LAST_MONTH = previousMonth(THIS_MONTH);
const TWO_MONTHS_AGO = addMonths(THIS_MONTH, -2);

// ------------------------------------------------------------------------------------------------
// Identities: fresh, valid credit codes and ID numbers for every test (one shared table).

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function randomUscc(city: string): string {
  let first17 = `91${city}`;
  while (first17.length < 17) first17 += USCC_CHARSET[randomInt(USCC_CHARSET.length)];
  return first17 + usccCheckCharacter(first17);
}

function withWrongCheckCharacter(uscc: string): string {
  const right = uscc.at(-1) as string;
  return uscc.slice(0, 17) + USCC_CHARSET[(USCC_CHARSET.indexOf(right) + 1) % USCC_CHARSET.length];
}

function randomFirst17(region: string): string {
  const year = 1970 + randomInt(30);
  const month = String(1 + randomInt(12)).padStart(2, '0');
  const day = String(1 + randomInt(28)).padStart(2, '0');
  return `${region}${year}${month}${day}${String(randomInt(1000)).padStart(3, '0')}`;
}

function randomIdNumber(region = '370802'): string {
  const first17 = randomFirst17(region);
  return first17 + idNumberCheckCharacter(first17);
}

/** An ID number whose check character is X. */
function randomIdNumberEndingInX(region = '370811'): string {
  for (;;) {
    const first17 = randomFirst17(region);
    if (idNumberCheckCharacter(first17) === 'X') return `${first17}X`;
  }
}

const nonce = () => randomBytes(6).toString('hex');
const idempotencyKey = () => `remit-${randomBytes(12).toString('hex')}`;

// ------------------------------------------------------------------------------------------------
// The gateway and small request helpers

let api: TestGateway;

beforeAll(async () => {
  api = await startTestGateway();
});

afterAll(async () => {
  await api.close();
});

/** Every personal account a test opened: its ledger is checked after the test. */
const touched: [CityCode, string][] = [];

afterEach(async () => {
  const accounts = touched.splice(0);
  for (const [city, personalAccountNo] of accounts) await assertBalanceEqualsLedger(city, personalAccountNo);
  // No handler threw past its boundary (every failure was an answer).
  expect(api.handlerErrors).toEqual([]);
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
  options: { token?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await api.request(method, path, options);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

function expectProblem(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body?.code }).toEqual({ status, code });
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(answer.body).toMatchObject({
    status,
    code,
    message: { 'zh-CN': expect.any(String), en: expect.any(String) },
  });
}

function expectFieldError(answer: Answer, field: string, code?: string, where = 'body'): void {
  expectProblem(answer, 400, 'VALIDATION_FAILED');
  expect(answer.body.errors).toEqual(
    expect.arrayContaining([expect.objectContaining({ in: where, field, ...(code ? { code } : {}) })]),
  );
}

interface Employer {
  uscc: string;
  city: CityCode;
  sub: string;
  token: string;
  employerAccountNo: string;
}

function employerBody(uscc: string, city: string) {
  return {
    uscc,
    name: '济宁市示范机械有限公司',
    city,
    address: '山东省济宁市任城区示范路1号',
    contactName: '张三',
    contactPhone: '13800138000',
    payday: 15,
  };
}

async function employerToken(uscc: string, city: CityCode, sub = `employer-${nonce()}`): Promise<string> {
  return api.token({ sub, role: 'employer', uscc, city });
}

/**
 * The API registers employers and accounts today; a test of several months' deposits needs them
 * opened earlier, so the fixtures below move the opening half a year back in the table.
 */
const OPENED_AT = `${addMonths(THIS_MONTH, -6)}-01T00:00:00.000Z`;

async function backdate(key: { PK: string; SK: string }): Promise<void> {
  await dynamoDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'SET openedAt = :at',
      ExpressionAttributeValues: { ':at': OPENED_AT },
    }),
  );
}

async function registerEmployer(city: CityCode, uscc = randomUscc(city)): Promise<Employer> {
  const sub = `employer-${nonce()}`;
  const token = await employerToken(uscc, city, sub);
  const answer = await call('POST', '/v1/employers', { token, json: employerBody(uscc, city) });
  expect(answer.status).toBe(201);
  await backdate({ PK: employerPartition(city, answer.body.employerAccountNo), SK: 'PROFILE' });
  return { uscc, city, sub, token, employerAccountNo: answer.body.employerAccountNo };
}

interface Terms {
  monthlyDepositBaseFen: number;
  employeeRateBasisPoints: number;
  employerRateBasisPoints: number;
}

const TYPICAL: Terms = {
  monthlyDepositBaseFen: 555_555,
  employeeRateBasisPoints: 1200,
  employerRateBasisPoints: 1200,
};

function employeePath(employer: Employer, personalAccountNo?: string): string {
  const base = `/v1/employers/${employer.employerAccountNo}/employees`;
  return personalAccountNo === undefined ? base : `${base}/${personalAccountNo}`;
}

function openEmployeeRequest(employer: Employer, idNumber: string, terms: Terms = TYPICAL, name = '李四') {
  return call('POST', employeePath(employer), { token: employer.token, json: { idNumber, name, ...terms } });
}

async function openEmployee(employer: Employer, idNumber: string, terms: Terms = TYPICAL): Promise<string> {
  const answer = await openEmployeeRequest(employer, idNumber, terms);
  expect(answer.status).toBe(201);
  touched.push([employer.city, answer.body.personalAccountNo]);
  await backdate({
    PK: personalAccountPartition(employer.city, answer.body.personalAccountNo),
    SK: ACCOUNT_SK,
  });
  return answer.body.personalAccountNo;
}

/** `key` null sends no Idempotency-Key header. */
function remitRequest(employer: Employer, month: string, key: string | null = idempotencyKey()) {
  return call('POST', `/v1/employers/${employer.employerAccountNo}/remittances`, {
    token: employer.token,
    json: { month },
    ...(key === null ? {} : { headers: { 'Idempotency-Key': key } }),
  });
}

/**
 * This month through the API; an earlier month as it was remitted in its own time (on the 5th of
 * that month, within its window), which the API cannot do today.
 */
async function remitMonth(employer: Employer, month: string) {
  if (month < THIS_MONTH) {
    const { summary } = await remit(centreRepository(employer.city), {
      employerAccountNo: employer.employerAccountNo,
      month: month as YearMonth,
      idempotencyKey: idempotencyKey(),
      now: new Date(`${month}-05T02:00:00Z`),
    });
    return summary;
  }
  const answer = await remitRequest(employer, month);
  expect(answer.status).toBe(201);
  return answer.body;
}

function changeRequest(employer: Employer, personalAccountNo: string, change: Record<string, unknown>) {
  return call('PATCH', employeePath(employer, personalAccountNo), { token: employer.token, json: change });
}

function citizenToken(idNumber: string): Promise<string> {
  return api.token({ sub: `citizen-${nonce()}`, role: 'citizen', idNumber });
}

async function myAccounts(token: string) {
  const answer = await call('GET', '/v1/me/accounts', { token });
  expect(answer.status).toBe(200);
  return answer.body.accounts as Record<string, unknown>[];
}

function ledgerPath(personalAccountNo: string, query = ''): string {
  return `/v1/me/accounts/${personalAccountNo}/ledger${query}`;
}

/** The deposit of a month under the centre's rule version in force today (its rounding included). */
function expectedDeposit(city: CityCode, terms: Terms) {
  return monthlyDeposit({
    baseFen: terms.monthlyDepositBaseFen,
    employeeRateBasisPoints: terms.employeeRateBasisPoints,
    employerRateBasisPoints: terms.employerRateBasisPoints,
    rounding: parametersInForce(city, TODAY).depositRounding,
  });
}

// ------------------------------------------------------------------------------------------------

describe('done when: an employer in 济宁 remits two months and each employee sees it', () => {
  it('registers, opens two employees, remits two months; each citizen sees balance and ledger', async () => {
    const params = parametersInForce(JINING, TODAY);
    expect(params.depositRounding).toBe('fen');

    // Register: 14 digits, the centre's code, kind digit 1, a sequence.
    const uscc = randomUscc(JINING);
    const token = await employerToken(uscc, JINING);
    const registered = await call('POST', '/v1/employers', { token, json: employerBody(uscc, JINING) });
    expect(registered.status).toBe(201);
    expect(registered.body.employerAccountNo).toMatch(/^3708001\d{7}$/);
    expect(registered.headers.get('location')).toBe(`/v1/employers/${registered.body.employerAccountNo}`);
    expect(registered.body).toMatchObject({
      uscc,
      city: JINING,
      usccCheckCharacterValid: true,
      payday: 15,
      warnings: [],
    });
    expect(registered.body).not.toHaveProperty('PK');
    const employer: Employer = {
      uscc,
      city: JINING,
      sub: 'n/a',
      token,
      employerAccountNo: registered.body.employerAccountNo,
    };

    // Two employees, terms whose shares need rounding.
    const people = [
      { idNumber: randomIdNumber(), name: '王小明', terms: TYPICAL },
      {
        idNumber: randomIdNumber(),
        name: '欧阳娜娜',
        terms: {
          monthlyDepositBaseFen: 333_333,
          employeeRateBasisPoints: 700,
          employerRateBasisPoints: 1000,
        },
      },
    ];
    const accountNos: string[] = [];
    for (const person of people) {
      const opened = await openEmployeeRequest(employer, person.idNumber, person.terms, person.name);
      expect(opened.status).toBe(201);
      expect(opened.body.personalAccountNo).toMatch(/^3708002\d{9}$/);
      expect(opened.body).toMatchObject({
        employerAccountNo: employer.employerAccountNo,
        city: JINING,
        status: 'normal',
        ruleVersion: params.ruleVersion,
        ...person.terms,
      });
      // The employer sees the person masked: never the full ID number, never the person key.
      expect(opened.body.idNumber).toBe(
        `${person.idNumber.slice(0, 4)}**********${person.idNumber.slice(-4)}`,
      );
      expect(opened.body.name).toBe(maskName(person.name));
      expect(JSON.stringify(opened.body)).not.toContain(person.idNumber);
      expect(opened.body).not.toHaveProperty('personKey');
      accountNos.push(opened.body.personalAccountNo);
      touched.push([JINING, opened.body.personalAccountNo]);
    }

    // The deposits, from monthlyDeposit() and 济宁's rounding (to the fen), and written out by hand.
    const deposits = people.map((p) => expectedDeposit(JINING, p.terms));
    // 5,555.55 × 12% = 666.666 → 666.67; 3,333.33 × 7% = 233.3331 → 233.33; × 10% = 333.333 → 333.33
    expect(deposits).toEqual([
      { employeeShareFen: 66_667, employerShareFen: 66_667, totalFen: 133_334 },
      { employeeShareFen: 23_333, employerShareFen: 33_333, totalFen: 56_666 },
    ]);

    // Registered today: nothing is owed for last month, before the opening month.
    const early = await remitRequest(employer, LAST_MONTH);
    expectProblem(early, 422, 'REMITTANCE_MONTH_NOT_REMITTABLE');
    expect(early.body).toMatchObject({
      month: LAST_MONTH,
      openingMonth: THIS_MONTH,
      allowedFrom: THIS_MONTH,
      allowedTo: THIS_MONTH,
    });
    // As if it had registered half a year ago and remitted last month in its time.
    await backdate({ PK: employerPartition(JINING, employer.employerAccountNo), SK: 'PROFILE' });
    for (const no of accountNos) await backdate({ PK: personalAccountPartition(JINING, no), SK: ACCOUNT_SK });
    for (const month of [LAST_MONTH, THIS_MONTH]) {
      const summary = await remitMonth(employer, month);
      expect(summary).toMatchObject({
        employerAccountNo: employer.employerAccountNo,
        month,
        status: 'completed',
        employeeCount: 2,
        employeeShareFen: 66_667 + 23_333,
        employerShareFen: 66_667 + 33_333,
        totalFen: 133_334 + 56_666,
        ruleVersion: params.ruleVersion,
      });
      expect(summary).not.toHaveProperty('idempotencyKey');
    }

    for (const [i, person] of people.entries()) {
      const deposit = deposits[i] as (typeof deposits)[number];
      const citizen = await citizenToken(person.idNumber);
      const accounts = await myAccounts(citizen);
      expect(accounts).toEqual([
        expect.objectContaining({
          personalAccountNo: accountNos[i],
          centre: expect.objectContaining({ code: JINING, nameZh: '济宁', provinceZh: '山东' }),
          employerAccountNo: employer.employerAccountNo,
          status: 'normal',
          balanceFen: 2 * deposit.totalFen,
          continuousDepositMonths: 2,
          lastDepositMonth: THIS_MONTH,
        }),
      ]);
      expect(JSON.stringify(accounts)).not.toContain('personKey');

      const ledger = await call('GET', ledgerPath(accountNos[i] as string), { token: citizen });
      expect(ledger.status).toBe(200);
      expect(ledger.body).toMatchObject({
        personalAccountNo: accountNos[i],
        balanceFen: 2 * deposit.totalFen,
      });
      expect(ledger.body.nextCursor).toBeNull();
      expect(ledger.body.entries).toEqual([
        expect.objectContaining({
          version: 2,
          kind: 'remittance',
          reference: `REMIT#${THIS_MONTH}`,
          amountFen: deposit.totalFen,
          balanceAfterFen: 2 * deposit.totalFen,
          valueDate: TODAY,
          details: expect.objectContaining({
            month: THIS_MONTH,
            employeeShareFen: deposit.employeeShareFen,
            employerShareFen: deposit.employerShareFen,
            monthlyDepositBaseFen: person.terms.monthlyDepositBaseFen,
          }),
        }),
        expect.objectContaining({
          version: 1,
          reference: `REMIT#${LAST_MONTH}`,
          amountFen: deposit.totalFen,
          balanceAfterFen: deposit.totalFen,
        }),
      ]);
      for (const entry of ledger.body.entries) {
        expect(entry).not.toHaveProperty('PK');
        expect(entry).not.toHaveProperty('SK');
      }
    }
  });
});

describe('a person with accounts in several centres', () => {
  it('sees the 徐州 and 临沂 accounts in one call, each credited by its own centre rule', async () => {
    const idNumber = randomIdNumber('320303');
    const xuzhou = await registerEmployer(XUZHOU);
    const linyi = await registerEmployer(LINYI);
    const xuzhouNo = await openEmployee(xuzhou, idNumber);
    const linyiNo = await openEmployee(linyi, idNumber);
    expect(xuzhouNo).toMatch(/^3203002\d{9}$/);
    expect(linyiNo).toMatch(/^3713002\d{9}$/);
    await remitMonth(xuzhou, THIS_MONTH);
    await remitMonth(linyi, THIS_MONTH);

    // 徐州 rounds each share to the yuan (666.666 → 667.00), 临沂 to the fen (666.67).
    expect(parametersInForce(XUZHOU, TODAY).depositRounding).toBe('yuan');
    expect(parametersInForce(LINYI, TODAY).depositRounding).toBe('fen');
    expect(expectedDeposit(XUZHOU, TYPICAL).totalFen).toBe(133_400);
    expect(expectedDeposit(LINYI, TYPICAL).totalFen).toBe(133_334);

    const accounts = await myAccounts(await citizenToken(idNumber));
    expect(accounts).toHaveLength(2);
    expect(accounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          personalAccountNo: xuzhouNo,
          centre: {
            code: XUZHOU,
            nameZh: '徐州',
            nameEn: 'Xuzhou',
            provinceZh: '江苏',
            provinceEn: 'Jiangsu',
          },
          balanceFen: 133_400,
        }),
        expect.objectContaining({
          personalAccountNo: linyiNo,
          centre: {
            code: LINYI,
            nameZh: '临沂',
            nameEn: 'Linyi',
            provinceZh: '山东',
            provinceEn: 'Shandong',
          },
          balanceFen: 133_334,
        }),
      ]),
    );
  });

  it('lists accounts in three centres with one GSI1 Query of about half a read unit', async () => {
    const idNumber = randomIdNumber('371302');
    for (const city of [XUZHOU, LINYI, JINING] as const) {
      await openEmployee(await registerEmployer(city), idNumber);
    }
    const accounts = await myAccounts(await citizenToken(idNumber));
    expect(accounts.map((a) => (a.centre as { code: string }).code).sort()).toEqual(
      [XUZHOU, JINING, LINYI].sort(),
    );

    // The handler's query, issued the same way, with its consumed capacity.
    const page = await dynamoDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: GSI1.indexName,
        KeyConditionExpression: '#pk = :person AND begins_with(#sk, :account)',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey, '#sk': GSI1.sortKey },
        ExpressionAttributeValues: {
          ':person': personIndexKey(await personKey(idNumber)),
          ':account': 'ACCOUNT#',
        },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(page.Items).toHaveLength(3);
    expect(page.LastEvaluatedKey).toBeUndefined();
    // Three ~1 KB items in one eventually consistent read of at most 4 KB: 0.5 RCU.
    expect(page.ConsumedCapacity?.CapacityUnits).toBe(0.5);
  });

  it('a citizen with no account gets an empty list', async () => {
    expect(await myAccounts(await citizenToken(randomIdNumber()))).toEqual([]);
  });
});

describe('EMPLOYER_OPEN', () => {
  it('the same credit code in the same centre again is a 409 with the existing number', async () => {
    const employer = await registerEmployer(JINING);
    const again = await call('POST', '/v1/employers', {
      token: employer.token,
      json: employerBody(employer.uscc, JINING),
    });
    expectProblem(again, 409, 'EMPLOYER_ACCOUNT_EXISTS');
    expect(again.body.employerAccountNo).toBe(employer.employerAccountNo);
    expect(again.body.message['zh-CN']).toContain(employer.employerAccountNo);
  });

  it('the same credit code in another centre opens a separate account there', async () => {
    const jining = await registerEmployer(JINING);
    const xuzhou = await registerEmployer(XUZHOU, jining.uscc);
    expect(xuzhou.employerAccountNo).toMatch(/^3203001\d{7}$/);
    expect(xuzhou.employerAccountNo).not.toBe(jining.employerAccountNo);
    // Each branch is its own account with its own employees.
    const idNumber = randomIdNumber();
    await openEmployee(jining, idNumber);
    await openEmployee(xuzhou, idNumber);
  });

  it('an employer acts only in the centre its token names', async () => {
    const jining = await registerEmployer(JINING);
    // The same credit code signed in for 济宁 cannot register a 徐州 branch, nor touch one.
    const elsewhere = await call('POST', '/v1/employers', {
      token: jining.token,
      json: employerBody(jining.uscc, XUZHOU),
    });
    expectProblem(elsewhere, 403, 'EMPLOYER_NOT_YOURS');
    const xuzhou = await registerEmployer(XUZHOU, jining.uscc);
    const foreign = await call('POST', `/v1/employers/${xuzhou.employerAccountNo}/employees`, {
      token: jining.token,
      json: {
        idNumber: randomIdNumber(),
        name: '张三',
        monthlyDepositBaseFen: 500_000,
        employeeRateBasisPoints: 1200,
        employerRateBasisPoints: 1200,
      },
    });
    expectProblem(foreign, 404, 'NOT_FOUND');
  });

  it('a credit code of the wrong length or with a letter outside the charset is a 400 on uscc', async () => {
    const good = randomUscc(JINING);
    for (const bad of [
      good.slice(0, 17),
      `${good}0`,
      `${good.slice(0, 10)}O${good.slice(11)}`,
      `${good.slice(0, 10)}I${good.slice(11)}`,
    ]) {
      const token = await employerToken(bad, JINING);
      const answer = await call('POST', '/v1/employers', { token, json: employerBody(bad, JINING) });
      expectFieldError(answer, 'uscc', 'USCC_FORMAT');
    }
  });

  it('a check character that does not match is accepted with a warning', async () => {
    const uscc = withWrongCheckCharacter(randomUscc(JINING));
    const token = await employerToken(uscc, JINING);
    const answer = await call('POST', '/v1/employers', { token, json: employerBody(uscc, JINING) });
    expect(answer.status).toBe(201);
    expect(answer.body.usccCheckCharacterValid).toBe(false);
    expect(answer.body.warnings).toEqual([
      {
        field: 'uscc',
        code: 'USCC_CHECK_CHARACTER',
        message: { 'zh-CN': expect.any(String), en: expect.any(String) },
      },
    ]);
  });

  it('a lowercase credit code in the body is normalised and is the token’s', async () => {
    const uscc = randomUscc(JINING);
    const token = await employerToken(uscc, JINING);
    const answer = await call('POST', '/v1/employers', {
      token,
      json: employerBody(uscc.toLowerCase(), JINING),
    });
    expect(answer.status).toBe(201);
    expect(answer.body.uscc).toBe(uscc);
  });

  it('registering a credit code that is not the token’s is a 403', async () => {
    const token = await employerToken(randomUscc(JINING), JINING);
    const answer = await call('POST', '/v1/employers', {
      token,
      json: employerBody(randomUscc(JINING), JINING),
    });
    expectProblem(answer, 403, 'EMPLOYER_NOT_YOURS');
  });

  it('an unknown centre is a 400 on city', async () => {
    const uscc = randomUscc(JINING);
    const token = await employerToken(uscc, JINING);
    // 999999 is no city; 320500 is 苏州 (Jiangsu), not one of the ten.
    for (const city of ['999999', '320500', '3708']) {
      const answer = await call('POST', '/v1/employers', { token, json: employerBody(uscc, city) });
      expectFieldError(answer, 'city');
    }
  });

  it('other malformed bodies are 400s naming the field', async () => {
    const uscc = randomUscc(JINING);
    const token = await employerToken(uscc, JINING);
    const body = employerBody(uscc, JINING);
    expectFieldError(await call('POST', '/v1/employers', { token, json: { ...body, payday: 29 } }), 'payday');
    expectFieldError(
      await call('POST', '/v1/employers', { token, json: { ...body, contactPhone: '12345' } }),
      'contactPhone',
    );
    const { name: _name, ...withoutName } = body;
    expectFieldError(await call('POST', '/v1/employers', { token, json: withoutName }), 'name', 'REQUIRED');
    expectFieldError(
      await call('POST', '/v1/employers', { token, json: { ...body, extra: 1 } }),
      'extra',
      'UNKNOWN_FIELD',
    );
  });

  // Regression (fixed): callerFromClaims (shared/http/caller.ts) kept `uscc` as the token gave it,
  // while registration compared it uppercased and ownEmployer (shared/http/employer-access.ts)
  // unchanged, so an employer whose token carried its credit code in lowercase could register, then
  // got a 404 on every route of its own account.
  it('an employer whose token carries its credit code in lowercase can use its own account', async () => {
    const uscc = randomUscc(JINING);
    const token = await employerToken(uscc.toLowerCase(), JINING);
    const registered = await call('POST', '/v1/employers', { token, json: employerBody(uscc, JINING) });
    expect(registered.status).toBe(201);
    const employer: Employer = {
      uscc,
      city: JINING,
      sub: 'n/a',
      token,
      employerAccountNo: registered.body.employerAccountNo,
    };
    const opened = await openEmployeeRequest(employer, randomIdNumber());
    if (opened.status === 201) touched.push([JINING, opened.body.personalAccountNo]);
    expect(opened.status).toBe(201);
  });
});

describe('employee accounts', () => {
  it('terms outside the centre limits are a 422 naming the limit and the rule version', async () => {
    const employer = await registerEmployer(JINING);
    const params = parametersInForce(JINING, TODAY);
    const cases: [Partial<Terms>, { field: string; code: string; limit: string }[]][] = [
      [
        { monthlyDepositBaseFen: params.depositBaseFloorFen - 1 },
        [
          {
            field: 'monthlyDepositBaseFen',
            code: 'DEPOSIT_BASE_BELOW_FLOOR',
            limit: formatYuan(params.depositBaseFloorFen),
          },
        ],
      ],
      [
        { monthlyDepositBaseFen: params.depositBaseCeilingFen + 1 },
        [
          {
            field: 'monthlyDepositBaseFen',
            code: 'DEPOSIT_BASE_ABOVE_CEILING',
            limit: formatYuan(params.depositBaseCeilingFen),
          },
        ],
      ],
      [
        { employeeRateBasisPoints: 499, employerRateBasisPoints: 1201 },
        [
          { field: 'employeeRateBasisPoints', code: 'DEPOSIT_RATE_OUT_OF_RANGE', limit: '5%' },
          { field: 'employerRateBasisPoints', code: 'DEPOSIT_RATE_OUT_OF_RANGE', limit: '12%' },
        ],
      ],
    ];
    for (const [terms, expected] of cases) {
      const idNumber = randomIdNumber();
      const answer = await openEmployeeRequest(employer, idNumber, { ...TYPICAL, ...terms });
      expectProblem(answer, 422, 'DEPOSIT_TERMS_OUT_OF_LIMITS');
      expect(answer.body.ruleVersion).toBe(params.ruleVersion);
      expect(answer.body.errors).toHaveLength(expected.length);
      for (const [i, want] of expected.entries()) {
        const error = answer.body.errors[i];
        expect(error).toMatchObject({ in: 'body', field: want.field, code: want.code });
        expect(error.message['zh-CN']).toContain(want.limit);
        expect(error.message['zh-CN']).toContain(params.ruleVersion);
        expect(error.message.en).toContain(want.limit);
        expect(error.message.en).toContain(params.ruleVersion);
      }
      // Nothing was opened: the person can still be opened with good terms.
      await openEmployee(employer, idNumber);
    }
  });

  it('the limits themselves are allowed (floor, ceiling, 5%, 12%)', async () => {
    const employer = await registerEmployer(JINING);
    const params = parametersInForce(JINING, TODAY);
    await openEmployee(employer, randomIdNumber(), {
      monthlyDepositBaseFen: params.depositBaseFloorFen,
      employeeRateBasisPoints: 500,
      employerRateBasisPoints: 1200,
    });
    await openEmployee(employer, randomIdNumber(), {
      monthlyDepositBaseFen: params.depositBaseCeilingFen,
      employeeRateBasisPoints: 1200,
      employerRateBasisPoints: 500,
    });
  });

  it('one open account per person per centre: 409 PERSON_HAS_ACCOUNT_IN_CENTRE', async () => {
    const first = await registerEmployer(JINING);
    const second = await registerEmployer(JINING);
    const idNumber = randomIdNumber();
    const personalAccountNo = await openEmployee(first, idNumber);

    const again = await openEmployeeRequest(first, idNumber);
    expectProblem(again, 409, 'PERSON_HAS_ACCOUNT_IN_CENTRE');
    expect(again.body.personalAccountNo).toBe(personalAccountNo);

    // Another employer learns only that the person has an account here, not its number.
    const elsewhere = await openEmployeeRequest(second, idNumber);
    expectProblem(elsewhere, 409, 'PERSON_HAS_ACCOUNT_IN_CENTRE');
    expect(elsewhere.body).not.toHaveProperty('personalAccountNo');
    expect(JSON.stringify(elsewhere.body)).not.toContain(personalAccountNo);
  });

  it('an invalid ID number is a 400 naming the field', async () => {
    const employer = await registerEmployer(JINING);
    const valid = randomIdNumber();
    const wrongCheck = valid.slice(0, 17) + (valid.endsWith('0') ? '1' : '0');
    const badBirthDate = (() => {
      const first17 = `37080219990231${String(randomInt(1000)).padStart(3, '0')}`;
      return first17 + idNumberCheckCharacter(first17);
    })();
    for (const [idNumber, code] of [
      [wrongCheck, 'ID_NUMBER_CHECK_CHARACTER'],
      [badBirthDate, 'ID_NUMBER_BIRTH_DATE'],
      [valid.slice(0, 17), 'ID_NUMBER_FORMAT'],
      [` ${valid}`, 'ID_NUMBER_FORMAT'],
    ] as const) {
      const answer = await openEmployeeRequest(employer, idNumber);
      expectFieldError(answer, 'idNumber', code);
      expect(JSON.stringify(answer.body)).not.toContain(idNumber.trim());
    }
  });

  it('an ID number with a lowercase x is accepted and is the same person as with X', async () => {
    const employer = await registerEmployer(JINING);
    const idNumber = randomIdNumberEndingInX();
    const answer = await openEmployeeRequest(employer, idNumber.toLowerCase());
    expect(answer.status).toBe(201);
    touched.push([JINING, answer.body.personalAccountNo]);
    expect(answer.body.idNumber).toMatch(/X$/);
    expectProblem(await openEmployeeRequest(employer, idNumber), 409, 'PERSON_HAS_ACCOUNT_IN_CENTRE');
    const accounts = await myAccounts(await citizenToken(idNumber));
    expect(accounts.map((a) => a.personalAccountNo)).toEqual([answer.body.personalAccountNo]);
    // A citizen token with a lowercase x is the same person too.
    const lower = await myAccounts(await citizenToken(idNumber.toLowerCase()));
    expect(lower.map((a) => a.personalAccountNo)).toEqual([answer.body.personalAccountNo]);
  });
});

describe('roles', () => {
  it('citizens, staff and agents may not use the employer routes (403); no token is a 401', async () => {
    const employer = await registerEmployer(JINING);
    const personalAccountNo = await openEmployee(employer, randomIdNumber());
    const tokens = {
      citizen: await citizenToken(randomIdNumber()),
      staff: await api.token({ sub: `staff-${nonce()}`, role: 'staff', city: JINING }),
      agent: await api.token({
        sub: `agent-${nonce()}`,
        role: 'agent',
        city: JINING,
        agentOrgId: 'BANK-0001',
      }),
    };
    const routes: [string, string, unknown, Record<string, string>?][] = [
      ['POST', '/v1/employers', employerBody(employer.uscc, JINING)],
      ['GET', employeePath(employer), undefined],
      ['POST', employeePath(employer), { idNumber: randomIdNumber(), name: '李四', ...TYPICAL }],
      [
        'PATCH',
        employeePath(employer, personalAccountNo),
        { monthlyDepositBaseFen: 600_000, effectiveMonth: THIS_MONTH },
      ],
      [
        'POST',
        `/v1/employers/${employer.employerAccountNo}/remittances`,
        { month: THIS_MONTH },
        { 'Idempotency-Key': idempotencyKey() },
      ],
    ];
    for (const [method, path, json, headers] of routes) {
      for (const [role, token] of Object.entries(tokens)) {
        const answer = await call(method, path, { token, json, ...(headers ? { headers } : {}) });
        expect({ role, method, path, status: answer.status }).toEqual({ role, method, path, status: 403 });
        expectProblem(answer, 403, 'FORBIDDEN');
      }
      const anonymous = await call(method, path, { json, ...(headers ? { headers } : {}) });
      expect(anonymous.status).toBe(401);
    }
    // Nothing was changed or credited by any of them.
    const { account } = await assertBalanceEqualsLedger(JINING, personalAccountNo);
    expect(account).toMatchObject({ balanceFen: 0, monthlyDepositBaseFen: TYPICAL.monthlyDepositBaseFen });
  });

  it('employers, staff and agents may not use the citizen routes (403)', async () => {
    const employer = await registerEmployer(JINING);
    const personalAccountNo = await openEmployee(employer, randomIdNumber());
    const tokens = {
      employer: employer.token,
      staff: await api.token({ sub: `staff-${nonce()}`, role: 'staff', city: JINING }),
      agent: await api.token({
        sub: `agent-${nonce()}`,
        role: 'agent',
        city: JINING,
        agentOrgId: 'BANK-0001',
      }),
    };
    for (const path of ['/v1/me/accounts', ledgerPath(personalAccountNo)]) {
      for (const [role, token] of Object.entries(tokens)) {
        const answer = await call('GET', path, { token });
        expect({ role, path, status: answer.status }).toEqual({ role, path, status: 403 });
        expectProblem(answer, 403, 'FORBIDDEN');
      }
      expect((await call('GET', path)).status).toBe(401);
    }
  });

  it('a token without the claims its role needs is a 403', async () => {
    const noIdNumber = await api.token({ sub: `citizen-${nonce()}`, role: 'citizen' });
    expectProblem(await call('GET', '/v1/me/accounts', { token: noIdNumber }), 403, 'FORBIDDEN');
    const noUscc = await api.token({ sub: `employer-${nonce()}`, role: 'employer', city: JINING });
    expectProblem(
      await call('POST', '/v1/employers', { token: noUscc, json: employerBody(randomUscc(JINING), JINING) }),
      403,
      'FORBIDDEN',
    );
  });
});

describe('foreign identities', () => {
  it('employer B on employer A’s account or A’s employee is a 404, and changes nothing', async () => {
    const a = await registerEmployer(JINING);
    const b = await registerEmployer(JINING);
    const aEmployee = await openEmployee(a, randomIdNumber());
    await openEmployee(b, randomIdNumber());

    // B names A's employer account.
    const open = await call('POST', employeePath(a), {
      token: b.token,
      json: { idNumber: randomIdNumber(), name: '李四', ...TYPICAL },
    });
    expectProblem(open, 404, 'NOT_FOUND');
    const change = await call('PATCH', employeePath(a, aEmployee), {
      token: b.token,
      json: { monthlyDepositBaseFen: 600_000, effectiveMonth: THIS_MONTH },
    });
    expectProblem(change, 404, 'NOT_FOUND');
    const remit = await call('POST', `/v1/employers/${a.employerAccountNo}/remittances`, {
      token: b.token,
      json: { month: THIS_MONTH },
      headers: { 'Idempotency-Key': idempotencyKey() },
    });
    expectProblem(remit, 404, 'NOT_FOUND');

    // B names its own employer account and A's employee.
    const viaOwn = await call('PATCH', employeePath(b, aEmployee), {
      token: b.token,
      json: { status: 'sealed', effectiveMonth: THIS_MONTH },
    });
    expectProblem(viaOwn, 404, 'NOT_FOUND');

    // Unknown employer numbers, of a region centre or of none, are the same 404.
    for (const no of ['37080019999999', '99999910000001']) {
      const unknown = await call('POST', `/v1/employers/${no}/employees`, {
        token: a.token,
        json: { idNumber: randomIdNumber(), name: '李四', ...TYPICAL },
      });
      expectProblem(unknown, 404, 'NOT_FOUND');
    }

    const { account } = await assertBalanceEqualsLedger(JINING, aEmployee);
    expect(account).toMatchObject({
      balanceFen: 0,
      status: 'normal',
      monthlyDepositBaseFen: TYPICAL.monthlyDepositBaseFen,
    });
    // A's remittance for this month is still A's to make.
    await remitMonth(a, THIS_MONTH);
  });

  it('an employer lists its own employees (oldest first, masked); B reading A’s list is a 404', async () => {
    const a = await registerEmployer(JINING);
    const b = await registerEmployer(JINING);
    const first = randomIdNumber();
    const firstNo = await openEmployee(a, first);
    const secondNo = await openEmployee(a, randomIdNumber(), { ...TYPICAL, monthlyDepositBaseFen: 600_000 });
    await openEmployee(b, randomIdNumber());
    await call('PATCH', employeePath(a, secondNo), {
      token: a.token,
      json: { status: 'sealed', effectiveMonth: THIS_MONTH },
    });

    const list = await call('GET', employeePath(a), { token: a.token });
    expect(list.status).toBe(200);
    expect(list.body.employees.map((e: { personalAccountNo: string }) => e.personalAccountNo)).toEqual([
      firstNo,
      secondNo,
    ]);
    expect(list.body.employees[1]).toMatchObject({ status: 'sealed', monthlyDepositBaseFen: 600_000 });
    expect(JSON.stringify(list.body)).not.toContain(first);
    expect(list.body.employees[0].name).toBe(maskName('李四'));

    expectProblem(await call('GET', employeePath(a), { token: b.token }), 404, 'NOT_FOUND');
    expectProblem(
      await call('GET', '/v1/employers/37080019999999/employees', { token: a.token }),
      404,
      'NOT_FOUND',
    );
  });

  it('the employee list pages with the one cursor: two by two, nothing twice, a forged cursor a 400', async () => {
    const a = await registerEmployer(JINING);
    const opened: string[] = [];
    for (let i = 0; i < 5; i++) opened.push(await openEmployee(a, randomIdNumber()));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await call('GET', `${employeePath(a)}${query}`, { token: a.token });
      expect(page.status).toBe(200);
      expect(page.body.employees.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.employees.map((e: { personalAccountNo: string }) => e.personalAccountNo));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...opened].sort());
    // Another list's position, a key beyond the employees, garbage: each a 400 on the cursor.
    const wrap = (p: string) => Buffer.from(JSON.stringify({ p })).toString('base64url');
    for (const bad of [wrap('PROFILE'), wrap('EMPLOYEE#~'), wrap('3'), 'garbage']) {
      expectFieldError(
        await call('GET', `${employeePath(a)}?cursor=${encodeURIComponent(bad)}`, { token: a.token }),
        'cursor',
        'INVALID_CURSOR',
        'query',
      );
    }
  });

  it('a citizen reading another person’s ledger, or an unknown account, gets a 404', async () => {
    const employer = await registerEmployer(JINING);
    const owner = randomIdNumber();
    const personalAccountNo = await openEmployee(employer, owner);
    await remitMonth(employer, THIS_MONTH);
    const stranger = await citizenToken(randomIdNumber());
    expectProblem(await call('GET', ledgerPath(personalAccountNo), { token: stranger }), 404, 'NOT_FOUND');
    expect(await myAccounts(stranger)).toEqual([]);
    // Unknown numbers: in a region centre, in no centre. Malformed: a 400 on the path.
    for (const no of ['3708002999999999', '9999992000000001']) {
      expectProblem(await call('GET', ledgerPath(no), { token: stranger }), 404, 'NOT_FOUND');
    }
    expectFieldError(
      await call('GET', ledgerPath('12345'), { token: stranger }),
      'personalAccountNo',
      undefined,
      'path',
    );
    // The owner does see it.
    const mine = await call('GET', ledgerPath(personalAccountNo), { token: await citizenToken(owner) });
    expect(mine.status).toBe(200);
    expect(mine.body.entries).toHaveLength(1);
  });
});

describe('the ledger', () => {
  it('limit=1 walks every entry newest first; the cursor is opaque and checked', async () => {
    const employer = await registerEmployer(JINING);
    const idNumber = randomIdNumber();
    const personalAccountNo = await openEmployee(employer, idNumber);
    const months = [TWO_MONTHS_AGO, LAST_MONTH, THIS_MONTH];
    for (const month of months) await remitMonth(employer, month);
    const token = await citizenToken(idNumber);

    const seen: { version: number; month: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '?limit=1' : `?limit=1&cursor=${encodeURIComponent(cursor)}`;
      const page = await call('GET', ledgerPath(personalAccountNo, query), { token });
      expect(page.status).toBe(200);
      expect(page.body.entries).toHaveLength(1);
      seen.push(
        ...page.body.entries.map((e: { version: number; details: { month: string } }) => ({
          version: e.version,
          month: e.details.month,
        })),
      );
      cursor = page.body.nextCursor;
      if (cursor !== null) expect(cursor).not.toMatch(/^\d+$/);
      pages += 1;
      expect(pages).toBeLessThanOrEqual(months.length);
    } while (cursor !== null);
    expect(seen).toEqual([
      { version: 3, month: THIS_MONTH },
      { version: 2, month: LAST_MONTH },
      { version: 1, month: TWO_MONTHS_AGO },
    ]);

    // Two by two: two pages.
    const first = await call('GET', ledgerPath(personalAccountNo, '?limit=2'), { token });
    expect(first.body.entries.map((e: { version: number }) => e.version)).toEqual([3, 2]);
    const second = await call(
      'GET',
      ledgerPath(personalAccountNo, `?limit=2&cursor=${first.body.nextCursor}`),
      {
        token,
      },
    );
    expect(second.body.entries.map((e: { version: number }) => e.version)).toEqual([1]);
    expect(second.body.nextCursor).toBeNull();

    // Garbage cursors are a 400 on the cursor; a bad limit on the limit.
    const forged = Buffer.from(JSON.stringify({ v: -1 })).toString('base64url');
    for (const bad of ['not-a-cursor', '%%%', forged, Buffer.from('{"v":"2"}').toString('base64url')]) {
      const answer = await call('GET', ledgerPath(personalAccountNo, `?cursor=${encodeURIComponent(bad)}`), {
        token,
      });
      expectFieldError(answer, 'cursor', 'INVALID_CURSOR', 'query');
    }
    expectFieldError(
      await call('GET', ledgerPath(personalAccountNo, '?limit=ten'), { token }),
      'limit',
      undefined,
      'query',
    );
    expectFieldError(
      await call('GET', ledgerPath(personalAccountNo, '?page=2'), { token }),
      'page',
      'UNKNOWN_FIELD',
      'query',
    );
  });

  it('changes between deposits leave gaps in the versions; limit=1 still walks to the end and stops there', async () => {
    const employer = await registerEmployer(JINING);
    const idNumber = randomIdNumber();
    const personalAccountNo = await openEmployee(employer, idNumber);
    // A change before the first deposit and one between the deposits.
    expect(
      (
        await changeRequest(employer, personalAccountNo, {
          employeeRateBasisPoints: 1000,
          effectiveMonth: THIS_MONTH,
        })
      ).status,
    ).toBe(200);
    await remitMonth(employer, LAST_MONTH);
    expect(
      (
        await changeRequest(employer, personalAccountNo, {
          employerRateBasisPoints: 1000,
          effectiveMonth: THIS_MONTH,
        })
      ).status,
    ).toBe(200);
    await remitMonth(employer, THIS_MONTH);
    const token = await citizenToken(idNumber);

    const seen: { version: number; month: string }[] = [];
    let cursor: string | null = null;
    for (let pages = 1; ; pages++) {
      const query: string = cursor === null ? '?limit=1' : `?limit=1&cursor=${encodeURIComponent(cursor)}`;
      const page = await call('GET', ledgerPath(personalAccountNo, query), { token });
      expect(page.status).toBe(200);
      // Never an empty page at the end.
      expect(page.body.entries).toHaveLength(1);
      seen.push({ version: page.body.entries[0].version, month: page.body.entries[0].details.month });
      cursor = page.body.nextCursor;
      if (cursor === null) break;
      expect(pages).toBeLessThan(2);
    }
    // Opened at version 0; the first change makes 1, the first deposit 2, the second change 3, the
    // second deposit 4: the changes are the gaps.
    expect(seen).toEqual([
      { version: 4, month: THIS_MONTH },
      { version: 2, month: LAST_MONTH },
    ]);
    const all = await call('GET', ledgerPath(personalAccountNo, '?limit=2'), { token });
    expect(all.body.entries.map((e: { version: number }) => e.version)).toEqual([4, 2]);
    expect(all.body.nextCursor).toBeNull();
  });
});

describe('remittances', () => {
  it('a missing or malformed Idempotency-Key is a 400 naming the header', async () => {
    const employer = await registerEmployer(JINING);
    await openEmployee(employer, randomIdNumber());
    const missing = await remitRequest(employer, THIS_MONTH, null);
    expectFieldError(missing, 'Idempotency-Key', 'REQUIRED', 'header');
    for (const bad of ['short', 'has a space in it', 'x'.repeat(129), 'clé-de-remise-0001']) {
      expectFieldError(
        await remitRequest(employer, THIS_MONTH, bad),
        'Idempotency-Key',
        'INVALID_FORMAT',
        'header',
      );
    }
    // Nothing was started: the month can still be remitted.
    await remitMonth(employer, THIS_MONTH);
  });

  it('the same key replays the identical answer and credits nothing more', async () => {
    const employer = await registerEmployer(JINING);
    const accountNos = [
      await openEmployee(employer, randomIdNumber()),
      await openEmployee(employer, randomIdNumber()),
    ];
    const key = idempotencyKey();
    const first = await remitRequest(employer, THIS_MONTH, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    for (let i = 0; i < 2; i++) {
      const replay = await remitRequest(employer, THIS_MONTH, key);
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
    }
    for (const no of accountNos) {
      const { entries, account } = await assertBalanceEqualsLedger(JINING, no);
      expect(entries).toHaveLength(1);
      expect(account.balanceFen).toBe(expectedDeposit(JINING, TYPICAL).totalFen);
    }
  });

  it('the same month with a new key is a 409; the same key for another month a 422; a future month a 422', async () => {
    const employer = await registerEmployer(JINING);
    const personalAccountNo = await openEmployee(employer, randomIdNumber());
    const key = idempotencyKey();
    const first = await remitRequest(employer, THIS_MONTH, key);
    expect(first.status).toBe(201);

    const again = await remitRequest(employer, THIS_MONTH);
    expectProblem(again, 409, 'REMITTANCE_MONTH_EXISTS');
    // The remittance the month already has (the answer's joint-enforcement flags are not part of it).
    const { enforcementFlags, ...remittance } = first.body as Record<string, unknown>;
    expect(enforcementFlags).toEqual([]);
    expect(again.body.remittance).toEqual(remittance);

    expectProblem(await remitRequest(employer, LAST_MONTH, key), 422, 'IDEMPOTENCY_KEY_REUSED');

    const future = await remitRequest(employer, nextMonth(THIS_MONTH));
    expectProblem(future, 422, 'REMITTANCE_MONTH_IN_FUTURE');
    expect(future.body.month).toBe(nextMonth(THIS_MONTH));

    expectFieldError(await remitRequest(employer, `${THIS_MONTH.slice(0, 4)}-13`), 'month');
    expectFieldError(
      await call('POST', `/v1/employers/${employer.employerAccountNo}/remittances`, {
        token: employer.token,
        json: {},
        headers: { 'Idempotency-Key': idempotencyKey() },
      }),
      'month',
      'REQUIRED',
    );

    const { entries } = await assertBalanceEqualsLedger(JINING, personalAccountNo);
    expect(entries.map((e) => e.reference)).toEqual([`REMIT#${THIS_MONTH}`]);
  });
});

describe('DEPOSIT_CHANGE', () => {
  it('records the change (who, when, old, new, effective month); a later remittance uses the new base', async () => {
    const employer = await registerEmployer(JINING);
    const idNumber = randomIdNumber();
    const personalAccountNo = await openEmployee(employer, idNumber);
    await remitMonth(employer, LAST_MONTH);

    const before = new Date().toISOString();
    const newTerms: Terms = {
      monthlyDepositBaseFen: 712_345,
      employeeRateBasisPoints: 800,
      employerRateBasisPoints: 1000,
    };
    const changed = await changeRequest(employer, personalAccountNo, {
      ...newTerms,
      effectiveMonth: THIS_MONTH,
    });
    expect(changed.status).toBe(200);
    const ruleVersion = parametersInForce(JINING, TODAY).ruleVersion;
    expect(changed.body.account).toMatchObject({ personalAccountNo, ...newTerms, status: 'normal' });
    expect(changed.body.change).toMatchObject({
      personalAccountNo,
      changedBy: expect.stringMatching(/^employer-/),
      effectiveMonth: THIS_MONTH,
      previous: { ...TYPICAL, ruleVersion },
      next: { ...newTerms, ruleVersion },
    });
    expect(changed.body.change.changedAt >= before).toBe(true);
    expect(changed.body.change.changedAt <= new Date().toISOString()).toBe(true);
    expect(changed.body.change).not.toHaveProperty('PK');

    // The change record is kept in the account's partition.
    const records = await centreRepository(JINING).query(
      personalAccountPartition(JINING, personalAccountNo),
      {
        sortKeyCondition: 'begins_with(SK, :change)',
        ExpressionAttributeValues: { ':change': 'CHANGE#' },
        ConsistentRead: true,
      },
    );
    expect(records.items).toEqual([
      expect.objectContaining({ changeId: changed.body.change.changeId, next: changed.body.change.next }),
    ]);

    await remitMonth(employer, THIS_MONTH);
    const ledger = await call('GET', ledgerPath(personalAccountNo), { token: await citizenToken(idNumber) });
    const [latest, earlier] = ledger.body.entries;
    expect(earlier).toMatchObject({
      amountFen: expectedDeposit(JINING, TYPICAL).totalFen,
      details: expect.objectContaining({ monthlyDepositBaseFen: TYPICAL.monthlyDepositBaseFen }),
    });
    const deposit = expectedDeposit(JINING, newTerms);
    expect(latest).toMatchObject({
      amountFen: deposit.totalFen,
      details: expect.objectContaining({
        month: THIS_MONTH,
        monthlyDepositBaseFen: newTerms.monthlyDepositBaseFen,
        employeeShareFen: deposit.employeeShareFen,
        employerShareFen: deposit.employerShareFen,
      }),
    });
  });

  it('refuses an effective month other than this or next, an empty change and terms out of limits', async () => {
    const employer = await registerEmployer(JINING);
    const personalAccountNo = await openEmployee(employer, randomIdNumber());
    for (const month of [LAST_MONTH, addMonths(THIS_MONTH, 2)]) {
      const answer = await changeRequest(employer, personalAccountNo, {
        monthlyDepositBaseFen: 600_000,
        effectiveMonth: month,
      });
      expectFieldError(answer, 'effectiveMonth', 'EFFECTIVE_MONTH_OUT_OF_RANGE');
    }
    expectFieldError(
      await changeRequest(employer, personalAccountNo, { effectiveMonth: THIS_MONTH }),
      '',
      'NOTHING_TO_CHANGE',
    );
    expectFieldError(
      await changeRequest(employer, personalAccountNo, { status: 'closed', effectiveMonth: THIS_MONTH }),
      'status',
    );
    const tooHigh = await changeRequest(employer, personalAccountNo, {
      employeeRateBasisPoints: 1300,
      effectiveMonth: THIS_MONTH,
    });
    expectProblem(tooHigh, 422, 'DEPOSIT_TERMS_OUT_OF_LIMITS');
    expect(tooHigh.body.errors).toEqual([expect.objectContaining({ field: 'employeeRateBasisPoints' })]);
    // Next month is allowed.
    const next = await changeRequest(employer, personalAccountNo, {
      employerRateBasisPoints: 1000,
      effectiveMonth: nextMonth(THIS_MONTH),
    });
    expect(next.status).toBe(200);
    expect(next.body.change.effectiveMonth).toBe(nextMonth(THIS_MONTH));
    // Unknown employee of this employer: 404.
    expectProblem(
      await changeRequest(employer, '3708002999999999', { status: 'sealed', effectiveMonth: THIS_MONTH }),
      404,
      'NOT_FOUND',
    );
  });

  it('a month already remitted keeps its terms: a change from it is refused, from next month taken; sealing still is', async () => {
    const employer = await registerEmployer(JINING);
    const personalAccountNo = await openEmployee(employer, randomIdNumber());
    await remitMonth(employer, THIS_MONTH);
    const refused = await changeRequest(employer, personalAccountNo, {
      monthlyDepositBaseFen: 712_345,
      effectiveMonth: THIS_MONTH,
    });
    expectFieldError(refused, 'effectiveMonth', 'MONTH_ALREADY_REMITTED');
    expect(refused.body.errors[0]).toMatchObject({ month: THIS_MONTH });
    const unchanged = await getPersonalAccount(centreRepository(JINING), personalAccountNo);
    expect(unchanged).toMatchObject({ monthlyDepositBaseFen: TYPICAL.monthlyDepositBaseFen });
    expect(
      unchanged?.termsHistory?.some(
        (t) => t.effectiveMonth === THIS_MONTH && t.monthlyDepositBaseFen === 712_345,
      ),
    ).not.toBe(true);
    // A status change is not a change of terms.
    const sealed = await changeRequest(employer, personalAccountNo, {
      status: 'sealed',
      effectiveMonth: THIS_MONTH,
    });
    expect(sealed.status).toBe(200);
    const next = await changeRequest(employer, personalAccountNo, {
      monthlyDepositBaseFen: 712_345,
      effectiveMonth: nextMonth(THIS_MONTH),
    });
    expect(next.status).toBe(200);
    expect(next.body.change).toMatchObject({ effectiveMonth: nextMonth(THIS_MONTH) });
  });

  it('a sealed employee is not credited; unsealed, the next month is', async () => {
    const employer = await registerEmployer(JINING);
    const stayingId = randomIdNumber();
    const leavingId = randomIdNumber();
    const staying = await openEmployee(employer, stayingId);
    const leaving = await openEmployee(employer, leavingId);
    const deposit = expectedDeposit(JINING, TYPICAL);

    expect((await remitMonth(employer, TWO_MONTHS_AGO)).employeeCount).toBe(2);
    const sealed = await changeRequest(employer, leaving, { status: 'sealed', effectiveMonth: THIS_MONTH });
    expect(sealed.status).toBe(200);
    expect(sealed.body.change).toMatchObject({ previous: { status: 'normal' }, next: { status: 'sealed' } });
    const whileSealed = await remitMonth(employer, LAST_MONTH);
    expect(whileSealed).toMatchObject({ employeeCount: 1, totalFen: deposit.totalFen });

    const unsealed = await changeRequest(employer, leaving, { status: 'normal', effectiveMonth: THIS_MONTH });
    expect(unsealed.status).toBe(200);
    expect((await remitMonth(employer, THIS_MONTH)).employeeCount).toBe(2);

    const [stayingView] = await myAccounts(await citizenToken(stayingId));
    expect(stayingView).toMatchObject({ balanceFen: 3 * deposit.totalFen, continuousDepositMonths: 3 });
    const [leavingView] = await myAccounts(await citizenToken(leavingId));
    // The sealed month broke the run: it starts again with this month.
    expect(leavingView).toMatchObject({
      status: 'normal',
      balanceFen: 2 * deposit.totalFen,
      continuousDepositMonths: 1,
      lastDepositMonth: THIS_MONTH,
    });
    const { entries } = await assertBalanceEqualsLedger(JINING, leaving);
    expect(entries.map((e) => e.reference)).toEqual([`REMIT#${TWO_MONTHS_AGO}`, `REMIT#${THIS_MONTH}`]);
    await assertBalanceEqualsLedger(JINING, staying);
  });

  // Regression (fixed): changeDepositTerms (shared/deposits/store.ts) applied new terms
  // to the account at once and the remittance read only the current terms, so `effectiveMonth` was
  // recorded but unused: a change "from next month" already changed this month's remittance (and
  // any late remittance of an earlier month). A remittance of month M uses the terms in effect in M.
  it('a change effective next month does not change this month’s remittance', async () => {
    const employer = await registerEmployer(JINING);
    const personalAccountNo = await openEmployee(employer, randomIdNumber());
    const changed = await changeRequest(employer, personalAccountNo, {
      monthlyDepositBaseFen: 900_000,
      effectiveMonth: nextMonth(THIS_MONTH),
    });
    expect(changed.status).toBe(200);
    await remitMonth(employer, THIS_MONTH);
    const { entries } = await assertBalanceEqualsLedger(JINING, personalAccountNo);
    expect(entries[0]?.amountFen).toBe(expectedDeposit(JINING, TYPICAL).totalFen);
  });
});
