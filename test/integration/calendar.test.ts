/**
 * The calendar in the local region: an application accepted on 2026-12-20 whose committed
 * deadline falls in 2027, a year without a State Council notice yet. It is shown with its time
 * left and queued for staff like any other; the public calendar says 2027 is provisional; once a
 * notice for 2027 is loaded, the job recomputes the deadline, once, and the timeline says so.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CALENDAR_ACTOR, recomputeProvisionalDeadlines } from '../../shared/applications/deadlines.js';
import { countOverdue } from '../../shared/applications/overdue.js';
import { workQueueKey } from '../../shared/applications/records.js';
import { WorkingCalendar, workingDaysBetween } from '../../shared/calendar/working-days.js';
import { tableName } from '../../shared/config/runtime.js';
import { acceptLoanApplication } from '../../shared/loans/apply.js';
import { getApplication } from '../../shared/loans/decide.js';
import { CentreRepository, centreRepository } from '../../shared/persistence/centre-repository.js';
import { dynamoDocumentClient } from '../../shared/persistence/client.js';
import { centreKey } from '../../shared/persistence/table.js';
import { HOLIDAY_NOTICES } from '../../shared/rules/holiday-notices.js';
import { makeDepositor } from '../support/depositors.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { asJob } from '../support/jobs.js';
import { homeBoughtBy } from '../support/properties.js';
import { createTestInboxes, type TestInboxes } from '../support/region.js';

let api: TestGateway;
let inboxes: TestInboxes;

beforeAll(async () => {
  // No worker runs in this file: the application keeps waiting for its facts.
  inboxes = await createTestInboxes();
  api = await startTestGateway();
});

afterAll(async () => {
  await api.close();
  inboxes.sqs.destroy();
});

const CITY = '340600';
const ACCEPTED = new Date('2026-12-20T10:00:00+08:00');
/** A notice for 2027 as a test fixture, not the real one: New Year 1–4 January off, 9 January worked. */
const WITH_2027_NOTICE = new WorkingCalendar([
  ...HOLIDAY_NOTICES,
  {
    year: 2027,
    source: { title: 'test fixture: a 2027 notice' },
    holidays: [{ holiday: 'newYear', off: ['2027-01-01/2027-01-04'], work: ['2027-01-09'] }],
  },
]);

interface View {
  committedDeadline: string;
  committedDeadlineCalendar: string;
  committedWorkingDays: number;
  timeline: {
    status: string;
    by: string;
    event?: string;
    previousDeadline?: string;
    committedDeadline?: string;
  }[];
  timeLeft: { open: boolean; overdue: boolean; workingDaysLeft: number };
}

describe('a deadline in a year without a notice', () => {
  it('is provisional, shown and queued, then recomputed once when the notice is loaded', async () => {
    const person = await makeDepositor([CITY], 12);
    const repository = centreRepository(CITY);
    const application = await acceptLoanApplication(repository, {
      lendingCity: CITY,
      idNumber: person.idNumber,
      personKey: person.personKey,
      request: {
        ...(await homeBoughtBy(person.idNumber, CITY)),
        housePriceFen: 100_000_000,
        requestedFen: 20_000_000,
        termMonths: 240,
        method: 'equal-installment',
        declaredHomeOrder: 'first',
        otherMonthlyDebtFen: 0,
      },
      channel: 'online',
      household: { maritalStatus: 'single' },
      acceptedBy: 'citizen-calendar',
      correlationId: 'calendar-test',
      now: ACCEPTED,
    });
    // Sunday 20 December: accepted Monday 21st; 10 working days skip the provisional New Year (1 January).
    expect(application.committedWorkingDays).toBe(10);
    expect(application.committedDeadline).toBe('2027-01-05T15:59:59.999Z');
    expect(application.committedDeadlineCalendar).toBe('provisional');

    const citizen = await api.token({ sub: 'citizen-calendar', role: 'citizen', idNumber: person.idNumber });
    const show = async () => {
      const response = await api.request('GET', `/v1/me/loan-applications/${application.applicationId}`, {
        token: citizen,
      });
      expect(response.status).toBe(200);
      return (await response.json()) as View;
    };
    const before = await show();
    expect(before).toMatchObject({
      committedDeadline: '2027-01-05T15:59:59.999Z',
      committedDeadlineCalendar: 'provisional',
      timeLeft: { open: true, overdue: false },
    });
    expect(before.timeLeft.workingDaysLeft).toBe(workingDaysBetween(new Date(), '2027-01-05T15:59:59.999Z'));
    expect(before.timeLeft.workingDaysLeft).toBeGreaterThan(10);

    const staff = await api.token({ sub: 'staff-hb-1', role: 'staff', city: CITY });
    const queued = async () => {
      const response = await api.request('GET', '/v1/staff/applications?status=awaiting_facts', {
        token: staff,
      });
      expect(response.status).toBe(200);
      const { applications } = (await response.json()) as {
        applications: {
          applicationId: string;
          committedDeadline: string;
          committedDeadlineCalendar: string;
        }[];
      };
      return applications.find((a) => a.applicationId === application.applicationId);
    };
    expect(await queued()).toMatchObject({
      committedDeadline: '2027-01-05T15:59:59.999Z',
      committedDeadlineCalendar: 'provisional',
    });
    // The committed-time sweep counts it from the moment its 2027 deadline passes, not before.
    const overdueLoans = async (now: string) =>
      (await asJob('committed-time-sweep', () => countOverdue([CITY], new Date(now)))).find(
        (c) => c.itemCode === 'OFFSITE_LOAN',
      )?.overdue ?? 0;
    expect(await overdueLoans('2027-01-05T16:00:00.000Z')).toBe(
      (await overdueLoans('2027-01-05T15:59:59.999Z')) + 1,
    );

    // On the committed data (no 2027 notice) the job finds it provisional and changes nothing.
    const unchanged = await asJob('deadline-recompute', () => recomputeProvisionalDeadlines(repository));
    expect(unchanged.provisional).toBeGreaterThanOrEqual(1);
    expect(unchanged.changed.map((c) => c.applicationId)).not.toContain(application.applicationId);

    // The notice is loaded: twenty racing runs recompute it exactly once.
    const at = new Date('2026-12-22T17:10:00Z');
    const runs = await Promise.all(
      Array.from({ length: 20 }, () =>
        asJob('deadline-recompute', () =>
          recomputeProvisionalDeadlines(repository, { calendar: WITH_2027_NOTICE, now: at }),
        ),
      ),
    );
    const changes = runs
      .flatMap((r) => r.changed)
      .filter((c) => c.applicationId === application.applicationId);
    expect(changes).toEqual([
      {
        city: CITY,
        applicationId: application.applicationId,
        itemCode: 'OFFSITE_LOAN',
        previousDeadline: '2027-01-05T15:59:59.999Z',
        committedDeadline: '2027-01-06T15:59:59.999Z',
        calendar: 'official',
        movedEarlier: false,
      },
    ]);

    const after = await show();
    expect(after.committedDeadline).toBe('2027-01-06T15:59:59.999Z');
    expect(after.committedDeadlineCalendar).toBe('official');
    const recomputed = after.timeline.filter((entry) => entry.event === 'deadline-recomputed');
    expect(recomputed).toEqual([
      expect.objectContaining({
        status: 'awaiting_facts',
        by: CALENDAR_ACTOR,
        at: at.toISOString(),
        previousDeadline: '2027-01-05T15:59:59.999Z',
        committedDeadline: '2027-01-06T15:59:59.999Z',
      }),
    ]);
    // The work queue orders it by its new deadline.
    expect(await queued()).toMatchObject({
      committedDeadline: '2027-01-06T15:59:59.999Z',
      committedDeadlineCalendar: 'official',
    });
    const stored = await getApplication(repository, application.applicationId);
    expect(stored?.GSI1SK).toBe(`2027-01-06T15:59:59.999Z#${application.applicationId}`);

    // An official deadline is never recomputed again.
    const again = await asJob('deadline-recompute', () =>
      recomputeProvisionalDeadlines(repository, { calendar: WITH_2027_NOTICE, now: at }),
    );
    expect(again.changed.map((c) => c.applicationId)).not.toContain(application.applicationId);
  });
});

describe("deadlines stored before the calendar was the project's own", () => {
  /** An open application as the old weekends-only fallback left it: no committed working days kept. */
  const legacy = (id: string, acceptedAt: string, deadline: string) => ({
    PK: centreKey(CITY, 'WDR', id),
    SK: 'APPLICATION',
    GSI1PK: workQueueKey(CITY, 'awaiting_facts'),
    GSI1SK: `${deadline}#${id}`,
    applicationId: id,
    itemCode: 'PURCHASE_WITHDRAW',
    city: CITY,
    channel: 'online',
    acceptedBy: 'test',
    personKey: 'test-person',
    idNumberMasked: '3406**********0000',
    status: 'awaiting_facts',
    timeline: [{ status: 'awaiting_facts', at: acceptedAt, by: 'test' }],
    acceptedAt,
    committedDeadline: deadline,
    committedDeadlineCalendar: 'provisional',
    factsDeadline: acceptedAt,
    requests: {},
    facts: {},
    version: 0,
  });

  it('are moved off the statutory holiday, and one that cannot be written does not stop the others', async () => {
    const suffix = Date.now().toString(36).toUpperCase();
    const onNewYear = `${CITY}-W-LEGACY1${suffix}`;
    const faulty = `${CITY}-W-LEGACY2${suffix}`;
    // Tuesday 29 December + 3 working days: the weekends-only count ended on 1 January 2027.
    const repository = centreRepository(CITY);
    await repository.put(legacy(onNewYear, '2026-12-29T02:00:00.000Z', '2027-01-01T15:59:59.999Z'));
    await repository.put(legacy(faulty, '2026-12-29T03:00:00.000Z', '2027-01-01T15:59:59.999Z'));

    // The table refuses every write to one of them (a fault injected for this test).
    class RefusingRepository extends CentreRepository {
      override async update(input: Parameters<CentreRepository['update']>[0]) {
        if (input.Key.PK === centreKey(CITY, 'WDR', faulty)) throw new Error('injected: table unavailable');
        return super.update(input);
      }
    }
    const report = await asJob('deadline-recompute', () =>
      recomputeProvisionalDeadlines(new RefusingRepository(CITY, dynamoDocumentClient(), tableName())),
    );
    expect(report.failed).toEqual([faulty]);
    expect(report.changed.find((c) => c.applicationId === onNewYear)).toMatchObject({
      previousDeadline: '2027-01-01T15:59:59.999Z',
      committedDeadline: '2027-01-04T15:59:59.999Z',
      calendar: 'provisional',
      movedEarlier: false,
    });
    const repaired = (await repository.get({ PK: centreKey(CITY, 'WDR', onNewYear), SK: 'APPLICATION' })) as
      | Record<string, unknown>
      | undefined;
    expect(repaired).toMatchObject({
      committedWorkingDays: 3,
      committedDeadline: '2027-01-04T15:59:59.999Z',
    });
    // The next run, without the fault, repairs the other one too.
    const next = await asJob('deadline-recompute', () => recomputeProvisionalDeadlines(repository));
    expect(next.failed).toEqual([]);
    expect(next.changed.map((c) => c.applicationId)).toEqual([faulty]);
  });
});

describe('GET /v1/calendar/{year}', () => {
  it('shows an official year with its notice and a provisional one with the law it rests on', async () => {
    const official = await api.request('GET', '/v1/calendar/2026');
    expect(official.status).toBe(200);
    expect(official.headers.get('cache-control')).toBe('public, max-age=300');
    const body2026 = (await official.json()) as {
      calendar: string;
      source: { title: string };
      workingDays: string[];
      workingDayCount: number;
      holidays: { holiday: string; daysOff: string[]; adjustedWorkingDays: string[] }[];
    };
    expect(body2026.calendar).toBe('official');
    expect(body2026.source.title).toBe('国务院办公厅关于2026年部分节假日安排的通知');
    expect(body2026.workingDays).toContain('2026-10-10');
    expect(body2026.workingDays).not.toContain('2026-10-07');
    expect(body2026.workingDayCount).toBe(body2026.workingDays.length);
    expect(body2026.holidays.find((h) => h.holiday === 'nationalDay')?.adjustedWorkingDays).toEqual([
      '2026-09-20',
      '2026-10-10',
    ]);

    const provisional = (await (await api.request('GET', '/v1/calendar/2027')).json()) as {
      calendar: string;
      note: { 'zh-CN': string; en: string };
      source: { law: string };
      workingDays: string[];
    };
    expect(provisional.calendar).toBe('provisional');
    expect(provisional.note.en).toMatch(/^Provisional/);
    expect(provisional.source.law).toMatch(/国务院令第795号/);
    expect(provisional.workingDays).not.toContain('2027-01-01');
    expect(provisional.workingDays).toContain('2027-01-04');
  });

  it('refuses a year it does not cover and a path that is not a year, as problem+json', async () => {
    const outside = await api.request('GET', '/v1/calendar/2003');
    expect(outside.status).toBe(404);
    expect(outside.headers.get('content-type')).toBe('application/problem+json');
    expect(await outside.json()).toMatchObject({ status: 404, code: 'CALENDAR_YEAR_OUT_OF_RANGE' });
    const malformed = await api.request('GET', '/v1/calendar/20x7');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ in: 'path', field: 'year' })],
    });
  });
});
