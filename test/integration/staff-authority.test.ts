/**
 * Staff authority is bounded and shared (DESIGN.md §4): through the local gateway and the centre
 * workers, a staff member approves at most the limit the loan rule computes, a decision on a
 * referred application waits for a second staff member of the same centre, nobody confirms their
 * own decision; a decision the rule throws on goes to review at once; a third HPF loan is refused.
 */

import { describe, expect, it } from '@jest/globals';
import { recordAnswer } from '../../shared/applications/outbox.js';
import { sweepApplications } from '../../shared/applications/sweep.js';
import type { CityCode } from '../../shared/config/cities.js';
import { getPersonalAccount } from '../../shared/deposits/store.js';
import { protectBankAccount } from '../../shared/identity/bank-account.js';
import { acceptLoanApplication } from '../../shared/loans/apply.js';
import { getApplication, REVIEW_THRESHOLDS, recordFactsReply } from '../../shared/loans/decide.js';
import { depositFactsOf } from '../../shared/loans/facts.js';
import { type LoanApplicationRecord, loanIndexKey } from '../../shared/loans/store.js';
import { newMessage, parseEnvelope } from '../../shared/messaging/envelope.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { getWithdrawal, submitWithdrawal } from '../../shared/withdrawals/withdrawals.js';
import { makeDepositor, randomIdNumber } from '../support/depositors.js';
import { decided } from '../support/loans.js';
import { useLocalRegion } from '../support/local-region.js';
import { homeBoughtBy, propertyReplyTo } from '../support/properties.js';
import { eventually, withInboxesUnreachable } from '../support/region.js';

const region = useLocalRegion();

const XUZHOU: CityCode = '320300';

const loanBody = (overrides: Record<string, unknown> = {}) => ({
  lendingCity: XUZHOU,
  propertyCity: XUZHOU,
  housePriceFen: 300_000_000,
  requestedFen: 20_000_000,
  termMonths: 240,
  method: 'equal-installment',
  declaredHomeOrder: 'first',
  otherMonthlyDebtFen: 0,
  maritalStatus: 'single',
  ...overrides,
});

/** Applies naming a ¥3,000,000 home in 徐州 the person bought. */
async function apply(idNumber: string, body: Record<string, unknown>) {
  const token = await region.api.token({ sub: `citizen-${idNumber.slice(-6)}`, role: 'citizen', idNumber });
  return region.api.request('POST', '/v1/me/loan-applications', {
    token,
    headers: { 'idempotency-key': crypto.randomUUID() },
    json: { ...(await homeBoughtBy(idNumber, XUZHOU, 300_000_000)), ...body },
  });
}

const staffOf = (sub: string, city: CityCode = XUZHOU) => region.api.token({ sub, role: 'staff', city });

function decide(token: string, applicationId: string, json: Record<string, unknown>) {
  return region.api.request('POST', `/v1/staff/applications/${applicationId}/decision`, { token, json });
}

function confirm(token: string, applicationId: string, json: Record<string, unknown>) {
  return region.api.request('POST', `/v1/staff/applications/${applicationId}/confirmation`, {
    token,
    headers: { 'idempotency-key': crypto.randomUUID() },
    json,
  });
}

/**
 * A 徐州 loan application recorded with its requests but none sent: the test plays the network.
 * The property city's answer on the named record (registered at ¥3,000,000 unless told) is in.
 */
async function unsentApplication(
  person: { idNumber: string; personKey: string },
  overrides: Record<string, unknown> = {},
  options: { replyDeadlineMs?: number; registeredPriceFen?: number } = {},
) {
  const { registeredPriceFen = 300_000_000, ...unreachable } = options;
  const home = await homeBoughtBy(person.idNumber, XUZHOU, registeredPriceFen);
  const application = await withInboxesUnreachable(
    () =>
      acceptLoanApplication(centreRepository(XUZHOU), {
        lendingCity: XUZHOU,
        idNumber: person.idNumber,
        personKey: person.personKey,
        request: loanBody({ ...home, ...overrides }) as never,
        channel: 'online',
        household: { maritalStatus: 'single' },
        acceptedBy: 'test',
        correlationId: crypto.randomUUID(),
      }),
    unreachable,
  );
  await recordFactsReply(await propertyReplyTo(application), centreRepository(XUZHOU));
  return application;
}

/** 徐州's own answer to the application's request, with the person's facts as 徐州 holds them. */
async function ownReply(application: LoanApplicationRecord, personKey: string) {
  const request = parseEnvelope(application.requests[XUZHOU]?.message ?? '');
  return newMessage(
    'deposit-facts-reply',
    {
      from: XUZHOU,
      to: XUZHOU,
      correlationId: request.correlationId,
      deadline: new Date(application.factsDeadline),
    },
    {
      inReplyTo: request.requestId,
      payload: {
        applicationId: application.applicationId,
        facts: await depositFactsOf(centreRepository(XUZHOU), personKey, new Date()),
      },
    },
  );
}

/** A loan application referred to review: the amount asked is above the regional review threshold. */
async function referred() {
  const person = await makeDepositor(['371300'], 12);
  const accepted = await apply(
    person.idNumber,
    loanBody({ requestedFen: REVIEW_THRESHOLDS.requestedAboveFen + 3_860_000 }),
  );
  expect(accepted.status).toBe(202);
  const { applicationId } = (await accepted.json()) as { applicationId: string };
  const application = await decided(XUZHOU, applicationId);
  expect(application.status).toBe('review');
  const decision = application.decision as { limit: { limitFen: number }; proposedFen: number };
  return { person, applicationId, limitFen: decision.limit.limitFen, proposedFen: decision.proposedFen };
}

describe('a staff approval is bounded by the rule', () => {
  it('above the computed limit is refused with 422 and changes nothing', async () => {
    const { applicationId, limitFen } = await referred();
    // The 徐州 case: 103,860,000 fen asked of a computed limit ten times smaller.
    const above = await decide(await staffOf('staff-a'), applicationId, {
      outcome: 'approve',
      approvedFen: REVIEW_THRESHOLDS.requestedAboveFen + 3_860_000,
    });
    expect(above.status).toBe(422);
    expect(await above.json()).toMatchObject({
      status: 422,
      code: 'STAFF_APPROVAL_ABOVE_LIMIT',
      ceilingFen: limitFen,
    });
    const oneFenAbove = await decide(await staffOf('staff-a'), applicationId, {
      outcome: 'approve',
      approvedFen: limitFen + 1,
    });
    expect(oneFenAbove.status).toBe(422);
    expect((await getApplication(centreRepository(XUZHOU), applicationId))?.status).toBe('review');
  });

  it('a staff approval waits for a second staff member, who cannot be the same one; then the loan is reserved', async () => {
    const { person, applicationId, proposedFen } = await referred();
    const first = await staffOf('staff-a');
    const approved = await decide(first, applicationId, { outcome: 'approve' });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: 'pending_confirmation' });
    // Pending counts against the committed deadline, and nothing is reserved yet.
    expect(
      await centreRepository(XUZHOU).get(loanIndexKey(person.personKey), { consistent: true }),
    ).toBeUndefined();
    const own = await confirm(first, applicationId, { outcome: 'confirm' });
    expect(own.status).toBe(403);
    expect(await own.json()).toMatchObject({ code: 'OWN_DECISION', status: 403 });
    // Another centre's staff neither see nor confirm it.
    const elsewhere = await confirm(await staffOf('staff-ly', '371300'), applicationId, {
      outcome: 'confirm',
    });
    expect(elsewhere.status).toBe(404);
    const second = await confirm(await staffOf('staff-b'), applicationId, { outcome: 'confirm' });
    expect(second.status).toBe(200);
    const done = await getApplication(centreRepository(XUZHOU), applicationId);
    expect(done?.status).toBe('approved');
    expect(done?.decision).toMatchObject({
      approvedFen: proposedFen,
      decidedBy: 'staff:staff-a',
      confirmedBy: 'staff:staff-b',
    });
    expect(done?.timeline.map((t) => t.status)).toEqual([
      'awaiting_facts',
      'review',
      'pending_confirmation',
      'approved',
    ]);
    expect(done?.timeline.at(-1)?.by).toBe('staff:staff-b');
    // Carried out: nothing is left pending on the record.
    expect(done).not.toHaveProperty('pendingDecision');
    expect(
      await centreRepository(XUZHOU).get(loanIndexKey(person.personKey), { consistent: true }),
    ).toMatchObject({
      status: 'reserved',
      applicationId,
    });
    // Confirming again: nothing is pending any more.
    expect((await confirm(await staffOf('staff-c'), applicationId, { outcome: 'confirm' })).status).toBe(409);
  });

  it('a reduction needs a reason; a returned decision goes back to review; a refusal is confirmed too', async () => {
    const { applicationId, proposedFen } = await referred();
    const first = await staffOf('staff-a');
    const reduced = Math.floor(proposedFen / 2 / 100) * 100;
    const noReason = await decide(first, applicationId, { outcome: 'approve', approvedFen: reduced });
    expect(noReason.status).toBe(400);
    expect(await noReason.json()).toMatchObject({ errors: [{ field: 'reasonZh', code: 'REQUIRED' }] });
    expect(
      (
        await decide(first, applicationId, {
          outcome: 'approve',
          approvedFen: reduced,
          reasonZh: '收入证明不足，核减额度。',
        })
      ).status,
    ).toBe(200);
    // The second staff member disagrees and returns it, with a reason.
    const second = await staffOf('staff-b');
    expect((await confirm(second, applicationId, { outcome: 'return' })).status).toBe(400);
    expect(
      (await confirm(second, applicationId, { outcome: 'return', reasonZh: '请核实收入后再定。' })).status,
    ).toBe(200);
    expect((await getApplication(centreRepository(XUZHOU), applicationId))?.status).toBe('review');
    // A refusal by the second one, confirmed by the first: rejected, with the reason the applicant reads.
    expect((await decide(second, applicationId, { outcome: 'reject' })).status).toBe(400);
    expect(
      (await decide(second, applicationId, { outcome: 'reject', reasonZh: '申请材料与登记信息不符。' }))
        .status,
    ).toBe(200);
    expect((await confirm(first, applicationId, { outcome: 'confirm' })).status).toBe(200);
    const done = await getApplication(centreRepository(XUZHOU), applicationId);
    expect(done?.status).toBe('rejected');
    expect(done?.reasons?.map((r) => r.message['zh-CN'])).toContain('申请材料与登记信息不符。');
    expect(done).not.toHaveProperty('pendingDecision');
    expect(done).toHaveProperty('returnedDecision.returnedBy', 'staff:staff-b');
  });

  it('an application whose centre never answered cannot be approved, only refused or asked again', async () => {
    const person = await makeDepositor(['371300'], 12);
    const repository = centreRepository(XUZHOU);
    // Recorded, never sent, and its facts deadline half a second away: the sweep gives it to staff.
    const application = await unsentApplication(person, {}, { replyDeadlineMs: 500 });
    await sweepApplications(repository, { now: new Date(Date.parse(application.factsDeadline) + 1) });
    expect((await getApplication(repository, application.applicationId))?.status).toBe('review');
    const approve = await decide(await staffOf('staff-a'), application.applicationId, { outcome: 'approve' });
    expect(approve.status).toBe(422);
    expect(await approve.json()).toMatchObject({ code: 'NO_COMPUTED_LIMIT' });
    // Asked again, the centres answer this time and the rule decides.
    const again = await decide(await staffOf('staff-a'), application.applicationId, { outcome: 'ask-again' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'awaiting_facts' });
    const done = await decided(XUZHOU, application.applicationId);
    expect(done.status).toBe('approved');
    expect(done.timeline.map((t) => t.status)).toEqual([
      'awaiting_facts',
      'review',
      'awaiting_facts',
      'approved',
    ]);
  });
});

describe('decisions the rule cannot take, and loans it refuses', () => {
  it('a decision that throws on its facts goes to review on its first delivery, the failure recorded', async () => {
    const person = await makeDepositor([XUZHOU], 12);
    // A record the housing authority's feed filed at a price of 0: the rule refuses to compute on it.
    const application = await unsentApplication(person, {}, { registeredPriceFen: 0 });
    const reply = await ownReply(application, person.personKey);
    // The one delivery does not throw (no redelivery, no dead letter): the application is in review.
    await expect(recordFactsReply(reply, centreRepository(XUZHOU))).resolves.toBe('recorded');
    const reviewed = await getApplication(centreRepository(XUZHOU), application.applicationId);
    expect(reviewed?.status).toBe('review');
    expect(reviewed?.reasons?.map((r) => r.code)).toEqual(['DECISION_FAILED']);
    expect((reviewed as unknown as { decisionFailure: { error: string } }).decisionFailure.error).toBe(
      'RangeError',
    );
  });

  it('a third HPF loan is refused, in words', async () => {
    const person = await makeDepositor([XUZHOU], 12);
    // The regional loan index says two HPF loans were used and repaid.
    await centreRepository(XUZHOU).put({
      ...loanIndexKey(person.personKey),
      status: 'released',
      repaidLoans: 2,
      updatedAt: new Date().toISOString(),
    });
    const accepted = await apply(person.idNumber, loanBody());
    expect(accepted.status).toBe(202);
    const { applicationId } = (await accepted.json()) as { applicationId: string };
    const done = await decided(XUZHOU, applicationId);
    expect(done.status).toBe('rejected');
    expect(done.reasons?.map((r) => r.code)).toContain('THIRD_LOAN');
  });

  it('a third home is refused', async () => {
    const person = await makeDepositor([XUZHOU], 12);
    const accepted = await apply(person.idNumber, loanBody({ declaredHomeOrder: 'third' }));
    expect(accepted.status).toBe(202);
    const { applicationId } = (await accepted.json()) as { applicationId: string };
    const done = await decided(XUZHOU, applicationId);
    expect(done.status).toBe('rejected');
    expect(done.reasons?.map((r) => r.code)).toContain('THIRD_HOME');
  });
});

describe('attacks on staff authority', () => {
  it('staff never grant more than was asked, even when the limit is higher', async () => {
    const person = await makeDepositor([XUZHOU], 12);
    const repository = centreRepository(XUZHOU);
    const application = await unsentApplication(person, { requestedFen: 100_000 }, { replyDeadlineMs: 500 });
    // Every answer in, the decision never completed: the sweep gives it to staff.
    const own = parseEnvelope(application.requests[XUZHOU]?.message ?? '');
    await recordAnswer(
      repository,
      { PK: application.PK, SK: application.SK },
      {
        from: XUZHOU,
        inReplyTo: own.requestId,
        messageId: crypto.randomUUID(),
        facts: await depositFactsOf(repository, person.personKey, new Date()),
      },
      new Date(),
    );
    await sweepApplications(repository, { now: new Date(Date.parse(application.factsDeadline) + 1) });
    expect((await getApplication(repository, application.applicationId))?.status).toBe('review');
    const more = await decide(await staffOf('staff-a'), application.applicationId, {
      outcome: 'approve',
      approvedFen: 100_001,
    });
    expect(more.status).toBe(422);
    expect(await more.json()).toMatchObject({ code: 'STAFF_APPROVAL_ABOVE_LIMIT', ceilingFen: 100_000 });
    const zero = await decide(await staffOf('staff-a'), application.applicationId, {
      outcome: 'approve',
      approvedFen: 0,
      reasonZh: '零',
    });
    expect(zero.status).toBe(400);
  });

  it('the same Idempotency-Key on two applications confirms each, not a replay of the first', async () => {
    const [a, b] = await Promise.all([referred(), referred()]);
    for (const { applicationId } of [a, b]) {
      expect((await decide(await staffOf('staff-a'), applicationId, { outcome: 'approve' })).status).toBe(
        200,
      );
    }
    const second = await staffOf('staff-b');
    const key = crypto.randomUUID();
    for (const { applicationId } of [a, b]) {
      const confirmed = await region.api.request(
        'POST',
        `/v1/staff/applications/${applicationId}/confirmation`,
        {
          token: second,
          headers: { 'idempotency-key': key },
          json: { outcome: 'confirm' },
        },
      );
      expect(confirmed.status).toBe(200);
      expect(confirmed.headers.get('idempotent-replayed')).toBeNull();
      expect(await confirmed.json()).toMatchObject({ applicationId, status: 'approved' });
    }
  });

  it('twenty confirmations at once by other staff members carry the decision out once', async () => {
    const { person, applicationId } = await referred();
    await decide(await staffOf('staff-a'), applicationId, { outcome: 'approve' });
    const confirmers = await Promise.all(Array.from({ length: 20 }, (_, i) => staffOf(`staff-r${i}`)));
    const answers = await Promise.all(
      confirmers.map((token) => confirm(token, applicationId, { outcome: 'confirm' })),
    );
    const statuses = answers.map((r) => r.status);
    // Whoever is first carries it out; the others find nothing pending any more.
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 409)).toBe(true);
    const done = await getApplication(centreRepository(XUZHOU), applicationId);
    expect(done?.timeline.filter((entry) => entry.status === 'approved')).toHaveLength(1);
    expect(
      await centreRepository(XUZHOU).get(loanIndexKey(person.personKey), { consistent: true }),
    ).toMatchObject({
      status: 'reserved',
      applicationId,
    });
  });

  it('four disbursements at once make one loan, and every one answers it', async () => {
    const { applicationId } = await referred();
    await decide(await staffOf('staff-a'), applicationId, { outcome: 'approve' });
    await confirm(await staffOf('staff-b'), applicationId, { outcome: 'confirm' });
    const staff = await staffOf('staff-c');
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() =>
        region.api.request('POST', `/v1/staff/loans/${applicationId}-L/disbursement`, {
          token: staff,
          headers: { 'idempotency-key': crypto.randomUUID() },
        }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const loans = await Promise.all(
      answers.map((r) => r.json() as Promise<{ loanId: string; disbursedAt: string }>),
    );
    expect(new Set(loans.map((l) => `${l.loanId}@${l.disbursedAt}`)).size).toBe(1);
  });

  it('staff cannot record a retirement age category where it does not apply', async () => {
    const person = await makeDepositor([XUZHOU], 6, randomIdNumber(1960, 'male'));
    const repository = centreRepository(XUZHOU);
    const account = await getPersonalAccount(repository, person.accounts[XUZHOU] as string);
    if (!account) throw new Error('no account');
    const { withdrawal } = await withInboxesUnreachable(
      async () =>
        submitWithdrawal(repository, {
          account,
          idempotencyScope: crypto.randomUUID(),
          birthDate: '1960-01-01',
          sex: 'male',
          idNumberMasked: '3203**********0000',
          request: { type: 'retirement' },
          bankAccount: await protectBankAccount(
            { accountNumber: '6222021234567890123', holderName: '测试人', bankName: '工商银行' },
            account.city,
          ),
          channel: 'online',
          acceptedBy: 'test',
          correlationId: 'fact',
        }),
      { replyDeadlineMs: 500 },
    );
    await sweepApplications(repository, { now: new Date(Date.parse(withdrawal.factsDeadline) + 1) });
    const reviewed = await getWithdrawal(repository, withdrawal.applicationId);
    expect(reviewed?.status).toBe('review');
    const answer = await decide(await staffOf('staff-a'), withdrawal.applicationId, {
      outcome: 'approve',
      womanRetirementCategory: 'age50',
    });
    expect(answer.status).toBe(422);
    expect(await answer.json()).toMatchObject({ code: 'STAFF_FACT_NOT_ALLOWED' });
    expect(
      (await getPersonalAccount(repository, account.personalAccountNo))?.womanRetirementCategory,
    ).toBeUndefined();
  });

  it('an application the rule throws on can still be refused by two staff members', async () => {
    const person = await makeDepositor([XUZHOU], 12);
    const repository = centreRepository(XUZHOU);
    const application = await unsentApplication(person, {}, { registeredPriceFen: 0 });
    await recordFactsReply(await ownReply(application, person.personKey), repository);
    expect((await getApplication(repository, application.applicationId))?.status).toBe('review');
    expect(
      (await decide(await staffOf('staff-a'), application.applicationId, { outcome: 'approve' })).status,
    ).toBe(422);
    expect(
      (
        await decide(await staffOf('staff-a'), application.applicationId, {
          outcome: 'reject',
          reasonZh: '房屋价格信息有误，请重新申请。',
        })
      ).status,
    ).toBe(200);
    expect(
      (await confirm(await staffOf('staff-b'), application.applicationId, { outcome: 'confirm' })).status,
    ).toBe(200);
    const done = await getApplication(repository, application.applicationId);
    expect(done?.status).toBe('rejected');
    // The applicant reads the staff's reason, not the internal failure.
    const citizen = await region.api.token({ sub: 'c-throws', role: 'citizen', idNumber: person.idNumber });
    const view = (await (
      await region.api.request('GET', `/v1/me/loan-applications/${application.applicationId}`, {
        token: citizen,
      })
    ).json()) as Record<string, unknown>;
    expect(view.decisionFailure).toBeUndefined();
    expect(JSON.stringify(view)).not.toContain('staff-a');
    expect(JSON.stringify(view)).toContain('房屋价格信息有误');
  });

  it('a closing withdrawal of an empty account closes it, paying nothing, on its first delivery', async () => {
    const person = await makeDepositor([XUZHOU], 0, randomIdNumber(1960, 'male'));
    const accountNo = person.accounts[XUZHOU] as string;
    const token = await region.api.token({ sub: 'c-empty', role: 'citizen', idNumber: person.idNumber });
    const answer = await region.api.request('POST', '/v1/me/withdrawals', {
      token,
      headers: { 'idempotency-key': crypto.randomUUID() },
      json: {
        type: 'retirement',
        personalAccountNo: accountNo,
        bankAccount: { accountNumber: '6222021234567890123', holderName: '测试人', bankName: '工商银行' },
      },
    });
    expect(answer.status).toBe(202);
    const { applicationId } = (await answer.json()) as { applicationId: string };
    const done = await eventually(
      async () => {
        const w = await getWithdrawal(centreRepository(XUZHOU), applicationId);
        return w && w.status !== 'awaiting_facts' ? w : undefined;
      },
      20_000,
      'the empty closing',
    );
    expect(done).toMatchObject({ status: 'paid', payoutFen: 0 });
    expect(await getPersonalAccount(centreRepository(XUZHOU), accountNo)).toMatchObject({
      status: 'closed',
      balanceFen: 0,
    });
  });
});
