/**
 * 我的限制与公示 from the phone: empty for a person with nothing on record; a record 临沂 staff enter
 * shows nothing until a second staff member confirms it, then the bar, until when, the decision,
 * whom to contact and how to object; in English on the switch.
 */
import { describe, expect, it } from '@jest/globals';
import { DEMO_SELF_EMPLOYED } from '../../infra/local/demo-personas.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { go, horizontalOverflow, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
const LINYI = '371300';
const person = DEMO_SELF_EMPLOYED[2];
const DECISION_NO = `临公积金罚〔2026〕${String(Date.now()).slice(-4)}号`;

async function staffPost(clerk: 'A' | 'B', path: string, json: unknown) {
  const { api } = world;
  const token = await api.token({ sub: `demo-staff-${LINYI}-${clerk}`, role: 'staff', city: LINYI });
  const response = await api.request('POST', path, {
    token,
    json,
    headers: { 'idempotency-key': `browser-restriction-${clerk}-${Date.now()}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Leaves the page and comes back: the page reads the restrictions again. */
async function reload(): Promise<void> {
  await go(world.page, '#/me');
  await world.page.getByTestId('accounts').waitFor({ state: 'attached' });
  await go(world.page, '#/me/restrictions');
}

describe('my restrictions and disclosures', () => {
  it('is empty for a person with nothing on record, and an unconfirmed record changes nothing', async () => {
    const { page } = world;
    await signIn(world, person.name, '#/me/restrictions');
    await go(page, '#/me/restrictions');
    await page.getByTestId('no-restrictions').waitFor();
    await page.getByTestId('no-disclosures').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    const recorded = await staffPost('A', '/v1/staff/enforcement-records', {
      subject: { idNumber: person.idNumber },
      kind: 'fraudulent-withdrawal',
      facts: '伪造租房合同骗提住房公积金（演示）',
      evidenceRefs: ['临公积金稽查卷〔2026〕演示-01'],
      decisionDocument: { number: DECISION_NO, date: toBeijingDate(new Date()) },
      objection: '对本决定不服的，可自收到决定书之日起六十日内申请行政复议。',
    });
    expect(recorded.status).toBe(201);
    await reload();
    await page.getByTestId('no-restrictions').waitFor();

    // A second staff member confirms: in force region-wide.
    const confirmed = await staffPost(
      'B',
      `/v1/staff/enforcement-records/${recorded.body.recordId}/confirmation`,
      {
        outcome: 'confirm',
      },
    );
    expect(confirmed.status).toBe(200);
    await reload();
    const card = page.locator(`[data-testid=restrictions] [data-record="${recorded.body.recordId}"]`);
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('骗提住房公积金');
    expect(text).toContain(DECISION_NO);
    expect(text).toContain('临沂住房公积金管理中心');
    expect(text).toContain('行政复议');
    const bar = card.getByTestId('bar-withdrawals');
    await expect(bar.getAttribute('data-in-force')).resolves.toBe('true');
    // Barred for three years from the decision's date (the rule's term), the end exclusive.
    const today = toBeijingDate(new Date());
    const until = `${Number(today.slice(0, 4)) + 3}${today.slice(4)}`;
    await expect(bar.textContent()).resolves.toBe(`至 ${until} 前`);
    expect(await card.getByTestId('bar-loans').count()).toBe(0);
    expect(await page.getByTestId('no-restrictions').count()).toBe(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    await page.getByRole('button', { name: 'English' }).click();
    await card.filter({ hasText: 'fraudulent withdrawal' }).waitFor();
    await expect(card.locator('dt', { hasText: 'No withdrawals' }).count()).resolves.toBe(1);
    await expect(bar.textContent()).resolves.toBe(`before ${until}`);
    await page.getByRole('button', { name: '中文' }).click();
  });
});
