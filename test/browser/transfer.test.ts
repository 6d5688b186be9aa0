/** 转移接续 from the phone: a sealed 临沂 account moves to 徐州 and is followed to credited; an unsealed one is refused with the reason. */
import { describe, expect, it } from '@jest/globals';
import { DEMO_MOVER, DEMO_MOVER_SEALED_CITY } from '../../infra/local/demo-deposits.js';
import { go, horizontalOverflow, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
const XUZHOU = '320300';

async function applyFrom(city: string): Promise<void> {
  const { page } = world;
  await go(page, '#/me/transfers');
  const options = page.locator('#f-personalAccountNo option');
  await options.first().waitFor({ state: 'attached' });
  const values = await options.evaluateAll((items) =>
    items.map((o) => (o as unknown as { value: string }).value),
  );
  const from = values.find((v) => v.startsWith(city));
  if (!from) throw new Error(`no account in ${city}`);
  await page.locator('#f-personalAccountNo').selectOption(from);
  await page.locator('#f-toCity').selectOption(XUZHOU);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  await page.getByRole('button', { name: '申请转移' }).click();
  await page.waitForURL(/#\/me\/transfers\/320300-T-/);
}

const settled = '[data-testid=transfer]:not([data-status=awaiting_facts]):not([data-status=review])';

describe('an account transfer from the portal', () => {
  it('moves the sealed 临沂 account to 徐州: paid, credited, the amount shown, no cancel left', async () => {
    const { page } = world;
    await signIn(world, DEMO_MOVER.name, '#/me/transfers');
    await applyFrom(DEMO_MOVER_SEALED_CITY);
    const answer = page.locator(settled);
    await answer.waitFor({ timeout: 30_000 });
    await expect(answer.getAttribute('data-status')).resolves.toBe('paid');
    await expect(answer.getAttribute('data-state')).resolves.toBe('credited');
    await expect(answer.textContent()).resolves.toMatch(/转移金额[\d,]+\.\d{2} 元/);
    expect(await page.getByRole('button', { name: '撤回申请' }).count()).toBe(0);
    await expect(page.locator('table tbody tr').count()).resolves.toBeGreaterThanOrEqual(2);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });

  it("refuses the move of an account an employer still deposits to, with the sending centre's reason", async () => {
    const { page } = world;
    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, /临沂、徐州/, '#/me/transfers');
    await applyFrom('371300');
    const answer = page.locator(settled);
    await answer.waitFor({ timeout: 30_000 });
    await expect(answer.getAttribute('data-status')).resolves.toBe('rejected');
    await expect(page.getByTestId('reasons').textContent()).resolves.toContain('封存');
  });

  // Last in the file: the centre workers stay stopped.
  it('cancels a move while the sending centre has not answered: withdrawn, the cancel gone', async () => {
    const { page, pollers } = world;
    await pollers.stop();
    await applyFrom('371300');
    const cancel = page.getByRole('button', { name: '撤回申请' });
    await cancel.click();
    const answer = page.locator('[data-testid=transfer][data-status=withdrawn]');
    await answer.waitFor();
    await expect(answer.textContent()).resolves.toContain('已撤回');
    expect(await cancel.count()).toBe(0);
  });
});
