/**
 * Staff authority is bounded and shared (DESIGN.md §4): through the local gateway and the centre
 * workers, a staff member approves at most the limit the loan rule computes, a decision on a
 * referred application waits for a second staff member of the same centre, nobody confirms their
 * own decision; a decision the rule throws on goes to review at once; a third HPF loan is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Pollers } from '../../infra/local/pollers.js';
import { sweepApplications } from '../../shared/applications/sweep.js';
import type { CityCode } from '../../shared/config/cities.js';
import { acceptLoanApplication } from '../../shared/loans/apply.js';
import { getApplication, REVIEW_THRESHOLDS, recordFactsReply } from '../../shared/loans/decide.js';
import { depositFactsOf } from '../../shared/loans/facts.js';
import { type LoanApplicationRecord, loanIndexKey } from '../../shared/loans/store.js';
import { newMessage, parseEnvelope } from '../../shared/messaging/envelope.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { makeDepositor } from '../support/depositors.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createTestInboxes, eventually, type TestInboxes } from '../support/region.js';

let inboxes: TestInboxes;
let api: TestGateway;
let pollers: Pollers;

beforeAll(async () => {
  inboxes = await createTestInboxes();
  pollers = inboxes.startWorkers();
  api = await startTestGateway();
});

afterAll(async () => {
  await pollers.stop();
  await api.close();
  inboxes.sqs.destroy();
});

const XUZHOU: CityCode = '320300';

const loanBody = (overrides: Record<string, unknown> = {}) => ({
  lendingCity: XUZHOU,
  propertyCity: XUZHOU,
  housePriceFen: 300_000_000,
  requestedFen: 20_000_000,
  termMonths: 240,
  method: 'equal-installment',
  declaredHomeOrder: 'first',
  monthlyIncomeFen: 1_500_000,
  otherMonthlyDebtFen: 0,
  ...overrides,
});

async function apply(idNumber: string, body: Record<string, unknown>) {
  const token = await api.token({ sub: `citizen-${idNumber.slice(-6)}`, role: 'citizen', idNumber });
  return api.request('POST', '/v1/me/loan-applications', {
    token,
    headers: { 'idempotency-key': crypto.randomUUID() },
    json: body,
  });
}

async function decided(city: CityCode, applicationId: string): Promise<LoanApplicationRecord> {
  return eventually(
    async () => {
      const application = await getApplication(centreRepository(city), applicationId);
      return application && application.status !== 'awaiting_facts' ? application : undefined;
    },
    20_000,
    `a decision on ${applicationId}`,
  );
}

const staffOf = (sub: string, city: CityCode = XUZHOU) => api.token({ sub, role: 'staff', city });

function decide(token: string, applicationId: string, json: Record<string, unknown>) {
  return api.request('POST', `/v1/staff/applications/${applicationId}/decision`, { token, json });
}

function confirm(token: string, applicationId: string, json: Record<string, unknown>) {
  return api.request('POST', `/v1/staff/applications/${applicationId}/confirmation`, {
    token,
    headers: { 'idempotency-key': crypto.randomUUID() },
    json,
  });
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
  });

  it('an application whose centre never answered cannot be approved, only refused or asked again', async () => {
    const person = await makeDepositor(['371300'], 12);
    const repository = centreRepository(XUZHOU);
    // Recorded, never sent, and its facts deadline a second away: the sweep gives it to staff.
    const saved = process.env.INBOX_QUEUE_URLS as string;
    process.env.INBOX_QUEUE_URLS = JSON.stringify(
      Object.fromEntries(Object.keys(JSON.parse(saved)).map((c) => [c, 'http://127.0.0.1:9/lost'])),
    );
    process.env.REPLY_DEADLINE_MS = '500';
    let application: LoanApplicationRecord;
    try {
      application = await acceptLoanApplication(repository, {
        lendingCity: XUZHOU,
        idNumber: person.idNumber,
        personKey: person.personKey,
        request: loanBody() as never,
        channel: 'online',
        acceptedBy: 'test',
        correlationId: 'silent',
      });
    } finally {
      process.env.INBOX_QUEUE_URLS = saved;
      delete process.env.REPLY_DEADLINE_MS;
    }
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
    // An application recorded before the edge refused a zero house price (the flow, not the API).
    const saved = process.env.INBOX_QUEUE_URLS as string;
    process.env.INBOX_QUEUE_URLS = JSON.stringify(
      Object.fromEntries(Object.keys(JSON.parse(saved)).map((c) => [c, 'http://127.0.0.1:9/lost'])),
    );
    let application: LoanApplicationRecord;
    try {
      application = await acceptLoanApplication(centreRepository(XUZHOU), {
        lendingCity: XUZHOU,
        idNumber: person.idNumber,
        personKey: person.personKey,
        request: loanBody({ housePriceFen: 0 }) as never,
        channel: 'online',
        acceptedBy: 'test',
        correlationId: 'throws',
      });
    } finally {
      process.env.INBOX_QUEUE_URLS = saved;
    }
    const requestMessage = parseEnvelope(application.requests[XUZHOU]?.message ?? '');
    const reply = newMessage(
      'deposit-facts-reply',
      { from: XUZHOU, to: XUZHOU, correlationId: 'throws', deadline: new Date(application.factsDeadline) },
      {
        inReplyTo: requestMessage.requestId,
        payload: {
          applicationId: application.applicationId,
          facts: await depositFactsOf(centreRepository(XUZHOU), person.personKey, new Date()),
        },
      },
    );
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
