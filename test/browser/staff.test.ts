/** Centre staff at the window: the queue with time left, a decision, and the second confirmation by another (four eyes). */
import { describe, expect, it } from '@jest/globals';
import { demoEmployerUscc } from '../../infra/local/demo-deposits.js';
import { go, horizontalOverflow, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
const HEZE = '371700';

describe('the staff work queue', () => {
  let applicationId = '';

  it('lists a back-pay waiting for a decision with the time left', async () => {
    // 菏泽's demo employer applies for the month it missed (over HTTP: employer-desk.test.ts drives the back-pay page).
    const { api, seed } = world;
    const employer = await api.token({
      sub: `demo-employer-${HEZE}`,
      role: 'employer',
      uscc: demoEmployerUscc(HEZE),
      city: HEZE,
    });
    const res = await api.request('POST', `/v1/employers/${seed.backPay.employerAccountNo}/back-pay`, {
      token: employer,
      headers: { 'idempotency-key': `browser-backpay-${Date.now()}` },
      json: {
        months: [seed.backPay.missedMonth],
        personalAccountNos: seed.backPay.personalAccountNos,
        reason: '系统故障漏缴（演示）',
        evidence: [{ documentNo: 'HZ-2026-0001', description: '银行扣款失败回单（演示）' }],
      },
    });
    expect(res.status).toBe(202);
    applicationId = ((await res.json()) as { applicationId: string }).applicationId;

    await signIn(world, /菏泽中心工作人员 A/, '#/staff');
    const card = world.page.locator(`[data-application="${applicationId}"]`);
    await card.waitFor();
    await expect(card.textContent()).resolves.toMatch(/剩余 \d+ 个工作日|已超期/);
    expect(await horizontalOverflow(world.page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });

  it('one staff member decides; the same one cannot confirm it', async () => {
    const { page } = world;
    const card = page.locator(`[data-application="${applicationId}"]`);
    await card.getByRole('button', { name: '同意' }).click();
    await expect(page.getByTestId('notice').textContent()).resolves.toContain('待另一名工作人员复核');
    await page.getByRole('button', { name: '待复核' }).click();
    const pending = page.locator(`[data-application="${applicationId}"]`);
    await pending.getByRole('button', { name: '复核通过' }).click();
    await expect(pending.locator('.problem').textContent()).resolves.toContain('不能复核自己作出的决定');
  });

  it('a second staff member of the centre confirms it', async () => {
    const { page, api, seed } = world;
    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, /菏泽中心工作人员 B/, '#/staff');
    await page.getByRole('button', { name: '待复核' }).click();
    const pending = page.locator(`[data-application="${applicationId}"]`);
    await pending.getByRole('button', { name: '复核通过' }).click();
    await expect(page.getByTestId('notice').textContent()).resolves.toContain('已复核');
    await expect(page.locator(`[data-application="${applicationId}"]`).count()).resolves.toBe(0);

    const employer = await api.token({
      sub: `demo-employer-${HEZE}`,
      role: 'employer',
      uscc: demoEmployerUscc(HEZE),
      city: HEZE,
    });
    const res = await api.request(
      'GET',
      `/v1/employers/${seed.backPay.employerAccountNo}/back-pay/${applicationId}`,
      { token: employer },
    );
    expect(((await res.json()) as { status: string }).status).toBe('paid');
  });

  it('shows the audit trail with both decisions, and the regional statistics as a chart, at phone width', async () => {
    const { page } = world;
    await go(page, '#/staff/audit');
    const rows = page.locator('table tbody tr', { hasText: applicationId });
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
    await go(page, '#/staff/stats');
    await page.getByTestId('chart').first().waitFor();
    expect(await page.locator('.bar').count()).toBeGreaterThan(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });
});
