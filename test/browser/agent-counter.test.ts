/**
 * The counter's other items (线下受理): a renovation withdrawal and an account transfer accepted
 * for citizens present, both listed with their status; a field the server refuses marked in zh and
 * en. Its own people, made here (a 徐州 depositor with a home in the register, a 临沂 → 徐州 mover).
 */
import { describe, expect, it } from '@jest/globals';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { makeDepositor, sealAccount } from '../support/depositors.js';
import { registerProperty } from '../support/properties.js';
import {
  go,
  groundsOffered,
  horizontalOverflow,
  markedInvalid,
  PHONE_WIDTH,
  signIn,
  usePortal,
} from './portal.js';

const world = usePortal();
const XUZHOU: CityCode = '320300';
const LINYI: CityCode = '371300';
const KNOWN_STATUS = /正在获取缴存信息|人工审核中|待复核|已批准|未获批准|已支付/;

/** `read` again every 250 ms until `done` holds of it (20 s at most); its last value. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The counter's list, read again from the API by a fresh visit, until the row shows a status. */
async function listedWithStatus(applicationId: string): Promise<string> {
  const { page } = world;
  const status = await until(
    async () => {
      await go(page, '#/agent/withdrawal');
      await go(page, '#/agent');
      const row = page.locator('tr', {
        has: page.locator('[data-testid=agent-application]', { hasText: applicationId }),
      });
      await row.waitFor();
      return (await row.locator('td').nth(3).textContent()) ?? '';
    },
    (text) => KNOWN_STATUS.test(text),
  );
  expect(status).toMatch(KNOWN_STATUS);
  return status;
}

describe('the counter: the other withdrawal grounds and transfers', () => {
  it('offers every ground the agent route accepts', async () => {
    const { page } = world;
    await signIn(world, '徐州 受托银行网点', '#/agent/withdrawal');
    await go(page, '#/agent/withdrawal');
    expect(await groundsOffered(page)).toEqual(
      ['emigration', 'offsite-repay', 'property-fee', 'purchase', 'renovation', 'rent', 'retirement'].sort(),
    );
    await page.locator('#f-type').selectOption('emigration');
    await page.locator('#f-settlement-country').waitFor();
    expect(await page.locator('#f-amountFen').count()).toBe(0);
  });

  it('marks a malformed invoice number in Chinese, then in English', async () => {
    const { page } = world;
    await go(page, '#/agent/withdrawal');
    await page.locator('#f-type').selectOption('renovation');
    await page.getByLabel('申请人身份证号').fill('320302199001011237');
    await page.getByLabel('个人账号').fill('3203000000000001');
    await page.getByLabel('提取金额（元）').fill('100');
    await page.getByLabel('网签备案号').fill('XZ2026-001234');
    await page.getByLabel('发票号码').fill('发票#1');
    await page.getByLabel('发票金额（元）').fill('100');
    await page.getByLabel('开票日期').fill('2026-11-02');
    await page.getByLabel('发票材料编号').fill('E-1');
    await page.getByLabel('收款银行账号').fill('6222021234567890123');
    await page.getByLabel(/账户户名/).fill('测试人');
    await page.getByLabel('开户银行').fill('工商银行徐州分行');
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.locator('.problem[data-code=VALIDATION_FAILED]').waitFor();
    const invoiceNo = page.locator('#f-invoice-invoiceNo');
    await expect(markedInvalid(invoiceNo)).resolves.toBe('true');
    await expect(
      page.locator('#f-property-onlineSigningNo').getAttribute('aria-invalid'),
    ).resolves.toBeNull();
    const zh = (await page.locator('#f-invoice-invoiceNo-error').textContent()) ?? '';
    expect(zh).toMatch(/[\u4e00-\u9fff]/);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Invoice number').waitFor();
    await expect(markedInvalid(page.getByLabel('Invoice number'))).resolves.toBe('true');
    const en = await until(
      async () => (await page.locator('#f-invoice-invoiceNo-error').textContent()) ?? '',
      (text) => text !== zh,
    );
    expect(en).not.toBe('');
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByLabel('发票号码').waitFor();
  });

  it('accepts a renovation withdrawal for a depositor present and lists it with its status', async () => {
    const { page } = world;
    const person = await makeDepositor([XUZHOU], 24);
    const onlineSigningNo = await registerProperty(XUZHOU, [person.idNumber]);
    await go(page, '#/agent/withdrawal');
    await page.locator('#f-type').selectOption('renovation');
    await page.getByLabel('申请人身份证号').fill(person.idNumber);
    await page.getByLabel('个人账号').fill(person.accounts[XUZHOU] ?? '');
    await page.getByLabel('提取金额（元）').fill('5000');
    await page.getByLabel('网签备案号').fill(onlineSigningNo);
    await page.getByLabel('房屋所在城市').selectOption(XUZHOU);
    await page.getByLabel('发票号码').fill(`INV-${person.idNumber.slice(-8)}`);
    await page.getByLabel('发票金额（元）').fill('10000');
    await page.getByLabel('开票日期').fill(toBeijingDate(new Date()));
    await page.getByLabel('发票材料编号').fill('COUNTER-SCAN-1');
    await page.getByLabel('收款银行账号').fill('6222 0212 3456 7890 123');
    await page.getByLabel(/账户户名/).fill('测试人');
    await page.getByLabel('开户银行').fill('工商银行徐州分行');
    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/agent/withdrawals'));
    await page.getByRole('button', { name: '受理', exact: true }).click();
    const response = await answer;
    expect(response.status()).toBe(202);
    expect(((await response.json()) as { type: string }).type).toBe('renovation');
    const applicationId = (await page.getByTestId('agent-withdrawal').locator('code').textContent()) ?? '';
    expect(applicationId).toMatch(/^320300-W-/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    await listedWithStatus(applicationId);
    const row = page.locator('tr', { hasText: applicationId });
    await expect(row.textContent()).resolves.toContain('装修提取');
  });

  it('accepts a transfer of a sealed 临沂 account to 徐州 and lists it with its status', async () => {
    const { page } = world;
    const person = await makeDepositor([LINYI], 12);
    await makeDepositor([XUZHOU], 3, person.idNumber);
    const fromNo = person.accounts[LINYI] ?? '';
    await sealAccount(LINYI, fromNo);
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/v1/agent/transfers'))
        keys.push(request.headers()['idempotency-key'] ?? '');
    });
    await go(page, '#/agent/transfer');
    await page.getByLabel('申请人身份证号').fill(person.idNumber);
    await page.getByLabel(/转出账号/).fill(fromNo);
    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/agent/transfers'));
    await page.getByRole('button', { name: '受理', exact: true }).click();
    expect((await answer).status()).toBe(202);
    const accepted = page.getByTestId('agent-transfer');
    const applicationId = (await accepted.locator('code').textContent()) ?? '';
    expect(applicationId).toMatch(/^320300-T-/);
    await expect(accepted.textContent()).resolves.toContain('资金进度');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    // Pressed again (a lost answer, an impatient clerk): the same body, the same key, the same transfer.
    const again = page.waitForResponse((r) => r.url().endsWith('/v1/agent/transfers'));
    await page.getByRole('button', { name: '受理', exact: true }).click();
    const replay = await again;
    expect(replay.request().headers()['idempotency-key']).toBe(keys[0]);
    expect(((await replay.json()) as { applicationId: string }).applicationId).toBe(applicationId);
    await accepted.waitFor();

    await listedWithStatus(applicationId);
    await expect(page.locator('tr', { hasText: applicationId }).textContent()).resolves.toContain('转移接续');
  });

  it("refuses another person's account at the transfer counter, naming nothing of it", async () => {
    const { page } = world;
    const owner = await makeDepositor([LINYI], 3);
    const stranger = await makeDepositor([XUZHOU], 3);
    await go(page, '#/agent/transfer');
    await page.getByLabel('申请人身份证号').fill(stranger.idNumber);
    await page.getByLabel(/转出账号/).fill(owner.accounts[LINYI] ?? '');
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.locator('.problem[data-code=NOT_FOUND]').waitFor();
    expect(await page.getByTestId('agent-transfer').count()).toBe(0);
  });
});
