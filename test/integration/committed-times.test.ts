/**
 * Committed times (承诺办结时限): every application records its deadline from the catalogue in
 * working days; the staff work queue flags the overdue ones; the hourly sweep counts them by city
 * and item code for the metric and its alarm.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { countOverdue } from '../../shared/applications/overdue.js';
import { workQueue, workQueueKey } from '../../shared/applications/records.js';
import { committedDeadline } from '../../shared/calendar/working-days.js';
import { catalogueItem } from '../../shared/catalogue/catalogue.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { centreKey } from '../../shared/persistence/table.js';
import { makeDepositor } from '../support/depositors.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { asJob } from '../support/jobs.js';
import { createTestInboxes, type TestInboxes } from '../support/region.js';

let api: TestGateway;
let inboxes: TestInboxes;

beforeAll(async () => {
  inboxes = await createTestInboxes();
  api = await startTestGateway();
});

afterAll(async () => {
  await api.close();
  inboxes.sqs.destroy();
});

describe('committed times', () => {
  it('an application records its committed deadline in working days from the catalogue', async () => {
    // No worker runs in this file: the application stays open.
    const person = await makeDepositor(['371700'], 3);
    const token = await api.token({ sub: 'c-ct', role: 'citizen', idNumber: person.idNumber });
    const response = await api.request('POST', '/v1/me/withdrawals', {
      token,
      headers: { 'idempotency-key': `ct-${Date.now()}` },
      json: {
        type: 'purchase',
        personalAccountNo: person.accounts['371700'],
        bankAccount: { accountNumber: '6222021234567890123', holderName: '测试人', bankName: '菏泽银行' },
        amountFen: 10_000,
        property: { onlineSigningNo: `WQ-CT-${Date.now()}`, city: '371700' },
      },
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as {
      applicationId: string;
      acceptedAt: string;
      committedDeadline: string;
      committedDeadlineCalendar: string;
    };
    // Official until the count reaches a year whose holiday notice is not in the data yet.
    const days = catalogueItem('PURCHASE_WITHDRAW').committedWorkingDays;
    expect({ deadline: body.committedDeadline, calendar: body.committedDeadlineCalendar }).toEqual(
      committedDeadline(body.acceptedAt, days),
    );
    // Staff of the centre see it in their queue of applications waiting for facts, not overdue.
    const staff = await api.token({ sub: 'staff-hz', role: 'staff', city: '371700' });
    const queue = await api.request('GET', '/v1/staff/applications?status=awaiting_facts', { token: staff });
    expect(queue.status).toBe(200);
    const { applications } = (await queue.json()) as {
      applications: { applicationId: string; committedDeadline: string; overdue: boolean }[];
    };
    expect(applications.find((a) => a.applicationId === body.applicationId)).toMatchObject({
      committedDeadline: body.committedDeadline,
      overdue: false,
    });
  });

  it('an overdue application is flagged in the staff work queue and counted by city and item code', async () => {
    const repository = centreRepository('411400');
    const id = `411400-20261001-OVERDUE${Date.now().toString(36).toUpperCase()}`;
    const pastDeadline = '2026-10-09T15:59:59.999Z';
    await repository.put({
      PK: centreKey('411400', 'LOANAPP', id),
      SK: 'APPLICATION',
      GSI1PK: workQueueKey('411400', 'review'),
      GSI1SK: `${pastDeadline}#${id}`,
      applicationId: id,
      itemCode: 'OFFSITE_LOAN',
      city: '411400',
      channel: 'online',
      acceptedBy: 'test',
      personKey: 'test-person',
      idNumberMasked: '4114**********0000',
      status: 'review',
      timeline: [],
      acceptedAt: '2026-09-25T02:00:00.000Z',
      committedDeadline: pastDeadline,
      committedDeadlineCalendar: 'official',
      factsDeadline: '2026-09-25T02:15:00.000Z',
      requests: {},
      request: { requestedFen: 10_000_000 },
      version: 1,
    });
    const staff = await api.token({ sub: 'staff-sq', role: 'staff', city: '411400' });
    const queue = (await (
      await api.request('GET', '/v1/staff/applications?status=review', { token: staff })
    ).json()) as {
      applications: { applicationId: string; overdue: boolean; workingDaysLeft: number }[];
    };
    expect(queue.applications.find((a) => a.applicationId === id)).toMatchObject({
      overdue: true,
      workingDaysLeft: 0,
    });
    // Counted from the moment its deadline has passed, not before; once.
    const deadline = Date.parse(pastDeadline);
    const dueBefore = async (now: Date) =>
      (await workQueue('411400', 'review', { dueBefore: now })).map((a) => a.applicationId);
    expect(await dueBefore(new Date(deadline - 1))).not.toContain(id);
    expect(await dueBefore(new Date(deadline + 1))).toContain(id);
    const overdueLoans = async (now: Date) =>
      (await asJob('committed-time-sweep', () => countOverdue(['411400'], now))).find(
        (c) => c.itemCode === 'OFFSITE_LOAN',
      )?.overdue ?? 0;
    const before = await overdueLoans(new Date(deadline - 1));
    expect(await overdueLoans(new Date(deadline + 1))).toBe(before + 1);
  });
});
