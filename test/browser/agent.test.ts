/** A bank-branch agent accepts a loan for a citizen at the counter and sees what it submitted. */
import { describe, expect, it } from '@jest/globals';
import { demoPeople } from '../../infra/local/demo-deposits.js';
import { go, horizontalOverflow, markedInvalid, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
// The third 徐州-only depositor (no loan, not in the demo couple).
const applicant = demoPeople().filter((p) => p.centres.join() === '320300')[2];

describe('the agent counter', () => {
  it('accepts a loan for a present citizen and lists it', async () => {
    const { page } = world;
    if (!applicant) throw new Error('no demo applicant');
    await signIn(world, '徐州 受托银行网点', '#/agent');
    await go(page, '#/agent');
    await page.getByLabel('申请人身份证号').fill(applicant.idNumber);
    await page.getByLabel(/房屋总价/).fill('900000');
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.getByTestId('agent-application').first().waitFor();
    await expect(page.getByTestId('agent-application').first().textContent()).resolves.toMatch(/^320300-/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });

  it('marks the ID number field when it is not one', async () => {
    const { page } = world;
    await page.getByLabel('申请人身份证号').fill('320302199001011230');
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.locator('.problem').first().waitFor();
    await expect(markedInvalid(page.getByLabel('申请人身份证号'))).resolves.toBe('true');
  });
});
