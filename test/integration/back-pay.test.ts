/**
 * Earned deposit months (DESIGN.md §2b) through the local gateway: a remittance covers only months
 * owed and still in their window; an older missed month is back-pay (补缴), decided by two staff
 * members of the centre, credited once at that month's own terms, counted as continuous or not by
 * the centre's rule data; a posting cut short is finished by the sweep, and two runs at once
 * credit nothing twice.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { staffConfirm } from '../../shared/applications/kernel.js';
import { addMonths, monthOf } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { backPayItem, getBackPay, postBackPay, resumeBackPays } from '../../shared/deposits/back-pay.js';
import { remit } from '../../shared/deposits/remittance.js';
import { monthlyDeposit } from '../../shared/deposits/rules.js';
import {
  changeDepositTerms,
  getPersonalAccount,
  openEmployerAccount,
  openPersonalAccount,
} from '../../shared/deposits/store.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { personKey } from '../../shared/identity/person-key.js';
import { CentreRepository, centreRepository } from '../../shared/persistence/centre-repository.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import { randomIdNumber, randomUscc } from '../support/depositors.js';
import { startTestGateway, type TestGateway, type TestRequestOptions } from '../support/gateway.js';
import { asJob } from '../support/jobs.js';
import { assertBalanceEqualsLedger, ledgerEntries } from '../support/ledger-assertions.js';

let api: TestGateway;
beforeAll(async () => {
  api = await startTestGateway();
});
afterAll(async () => {
  await api.close();
});

/** A request through the gateway, its JSON body read. */
async function call(method: string, path: string, options: TestRequestOptions = {}) {
  const response = await api.request(method, path, options);
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever the answer holds
  const body: any = text ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, body };
}

const THIS_MONTH = monthOf(toBeijingDate(new Date()));
/** Employers and accounts here opened eight months ago, on the 1st. */
const OPENING_MONTH = addMonths(THIS_MONTH, -8);
/** The month each test's employer missed: long past its window. */
const MISSED = addMonths(THIS_MONTH, -4);

const XUZHOU: CityCode = '320300'; // counts back-paid months as continuous (DEMO)
const LIANYUNGANG: CityCode = '320700'; // does not (the regional default)

interface Employer {
  city: CityCode;
  employerAccountNo: string;
  token: string;
  accounts: string[];
}

/**
 * An employer opened eight months ago with `employees` accounts, every month remitted in its time
 * except the `missed` ones (and this month), and a deposit base raised from this month on.
 */
async function employerWithAGap(
  city: CityCode,
  employees = 2,
  missed: readonly string[] = [MISSED],
): Promise<Employer> {
  const repository = centreRepository(city);
  const openedAt = `${OPENING_MONTH}-01T00:00:00.000Z`;
  const uscc = randomUscc(city);
  const employer = await openEmployerAccount(repository, {
    uscc,
    usccCheckCharacterValid: true,
    name: '补缴测试单位',
    address: '测试路 1 号',
    contactName: '测试',
    contactPhone: '13800000000',
    payday: 10,
    openedAt,
    openedBy: 'back-pay.test',
  });
  if (!employer.opened) throw new Error('a random credit code collided');
  const employerAccountNo = employer.record.employerAccountNo;
  const params = parametersInForce(city, toBeijingDate(new Date()));
  const accounts: string[] = [];
  for (let i = 0; i < employees; i++) {
    const idNumber = randomIdNumber();
    const opened = await openPersonalAccount(repository, {
      employerAccountNo,
      personKey: await personKey(idNumber),
      name: '职工',
      idNumberMasked: maskIdNumber(idNumber),
      monthlyDepositBaseFen: params.minimumMonthlyWageFen * 3,
      employeeRateBasisPoints: 1200,
      employerRateBasisPoints: 1200,
      ruleVersion: params.ruleVersion,
      openedAt,
    });
    if (!opened.opened) throw new Error('a random ID number collided');
    accounts.push(opened.record.personalAccountNo);
  }
  for (let month = OPENING_MONTH; month < THIS_MONTH; month = addMonths(month, 1)) {
    if (missed.includes(month)) continue;
    await remit(repository, {
      employerAccountNo,
      month,
      idempotencyKey: `test-${employerAccountNo}-${month}`,
      now: new Date(`${month}-05T02:00:00Z`),
    });
  }
  for (const no of accounts) {
    const account = await getPersonalAccount(repository, no);
    if (!account) throw new Error('account vanished');
    await changeDepositTerms(
      repository,
      account,
      { monthlyDepositBaseFen: params.minimumMonthlyWageFen * 4, ruleVersion: params.ruleVersion },
      {
        changedBy: 'back-pay.test',
        changedAt: new Date().toISOString(),
        effectiveMonth: THIS_MONTH,
        changeId: randomBytes(6).toString('hex'),
      },
    );
  }
  const token = await api.token({
    sub: `hr-${randomBytes(4).toString('hex')}`,
    role: 'employer',
    uscc,
    city,
  });
  return { city, employerAccountNo, token, accounts };
}

const key = () => `bp-${randomBytes(8).toString('hex')}`;

function backPayBody(employer: Employer, overrides: Record<string, unknown> = {}) {
  return {
    months: [MISSED],
    personalAccountNos: employer.accounts,
    reason: '劳动仲裁裁决补缴（测试）',
    evidence: [{ documentNo: '徐劳人仲案字〔2026〕第 18 号', description: '仲裁裁决书' }],
    ...overrides,
  };
}

function applyForBackPay(employer: Employer, json: Record<string, unknown>, idempotencyKey = key()) {
  return call('POST', `/v1/employers/${employer.employerAccountNo}/back-pay`, {
    token: employer.token,
    headers: { 'idempotency-key': idempotencyKey },
    json,
  });
}

const staff = (sub: string, city: CityCode) => api.token({ sub, role: 'staff', city });

async function staffAct(
  token: string,
  applicationId: string,
  action: 'decision' | 'confirmation',
  json: object,
) {
  return call('POST', `/v1/staff/applications/${applicationId}/${action}`, {
    token,
    headers: { 'idempotency-key': key() },
    json,
  });
}

/** The MISSED month's deposit at the terms then in force (the opening base, not this month's). */
function missedDeposit(city: CityCode): number {
  const then = parametersInForce(city, `${MISSED}-01`);
  const now = parametersInForce(city, toBeijingDate(new Date()));
  return monthlyDeposit({
    baseFen: now.minimumMonthlyWageFen * 3,
    employeeRateBasisPoints: 1200,
    employerRateBasisPoints: 1200,
    rounding: then.depositRounding,
  }).totalFen;
}

describe('the remittance window', () => {
  it('refuses a month before the opening and one past its window, naming the allowed range', async () => {
    const employer = await employerWithAGap(XUZHOU, 1);
    const remitting = (month: string) =>
      call('POST', `/v1/employers/${employer.employerAccountNo}/remittances`, {
        token: employer.token,
        headers: { 'idempotency-key': key() },
        json: { month },
      });
    const before = await remitting(addMonths(OPENING_MONTH, -1));
    expect(before.status).toBe(422);
    expect(before.body).toMatchObject({
      code: 'REMITTANCE_MONTH_NOT_REMITTABLE',
      openingMonth: OPENING_MONTH,
      allowedTo: THIS_MONTH,
    });
    const late = await remitting(MISSED);
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('REMITTANCE_MONTH_NOT_REMITTABLE');
    expect(late.body.message.en).toContain('back-pay');
    expect([THIS_MONTH, addMonths(THIS_MONTH, -1)]).toContain(late.body.allowedFrom);
    const future = await remitting(addMonths(THIS_MONTH, 1));
    expect(future.body).toMatchObject({ code: 'REMITTANCE_MONTH_IN_FUTURE', allowedTo: THIS_MONTH });
    expect((await remitting(THIS_MONTH)).status).toBe(201);
    for (const no of employer.accounts) {
      const entries = await ledgerEntries(XUZHOU, no);
      expect(entries.filter((e) => e.reference === `REMIT#${MISSED}`)).toHaveLength(0);
    }
  });

  it('does not credit an account for a month before its own opening', async () => {
    const lastMonth = addMonths(THIS_MONTH, -1);
    const employer = await employerWithAGap(XUZHOU, 1, [lastMonth]);
    const repository = centreRepository(XUZHOU);
    const idNumber = randomIdNumber();
    const params = parametersInForce(XUZHOU, toBeijingDate(new Date()));
    const joined = await openPersonalAccount(repository, {
      employerAccountNo: employer.employerAccountNo,
      personKey: await personKey(idNumber),
      name: '新职工',
      idNumberMasked: maskIdNumber(idNumber),
      monthlyDepositBaseFen: params.minimumMonthlyWageFen * 3,
      employeeRateBasisPoints: 1200,
      employerRateBasisPoints: 1200,
      ruleVersion: params.ruleVersion,
      openedAt: new Date().toISOString(),
    });
    if (!joined.opened) throw new Error('a random ID number collided');
    // Last month is still remittable up to this month's payday (the 10th): on the 5th, say.
    const onTime = new Date(Math.min(Date.now(), Date.parse(`${THIS_MONTH}-05T02:00:00Z`)));
    const { summary } = await remit(repository, {
      employerAccountNo: employer.employerAccountNo,
      month: lastMonth,
      idempotencyKey: key(),
      now: onTime,
    });
    expect(summary.employeeCount).toBe(1);
    expect(await ledgerEntries(XUZHOU, joined.record.personalAccountNo)).toHaveLength(0);
  });
});

describe('back-pay (补缴)', () => {
  it('two staff members approve it; each account is credited once at that month’s terms and the run is mended', async () => {
    const employer = await employerWithAGap(XUZHOU);
    const repository = centreRepository(XUZHOU);
    const runBefore = (await getPersonalAccount(repository, employer.accounts[0] as string))
      ?.continuousDepositMonths;
    const submitted = await applyForBackPay(employer, backPayBody(employer));
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ status: 'review', totalFen: 2 * missedDeposit(XUZHOU) });
    expect(submitted.body).not.toHaveProperty('personKey');
    const id = submitted.body.applicationId as string;
    expect(id).toMatch(/^320300-B-[0-9A-F]{16}$/);

    // Staff see it in their work queue with what they decide on.
    const first = await staff('xz-clerk-1', XUZHOU);
    const queue = await call('GET', '/v1/staff/applications?status=review', { token: first });
    expect(queue.body.applications).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          applicationId: id,
          employerAccountNo: employer.employerAccountNo,
          amountFen: 2 * missedDeposit(XUZHOU),
          idNumber: null,
          backPay: expect.objectContaining({ months: [MISSED], reason: expect.any(String) }),
        }),
      ]),
    );
    // Nothing is credited before two staff members have acted.
    const second = await staff('xz-clerk-2', XUZHOU);
    const decided = await staffAct(first, id, 'decision', { outcome: 'approve' });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('pending_confirmation');
    const own = await staffAct(first, id, 'confirmation', { outcome: 'confirm' });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('OWN_DECISION');
    for (const no of employer.accounts) {
      expect((await ledgerEntries(XUZHOU, no)).filter((e) => e.kind === 'back-pay')).toHaveLength(0);
    }
    // Another centre's staff cannot see it at all.
    const elsewhere = await staffAct(await staff('lyg-clerk', LIANYUNGANG), id, 'confirmation', {
      outcome: 'confirm',
    });
    expect(elsewhere.status).toBe(404);

    const confirmed = await staffAct(second, id, 'confirmation', { outcome: 'confirm' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('paid');

    for (const no of employer.accounts) {
      const { account, entries } = await assertBalanceEqualsLedger(XUZHOU, no);
      const backPaid = entries.filter((e) => e.reference === `REMIT#${MISSED}`);
      expect(backPaid).toHaveLength(1);
      expect(backPaid[0]).toMatchObject({
        kind: 'back-pay',
        amountFen: missedDeposit(XUZHOU),
        details: expect.objectContaining({ month: MISSED, backPayId: id }),
      });
      // 徐州 counts back-paid months: the gap is mended, the run reaches back to the opening.
      expect(account.depositMonths).toContain(MISSED);
      expect(account.continuousDepositMonths).toBeGreaterThan(runBefore ?? 0);
    }

    // Again: a second confirmation, a second posting run, a remittance or another back-pay of the month.
    expect((await staffAct(second, id, 'confirmation', { outcome: 'confirm' })).status).toBe(409);
    await postBackPay(repository, id);
    await asJob('loan-sweep', () => resumeBackPays(repository));
    const again = await applyForBackPay(employer, backPayBody(employer));
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('BACK_PAY_NOT_ALLOWED');
    expect(again.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'months[0]', code: 'MONTH_ALREADY_DEPOSITED' }),
      ]),
    );
    for (const no of employer.accounts) {
      const entries = await ledgerEntries(XUZHOU, no);
      expect(entries.filter((e) => e.reference === `REMIT#${MISSED}`)).toHaveLength(1);
    }
    const view = await call('GET', `/v1/employers/${employer.employerAccountNo}/back-pay/${id}`, {
      token: employer.token,
    });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ status: 'paid', postedRows: 2, postedFen: 2 * missedDeposit(XUZHOU) });
    expect(JSON.stringify(view.body)).not.toContain('xz-clerk');
    expect(view.body).not.toHaveProperty('chunksDone');
  });

  it('where the centre does not count back-pay, the months are credited but the run stays broken', async () => {
    const employer = await employerWithAGap(LIANYUNGANG, 1);
    const repository = centreRepository(LIANYUNGANG);
    const no = employer.accounts[0] as string;
    const runBefore = (await getPersonalAccount(repository, no))?.continuousDepositMonths;
    const id = (await applyForBackPay(employer, backPayBody(employer))).body.applicationId as string;
    await staffAct(await staff('lyg-1', LIANYUNGANG), id, 'decision', { outcome: 'approve' });
    const confirmed = await staffAct(await staff('lyg-2', LIANYUNGANG), id, 'confirmation', {
      outcome: 'confirm',
    });
    expect(confirmed.body.status).toBe('paid');
    const { account, entries } = await assertBalanceEqualsLedger(LIANYUNGANG, no);
    expect(entries.filter((e) => e.kind === 'back-pay')).toHaveLength(1);
    expect(account.depositMonths).not.toContain(MISSED);
    expect(account.backPaidMonths).toEqual([MISSED]);
    expect(account.continuousDepositMonths).toBe(runBefore);
  });

  it('a refusal confirmed by a second staff member credits nothing', async () => {
    const employer = await employerWithAGap(XUZHOU, 1);
    const id = (await applyForBackPay(employer, backPayBody(employer))).body.applicationId as string;
    const noReason = await staffAct(await staff('xz-a', XUZHOU), id, 'decision', { outcome: 'reject' });
    expect(noReason.status).toBe(400);
    await staffAct(await staff('xz-a', XUZHOU), id, 'decision', {
      outcome: 'reject',
      reasonZh: '证明材料不足',
      reasonEn: 'The evidence is not enough.',
    });
    const confirmed = await staffAct(await staff('xz-b', XUZHOU), id, 'confirmation', { outcome: 'confirm' });
    expect(confirmed.body.status).toBe('rejected');
    const entries = await ledgerEntries(XUZHOU, employer.accounts[0] as string);
    expect(entries.filter((e) => e.kind === 'back-pay')).toHaveLength(0);
  });

  it('refuses rows that are not back-pay, naming each; checks the key, the body and the owner', async () => {
    const employer = await employerWithAGap(XUZHOU, 1);
    const other = await employerWithAGap(XUZHOU, 1);
    const refused = await applyForBackPay(
      employer,
      backPayBody(employer, {
        months: [MISSED, addMonths(OPENING_MONTH, -2), THIS_MONTH, addMonths(THIS_MONTH, 3)],
        personalAccountNos: [...employer.accounts, ...other.accounts],
      }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('BACK_PAY_NOT_ALLOWED');
    expect(refused.body.message).toEqual({ 'zh-CN': expect.any(String), en: expect.any(String) });
    const codes = (refused.body.errors as { field: string; code: string }[]).map(
      (e) => `${e.field} ${e.code}`,
    );
    expect(codes).toEqual(
      expect.arrayContaining([
        'months[1] MONTH_BEFORE_OPENING',
        'months[2] MONTH_STILL_REMITTABLE',
        'months[3] MONTH_STILL_REMITTABLE',
        'personalAccountNos[1] NOT_AN_EMPLOYEE_ACCOUNT',
      ]),
    );
    const invalid = await applyForBackPay(employer, backPayBody(employer, { months: [] }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].field).toBe('months');
    const duplicate = await applyForBackPay(employer, backPayBody(employer, { months: [MISSED, MISSED] }));
    expect(duplicate.status).toBe(400);

    const sameKey = key();
    const first = await applyForBackPay(employer, backPayBody(employer), sameKey);
    const replay = await applyForBackPay(employer, backPayBody(employer), sameKey);
    expect(replay.body.applicationId).toBe(first.body.applicationId);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const reused = await applyForBackPay(employer, backPayBody(employer, { reason: '另一个理由' }), sameKey);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // Another employer sees neither the back-pay nor, through its own path, anyone's.
    const id = first.body.applicationId as string;
    const notYours = await call('GET', `/v1/employers/${other.employerAccountNo}/back-pay/${id}`, {
      token: other.token,
    });
    expect(notYours.status).toBe(404);
    const foreignPath = await call('GET', `/v1/employers/${employer.employerAccountNo}/back-pay/${id}`, {
      token: other.token,
    });
    expect(foreignPath.status).toBe(404);
  });

  it('a month before the centre’s earliest rule data is refused by name, not a 500', async () => {
    // Opened in January 2024 and never remitted for; 徐州's rule data starts on 2024-07-01.
    const repository = centreRepository(XUZHOU);
    const uscc = randomUscc(XUZHOU);
    const opened = await openEmployerAccount(repository, {
      uscc,
      usccCheckCharacterValid: true,
      name: '老单位',
      address: '测试路 2 号',
      contactName: '测试',
      contactPhone: '13800000000',
      payday: 10,
      openedAt: '2024-01-01T00:00:00.000Z',
      openedBy: 'back-pay.test',
    });
    if (!opened.opened) throw new Error('a random credit code collided');
    const idNumber = randomIdNumber();
    const params = parametersInForce(XUZHOU, '2024-07-01');
    const account = await openPersonalAccount(repository, {
      employerAccountNo: opened.record.employerAccountNo,
      personKey: await personKey(idNumber),
      name: '职工',
      idNumberMasked: maskIdNumber(idNumber),
      monthlyDepositBaseFen: params.minimumMonthlyWageFen * 3,
      employeeRateBasisPoints: 1200,
      employerRateBasisPoints: 1200,
      ruleVersion: params.ruleVersion,
      openedAt: '2024-01-01T00:00:00.000Z',
    });
    if (!account.opened) throw new Error('a random ID number collided');
    const employer: Employer = {
      city: XUZHOU,
      employerAccountNo: opened.record.employerAccountNo,
      token: await api.token({ sub: 'hr-old', role: 'employer', uscc, city: XUZHOU }),
      accounts: [account.record.personalAccountNo],
    };
    const refused = await applyForBackPay(
      employer,
      backPayBody(employer, { months: ['2024-03', '2024-08'] }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        field: 'months[0]',
        code: 'MONTH_BEFORE_RULE_DATA',
        message: { 'zh-CN': expect.any(String), en: expect.any(String) },
      }),
    ]);
    expect((await applyForBackPay(employer, backPayBody(employer, { months: ['2024-08'] }))).status).toBe(
      202,
    );
  });

  it('two back-pays of the same month: the second cannot be confirmed once the first is credited', async () => {
    const employer = await employerWithAGap(XUZHOU, 1);
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const id = (await applyForBackPay(employer, backPayBody(employer))).body.applicationId as string;
      expect(
        (await staffAct(await staff('xz-e', XUZHOU), id, 'decision', { outcome: 'approve' })).status,
      ).toBe(200);
      ids.push(id);
    }
    const [first, second] = ids as [string, string];
    expect(
      (await staffAct(await staff('xz-f', XUZHOU), first, 'confirmation', { outcome: 'confirm' })).body
        .status,
    ).toBe('paid');
    const refused = await staffAct(await staff('xz-f', XUZHOU), second, 'confirmation', {
      outcome: 'confirm',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('NO_COMPUTED_LIMIT');
    expect(refused.body.reasons).toEqual([expect.objectContaining({ code: 'MONTH_ALREADY_DEPOSITED' })]);
    const { entries } = await assertBalanceEqualsLedger(XUZHOU, employer.accounts[0] as string);
    expect(entries.filter((e) => e.kind === 'back-pay')).toHaveLength(1);
  });

  it('a posting cut short after its first chunk is finished by the sweep; two runs at once credit once', async () => {
    // 40 accounts: two chunks of at most 32 (a transaction of 99 items at 3 per account-month).
    const employer = await employerWithAGap(XUZHOU, 40);
    const id = (await applyForBackPay(employer, backPayBody(employer))).body.applicationId as string;
    await staffAct(await staff('xz-c', XUZHOU), id, 'decision', { outcome: 'approve' });

    // The confirming request dies after the first chunk's transaction (the injected fault).
    const repository = centreRepository(XUZHOU);
    let transactions = 0;
    const failing = Object.create(repository) as CentreRepository;
    failing.transactWrite = async (items) => {
      transactions += 1;
      if (transactions === 2) throw new Error('the function timed out');
      return CentreRepository.prototype.transactWrite.call(repository, items);
    };
    await staffConfirm(
      backPayItem,
      repository,
      id,
      { subject: 'xz-d', city: XUZHOU },
      { confirm: true },
      new Date(),
    );
    await expect(postBackPay(failing, id)).rejects.toThrow('timed out');
    const halfway = await getBackPay(repository, id);
    expect(halfway?.status).toBe('approved');
    expect(halfway?.postedRows).toBeGreaterThan(0);
    expect(halfway?.postedRows).toBeLessThan(40);

    await Promise.all([
      asJob('loan-sweep', () => resumeBackPays(repository)),
      postBackPay(repository, id),
      postBackPay(repository, id),
    ]);
    const done = await getBackPay(repository, id);
    expect(done).toMatchObject({ status: 'paid', postedRows: 40, skippedRows: 0 });
    expect(done?.postedFen).toBe(40 * missedDeposit(XUZHOU));
    for (const no of employer.accounts) {
      const { entries } = await assertBalanceEqualsLedger(XUZHOU, no);
      expect(entries.filter((e) => e.kind === 'back-pay')).toHaveLength(1);
    }
  });
});
