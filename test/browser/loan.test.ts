/** A 临沂 depositor borrows in 徐州 (异地贷款) from the phone: the preview from the calculator, the application, the decision. */
import { describe, expect, it } from '@jest/globals';
import { demoPeople } from '../../infra/local/demo-deposits.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { go, horizontalOverflow, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
// The walk-through's borrower: a 临沂 depositor with no other account (npm start's $BORROWER).
const borrower = demoPeople().find((p) => p.centres.join() === '371300');

describe('an off-site loan application', () => {
  it('previews with the applicant own balance, applies naming the home, and sees it decided', async () => {
    const { page } = world;
    if (!borrower) throw new Error('no demo borrower');
    await signIn(world, maskIdNumber(borrower.idNumber), '#/me/apply');
    await go(page, '#/me/apply');
    // The balance is the applicant's own, from the accounts (7,236.00 yuan in 临沂 in the seed).
    await expect(page.getByLabel('公积金账户余额（元）').inputValue()).resolves.not.toBe('60000');
    await page.getByLabel('贷款城市').selectOption('320300');
    await page.getByRole('button', { name: '试算' }).click();
    const limit = (await page.getByTestId('limit').textContent()) ?? '';
    expect(limit).toMatch(/元$/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    await page.getByLabel(/网签备案号/).fill('XZ2026-001234');
    await page.getByRole('button', { name: '提交申请' }).click();
    // The 徐州 centre asks 临沂 for the facts over the inboxes, then decides.
    const answer = page.locator('[data-testid=application]:not([data-status=awaiting_facts])');
    await answer.waitFor({ timeout: 30_000 });
    await expect(answer.getAttribute('data-status')).resolves.toBe('approved');
    await expect(answer.textContent()).resolves.toContain('已批准');
  });
});
