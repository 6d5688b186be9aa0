/** Without signing in: the calculator's limit, a refused input marked on its field in the page's language. */
import { describe, expect, it } from '@jest/globals';
import { go, markedInvalid, usePortal } from './portal.js';

const world = usePortal();

describe('the public pages', () => {
  it('the loan calculator shows the limit and what binds it', async () => {
    const { page, api } = world;
    await page.goto(`${api.baseUrl}/#/calculator`);
    await page.getByLabel('房屋总价（元）').fill('1500000');
    await page.getByLabel('公积金账户余额（元）').fill('60000');
    await page.getByLabel('月缴存基数（元）').fill('12000');
    await page.getByRole('button', { name: '试算' }).click();
    // 徐州's single-depositor cap (DEMO rule data) binds: 600,000 yuan.
    await expect(page.getByTestId('limit').textContent()).resolves.toBe('600,000.00 元');
    await expect(page.getByTestId('calculation').textContent()).resolves.toContain('最高额度');
  });

  it("marks the field the server names, with the problem's message in the page's language", async () => {
    const { page } = world;
    await page.getByLabel('房屋总价（元）').fill('0');
    await page.getByRole('button', { name: '试算' }).click();
    const price = page.getByLabel('房屋总价（元）');
    await expect(markedInvalid(price)).resolves.toBe('true');
    await expect(page.locator('#f-housePriceFen-error').textContent()).resolves.toBe('不得小于1。');
    await expect(page.locator('.problem').textContent()).resolves.toContain('提交的信息有误');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Calculate' }).click();
    await expect(page.locator('#f-housePriceFen-error').textContent()).resolves.toBe('Must be at least 1.');
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('an amount that is not one is caught before anything is sent', async () => {
    const { page } = world;
    await page.getByLabel('房屋总价（元）').fill('12.345');
    await page.getByRole('button', { name: '试算' }).click();
    await expect(page.locator('#f-housePriceFen-error').textContent()).resolves.toContain('最多两位小数');
  });

  it('verification of an unknown code says so', async () => {
    const { page } = world;
    await go(page, '#/verify');
    await page.getByLabel('核验码').fill('NO-SUCH-CODE');
    await page.getByRole('button', { name: '核验', exact: true }).click();
    await expect(page.locator('.problem').textContent()).resolves.toContain('未找到相关记录');
  });

  it('a redirect back whose state this tab did not send is refused without asking for a token', async () => {
    const { page, api } = world;
    const tokenCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/dev-idp/token')) tokenCalls.push(r.url());
    });
    await page.goto(`${api.baseUrl}/?code=stolen-code&state=forged#/`);
    await expect(page.locator('main .problem').first().textContent()).resolves.toContain('登录失败');
    expect(tokenCalls).toEqual([]);
    expect(page.url()).not.toContain('code=');
    expect(await page.getByTestId('sign-in').count()).toBe(1);
  });

  it('an address with a `..` part or a malformed escape is no page: nothing climbs to a parent path', async () => {
    const { page, api } = world;
    await page.goto(`${api.baseUrl}/#/`);
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/')) asked.push(new URL(r.url()).pathname);
    });
    for (const hash of ['#/me/loan-applications/..', '#/me/withdrawals/.', '#/me/withdrawals/%E0%A4%A']) {
      await go(page, hash);
      await page.getByRole('heading', { name: '页面不存在' }).waitFor();
    }
    expect(asked).toEqual([]);
  });
});
