/**
 * The staff desk's property register (网签备案) from the phone: a bad date marked in both languages,
 * a paper record entered by one 宿迁 staff member, refused to the same one's confirmation (four
 * eyes), confirmed by another and cancelled; and the staff home's ping of every centre.
 */
import { describe, expect, it } from '@jest/globals';
import { addDays } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { CITY_CODES } from '../../shared/config/cities.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { randomIdNumber } from '../support/depositors.js';
import { newOnlineSigningNo } from '../support/properties.js';
import { go, horizontalOverflow, markedInvalid, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
// Records of the test's own numbers in 宿迁's register: no other browser test reads them.
const onlineSigningNo = newOnlineSigningNo();
const buyer = randomIdNumber();

describe('the property register desk', () => {
  it('marks a contract date in the future in zh and en, then enters the corrected record with a fresh key', async () => {
    const { page } = world;
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/v1/staff/property-records'))
        keys.push(request.headers()['idempotency-key'] ?? '');
    });
    await signIn(world, /宿迁中心工作人员 A/, '#/staff/property');
    await go(page, '#/staff/property');
    await page.getByLabel('网签备案号', { exact: true }).fill(onlineSigningNo);
    await expect(page.locator('#f-city').inputValue()).resolves.toBe('321300');
    const date = page.locator('#f-contractDate');
    await date.fill(addDays(toBeijingDate(new Date()), 3));
    await page.getByLabel('网签备案价（元）').fill('壹佰万');
    await page.getByLabel('购房人身份证号（每行一个）').fill(buyer);
    await page.getByLabel('纸质合同档案号').fill('宿房档〔2026〕31号');
    const submit = page.getByRole('button', { name: '录入备案' });
    // Not an amount: marked in the page, nothing sent.
    await submit.click();
    await expect(markedInvalid(page.locator('#f-price'))).resolves.toBe('true');
    await page.locator('#f-price').fill('0');
    await submit.click();
    await expect(page.locator('#f-price-error').textContent()).resolves.toContain('请填写金额');
    expect(keys).toHaveLength(0);
    await page.locator('#f-price').fill('1,200,000');

    await submit.click();
    await expect(markedInvalid(date)).resolves.toBe('true');
    await expect(page.locator('#f-contractDate-error').textContent()).resolves.toContain('晚于今天');
    await expect(page.locator('#f-price').getAttribute('aria-invalid')).resolves.toBeNull();
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('#f-contractDate-error', { hasText: 'is after today' }).waitFor();
    await expect(page.getByLabel('Contract date').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
    await page.getByRole('button', { name: '中文' }).click();

    await date.fill(addDays(toBeijingDate(new Date()), -20));
    await submit.click();
    await page.waitForURL(new RegExp(`#/staff/property/${onlineSigningNo}$`));
    const record = page.locator('[data-testid=property-record][data-status=pending]');
    await record.waitFor();
    await expect(record.textContent()).resolves.toContain('1,200,000.00 元');
    await expect(record.textContent()).resolves.toContain(maskIdNumber(buyer));
    expect(await record.textContent()).not.toContain(buyer);
    expect(keys).toHaveLength(2);
    expect(keys[1]).not.toBe(keys[0]);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });

  it('refuses the same staff member’s confirmation with the problem’s message', async () => {
    const { page } = world;
    await page.getByRole('button', { name: '复核通过' }).click();
    await page.locator('.problem[data-code=OWN_DECISION]', { hasText: '不能复核自己作出的决定' }).waitFor();
    await expect(page.locator('[data-testid=property-record]').getAttribute('data-status')).resolves.toBe(
      'pending',
    );
  });

  it('a second staff member confirms it (filed), cancels it with a reason; the number cannot be entered again, nor another city’s property', async () => {
    const { page } = world;
    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, /宿迁中心工作人员 B/, `#/staff/property/${onlineSigningNo}`);
    await page.locator('[data-testid=property-record][data-status=pending]').waitFor();
    await page.getByRole('button', { name: '复核通过' }).click();
    const filed = page.locator('[data-testid=property-record][data-status=filed]');
    await filed.waitFor();
    await expect(filed.textContent()).resolves.toContain('demo-staff-321300-B');

    // Found again by its number from the desk.
    await go(page, '#/staff/property');
    await page.getByLabel('查询网签备案号').fill(onlineSigningNo);
    await page.getByRole('button', { name: '查询' }).click();
    await filed.waitFor();

    // No reason: the server names the field; with one, cancelled and no form left.
    const cancel = page.getByTestId('property-cancel');
    await cancel.getByRole('button', { name: '撤销备案' }).click();
    await expect(markedInvalid(page.locator('#f-reasonZh'))).resolves.toBe('true');
    await page.locator('#f-reasonZh').fill('住建局撤销网签通知（演示）');
    await page.locator('#f-cancellationRef').fill('宿住建撤〔2026〕5号');
    await cancel.getByRole('button', { name: '撤销备案' }).click();
    await page.locator('[data-testid=property-record][data-status=cancelled]').waitFor();
    await expect(page.getByTestId('property-cancel').count()).resolves.toBe(0);

    // Entered again (a fresh key: another staff member, another form): the number is marked as taken.
    await go(page, '#/staff/property');
    await page.getByLabel('网签备案号', { exact: true }).fill(onlineSigningNo);
    await page.locator('#f-contractDate').fill(addDays(toBeijingDate(new Date()), -20));
    await page.getByLabel('网签备案价（元）').fill('1200000');
    await page.getByLabel('购房人身份证号（每行一个）').fill(buyer);
    await page.getByLabel('纸质合同档案号').fill('宿房档〔2026〕31号');
    await page.getByRole('button', { name: '录入备案' }).click();
    await expect(markedInvalid(page.locator('#f-onlineSigningNo'))).resolves.toBe('true');
    await expect(page.locator('#f-onlineSigningNo-error').textContent()).resolves.toContain('不能重复录入');
    // Another city's property: only its own centre may enter it, the city marked.
    await page.locator('#f-onlineSigningNo').fill(newOnlineSigningNo());
    await page.locator('#f-city').selectOption('320300');
    await page.getByRole('button', { name: '录入备案' }).click();
    await expect(markedInvalid(page.locator('#f-city'))).resolves.toBe('true');
    await expect(page.locator('#f-city-error').textContent()).resolves.toContain('房屋所在城市');
  });

  it('another centre’s staff do not find it', async () => {
    const { page } = world;
    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, /连云港中心工作人员 A/, `#/staff/property/${onlineSigningNo}`);
    await page.locator('.problem[data-code=NOT_FOUND]').waitFor();
    expect(await page.getByTestId('property-record').count()).toBe(0);
  });

  it('the staff home pings every centre and shows each round trip', async () => {
    const { page } = world;
    await go(page, '#/staff');
    await page.getByRole('button', { name: '检测各中心' }).click();
    const rows = page.locator('[data-testid=ping] [data-city]');
    await rows.nth(CITY_CODES.length - 1).waitFor({ timeout: 30_000 });
    expect(await rows.count()).toBe(CITY_CODES.length);
    await expect(page.locator('[data-testid=ping] [data-ok=true]').count()).resolves.toBe(CITY_CODES.length);
    await expect(rows.first().textContent()).resolves.toMatch(/^\d+ 毫秒$/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });
});
