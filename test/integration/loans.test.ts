/**
 * OFFSITE_LOAN end to end on the emulators: the lending centre fetches deposit facts from every
 * centre where the person holds an account, over the inboxes, and decides once.
 */
import { describe, expect, it } from '@jest/globals';
import { sweepApplications } from '../../shared/applications/sweep.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { tableName } from '../../shared/config/runtime.js';
import { acceptLoanApplication } from '../../shared/loans/apply.js';
import { getApplication, recordFactsReply } from '../../shared/loans/decide.js';
import { depositFactsOf } from '../../shared/loans/facts.js';
import { postCentreRepayments } from '../../shared/loans/repayments.js';
import { type LoanApplicationRecord, type LoanRequest, loanIndexKey } from '../../shared/loans/store.js';
import { newMessage, parseEnvelope } from '../../shared/messaging/envelope.js';
import {
  CentreRepository,
  centreRepository,
  type TransactItem,
} from '../../shared/persistence/centre-repository.js';
import { dynamoDocumentClient } from '../../shared/persistence/client.js';
import { centreKey } from '../../shared/persistence/table.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import { makeDepositor } from '../support/depositors.js';
import { asJob } from '../support/jobs.js';
import { useLocalRegion } from '../support/local-region.js';
import { homeBoughtBy, propertyReplyTo } from '../support/properties.js';
import { eventually, withInboxesUnreachable } from '../support/region.js';

/** Every centre's worker runs, except 菏泽 371700: it never answers. */
const ANSWERING: CityCode[] = [
  '320300',
  '320700',
  '321300',
  '341300',
  '340600',
  '411400',
  '370400',
  '370800',
  '371300',
];

const region = useLocalRegion(ANSWERING);

const request = (lendingCity: CityCode, overrides: Partial<LoanRequest> = {}) => ({
  lendingCity,
  propertyCity: lendingCity,
  housePriceFen: 100_000_000,
  requestedFen: 20_000_000,
  termMonths: 240,
  method: 'equal-installment' as const,
  declaredHomeOrder: 'first' as const,
  otherMonthlyDebtFen: 0,
  maritalStatus: 'single' as const,
  ...overrides,
});

async function citizenToken(idNumber: string) {
  return region.api.token({ sub: `citizen-${idNumber.slice(-6)}`, role: 'citizen', idNumber });
}

async function decided(
  city: CityCode,
  applicationId: string,
  timeoutMs = 20_000,
): Promise<LoanApplicationRecord> {
  return eventually(
    async () => {
      const application = await getApplication(centreRepository(city), applicationId);
      return application && application.status !== 'awaiting_facts' ? application : undefined;
    },
    timeoutMs,
    `a decision on ${applicationId}`,
  );
}

describe('a 临沂 depositor borrows in 徐州', () => {
  it('is approved on facts fetched from 临沂 over the queues, and the loan is disbursed', async () => {
    const person = await makeDepositor(['371300'], 12);
    const token = await citizenToken(person.idNumber);
    const accepted = await region.api.request('POST', '/v1/me/loan-applications', {
      headers: { 'idempotency-key': crypto.randomUUID() },
      token,
      json: request('320300', await homeBoughtBy(person.idNumber, '320300')),
    });
    expect(accepted.status).toBe(202);
    const { applicationId, committedDeadline } = (await accepted.json()) as {
      applicationId: string;
      committedDeadline: string;
    };
    expect(Date.parse(committedDeadline)).toBeGreaterThan(Date.now());

    const application = await decided('320300', applicationId);
    expect(application.status).toBe('approved');
    expect(application.offsite).toBe(true);
    expect(Object.keys(application.facts).sort()).toEqual(['320300', '371300', 'property:320300']);
    expect(application.facts['371300']).toMatchObject({
      accountStatus: 'normal',
      continuousDepositMonths: 12,
      outstandingHpfLoans: 0,
    });
    expect(application.facts['320300']).toMatchObject({ accountStatus: 'none' });

    // 临沂 recorded what it disclosed, to whom and why, in its own partition.
    const disclosures = await centreRepository('371300').query(
      centreKey('371300', 'DISCLOSURE', new Date().toISOString().slice(0, 7)),
      {
        ConsistentRead: true,
      },
    );
    expect(disclosures.items.filter((d) => d.applicationId === applicationId)).toEqual([
      expect.objectContaining({
        askedBy: '320300',
        purpose: 'loan-application',
        fieldsDisclosed: expect.arrayContaining(['balanceFen']),
      }),
    ]);

    // The applicant sees the decision, with the rule version and the facts used.
    const shown = await region.api.request('GET', `/v1/me/loan-applications/${applicationId}`, { token });
    const view = (await shown.json()) as Record<string, unknown>;
    expect(view).toMatchObject({
      status: 'approved',
      ruleVersion: expect.stringMatching(/^320300-/),
      // The Regulations of the day it was accepted (in force from 2026-09-20).
      nationalRuleVersion: 'national-2026-09-20',
    });
    expect(view).not.toHaveProperty('personKey');
    // Nobody else does.
    const stranger = await citizenToken((await makeDepositor([], 0)).idNumber);
    expect(
      (await region.api.request('GET', `/v1/me/loan-applications/${applicationId}`, { token: stranger }))
        .status,
    ).toBe(404);

    const staff = await region.api.token({ sub: 'staff-xz', role: 'staff', city: '320300' });
    /** 徐州's loans to 临沂 depositors, in the regional statistics (the real cell, not demo data). */
    const xuzhouToLinyi = async () => {
      const stats = (await (
        await region.api.request('GET', '/v1/stats/regional-loans', { token: staff })
      ).json()) as {
        cells: { lendingCity: string; depositCity: string; loanCount: number; demo: boolean }[];
      };
      return (
        stats.cells.find((c) => c.lendingCity === '320300' && c.depositCity === '371300' && c.demo === false)
          ?.loanCount ?? 0
      );
    };
    const loansBefore = await xuzhouToLinyi();
    const disbursed = await region.api.request('POST', `/v1/staff/loans/${application.loanId}/disbursement`, {
      headers: { 'idempotency-key': crypto.randomUUID() },
      token: staff,
    });
    expect(disbursed.status).toBe(201);
    const loan = (await disbursed.json()) as {
      principalFen: number;
      schedule: { principalFen: number }[];
      outstandingPrincipalFen: number;
    };
    expect(loan.principalFen).toBe(20_000_000);
    expect(loan.schedule.reduce((sum, i) => sum + i.principalFen, 0)).toBe(loan.principalFen);
    // Disbursing again answers the same loan, and counts it once.
    const disbursedAgain = await region.api.request(
      'POST',
      `/v1/staff/loans/${application.loanId}/disbursement`,
      {
        headers: { 'idempotency-key': crypto.randomUUID() },
        token: staff,
      },
    );
    expect(disbursedAgain.status).toBe(201);
    expect(await disbursedAgain.json()).toEqual(loan);
    expect(await xuzhouToLinyi()).toBe(loansBefore + 1);

    const loans = (await (await region.api.request('GET', '/v1/me/loans', { token })).json()) as {
      loans: { loanId: string }[];
    };
    expect(loans.loans.map((l) => l.loanId)).toEqual([application.loanId]);
    const index = await centreRepository('320300').get(loanIndexKey(person.personKey));
    expect(index).toMatchObject({ status: 'active', loanId: application.loanId });

    // The first month's instalment is posted once, however often the job runs.
    const dueMonth = (loan as unknown as { firstDueMonth: string }).firstDueMonth;
    // the job's clock in the due month (next month: nothing is due before it begins)
    const inDueMonth = new Date(`${dueMonth}-01T02:00:00+08:00`);
    const first = await asJob('post-repayments', () =>
      postCentreRepayments(centreRepository('320300'), dueMonth, inDueMonth),
    );
    const again = await asJob('post-repayments', () =>
      postCentreRepayments(centreRepository('320300'), dueMonth, inDueMonth),
    );
    expect(first.posted).toBeGreaterThanOrEqual(1);
    expect(again.posted).toBe(0);
    const shownLoan = (await (
      await region.api.request('GET', `/v1/me/loans/${application.loanId}`, { token })
    ).json()) as {
      outstandingPrincipalFen: number;
      paidInstalments: number;
    };
    expect(shownLoan.paidInstalments).toBe(1);
    // One instalment paid: the principal less that instalment's principal, as the disbursement scheduled it.
    const firstPrincipalFen = loan.schedule[0]?.principalFen ?? 0;
    expect(firstPrincipalFen).toBeGreaterThan(0);
    expect(shownLoan.outstandingPrincipalFen).toBe(loan.principalFen - firstPrincipalFen);
  });
});

describe('income is a fetched fact', () => {
  const apply = async (idNumber: string, overrides: Record<string, unknown> = {}) => {
    const token = await citizenToken(idNumber);
    const accepted = await region.api.request('POST', '/v1/me/loan-applications', {
      headers: { 'idempotency-key': crypto.randomUUID() },
      token,
      json: { ...request('320300', await homeBoughtBy(idNumber, '320300')), ...overrides },
    });
    expect(accepted.status).toBe(202);
    const { applicationId } = (await accepted.json()) as { applicationId: string };
    return decided('320300', applicationId);
  };
  /** The 临沂 account's current base, as the 临沂 centre itself reports it. */
  const fetchedBase = async (personKey: string) =>
    (await depositFactsOf(centreRepository('371300'), personKey, new Date())).monthlyDepositBaseFen;

  it('repayment capacity counts the deposit base fetched from the account centre', async () => {
    const person = await makeDepositor(['371300'], 12);
    const done = await apply(person.idNumber, { otherMonthlyDebtFen: 50_000 });
    const base = await fetchedBase(person.personKey);
    expect(base).toBeGreaterThan(0);
    const ratio = parametersInForce('320300', toBeijingDate(new Date())).repaymentIncomeRatioBasisPoints;
    const limit = (done.decision as { limit: { availableMonthlyPaymentFen: number } }).limit;
    expect(limit.availableMonthlyPaymentFen).toBe(Math.floor((base * ratio) / 10_000) - 50_000);
  });

  it('a declared income above the base goes to staff review and is not counted', async () => {
    const person = await makeDepositor(['371300'], 12);
    const base = await fetchedBase(person.personKey);
    const done = await apply(person.idNumber, { monthlyIncomeFen: base * 5 });
    expect(done.status).toBe('review');
    expect(done.reasons?.map((r) => r.code)).toContain('REVIEW_DECLARED_INCOME');
    const ratio = parametersInForce('320300', toBeijingDate(new Date())).repaymentIncomeRatioBasisPoints;
    const limit = (done.decision as { limit: { availableMonthlyPaymentFen: number } }).limit;
    expect(limit.availableMonthlyPaymentFen).toBe(Math.floor((base * ratio) / 10_000));
  });

  it('other monthly debt is required', async () => {
    const person = await makeDepositor(['371300'], 1);
    const { otherMonthlyDebtFen: _debt, ...body } = request('320300');
    const refused = await region.api.request('POST', '/v1/me/loan-applications', {
      headers: { 'idempotency-key': crypto.randomUUID() },
      token: await citizenToken(person.idNumber),
      json: body,
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ errors: [{ field: 'otherMonthlyDebtFen' }] });
  });
});

describe('eligibility across the region', () => {
  it('a person with an outstanding loan in 枣庄 is refused in 商丘', async () => {
    const person = await makeDepositor(['370400'], 12);
    // 枣庄 holds a running HPF loan of this person.
    await centreRepository('370400').put({
      PK: centreKey('370400', 'PERSON', person.personKey),
      SK: 'LOAN#370400-OLD-L',
      loanId: '370400-OLD-L',
      status: 'active',
    });
    const application = await acceptLoanApplication(centreRepository('411400'), {
      lendingCity: '411400',
      idNumber: person.idNumber,
      personKey: person.personKey,
      request: request('411400', await homeBoughtBy(person.idNumber, '411400')),
      channel: 'online',
      household: { maritalStatus: 'single' },
      acceptedBy: 'test',
      correlationId: 'loan-zz',
    });
    const done = await decided('411400', application.applicationId);
    expect(done.status).toBe('rejected');
    expect(done.reasons?.map((r) => r.code)).toContain('OUTSTANDING_HPF_LOAN');
    expect(done.reasons?.find((r) => r.code === 'OUTSTANDING_HPF_LOAN')?.message['zh-CN']).toBeTruthy();
  });

  it('withdrawing an approved application releases the regional loan index for another centre', async () => {
    const person = await makeDepositor(['320700'], 12);
    const token = await citizenToken(person.idNumber);
    const first = (await (
      await region.api.request('POST', '/v1/me/loan-applications', {
        headers: { 'idempotency-key': crypto.randomUUID() },
        token,
        json: request('320700', await homeBoughtBy(person.idNumber, '320700')),
      })
    ).json()) as {
      applicationId: string;
    };
    expect((await decided('320700', first.applicationId)).status).toBe('approved');
    expect(await centreRepository('320700').get(loanIndexKey(person.personKey))).toMatchObject({
      status: 'reserved',
    });
    const withdrawn = await region.api.request(
      'POST',
      `/v1/me/loan-applications/${first.applicationId}/withdrawal`,
      { token },
    );
    expect(withdrawn.status).toBe(200);
    expect(await centreRepository('320700').get(loanIndexKey(person.personKey))).toMatchObject({
      status: 'released',
    });
    const again = await region.api.request(
      'POST',
      `/v1/me/loan-applications/${first.applicationId}/withdrawal`,
      {
        token,
      },
    );
    expect(again.status).toBe(409);
    const second = (await (
      await region.api.request('POST', '/v1/me/loan-applications', {
        headers: { 'idempotency-key': crypto.randomUUID() },
        token,
        json: request('321300', await homeBoughtBy(person.idNumber, '321300')),
      })
    ).json()) as {
      applicationId: string;
    };
    expect((await decided('321300', second.applicationId)).status).toBe('approved');
  });

  it('two centres approving the same person at once: one approval', async () => {
    const person = await makeDepositor(['320300', '371300'], 12);
    const home = await homeBoughtBy(person.idNumber, '320300');
    const [a, b] = await Promise.all(
      (['320300', '371300'] as const).map((city) =>
        acceptLoanApplication(centreRepository(city), {
          lendingCity: city,
          idNumber: person.idNumber,
          personKey: person.personKey,
          request: request(city, home),
          channel: 'online',
          household: { maritalStatus: 'single' },
          acceptedBy: 'test',
          correlationId: `race-${city}`,
        }),
      ),
    );
    const outcomes = await Promise.all([
      decided('320300', a?.applicationId ?? ''),
      decided('371300', b?.applicationId ?? ''),
    ]);
    expect(outcomes.filter((o) => o.status === 'approved')).toHaveLength(1);
    expect(outcomes.find((o) => o.status !== 'approved')?.reasons?.map((r) => r.code)).toContain(
      'OUTSTANDING_HPF_LOAN',
    );
  });
});

describe('messages that arrive twice, late, out of order, or never', () => {
  /**
   * An application whose requests are recorded but not sent: the test delivers the deposit-facts
   * replies itself (the property city's on the named record is recorded already).
   */
  async function unsentApplication(person: { idNumber: string; personKey: string }, lendingCity: CityCode) {
    const home = await homeBoughtBy(person.idNumber, lendingCity);
    const application = await withInboxesUnreachable(() =>
      acceptLoanApplication(centreRepository(lendingCity), {
        lendingCity,
        idNumber: person.idNumber,
        personKey: person.personKey,
        request: request(lendingCity, home),
        channel: 'online',
        household: { maritalStatus: 'single' },
        acceptedBy: 'test',
        correlationId: 'lost',
      }),
    );
    expect(await recordFactsReply(await propertyReplyTo(application), centreRepository(lendingCity))).toBe(
      'recorded',
    );
    return application;
  }

  async function replyFrom(city: CityCode, application: LoanApplicationRecord) {
    const requestMessage = parseEnvelope(application.requests[city]?.message ?? '');
    if (requestMessage.type !== 'deposit-facts-request') throw new Error('not a facts request');
    const facts = await depositFactsOf(centreRepository(city), application.personKey, new Date());
    return newMessage(
      'deposit-facts-reply',
      {
        from: city,
        to: application.city,
        correlationId: 'test',
        deadline: new Date(application.factsDeadline),
      },
      { inReplyTo: requestMessage.requestId, payload: { applicationId: application.applicationId, facts } },
    );
  }

  it('duplicated and reordered replies give one decision; the extra ones are recorded and dropped', async () => {
    const person = await makeDepositor(['341300', '411400'], 12);
    const application = await unsentApplication(person, '340600');
    const repository = centreRepository('340600');
    const fromSuzhou = await replyFrom('341300', application);
    const fromShangqiu = await replyFrom('411400', application);
    const fromHuaibei = await replyFrom('340600', application);
    expect(await recordFactsReply(fromShangqiu, repository)).toBe('recorded');
    expect(await recordFactsReply(fromShangqiu, repository)).toBe('dropped');
    const concurrent = await Promise.all([
      recordFactsReply(fromHuaibei, repository),
      recordFactsReply(fromSuzhou, repository),
    ]);
    expect([...concurrent].sort()).toEqual(['recorded', 'recorded']);
    expect(await recordFactsReply(fromSuzhou, repository)).toBe('dropped');
    const done = await getApplication(repository, application.applicationId);
    expect(done?.status).toBe('approved');
    expect(done?.timeline.filter((t) => t.status === 'approved')).toHaveLength(1);
    // The two dropped copies, and only they, are kept for the audit, each saying why it was dropped.
    const dropped = await repository.query(application.PK, {
      sortKeyCondition: 'begins_with(SK, :reply)',
      ExpressionAttributeValues: { ':reply': 'REPLY#' },
      ConsistentRead: true,
    });
    expect(
      dropped.items
        .map((item) => ({ from: item.from, disposition: item.disposition }))
        .sort((a, b) => String(a.from).localeCompare(String(b.from))),
    ).toEqual([
      { from: '341300', disposition: 'already-decided' },
      { from: '411400', disposition: 'duplicate-or-stale' },
    ]);
  });

  it('a request lost between the table and the queue is re-sent by the sweep', async () => {
    const person = await makeDepositor(['321300'], 12);
    const application = await unsentApplication(person, '320700');
    expect(Object.values(application.requests).every((r) => r?.sentAt === undefined)).toBe(true);
    const report = await asJob('loan-sweep', () => sweepApplications(centreRepository('320700')));
    expect(report.resent).toBe(2);
    const done = await decided('320700', application.applicationId);
    expect(done.status).toBe('approved');
  });

  it('a centre that never answers sends the application to staff review after the deadline', async () => {
    const person = await makeDepositor(['371700'], 12);
    process.env.REPLY_DEADLINE_MS = '1000';
    let application: LoanApplicationRecord;
    try {
      application = await acceptLoanApplication(centreRepository('370800'), {
        lendingCity: '370800',
        idNumber: person.idNumber,
        personKey: person.personKey,
        request: request('370800'),
        channel: 'online',
        household: { maritalStatus: 'single' },
        acceptedBy: 'test',
        correlationId: 'silent',
      });
    } finally {
      delete process.env.REPLY_DEADLINE_MS;
    }
    // The sweep's clock at the deadline (an injected clock instead of waiting for it).
    const report = await asJob('loan-sweep', () =>
      sweepApplications(centreRepository('370800'), { now: new Date(application.factsDeadline) }),
    );
    expect(report.toReview).toBeGreaterThanOrEqual(1);
    const reviewed = await getApplication(centreRepository('370800'), application.applicationId);
    expect(reviewed?.status).toBe('review');
    expect(reviewed?.reasons?.[0]?.message['zh-CN']).toContain('菏泽');
    // Staff see it in their work queue with its committed deadline, and decide.
    const staff = await region.api.token({ sub: 'staff-jn', role: 'staff', city: '370800' });
    const queue = (await (
      await region.api.request('GET', '/v1/staff/applications?status=review', { token: staff })
    ).json()) as {
      applications: { applicationId: string; committedDeadline: string; overdue: boolean }[];
    };
    expect(queue.applications.find((a) => a.applicationId === application.applicationId)).toMatchObject({
      overdue: false,
    });
    const rejected = await region.api.request(
      'POST',
      `/v1/staff/applications/${application.applicationId}/decision`,
      {
        token: staff,
        json: { outcome: 'reject', reasonZh: '未能核实菏泽缴存信息，请补充材料后重新申请。' },
      },
    );
    expect(rejected.status).toBe(200);
    // Another centre's staff cannot see or decide it.
    const other = await region.api.token({ sub: 'staff-xz', role: 'staff', city: '320300' });
    expect(
      (
        await region.api.request('POST', `/v1/staff/applications/${application.applicationId}/decision`, {
          token: other,
          json: { outcome: 'approve' },
        })
      ).status,
    ).toBe(404);
  });

  it('a transaction conflict injected into the decision is retried without double effects', async () => {
    const person = await makeDepositor(['320300'], 12);
    const application = await unsentApplication(person, '320300');
    const repository = centreRepository('320300');
    let conflicts = 1;
    const flaky = new (class extends CentreRepository {
      override async transactWrite(items: readonly TransactItem[]) {
        if (conflicts-- > 0) {
          throw Object.assign(new Error('Transaction cancelled'), {
            name: 'TransactionCanceledException',
            CancellationReasons: items.map(() => ({ Code: 'TransactionConflict' })),
          });
        }
        return super.transactWrite(items);
      }
    })('320300', dynamoDocumentClient(), tableName());
    // The only reply completes the facts: the decision's transaction meets the injected conflict.
    expect(await recordFactsReply(await replyFrom('320300', application), flaky)).toBe('recorded');
    const done = await getApplication(repository, application.applicationId);
    expect(done?.status).toBe('approved');
    expect(done?.timeline.filter((t) => t.status === 'approved')).toHaveLength(1);
    expect(conflicts).toBe(-1);
  });
});
