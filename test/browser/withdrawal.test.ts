/** A citizen withdraws (提取) from the phone: the server's refusal marks the field, a resend keeps its key, the payout is followed. */
import { describe, expect, it } from '@jest/globals';
import { demoPeople } from '../../infra/local/demo-deposits.js';
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
// The walk-through's $CITIZEN: accounts in 临沂 and 徐州, a buyer of XZ2026-001234 (徐州).
const citizen = demoPeople().find((p) => p.centres.join() === '371300,320300' && p.name !== '孙迁移');

describe('a withdrawal from the portal', () => {
  it('marks the holder the server refused, resends with the same key, then a corrected form with a fresh one, and follows it to paid', async () => {
    const { page } = world;
    if (!citizen) throw new Error('no demo citizen');
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/v1/me/withdrawals'))
        keys.push(request.headers()['idempotency-key'] ?? '');
    });
    await signIn(world, /临沂、徐州/, '#/me/withdrawals');
    await go(page, '#/me/withdrawals');
    const options = page.locator('#f-personalAccountNo option');
    await options.first().waitFor({ state: 'attached' });
    const values = await options.evaluateAll((items) =>
      items.map((o) => (o as unknown as { value: string }).value),
    );
    const xuzhou = values.find((v) => v.startsWith('320300'));
    if (!xuzhou) throw new Error('no 徐州 account');
    await page.locator('#f-personalAccountNo').selectOption(xuzhou);
    await page.locator('#f-type').selectOption('purchase');
    await page.getByLabel('提取金额（元）').fill('3000');
    await page.getByLabel('网签备案号').fill('XZ2026-001234');
    await page.getByLabel('房屋所在城市').selectOption('320300');
    await page.getByLabel('收款银行账号').fill('6222 0212 3456 7890 123');
    await page.getByLabel('户名（须为本人）').fill('张三');
    await page.getByLabel('开户银行').fill('工商银行徐州分行');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    const submit = page.getByRole('button', { name: '提交提取申请' });
    await submit.click();
    const holder = page.locator('#f-bankAccount-holderName');
    await page.locator('.problem[data-code=BANK_ACCOUNT_NOT_ACCEPTED]').waitFor();
    await expect(markedInvalid(holder)).resolves.toBe('true');
    await expect(page.locator('#f-bankAccount-holderName-error').textContent()).resolves.toContain(
      '申请人本人名下',
    );
    // The account number was not refused: not marked.
    await expect(
      page.locator('#f-bankAccount-accountNumber').getAttribute('aria-invalid'),
    ).resolves.toBeNull();

    // The same form again is a resend: the same key (the server replays its refusal).
    await submit.click();
    await page.locator('.problem[data-code=BANK_ACCOUNT_NOT_ACCEPTED]').waitFor();
    await holder.fill(citizen.name);
    await submit.click();

    await page.waitForURL(/#\/me\/withdrawals\/320300-W-/);
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(keys.every((k) => /^wd-[0-9a-f-]{36}$/.test(k))).toBe(true);

    // Followed by its id until the automatic steps are done: decided on the register's record and paid.
    const answer = page.locator(
      '[data-testid=withdrawal]:not([data-status=awaiting_facts]):not([data-status=approved])',
    );
    await answer.waitFor({ timeout: 30_000 });
    await expect(answer.getAttribute('data-status')).resolves.toBe('paid');
    await expect(answer.textContent()).resolves.toContain('3,000.00 元');
    const payee = (await page.getByTestId('payee').textContent()) ?? '';
    expect(payee).toContain('****');
    expect(payee).not.toMatch(/62220212345678/);
    await expect(page.locator('table tbody tr').count()).resolves.toBeGreaterThanOrEqual(2);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });

  it("follows a rent withdrawal the register refuses to rejected, with the rule's reason", async () => {
    const { page } = world;
    await go(page, '#/me/withdrawals');
    await page.locator('#f-personalAccountNo option').first().waitFor({ state: 'attached' });
    const values = await page
      .locator('#f-personalAccountNo option')
      .evaluateAll((items) => items.map((o) => (o as unknown as { value: string }).value));
    await page.locator('#f-personalAccountNo').selectOption(values.find((v) => v.startsWith('320300')) ?? '');
    await page.locator('#f-type').selectOption('rent');
    await page.getByLabel('提取金额（元）').fill('1000');
    await page.getByLabel('收款银行账号').fill('6222021234567890123');
    await page.getByLabel('户名（须为本人）').fill(citizen?.name ?? '');
    await page.getByLabel('开户银行').fill('工商银行徐州分行');
    await page.getByRole('button', { name: '提交提取申请' }).click();
    await page.waitForURL(/#\/me\/withdrawals\/320300-W-/);
    const answer = page.locator('[data-testid=withdrawal]:not([data-status=awaiting_facts])');
    await answer.waitFor({ timeout: 30_000 });
    await expect(answer.getAttribute('data-status')).resolves.toBe('rejected');
    await expect(page.getByTestId('reasons').textContent()).resolves.toContain('XZ2026-001234');
  });

  it('shows every ground with its own fields, marks a nested member the schema refuses, and reads in English', async () => {
    const { page } = world;
    await go(page, '#/me/withdrawals');
    expect(await groundsOffered(page)).toEqual(
      ['emigration', 'offsite-repay', 'property-fee', 'purchase', 'renovation', 'rent', 'retirement'].sort(),
    );
    await page.locator('#f-type').selectOption('property-fee');
    await page.locator('#f-feeNotice-feeYear').waitFor();
    // A nested member the schema refuses is marked where it is typed (its dotted path is the field).
    await page.locator('#f-type').selectOption('renovation');
    await page.getByLabel('提取金额（元）').fill('100');
    await page.getByLabel('网签备案号').fill('XZ2026-001234');
    await page.getByLabel('发票号码').fill('发票#1');
    await page.getByLabel('发票金额（元）').fill('100');
    await page.getByLabel('开票日期').fill('2026-11-02');
    await page.getByLabel('发票材料编号').fill('E-1');
    await page.getByRole('button', { name: '提交提取申请' }).click();
    await page.locator('.problem[data-code=VALIDATION_FAILED]').waitFor();
    await expect(markedInvalid(page.locator('#f-invoice-invoiceNo'))).resolves.toBe('true');
    await expect(
      page.locator('#f-property-onlineSigningNo').getAttribute('aria-invalid'),
    ).resolves.toBeNull();
    await page.locator('#f-type').selectOption('emigration');
    await page.locator('#f-settlement-country').waitFor();
    expect(await page.locator('#f-amountFen').count()).toBe(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Withdraw from your HPF account');
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('answers an id the citizen does not hold with the not-found problem', async () => {
    const { page } = world;
    await go(page, '#/me/withdrawals/320300-W-0000000000000000');
    await page.locator('.problem[data-code=NOT_FOUND]').waitFor();
  });
});
