/**
 * 我的办件 in the portal: one's own applications a page at a time (never another citizen's), the
 * follow pages from the list, again after a reload; a payout the bank returned (退票) recorded by one
 * staff member, refused to the same one, confirmed by a second, and shown to the citizen; a staff
 * reason given in Chinese and English shown in English to a citizen reading in English. The
 * citizens are this file's own personas (LIST_PERSONAS): the test makes all they hold.
 */
import { describe, expect, it } from '@jest/globals';
import { LIST_PERSONAS } from '../../infra/local/demo-personas.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import type { CityCode } from '../../shared/config/cities.js';
import { centreRepository } from '../../shared/persistence/centre-repository.js';
import { parametersInForce } from '../../shared/rules/centre-parameters.js';
import { getWithdrawal } from '../../shared/withdrawals/withdrawals.js';
import { makeDepositor, randomIdNumber } from '../support/depositors.js';
import { registerProperty } from '../support/properties.js';
import { eventually } from '../support/region.js';
import { go, signIn, usePortal } from './portal.js';

const world = usePortal();
const [A, B, C] = LIST_PERSONAS.map((p) => ({ ...p, idNumber: (p.claims as { idNumber: string }).idNumber }));
const bank = { accountNumber: '6222021234567890123', holderName: '测试人', bankName: '中国工商银行' };
const HUAIBEI: CityCode = '340600';
const SHANGQIU: CityCode = '411400';

async function citizenToken(person: { claims: Record<string, unknown> }) {
  return world.api.token(person.claims as Parameters<typeof world.api.token>[0]);
}

async function post(token: string, path: string, json?: unknown) {
  const response = await world.api.request('POST', path, {
    token,
    ...(json === undefined ? {} : { json }),
    headers: { 'idempotency-key': crypto.randomUUID() },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const emigration = (personalAccountNo: string) => ({
  type: 'emigration',
  personalAccountNo,
  bankAccount: bank,
  settlement: { country: '加拿大', documentNo: 'CA-778899', issuedOn: '2026-09-15' },
});

async function decided(city: CityCode, id: string, status: string) {
  return eventually(
    async () => {
      const withdrawal = await getWithdrawal(centreRepository(city), id);
      return withdrawal?.status === status ? withdrawal : undefined;
    },
    20_000,
    `withdrawal ${id} ${status}`,
  );
}

describe('我的办件', () => {
  const cities: CityCode[] = ['320300', '320700', '321300', '341300', '340600', '411400'];
  const mine: string[] = [];
  let theirs = '';
  let loanApplicationId = '';

  it('lists my own six withdrawals five at a time, newest first, and not another citizen’s', async () => {
    if (!A || !B) throw new Error('no list personas');
    const me = await makeDepositor(cities, 6, A.idNumber);
    const other = await makeDepositor([HUAIBEI], 6, B.idNumber);
    const token = await citizenToken(A);
    for (const city of cities) {
      const accepted = await post(token, '/v1/me/withdrawals', emigration(me.accounts[city] as string));
      expect(accepted.status).toBe(202);
      mine.push(String(accepted.body.applicationId));
    }
    const loan = await post(token, '/v1/me/loan-applications', {
      lendingCity: '320300',
      propertyCity: '320300',
      housePriceFen: 100_000_000,
      requestedFen: 20_000_000,
      termMonths: 240,
      method: 'equal-installment',
      declaredHomeOrder: 'first',
      otherMonthlyDebtFen: 0,
      maritalStatus: 'single',
    });
    expect(loan.status).toBe(202);
    loanApplicationId = String(loan.body.applicationId);
    const foreign = await post(
      await citizenToken(B),
      '/v1/me/withdrawals',
      emigration(other.accounts[HUAIBEI] as string),
    );
    expect(foreign.status).toBe(202);
    theirs = String(foreign.body.applicationId);

    const { page } = world;
    await signIn(world, /办件甲/, '#/me/applications');
    const list = page.getByTestId('list-withdrawals');
    const cards = list.getByTestId('my-application');
    await cards.nth(4).waitFor();
    expect(await cards.count()).toBe(5);
    await list.getByRole('button', { name: '更多' }).click();
    await cards.nth(5).waitFor();
    const shown = await cards.evaluateAll((items) => items.map((i) => i.getAttribute('data-id')));
    expect(shown).toEqual([...mine].reverse());
    expect(shown).not.toContain(theirs);
    await list.getByRole('button', { name: '更多' }).waitFor({ state: 'detached' });
    await page.getByTestId('list-transfers').getByText('暂无。').waitFor();
  }, 90_000);

  it('each links to its follow page, and the list is there again after a reload', async () => {
    const { page } = world;
    const newest = mine.at(-1) as string;
    await page.locator(`[data-testid=my-application][data-id="${newest}"] a`).click();
    await page.waitForURL(new RegExp(`#/me/withdrawals/${newest}$`));
    await page.getByTestId('withdrawal').waitFor();
    // A reload forgets the token (it is in memory), not the list: it comes from the API.
    await page.reload();
    await signIn(world, /办件甲/, '#/me/applications');
    const oldest = page.locator(`[data-testid=my-application][data-id="${mine[1]}"]`);
    await oldest.waitFor();
    await oldest.locator('a').click();
    await page.locator('[data-testid=withdrawal][data-status]').waitFor();
    await expect(page.getByTestId('payee').textContent()).resolves.toContain('**** ****');
    // A loan application's follow page, from its own list.
    await go(page, '#/me/applications');
    await page.locator(`[data-testid=list-loan-applications] [data-id="${loanApplicationId}"] a`).click();
    await page.waitForURL(new RegExp(`#/me/loan-applications/${loanApplicationId}$`));
    await page.locator('[data-testid=loan-application][data-status]').waitFor();
    await expect(page.getByTestId('loan-application').textContent()).resolves.toContain('200,000.00');
  }, 60_000);
});

describe('a payout the bank returned (退票) at the staff desk', () => {
  let withdrawalId = '';

  it('one staff member records it; the same one is refused the confirmation, with the problem’s message', async () => {
    if (!C) throw new Error('no payee persona');
    const payee = await makeDepositor([HUAIBEI, SHANGQIU], 24, C.idNumber);
    const accepted = await post(await citizenToken(C), '/v1/me/withdrawals', {
      type: 'rent',
      personalAccountNo: payee.accounts[HUAIBEI],
      bankAccount: bank,
      amountFen: 10_000,
    });
    expect(accepted.status).toBe(202);
    withdrawalId = String(accepted.body.applicationId);
    await decided(HUAIBEI, withdrawalId, 'paid');

    const { page } = world;
    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, /淮北中心工作人员 A/, '#/staff/payouts');
    await page.getByLabel('提取申请编号').fill(withdrawalId);
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('[data-testid=payout][data-status=instructed]').waitFor();
    await page.getByLabel('银行退票编号').fill('HB-RT-0001');
    await page.getByLabel('退票原因').fill('账户已销户（演示）');
    await page.getByRole('button', { name: '登记退票' }).click();
    await page.locator('[data-testid=payout][data-status=return_pending]').waitFor();
    await page.getByRole('button', { name: '复核退票' }).click();
    await page.locator('.problem[data-code=OWN_DECISION]').waitFor();
    await expect(page.locator('.problem').textContent()).resolves.toContain('不能复核自己');
    expect(await page.locator('[data-testid=payout][data-status=return_pending]').count()).toBe(1);
  }, 60_000);

  it('a second staff member confirms it, and the citizen’s withdrawal page shows it returned', async () => {
    const { page } = world;
    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, /淮北中心工作人员 B/, '#/staff/payouts');
    await page.getByLabel('提取申请编号').fill(withdrawalId);
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('[data-testid=payout][data-status=return_pending]').waitFor();
    await page.getByRole('button', { name: '复核退票' }).click();
    await page.locator('[data-testid=payout][data-status=returned]').waitFor();

    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, /退票丙/, `#/me/withdrawals/${withdrawalId}`);
    await page.locator('[data-testid=withdrawal][data-payout=returned]').waitFor();
    await expect(page.getByTestId('payout-returned').textContent()).resolves.toContain('100.00');
  }, 60_000);
});

describe('a staff reason in Chinese and in English', () => {
  it('is shown in English to the citizen reading in English', async () => {
    if (!C) throw new Error('no payee persona');
    const { page } = world;
    // A spouse's home in the deposit city sends a rent withdrawal to staff (HOUSEHOLD_HOMES_TO_CHECK).
    const spouse = randomIdNumber();
    await registerProperty(SHANGQIU, [spouse]);
    const accounts = await world.api.request('GET', '/v1/me/accounts', { token: await citizenToken(C) });
    const shangqiu = ((await accounts.json()) as { accounts: { personalAccountNo: string }[] }).accounts.find(
      (a) => a.personalAccountNo.startsWith(SHANGQIU),
    );
    const cap =
      parametersInForce(SHANGQIU, toBeijingDate(new Date())).consumptionWithdrawals?.rentCapFen ?? 0;
    expect(cap).toBeGreaterThan(10_000);
    const accepted = await post(await citizenToken(C), '/v1/me/withdrawals', {
      type: 'rent',
      personalAccountNo: shangqiu?.personalAccountNo,
      bankAccount: bank,
      amountFen: 10_000,
      spouseIdNumber: spouse,
    });
    expect(accepted.status).toBe(202);
    const id = String(accepted.body.applicationId);
    await decided(SHANGQIU, id, 'review');

    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, /商丘中心工作人员 A/, '#/staff');
    const card = page.locator(`[data-application="${id}"]`);
    await card.waitFor();
    await card.locator(`#reason-${id}`).fill('配偶名下有本市住房，不符合租房提取条件');
    await card.locator(`#reason-en-${id}`).fill('Your household owns a home in this city');
    await card.getByRole('button', { name: '不予受理' }).click();
    await page.getByTestId('notice').waitFor();
    const second = await world.api.token({ sub: `demo-staff-${SHANGQIU}-B`, role: 'staff', city: SHANGQIU });
    expect(
      (await post(second, `/v1/staff/applications/${id}/confirmation`, { outcome: 'confirm' })).status,
    ).toBe(200);

    await page.getByRole('button', { name: '退出' }).click();
    await signIn(world, /退票丙/, `#/me/withdrawals/${id}`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('[data-testid=withdrawal][data-status=rejected]').waitFor();
    await page.getByTestId('reasons').getByText('Your household owns a home in this city').waitFor();
    await expect(page.getByTestId('reasons').textContent()).resolves.not.toContain('配偶');
  }, 90_000);
});
