/** Centre staff disburse an approved loan (放款) from the work queue; pressed again it is replayed, never disbursed twice. */
import { describe, expect, it } from '@jest/globals';
import { demoPeople } from '../../infra/local/demo-deposits.js';
import { horizontalOverflow, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
// 连云港: no other browser test lends there; its first depositor borrows at home, single.
const LIANYUNGANG = '320700';
const SIGNING_NO = 'LYG2026-000101';
const borrower = demoPeople().filter((p) => p.centres.join() === LIANYUNGANG)[0];

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

describe('disbursement from the work queue', () => {
  let applicationId = '';

  it('an approved loan waits in 待放款 and staff disburse it', async () => {
    const { api, page } = world;
    if (!borrower) throw new Error('no demo borrower');
    const citizen = await api.token({
      sub: 'browser-lianyungang-borrower',
      role: 'citizen',
      idNumber: borrower.idNumber,
    });
    // 连云港 staff enter the home's paper record (网签备案) and a second one confirms it.
    const [clerkA, clerkB] = await Promise.all(
      ['A', 'B'].map((clerk) =>
        api.token({ sub: `demo-staff-${LIANYUNGANG}-${clerk}`, role: 'staff', city: LIANYUNGANG }),
      ),
    );
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
    const entered = await api.request('POST', '/v1/staff/property-records', {
      token: clerkA,
      headers: { 'idempotency-key': `browser-lyg-record-${Date.now()}` },
      json: {
        onlineSigningNo: SIGNING_NO,
        city: LIANYUNGANG,
        contractDate: today,
        registeredPriceFen: 90_000_000,
        buyers: [{ idNumber: borrower.idNumber }],
        evidenceRef: 'LYG-ARCH-2026-0101（演示）',
      },
    });
    expect(entered.status).toBe(201);
    const filed = await api.request('POST', `/v1/staff/property-records/${SIGNING_NO}/confirmation`, {
      token: clerkB,
      headers: { 'idempotency-key': `browser-lyg-record-confirm-${Date.now()}` },
    });
    expect(filed.status).toBe(200);
    const applied = await api.request('POST', '/v1/me/loan-applications', {
      token: citizen,
      headers: { 'idempotency-key': `browser-disburse-${Date.now()}` },
      json: {
        lendingCity: LIANYUNGANG,
        propertyCity: LIANYUNGANG,
        onlineSigningNo: SIGNING_NO,
        requestedFen: 5_000_000,
        termMonths: 240,
        method: 'equal-installment',
        declaredHomeOrder: 'first',
        otherMonthlyDebtFen: 0,
        maritalStatus: 'single',
      },
    });
    expect(applied.status).toBe(202);
    applicationId = (await json<{ applicationId: string }>(applied)).applicationId;
    // The centre decides by itself: its own depositor, no other centre to ask.
    let status = 'awaiting_facts';
    for (let i = 0; i < 60 && status === 'awaiting_facts'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const res = await api.request('GET', `/v1/me/loan-applications/${applicationId}`, { token: citizen });
      status = (await json<{ status: string }>(res)).status;
    }
    expect(status).toBe('approved');

    await signIn(world, /连云港中心工作人员 A/, '#/staff');
    await page.getByRole('button', { name: '待放款' }).click();
    const card = page.locator(`[data-application="${applicationId}"]`);
    await card.waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
    const answer = page.waitForResponse((r) => r.url().includes('/disbursement'));
    await card.getByRole('button', { name: '放款' }).click();
    expect((await answer).status()).toBe(201);
    const disbursed = page.getByTestId('disbursed');
    await expect(disbursed.textContent()).resolves.toContain(`${applicationId}-L`);
    await expect(disbursed.textContent()).resolves.toContain('50,000.00 元');
    // Gone from the queue once disbursed.
    await expect(page.locator(`[data-application="${applicationId}"]`).count()).resolves.toBe(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    const loans = await json<{ loans: { loanId: string }[] }>(
      await api.request('GET', '/v1/me/loans', { token: citizen }),
    );
    expect(loans.loans.map((l) => l.loanId)).toEqual([`${applicationId}-L`]);
  });

  it("the portal's key is the loan's: the same press again replays, and another centre's staff cannot disburse it", async () => {
    const { api } = world;
    // The portal's staff member A, as the dev IdP signs them in.
    const staff = await api.token({ sub: `demo-staff-${LIANYUNGANG}-A`, role: 'staff', city: LIANYUNGANG });
    const again = await api.request('POST', `/v1/staff/loans/${applicationId}-L/disbursement`, {
      token: staff,
      headers: { 'idempotency-key': `disburse-${applicationId}` },
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await api.token({ sub: 'demo-staff-320300-A', role: 'staff', city: '320300' });
    const foreign = await api.request('POST', `/v1/staff/loans/${applicationId}-L/disbursement`, {
      token: other,
      headers: { 'idempotency-key': `disburse-other-${applicationId}` },
    });
    expect(foreign.status).toBe(404);
  });
});
