/** An employer registers (开户), opens an employee who then appears in the list (GET …/employees), seals the account, applies for back-pay. */
import { describe, expect, it } from '@jest/globals';
import { go, horizontalOverflow, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
// The walk-through's 济宁 employee (README): new to the centre in a fresh seed.
const EMPLOYEE = { idNumber: '370802199203154511', name: '孔令辉' };

describe("the employer's desk", () => {
  let employerAccountNo = '';
  let personalAccountNo = '';

  it('registers the employer and says its account number', async () => {
    const { page } = world;
    await signIn(world, /未开户/, '#/employer/register');
    await go(page, '#/employer/register');
    await page.getByLabel('单位名称').fill('济宁运河文旅有限公司');
    await page.getByLabel('单位地址').fill('山东省济宁市任城区运河路 8 号');
    await page.getByLabel('经办人').fill('刘会计');
    await page.getByLabel('联系电话').fill('13905370000');
    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/employers'));
    await page.getByRole('button', { name: '开户', exact: true }).click();
    expect((await answer).status()).toBe(201);
    employerAccountNo = (await page.getByTestId('employer-account-no').textContent()) ?? '';
    await expect(page.locator('.facts').first().textContent()).resolves.toContain('济宁');
    expect(employerAccountNo).toMatch(/^370800\d{8}$/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    // Registering again is refused with the account it already has.
    await page.getByRole('button', { name: '开户', exact: true }).click();
    await page.locator('.problem').waitFor();
    await expect(page.locator('.problem').getAttribute('data-code')).resolves.toBe('EMPLOYER_ACCOUNT_EXISTS');
    await expect(page.locator('.problem').textContent()).resolves.toContain(employerAccountNo);
  });

  it('opens an employee account, which then appears in the list (masked)', async () => {
    const { page } = world;
    await page.getByRole('link', { name: '职工账户' }).click();
    await expect(page.getByLabel('单位账号').inputValue()).resolves.toBe(employerAccountNo);
    await page.getByLabel('职工身份证号').fill(EMPLOYEE.idNumber);
    await page.getByLabel('职工姓名').fill(EMPLOYEE.name);
    await page.getByLabel('月缴存基数（元）').fill('6500');
    await page.getByRole('button', { name: '为职工开户' }).click();
    const card = page.locator('[data-account]');
    await card.first().waitFor();
    expect(await card.count()).toBe(1);
    personalAccountNo = (await card.first().getAttribute('data-account')) ?? '';
    expect(personalAccountNo).toMatch(/^370800\d{10}$/);
    const text = (await card.first().textContent()) ?? '';
    expect(text).toContain('6,500.00 元');
    expect(text).toContain('12% / 12%');
    expect(text).not.toContain(EMPLOYEE.idNumber);
    await expect(card.getByTestId('employee-status').textContent()).resolves.toBe('正常');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    // The same person again in the same centre: refused, the list unchanged.
    await page.getByLabel('职工身份证号').fill(EMPLOYEE.idNumber);
    await page.getByLabel('职工姓名').fill(EMPLOYEE.name);
    await page.getByLabel('月缴存基数（元）').fill('6500');
    await page.getByRole('button', { name: '为职工开户' }).click();
    await page.locator('form > .problem').waitFor();
    await expect(page.locator('form > .problem').getAttribute('data-code')).resolves.toBe(
      'PERSON_HAS_ACCOUNT_IN_CENTRE',
    );
    expect(await card.count()).toBe(1);
  });

  it('seals the account (封存) from this month', async () => {
    const { page } = world;
    const card = page.locator(`[data-account="${personalAccountNo}"]`);
    await card.getByLabel('账户状态').selectOption('sealed');
    const answer = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await card.getByRole('button', { name: '变更' }).click();
    expect((await answer).status()).toBe(200);
    // The list is read again from the server after the change.
    await card.getByTestId('employee-status').filter({ hasText: '封存' }).waitFor();
    // The list is the server's: away and back, the account is there as changed.
    await go(page, '#/employer/remittance');
    await go(page, '#/employer/employees');
    await page.locator(`[data-account="${personalAccountNo}"]`).waitFor();
    await expect(
      page.locator(`[data-account="${personalAccountNo}"]`).getByTestId('employee-status').textContent(),
    ).resolves.toBe('封存');
  });

  it('a back-pay of a month still in its window is refused, naming why', async () => {
    const { page } = world;
    await go(page, '#/employer/back-pay');
    const month = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }).slice(0, 7);
    await page.getByLabel('补缴月份').fill(month);
    await page.getByLabel('个人账号').fill(personalAccountNo);
    await page.getByLabel('补缴原因').fill('系统故障漏缴（演示）');
    await page.getByLabel('凭证编号').fill('JN-2026-0001');
    await page.getByLabel('凭证说明').fill('银行扣款失败回单（演示）');
    await page.getByRole('button', { name: '提交补缴申请' }).click();
    await page.locator('.problem').waitFor();
    await expect(page.locator('.problem').getAttribute('data-code')).resolves.toBe('BACK_PAY_NOT_ALLOWED');
    expect(await page.getByTestId('back-pay').count()).toBe(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });
});
