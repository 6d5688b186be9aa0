/**
 * 灵活就业人员自愿缴存 from the phone: a base below the floor marked in Chinese and in English, the
 * account opened, an order cancelled and another made, the collecting bank refused on a wrong
 * amount then confirming, the balance in the citizen's accounts; another citizen's account not found.
 */
import { describe, expect, it } from '@jest/globals';
import { DEMO_SELF_EMPLOYED } from '../../infra/local/demo-personas.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { monthlyDeposit } from '../../shared/deposits/rules.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import { go, horizontalOverflow, markedInvalid, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
const XUZHOU = '320300';
const [depositor, other] = DEMO_SELF_EMPLOYED;
const params = parametersInForce(XUZHOU, toBeijingDate(new Date()));
const yuan = (fen: number) => (fen / 100).toFixed(2);
const shown = (fen: number) =>
  `${Math.trunc(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;

describe('a voluntary deposit account from the portal', () => {
  let accountNo = '';

  it('marks a base below the floor in both languages, then opens the account', async () => {
    const { page } = world;
    await signIn(world, depositor.name, '#/me/voluntary');
    await go(page, '#/me/voluntary');
    await page.getByTestId('no-voluntary').waitFor();
    await page.getByLabel('缴存城市').selectOption(XUZHOU);
    await page.getByLabel('姓名').fill(depositor.name);
    const base = page.getByLabel('月缴存基数（元）');
    await base.fill(yuan(params.depositBaseFloorFen - 100));
    await page.getByLabel('缴存比例（%）').fill(String(params.depositRateMaxBasisPoints / 100));
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
    await page.getByRole('button', { name: '开户' }).click();
    expect(await markedInvalid(base)).toBe('true');
    await expect(page.locator('#f-monthlyDepositBaseFen-error').textContent()).resolves.toContain(
      '缴存基数不得低于',
    );
    await page.getByRole('button', { name: 'English' }).click();
    const baseEn = page.getByLabel('Monthly deposit base (yuan)');
    expect(await markedInvalid(baseEn)).toBe('true');
    await expect(page.locator('#f-monthlyDepositBaseFen-error').textContent()).resolves.toContain(
      'must be at least',
    );
    await page.getByRole('button', { name: '中文' }).click();

    await base.fill(yuan(params.depositBaseFloorFen));
    await page.getByRole('button', { name: '开户' }).click();
    await page.waitForURL(/#\/me\/voluntary\/320300\d+$/);
    accountNo = decodeURIComponent(page.url().split('/').pop() ?? '');
    expect(accountNo).toMatch(/^320300\d+$/);
  });

  it('cancels an order, orders the month again, and the collecting bank confirms it: the balance shows', async () => {
    const { page } = world;
    const amountFen = monthlyDeposit({
      baseFen: params.depositBaseFloorFen,
      employeeRateBasisPoints: params.depositRateMaxBasisPoints,
      employerRateBasisPoints: params.depositRateMaxBasisPoints,
      rounding: params.depositRounding,
    }).totalFen;
    await page.getByRole('button', { name: '生成缴款单' }).click();
    const awaiting = page.locator('[data-testid=orders] [data-status=awaiting_payment]');
    await awaiting.waitFor();
    await expect(awaiting.textContent()).resolves.toContain(shown(amountFen));
    await awaiting.getByRole('button', { name: '取消缴款单' }).click();
    await page.locator('[data-testid=orders] [data-status=cancelled]').waitFor();
    expect(await awaiting.count()).toBe(0);

    // A cancelled order frees the month: the same month again is a new order.
    await page.getByRole('button', { name: '生成缴款单' }).click();
    await awaiting.waitFor();
    const orderId = (await awaiting.getByTestId('order-id').textContent()) ?? '';
    expect(orderId).toMatch(/^320300\d+-\d{6}-/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    await page.getByRole('button', { name: '退出' }).click();
    // A branch that accepts applications does not hold the centre's money: it cannot say it arrived.
    await signIn(world, '徐州 受托银行网点', '#/agent/payments');
    await go(page, '#/agent/payments');
    await page.getByLabel('缴款单号').fill(orderId);
    await page.getByLabel('到账金额（元）').fill(yuan(amountFen));
    await page.getByLabel('银行流水号').fill(`XZB-${Date.now()}`);
    await page.getByRole('button', { name: '确认到账' }).click();
    await page.locator('.problem[data-code=NOT_A_COLLECTING_BANK]').waitFor();

    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, '徐州 归集银行', '#/agent/payments');
    await go(page, '#/agent/payments');
    await page.getByLabel('缴款单号').fill(orderId);
    const amount = page.getByLabel('到账金额（元）');
    await amount.fill(yuan(amountFen - 1));
    await page.getByLabel('银行流水号').fill(`XZ-${Date.now()}`);
    await page.getByRole('button', { name: '确认到账' }).click();
    expect(await markedInvalid(amount)).toBe('true');
    await expect(page.locator('.problem').first().getAttribute('data-code')).resolves.toBe(
      'PAYMENT_AMOUNT_MISMATCH',
    );
    await amount.fill(yuan(amountFen));
    await page.getByRole('button', { name: '确认到账' }).click();
    const confirmed = page.locator('[data-testid=payment-confirmed][data-status=paid]');
    await confirmed.waitFor();
    await expect(confirmed.textContent()).resolves.toContain('已确认到账');
    // A second payment for the paid order is refused: it is credited once.
    await page.getByLabel('银行流水号').fill(`XZ-${Date.now()}-2`);
    await page.getByRole('button', { name: '确认到账' }).click();
    await page.locator('.problem[data-code=PAYMENT_ORDER_ALREADY_PAID]').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, depositor.name, '#/me');
    const card = page.locator(`[data-testid=accounts] li:has-text("${accountNo}")`);
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain(`${shown(amountFen)} 元`);
    await go(page, `#/me/voluntary/${accountNo}`);
    await page.locator('[data-testid=orders] [data-status=paid]').waitFor();
    expect(await page.getByRole('button', { name: '取消缴款单' }).count()).toBe(0);
  });

  it("another citizen opening the account's page finds nothing", async () => {
    const { page } = world;
    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, other.name, `#/me/voluntary/${accountNo}`);
    await go(page, `#/me/voluntary/${accountNo}`);
    await expect(page.locator('.problem').first().getAttribute('data-code')).resolves.toBe('NOT_FOUND');
    expect(await page.getByTestId('orders').count()).toBe(0);
  });
});
