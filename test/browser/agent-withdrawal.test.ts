/** A bank-branch agent accepts a withdrawal (提取) for a citizen present at the counter, and it is listed with the counter's loans. */
import { describe, expect, it } from '@jest/globals';
import { demoPeople } from '../../infra/local/demo-deposits.js';
import { go, horizontalOverflow, markedInvalid, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
// The second 徐州-only depositor (agent.test.ts borrows for the third).
const applicant = demoPeople().filter((p) => p.centres.join() === '320300')[1];

describe('a withdrawal at the counter', () => {
  it('accepts a rent withdrawal for a present citizen and lists it', async () => {
    const { api, page } = world;
    if (!applicant) throw new Error('no demo applicant');
    const citizen = await api.token({
      sub: 'browser-counter-withdrawal',
      role: 'citizen',
      idNumber: applicant.idNumber,
    });
    const { accounts } = (await (await api.request('GET', '/v1/me/accounts', { token: citizen })).json()) as {
      accounts: { personalAccountNo: string }[];
    };
    const personalAccountNo = accounts[0]?.personalAccountNo ?? '';

    await signIn(world, '徐州 受托银行网点', '#/agent/withdrawal');
    await go(page, '#/agent/withdrawal');
    // A malformed account number: the server names the field and the page marks it.
    await page.getByLabel('申请人身份证号').fill(applicant.idNumber);
    await page.getByLabel('个人账号').fill('123');
    await page.getByLabel('提取金额（元）').fill('1000');
    await page.getByLabel('收款银行账号').fill('6222021234567890123');
    await page.getByLabel(/账户户名/).fill(applicant.name);
    await page.getByLabel('开户银行').fill('工商银行徐州分行');
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.locator('.problem').waitFor();
    await expect(markedInvalid(page.getByLabel('个人账号'))).resolves.toBe('true');
    expect(await page.getByTestId('agent-withdrawal').count()).toBe(0);

    await page.getByLabel('个人账号').fill(personalAccountNo);
    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/agent/withdrawals'));
    await page.getByRole('button', { name: '受理', exact: true }).click();
    expect((await answer).status()).toBe(202);
    const accepted = page.getByTestId('agent-withdrawal');
    const applicationId = (await accepted.locator('code').textContent()) ?? '';
    expect(applicationId).toMatch(/^320300-/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    await page.getByRole('link', { name: '本网点已提交的申请' }).click();
    await page.locator('[data-testid=agent-application]', { hasText: applicationId }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });
});
