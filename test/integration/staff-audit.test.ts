/**
 * GET /v1/staff/audit through the local gateway: a loan referred to staff (above the review
 * threshold), refused by one staff member with a reason a spreadsheet would run as a formula, and
 * confirmed by a second; the centre's audit trail then lists both actions, as JSON pages and as
 * CSV safe to open in Excel, to that centre's staff only.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AuditLine } from '../../shared/applications/audit.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { getApplication, REVIEW_THRESHOLDS } from '../../shared/loans/decide.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { makeDepositor } from '../support/depositors.js';
import { useLocalRegion } from '../support/local-region.js';
import { homeBoughtBy } from '../support/properties.js';
import { eventually } from '../support/region.js';

/** 淮北: no other suite acts as its staff, so its trail holds only this file's actions (and disclosures). */
const CITY: CityCode = '340600';
const OTHER_CITY: CityCode = '341300';
const EVIL_REASON = '=HYPERLINK("http://evil")';

const run = randomBytes(3).toString('hex');
const deciderSub = `staff-audit-${run}-decider`;
const confirmerSub = `staff-audit-${run}-confirmer`;
let decider: string;
let confirmer: string;
let applicationId: string;
/** An application with four staff actions in a row (decide, return, decide, confirm). */
let returnedId: string;
let from: string;
let to: string;

interface AuditPageBody {
  city: string;
  from: string;
  to: string;
  lines: AuditLine[];
  nextCursor: string | null;
}

function auditPath(query: Record<string, string>) {
  return `/v1/staff/audit?${new URLSearchParams(query).toString()}`;
}

/** The cells of one CSV line (every cell quoted, quotes doubled). */
function csvCells(line: string): string[] {
  return [...line.matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map((m) => (m[1] ?? '').replaceAll('""', '"'));
}

/** A loan above the review threshold: referred to staff by the rule itself. */
async function referredLoan(): Promise<string> {
  const person = await makeDepositor([CITY], 12);
  const citizen = await region.api.token({
    sub: `citizen-${run}`,
    role: 'citizen',
    idNumber: person.idNumber,
  });
  const accepted = await region.api.request('POST', '/v1/me/loan-applications', {
    headers: { 'idempotency-key': crypto.randomUUID() },
    token: citizen,
    json: {
      lendingCity: CITY,
      ...(await homeBoughtBy(person.idNumber, CITY, 3 * REVIEW_THRESHOLDS.requestedAboveFen)),
      housePriceFen: 3 * REVIEW_THRESHOLDS.requestedAboveFen,
      requestedFen: REVIEW_THRESHOLDS.requestedAboveFen + 10_000_000,
      termMonths: 240,
      method: 'equal-installment',
      declaredHomeOrder: 'first',
      otherMonthlyDebtFen: 0,
      maritalStatus: 'single',
    },
  });
  expect(accepted.status).toBe(202);
  const id = ((await accepted.json()) as { applicationId: string }).applicationId;
  const referred = await eventually(
    async () => {
      const application = await getApplication(centreRepository(CITY), id);
      return application && application.status !== 'awaiting_facts' ? application : undefined;
    },
    20_000,
    `a decision on ${id}`,
  );
  expect(referred.status).toBe('review');
  expect(referred.reasons?.map((r) => r.code)).toContain('REVIEW_AMOUNT_ABOVE_THRESHOLD');
  return id;
}

async function decide(id: string, reasonZh: string) {
  const decided = await region.api.request('POST', `/v1/staff/applications/${id}/decision`, {
    token: decider,
    json: { outcome: 'reject', reasonZh },
  });
  expect(decided.status).toBe(200);
  expect(((await decided.json()) as { status: string }).status).toBe('pending_confirmation');
}

async function confirm(id: string, outcome: 'confirm' | 'return', expected: string) {
  const confirmed = await region.api.request('POST', `/v1/staff/applications/${id}/confirmation`, {
    token: confirmer,
    headers: { 'idempotency-key': crypto.randomUUID() },
    json: { outcome, ...(outcome === 'return' ? { reasonZh: '理由不充分，请补充。' } : {}) },
  });
  expect(confirmed.status).toBe(200);
  expect(((await confirmed.json()) as { status: string }).status).toBe(expected);
}

const region = useLocalRegion();

beforeAll(async () => {
  decider = await region.api.token({ sub: deciderSub, role: 'staff', city: CITY });
  confirmer = await region.api.token({ sub: confirmerSub, role: 'staff', city: CITY });
  from = toBeijingDate(new Date());

  // One staff member refuses, with a reason that starts with `=`; a second confirms.
  applicationId = await referredLoan();
  await decide(applicationId, EVIL_REASON);
  await confirm(applicationId, 'confirm', 'rejected');

  // Another, refused, returned, refused again and confirmed: four staff actions in a row.
  returnedId = await referredLoan();
  await decide(returnedId, '收入证明不足。');
  await confirm(returnedId, 'return', 'review');
  await decide(returnedId, '收入证明不足，驳回。');
  await confirm(returnedId, 'confirm', 'rejected');
  to = toBeijingDate(new Date());
});

/** Every line of the period, page after page of `limit` lines. */
async function allPages(token: string, limit: number) {
  const pages: AuditPageBody[] = [];
  let cursor: string | null = null;
  do {
    const response = await region.api.request(
      'GET',
      auditPath({ from, to, limit: String(limit), ...(cursor ? { cursor } : {}) }),
      {
        token,
      },
    );
    expect(response.status).toBe(200);
    const page = (await response.json()) as AuditPageBody;
    pages.push(page);
    cursor = page.nextCursor;
    if (pages.length > 500) throw new Error('the audit trail does not end');
  } while (cursor);
  return pages;
}

const ours = (lines: AuditLine[]) => lines.filter((l) => l.applicationId === applicationId);

describe('the audit trail of staff actions', () => {
  it('lists the decision and its confirmation as JSON, with staff, action and outcome', async () => {
    const response = await region.api.request('GET', auditPath({ from, to, limit: '1000' }), {
      token: decider,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as AuditPageBody;
    expect(body).toMatchObject({ city: CITY, from, to, nextCursor: null });
    expect(ours(body.lines).filter((l) => l.kind === 'staff-action')).toEqual([
      expect.objectContaining({
        kind: 'staff-action',
        staff: deciderSub,
        action: 'decide',
        applicationId,
        itemCode: 'OFFSITE_LOAN',
        outcome: 'reject',
        reason: EVIL_REASON,
      }),
      expect.objectContaining({
        kind: 'staff-action',
        staff: confirmerSub,
        action: 'confirm',
        applicationId,
        outcome: 'reject',
      }),
    ]);
    // Oldest first.
    const times = body.lines.map((l) => l.at);
    expect(times).toEqual([...times].sort());
  });

  it('answers CSV for Accept: text/csv, with a BOM, both staff and the reason neutralised', async () => {
    const response = await region.api.request('GET', auditPath({ from, to, limit: '1000' }), {
      token: confirmer,
      headers: { accept: 'text/csv' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-340600-/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    // The reason cell, as a spreadsheet will see it: text, not a formula.
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).not.toMatch(/(^|,)"=HYPERLINK/m);
    expect(csv).toContain(`"${deciderSub}"`);
    expect(csv).toContain(`"${confirmerSub}"`);

    const [header, ...rows] = csv.slice(1).split('\r\n').filter(Boolean).map(csvCells);
    expect(header).toHaveLength(12);
    const column = (name: string) => (header ?? []).findIndex((h) => h.endsWith(` ${name}`));
    const mine = rows.filter(
      (row) => row[column('application')] === applicationId && row[column('kind')] === 'staff-action',
    );
    expect(mine.map((row) => [row[column('staff')], row[column('action')], row[column('outcome')]])).toEqual([
      [deciderSub, 'decide', 'reject'],
      [confirmerSub, 'confirm', 'reject'],
    ]);
    expect(mine[0]?.[column('reason')]).toBe(`'${EVIL_REASON}`);
    // The confirmation names whose decision it confirmed.
    expect(mine[1]?.[column('decidedBy')]).toBe(`staff:${deciderSub}`);
  });

  it('pages with limit=1: a next cursor, and each page continues where the last one ended', async () => {
    const first = await region.api.request('GET', auditPath({ from, to, limit: '1' }), { token: decider });
    const firstPage = (await first.json()) as AuditPageBody;
    expect(firstPage.lines).toHaveLength(1);
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    const second = (await (
      await region.api.request(
        'GET',
        auditPath({ from, to, limit: '1', cursor: firstPage.nextCursor ?? '' }),
        {
          token: decider,
        },
      )
    ).json()) as AuditPageBody;
    expect(second.lines).toHaveLength(1);
    expect(second.lines[0]).not.toEqual(firstPage.lines[0]);
    expect((second.lines[0]?.at ?? '') >= (firstPage.lines[0]?.at ?? '')).toBe(true);

    const pages = await allPages(decider, 1);
    expect(pages.every((p) => p.lines.length === 1)).toBe(true);
    const lines = pages.flatMap((p) => p.lines);
    const keys = lines.map((l) => `${l.at}|${l.kind}|${l.applicationId}|${l.action}|${l.askedBy}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(lines.map((l) => l.at)).toEqual(lines.map((l) => l.at).sort());
    expect(
      ours(lines)
        .filter((l) => l.kind === 'staff-action')
        .map((l) => [l.staff, l.action]),
    ).toEqual([
      [deciderSub, 'decide'],
      [confirmerSub, 'confirm'],
    ]);
  });

  it.each([1, 2])(
    'walking every page of %i line(s) lists the whole trail, even with staff actions in a row',
    async (limit) => {
      const line = (l: AuditLine) => `${l.at}|${l.kind}|${l.applicationId}|${l.action}|${l.askedBy}`;
      // The whole period on one page first: lines only get added meanwhile, never removed.
      const whole = (await (
        await region.api.request('GET', auditPath({ from, to, limit: '1000' }), { token: decider })
      ).json()) as AuditPageBody;
      expect(whole.nextCursor).toBeNull();
      expect(
        whole.lines
          .filter((l) => l.applicationId === returnedId && l.kind === 'staff-action')
          .map((l) => l.action),
      ).toEqual(['decide', 'return', 'decide', 'confirm']);
      const walked = (await allPages(decider, limit)).flatMap((p) => p.lines);
      expect(new Set(walked.map(line)).size).toBe(walked.length);
      const seen = new Set(walked.map(line));
      expect(whole.lines.map(line).filter((l) => !seen.has(l))).toEqual([]);
    },
  );

  it('answers a cursor past the end of the period with an empty page, not a failure', async () => {
    const cursor = Buffer.from('2999-12-31T16:00:00.000Z#X', 'utf8').toString('base64url');
    const response = await region.api.request('GET', auditPath({ from, to, cursor }), { token: decider });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ lines: [], nextCursor: null });
  });

  it('the CSV holds the whole period in one file, whatever the page size, the same lines as the JSON pages', async () => {
    const response = await region.api.request('GET', auditPath({ from, to, limit: '1' }), {
      token: decider,
      headers: { accept: 'text/csv' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-next-cursor')).toBeNull();
    const rows = (await response.text()).slice(1).split('\r\n').filter(Boolean);
    const json = ours((await allPages(decider, 1000)).flatMap((p) => p.lines));
    // Other suites' centres may disclose meanwhile: compare this suite's own lines.
    expect(rows.filter((row) => json.some((line) => row.includes(`"${line.applicationId}"`)))).toHaveLength(
      json.length,
    );
    expect(json.length).toBeGreaterThanOrEqual(2);
  });

  it('shows another centre’s staff none of these lines', async () => {
    const other = await region.api.token({
      sub: `staff-audit-${run}-other`,
      role: 'staff',
      city: OTHER_CITY,
    });
    const lines = (await allPages(other, 1000)).flatMap((p) => p.lines);
    expect(ours(lines)).toEqual([]);
    expect(lines.some((l) => l.staff === deciderSub || l.staff === confirmerSub)).toBe(false);
    const csv = await (
      await region.api.request('GET', auditPath({ from, to, limit: '1000' }), {
        token: other,
        headers: { accept: 'text/csv' },
      })
    ).text();
    expect(csv).not.toContain(applicationId);
    expect(csv).not.toContain('HYPERLINK');
  });

  it('refuses a period over 366 days, or one that runs backwards, with 400', async () => {
    const tooLong = await region.api.request('GET', auditPath({ from: '2025-01-01', to: '2026-01-02' }), {
      token: decider,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.headers.get('content-type')).toBe('application/problem+json');
    expect(await tooLong.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ in: 'query', field: 'to', code: 'PERIOD_INVALID' })],
    });
    const backwards = await region.api.request('GET', auditPath({ from: '2026-03-10', to: '2026-03-09' }), {
      token: decider,
    });
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
    // 366 days, both included, is the longest period allowed.
    const longest = await region.api.request('GET', auditPath({ from: '2025-01-01', to: '2026-01-01' }), {
      token: decider,
    });
    expect(longest.status).toBe(200);
    // Not dates at all.
    expect(
      (await region.api.request('GET', auditPath({ from: 'today', to }), { token: decider })).status,
    ).toBe(400);
  });

  it('refuses a citizen with 403', async () => {
    const citizen = await region.api.token({
      sub: `citizen-${run}-x`,
      role: 'citizen',
      idNumber: '11010519491231002X',
    });
    const response = await region.api.request('GET', auditPath({ from, to }), { token: citizen });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('FORBIDDEN');
    const csv = await region.api.request('GET', auditPath({ from, to }), {
      token: citizen,
      headers: { accept: 'text/csv' },
    });
    expect(csv.status).toBe(403);
  });
});
