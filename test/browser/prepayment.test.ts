/** Early repayment (提前还款) from a loan's page on the phone: partial with a shorter term, then the payoff. */
import { describe, expect, it } from '@jest/globals';
import { demoPeople } from '../../infra/local/demo-deposits.js';
import { maskIdNumber } from '../../shared/identity/mask.js';
import { eventually } from '../support/region.js';
import { go, horizontalOverflow, markedInvalid, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
// The third 临沂 depositor, the one buyer of LY2026-000318 (临沂): no other browser test borrows for him.
const borrower = demoPeople().filter((p) => p.centres.join() === '371300')[1];
const LINYI = '371300';

/** His loan from 临沂, applied for, decided and disbursed through the API. */
async function disbursedLoan(idNumber: string): Promise<string> {
  const { api } = world;
  const token = await api.token({ sub: `citizen-${idNumber.slice(-6)}`, role: 'citizen', idNumber });
  const accepted = await api.request('POST', '/v1/me/loan-applications', {
    token,
    headers: { 'idempotency-key': crypto.randomUUID() },
    json: {
      lendingCity: LINYI,
      propertyCity: LINYI,
      onlineSigningNo: 'LY2026-000318',
      requestedFen: 5_000_000,
      termMonths: 120,
      method: 'equal-installment',
      declaredHomeOrder: 'first',
      otherMonthlyDebtFen: 0,
      maritalStatus: 'single',
    },
  });
  expect(accepted.status).toBe(202);
  const { applicationId } = (await accepted.json()) as { applicationId: string };
  const decided = await eventually(
    async () => {
      const answer = (await (
        await api.request('GET', `/v1/me/loan-applications/${applicationId}`, { token })
      ).json()) as { status: string; loanId?: string };
      return answer.status === 'awaiting_facts' ? undefined : answer;
    },
    20_000,
    'the loan decision',
  );
  expect(decided.status).toBe('approved');
  const staff = await api.token({ sub: 'staff-371300-A', role: 'staff', city: LINYI });
  const loans = (await (await api.request('GET', '/v1/me/loans', { token })).json()) as {
    loans: { loanId: string }[];
  };
  const loanId = decided.loanId ?? loans.loans[0]?.loanId;
  if (!loanId) throw new Error('no loan id');
  const disbursed = await api.request('POST', `/v1/staff/loans/${loanId}/disbursement`, {
    token: staff,
    headers: { 'idempotency-key': crypto.randomUUID() },
  });
  expect(disbursed.status).toBe(201);
  return loanId;
}

describe('early repayment from the portal', () => {
  it('repays in part with a shorter term, then pays off; the loan reads repaid', async () => {
    const { page } = world;
    if (!borrower) throw new Error('no demo borrower');
    const loanId = await disbursedLoan(borrower.idNumber);
    await signIn(world, maskIdNumber(borrower.idNumber), `#/me/loans/${loanId}`);
    await go(page, `#/me/loans/${loanId}`);
    const form = page.getByTestId('prepayment-form');
    await form.waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);

    // An amount that is not one is marked before anything is sent.
    await page.getByLabel('还款本金（元）').fill('1.234');
    await page.getByRole('button', { name: '提交提前还款' }).click();
    await expect(markedInvalid(page.locator('#f-amountFen'))).resolves.toBe('true');

    await page.getByLabel('还款本金（元）').fill('10000');
    await page.getByLabel('还款后').selectOption('shorter-term');
    await page.getByRole('button', { name: '提交提前还款' }).click();
    const partial = page.locator('[data-testid=prepayment][data-kind=partial]');
    await partial.waitFor();
    const text = (await partial.textContent()) ?? '';
    expect(text).toContain('10,000.00 元');
    const [before, after] = (/(\d+) → (\d+) 个月/.exec(text) ?? []).slice(1).map(Number);
    expect(after).toBeLessThan(before as number);

    await page.getByLabel('方式').selectOption('full');
    await page.getByRole('button', { name: '提交提前还款' }).click();
    await page.locator('[data-testid=prepayment][data-kind=full]').waitFor();
    // the loan is read again after the payoff: wait for its facts to say so (the answer shows first)
    await page.locator('main dl', { hasText: 'repaid' }).first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('prepayment-form').count()).toBe(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });
});
