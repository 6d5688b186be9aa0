/** An employer's yearly base adjustment by CSV: one bad row shown and nothing posted, then the corrected file posts once. */
import { describe, expect, it } from '@jest/globals';
import { demoEmployerUscc, demoPeople } from '../../infra/local/demo-deposits.js';
import { go, horizontalOverflow, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
const JINING = '370800';

describe('the base adjustment upload', () => {
  const rows: { personalAccountNo: string; monthlyDepositBaseFen: number }[] = [];
  let employerAccountNo = '';
  const csv = (secondBaseFen: number) =>
    Buffer.from(
      `\uFEFFpersonalAccountNo,monthlyDepositBaseFen,employeeRateBasisPoints,employerRateBasisPoints\r\n` +
        `${rows[0]?.personalAccountNo},720000,1200,1200\r\n${rows[1]?.personalAccountNo},${secondBaseFen},800,800\r\n`,
    );

  it('shows the bad row and posts nothing', async () => {
    const { api, page } = world;
    // Two of 济宁's demo employees, as they see their own accounts.
    for (const person of demoPeople()
      .filter((p) => p.centres.join() === JINING)
      .slice(0, 2)) {
      const token = await api.token({
        sub: `b-${person.idNumber}`,
        role: 'citizen',
        idNumber: person.idNumber,
      });
      const res = await api.request('GET', '/v1/me/accounts', { token });
      const [account] = ((await res.json()) as { accounts: typeof rows & { employerAccountNo: string }[] })
        .accounts;
      if (!account) throw new Error('the seed has no 济宁 account');
      rows.push(account);
      employerAccountNo = account.employerAccountNo;
    }
    await signIn(world, new RegExp(demoEmployerUscc(JINING)), '#/employer/base-adjustment');
    await go(page, '#/employer/base-adjustment');
    await page.getByLabel('单位账号').fill(employerAccountNo);
    await page
      .getByLabel('CSV 文件')
      .setInputFiles({ name: 'adjust.csv', mimeType: 'text/csv', buffer: csv(150000) });
    await page.getByRole('button', { name: '提交调整' }).click();
    // 济宁's floor (DEMO rule data): row 2 is below it; row 1 is fine but nothing is posted.
    await expect(page.getByTestId('row-error-2').textContent()).resolves.toContain('monthlyDepositBaseFen');
    expect(await page.getByTestId('row-error-1').count()).toBe(0);
    expect(await page.getByTestId('adjustment').count()).toBe(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });

  it('posts the corrected file once (sent again: replayed, not posted twice)', async () => {
    const { page } = world;
    await page
      .getByLabel('CSV 文件')
      .setInputFiles({ name: 'adjust.csv', mimeType: 'text/csv', buffer: csv(480050) });
    const first = page.waitForResponse(
      (r) => r.url().includes('/base-adjustments') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: '提交调整' }).click();
    expect((await first).status()).toBe(201);
    await page.getByTestId('adjustment').waitFor();

    const again = page.waitForResponse(
      (r) => r.url().includes('/base-adjustments') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: '提交调整' }).click();
    const replay = await again;
    expect(replay.status()).toBe(201);
    expect(replay.headers()['idempotent-replayed']).toBe('true');
  });

  it('remits this month once (pressed again: replayed), and a month in the future is refused with its code', async () => {
    const { page } = world;
    await go(page, '#/employer/remittance');
    await page.getByLabel('单位账号').fill(employerAccountNo);
    const first = page.waitForResponse((r) => r.url().includes('/remittances'));
    await page.getByRole('button', { name: '汇缴', exact: true }).click();
    expect((await first).status()).toBe(201);
    await expect(page.getByTestId('remittance').textContent()).resolves.toContain('元');
    const again = page.waitForResponse((r) => r.url().includes('/remittances'));
    await page.getByRole('button', { name: '汇缴', exact: true }).click();
    expect((await again).headers()['idempotent-replayed']).toBe('true');

    await page.getByLabel('汇缴月份').fill('2099-01');
    await page.getByRole('button', { name: '汇缴', exact: true }).click();
    await page.locator('.problem').waitFor();
    await expect(page.locator('.problem').getAttribute('data-code')).resolves.toBe(
      'REMITTANCE_MONTH_IN_FUTURE',
    );
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });
});
