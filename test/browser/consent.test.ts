/**
 * The spouse's consent (共同申请人确认) and the applicant's withdrawal (撤回) from the phone: a 淮北
 * depositor borrows in 宿州 with the spouse co-applying; the application waits, its page shows the
 * consent link and a QR code of it; a stranger opening the link learns nothing; the spouse, signed in
 * as themselves, confirms and the application goes on to its decision; both then read in 我的限制与公示
 * that 宿州 learnt their facts. Another applicant withdraws an application after a confirmation step.
 */
import { describe, expect, it } from '@jest/globals';
import jsQRModule from 'jsqr';
import { demoPeople } from '../../infra/local/demo-deposits.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { go, horizontalOverflow, imagePixels, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const jsQR = jsQRModule as unknown as typeof jsQRModule.default;
const world = usePortal();
// 淮北 and 宿州: no other browser test uses their people or lends there.
const HUAIBEI = '340600';
const SUZHOU_ANHUI = '341300';
const [applicant, spouse, stranger] = demoPeople().filter((p) => p.centres.join() === HUAIBEI);
const SIGNING_NO = `SZ2026-${String(Date.now()).slice(-6)}`;
const settled = '[data-testid=loan-application]:not([data-status=awaiting_facts])';

async function fileHome(buyers: string[], onlineSigningNo: string): Promise<void> {
  const { api } = world;
  const [clerkA, clerkB] = await Promise.all(
    ['A', 'B'].map((clerk) =>
      api.token({ sub: `demo-staff-${SUZHOU_ANHUI}-${clerk}`, role: 'staff', city: SUZHOU_ANHUI }),
    ),
  );
  const entered = await api.request('POST', '/v1/staff/property-records', {
    token: clerkA,
    headers: { 'idempotency-key': `browser-consent-record-${onlineSigningNo}` },
    json: {
      onlineSigningNo,
      city: SUZHOU_ANHUI,
      contractDate: new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }),
      registeredPriceFen: 120_000_000,
      buyers: buyers.map((idNumber) => ({ idNumber })),
      evidenceRef: 'SZ-ARCH-2026-0301（演示）',
    },
  });
  expect(entered.status).toBe(201);
  const filed = await api.request('POST', `/v1/staff/property-records/${onlineSigningNo}/confirmation`, {
    token: clerkB,
    headers: { 'idempotency-key': `browser-consent-confirm-${onlineSigningNo}` },
  });
  expect(filed.status).toBe(200);
}

describe("a spouse's consent from the portal", () => {
  let applicationId = '';
  let link = '';

  it('applies with the spouse co-applying: the application waits and shows the consent link and its QR code', async () => {
    const { page, context } = world;
    if (!applicant || !spouse) throw new Error('no demo couple in 淮北');
    await fileHome([applicant.idNumber, spouse.idNumber], SIGNING_NO);
    await signIn(world, maskIdNumber(applicant.idNumber), '#/me/apply');
    await go(page, '#/me/apply');
    await page.getByLabel('贷款城市').selectOption(SUZHOU_ANHUI);
    await page.getByRole('button', { name: '试算' }).click();
    await page.getByTestId('limit').waitFor();
    await page.getByLabel(/网签备案号/).fill(SIGNING_NO);
    await page.getByLabel('婚姻状况').selectOption('married');
    await page.getByLabel('配偶身份证号').fill(spouse.idNumber);
    await page.getByLabel('配偶作为共同申请人').check();
    await page.getByRole('button', { name: '提交申请' }).click();
    const accepted = page.getByTestId('application-link');
    await accepted.waitFor();
    applicationId = (await accepted.textContent()) ?? '';
    expect(applicationId).toMatch(/^341300-/);
    await accepted.click();

    await page.waitForURL(/#\/me\/loan-applications\//);
    const waiting = page.locator('[data-testid=loan-application][data-status=awaiting_facts]');
    await waiting.waitFor();
    await expect(page.getByTestId('spouse-consent').textContent()).resolves.toContain('待确认');
    const shared = page.getByTestId('consent-link');
    await shared.waitFor();
    link = (await shared.getAttribute('href')) ?? '';
    expect(link).toBe(`${world.api.baseUrl}/#/me/consent/${applicationId}`);
    // The QR code carries the same link, for the spouse's own phone.
    const png = await page.locator('[data-testid=consent-invitation] img').screenshot();
    const blank = await context.newPage();
    const pixels = await imagePixels(blank, png);
    await blank.close();
    expect(jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height)?.data).toBe(link);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
    // Still waiting a while later: no decision without the spouse.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await expect(page.locator(settled).count()).resolves.toBe(0);
  });

  it("someone else opening the link learns nothing, and cannot read the applicant's page", async () => {
    const { page } = world;
    if (!stranger) throw new Error('no third 淮北 depositor');
    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, maskIdNumber(stranger.idNumber), `#/me/consent/${applicationId}`);
    // The page reads what is asked before it offers to confirm: a stranger (or a made-up number) gets nothing to confirm.
    for (const id of [applicationId, '341300-L-NO-SUCH-APPLICATION']) {
      await go(page, `#/me/consent/${id}`);
      await page.locator('.problem[data-code=NOT_FOUND]').first().waitFor();
      expect(await page.getByRole('button', { name: '我是配偶，同意并确认' }).count()).toBe(0);
    }
    await go(page, `#/me/loan-applications/${applicationId}`);
    await expect(page.locator('.problem').first().getAttribute('data-code')).resolves.toBe('NOT_FOUND');
  });

  it('the spouse, signed in as themselves, confirms: the application goes on to its decision', async () => {
    const { page } = world;
    if (!applicant || !spouse) throw new Error('no demo couple in 淮北');
    await page.getByRole('button', { name: '退出' }).click();
    // The spouse types the number the applicant gave them (or opens the link).
    await signIn(world, maskIdNumber(spouse.idNumber), '#/me/consent');
    await go(page, '#/me/consent');
    await page.getByLabel('申请编号').fill(applicationId);
    await page.getByRole('button', { name: '打开' }).click();
    await page.waitForURL(link);
    // What the spouse confirms: who applied (masked), as read from the server.
    await expect(page.getByTestId('consent-applicant').textContent()).resolves.toBe(
      maskIdNumber(applicant.idNumber),
    );
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
    await page.getByRole('button', { name: '我是配偶，同意并确认' }).click();
    await page.getByTestId('consented').waitFor();

    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, maskIdNumber(applicant.idNumber), `#/me/loan-applications/${applicationId}`);
    await go(page, `#/me/loan-applications/${applicationId}`);
    const answer = page.locator(settled);
    await answer.waitFor({ timeout: 45_000 });
    await expect(answer.getAttribute('data-status')).resolves.toBe('approved');
    await expect(page.getByTestId('spouse-consent').textContent()).resolves.toContain('已确认');
    expect(await page.getByTestId('consent-invitation').count()).toBe(0);
  });

  it('the applicant reads in 我的限制与公示 that 宿州 learnt their facts, and no restriction', async () => {
    const { page } = world;
    await go(page, '#/me/restrictions');
    await page.getByTestId('no-restrictions').waitFor();
    // Besides the register's answer (宿州 to 宿州), 淮北 told 宿州 the applicant's deposit facts.
    const row = page
      .locator('table tbody tr')
      .filter({ hasText: applicationId })
      .filter({ hasText: '淮北' })
      .first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/淮北.*宿州.*贷款申请/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });

  it('the applicant withdraws the application after confirming it: withdrawn, nothing left to withdraw', async () => {
    const { page } = world;
    await go(page, `#/me/loan-applications/${applicationId}`);
    await page.locator('[data-testid=loan-application][data-status=approved]').waitFor();
    const withdraw = page.getByRole('button', { name: '撤回申请' });
    await withdraw.click();
    // Kept on second thoughts: nothing sent.
    await page.getByRole('button', { name: '不撤回' }).click();
    await withdraw.waitFor();
    await expect(page.getByTestId('loan-application').getAttribute('data-status')).resolves.toBe('approved');
    // By keyboard: the question takes the focus, Tab reaches the confirmation, Enter sends it.
    await withdraw.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('withdraw-confirm').textContent()).resolves.toContain('不能恢复');
    await page.locator('#withdraw-q:focus').waitFor();
    await page.keyboard.press('Tab');
    await page.getByRole('button', { name: '确认撤回' }).and(page.locator(':focus')).waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=loan-application][data-status=withdrawn]').waitFor();
    await expect(page.getByTestId('loan-application').textContent()).resolves.toContain('已撤回');
    expect(await withdraw.count()).toBe(0);
  });
});
