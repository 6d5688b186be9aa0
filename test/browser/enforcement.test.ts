/**
 * Joint enforcement (联合惩戒) from the staff desk: a record of a person of the test's own entered in
 * 连云港 (a bad ID number marked in zh and en first), refused to its author's confirmation, confirmed by
 * another; 徐州's look-up for that person's loan application finds it; a lift asked by one, refused to
 * the same one, confirmed by the other; the look-up then finds nothing. A risk case listed; an employer's record returned;
 * the ping of every centre with no worker answering.
 */
import { describe, expect, it } from '@jest/globals';
import { addMonths, monthOf } from '../../shared/calendar/dates.js';
import { toBeijingDate } from '../../shared/calendar/working-days.js';
import { CITY_CODES } from '../../shared/config/cities.js';
import { duplicateDepositCaseId } from '../../shared/enforcement/risk.js';
import { makeDepositor, randomUscc } from '../support/depositors.js';
import { homeBoughtBy } from '../support/properties.js';
import { go, horizontalOverflow, markedInvalid, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();
const XUZHOU = '320300';
const LIANYUNGANG = '320700';

/** A wrong check character: the same number with another last character. */
const misspelt = (idNumber: string) => idNumber.slice(0, 17) + (idNumber.endsWith('1') ? '2' : '1');

describe('joint enforcement at the staff desk', () => {
  let idNumber = '';
  let recordId = '';
  let applicationId = '';

  async function switchTo(persona: RegExp, hash: string) {
    await world.page.getByRole('button', { name: '退出' }).click();
    await signIn(world, persona, hash);
  }

  it('marks a misspelt ID number in zh and en, then records the corrected one (pending)', async () => {
    const { page } = world;
    idNumber = (await makeDepositor([XUZHOU], 12)).idNumber;
    await signIn(world, /连云港中心工作人员 A/, '#/staff/enforcement');
    await go(page, '#/staff/enforcement');
    const subject = page.locator('#f-subject');
    await subject.fill(misspelt(idNumber));
    await page.locator('#f-kind').selectOption('fraudulent-loan');
    await page.getByLabel('违法违规事实').fill('提供虚假收入证明骗取住房公积金贷款（演示）');
    await page.getByLabel('证据卷宗号（每行一个）').fill('连公积金稽查卷〔2026〕12号\n询问笔录〔2026〕3号');
    await page.getByLabel('处理决定书文号').fill('连公积金罚〔2026〕9号');
    const submit = page.getByRole('button', { name: '提交记录' });
    await submit.click();
    await expect(markedInvalid(subject)).resolves.toBe('true');
    await expect(page.locator('#f-subject-error').textContent()).resolves.toContain('校验位');
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('#f-subject-error', { hasText: 'check character' }).waitFor();
    await expect(page.getByLabel('ID number').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
    await page.getByRole('button', { name: '中文' }).click();

    await subject.fill(idNumber);
    await submit.click();
    await page.waitForURL(/#\/staff\/enforcement\/320700-E-/);
    recordId = decodeURIComponent(page.url().split('#/staff/enforcement/')[1] ?? '');
    const record = page.locator('[data-testid=enforcement-record][data-status=pending_confirmation]');
    await record.waitFor();
    // The recording centre sees its facts and evidence; the person only masked.
    await expect(record.textContent()).resolves.toContain('连公积金稽查卷〔2026〕12号');
    expect(await record.textContent()).not.toContain(idNumber);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });

  it('refuses its author’s confirmation; a second staff member puts it in force', async () => {
    const { page } = world;
    await page.getByRole('button', { name: '复核通过' }).click();
    await page.locator('.problem[data-code=OWN_DECISION]', { hasText: '不能复核自己作出的决定' }).waitFor();
    await expect(page.locator('[data-testid=enforcement-record]').getAttribute('data-status')).resolves.toBe(
      'pending_confirmation',
    );

    await switchTo(/连云港中心工作人员 B/, `#/staff/enforcement/${recordId}`);
    await page.locator('[data-testid=enforcement-record][data-status=pending_confirmation]').waitFor();
    await page.getByRole('button', { name: '复核通过' }).click();
    const inForce = page.locator('[data-testid=enforcement-record][data-status=approved]');
    await inForce.waitFor();
    await expect(inForce.textContent()).resolves.toMatch(/禁止贷款至 \d{4}-\d{2}-\d{2}/);

    await go(page, '#/staff/enforcement');
    await page.locator(`[data-record="${recordId}"][data-status=approved]`).waitFor();
    await page.getByTestId('risk-cases').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });

  it('lists the centre’s risk cases: a person deposited in 连云港 and 宿迁 for the same months', async () => {
    const { page } = world;
    const twice = await makeDepositor([LIANYUNGANG, '321300'], 2);
    const months = [1, 2].map((back) => addMonths(monthOf(toBeijingDate(new Date())), -back));
    await go(page, '#/staff');
    await go(page, '#/staff/enforcement');
    for (const month of months) {
      const row = page.getByTestId('risk-cases').locator('tr', {
        has: page.locator(`[data-case="${duplicateDepositCaseId(twice.personKey, month)}"]`),
      });
      await row.waitFor();
      await expect(row.textContent()).resolves.toMatch(
        /多地重复缴存.*连云港、宿迁|多地重复缴存.*宿迁、连云港/,
      );
    }
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(PHONE_WIDTH);
  });

  it('徐州’s look-up for the person’s loan application finds the 连云港 record, without its facts', async () => {
    const { page, api, pollers } = world;
    // The application stays open (awaiting its facts) while the workers are stopped: the look-up is for open cases.
    await pollers.stop();
    const citizen = await api.token({ sub: `c-${idNumber.slice(-6)}`, role: 'citizen', idNumber });
    const res = await api.request('POST', '/v1/me/loan-applications', {
      token: citizen,
      headers: { 'idempotency-key': `browser-enf-${Date.now()}` },
      json: {
        lendingCity: XUZHOU,
        ...(await homeBoughtBy(idNumber, XUZHOU)),
        requestedFen: 20_000_000,
        termMonths: 240,
        method: 'equal-installment',
        declaredHomeOrder: 'first',
        otherMonthlyDebtFen: 0,
        maritalStatus: 'single',
      },
    });
    expect(res.status).toBe(202);
    applicationId = ((await res.json()) as { applicationId: string }).applicationId;

    await switchTo(/徐州中心工作人员 A/, '#/staff/enforcement');
    await page.locator('#f-lookupApplicationId').fill(applicationId);
    await page.getByTestId('lookup-form').getByRole('button', { name: '查询' }).click();
    const found = page.locator(`[data-testid=lookup-result] [data-record="${recordId}"]`);
    await found.waitFor();
    await expect(found.textContent()).resolves.toContain('连云港');
    await expect(found.textContent()).resolves.toContain('骗贷');
    expect(await page.getByTestId('lookup-result').textContent()).not.toContain('稽查卷');
    // 徐州 does not see 连云港's record itself.
    await go(page, `#/staff/enforcement/${recordId}`);
    await page.locator('.problem[data-code=NOT_FOUND]').waitFor();
  });

  it('a lift asked by one is refused to the same one, confirmed by the other; the look-up then finds nothing', async () => {
    const { page } = world;
    await switchTo(/连云港中心工作人员 B/, `#/staff/enforcement/${recordId}`);
    const liftForm = page.getByTestId('lift-form');
    await liftForm.getByLabel('解除理由').fill('行政复议决定撤销原处理决定（演示）');
    await liftForm.getByRole('button', { name: '申请解除' }).click();
    await page.locator('[data-testid=enforcement-record][data-lift=pending]').waitFor();
    await page.getByRole('button', { name: '确认解除' }).click();
    await page.locator('.problem[data-code=OWN_DECISION]').waitFor();

    await switchTo(/连云港中心工作人员 A/, `#/staff/enforcement/${recordId}`);
    await page.getByRole('button', { name: '确认解除' }).click();
    const lifted = page.locator('[data-testid=enforcement-record][data-status=withdrawn][data-lift=lifted]');
    await lifted.waitFor();
    await expect(lifted.textContent()).resolves.toContain('已解除');

    await switchTo(/徐州中心工作人员 A/, '#/staff/enforcement');
    await page.locator('#f-lookupApplicationId').fill(applicationId);
    await page.getByTestId('lookup-form').getByRole('button', { name: '查询' }).click();
    await page.locator('[data-testid=lookup-result]', { hasText: '申请人无在效记录' }).waitFor();
  });

  it('records an employer’s arrears (only the employer kinds offered); a return without a reason is marked, with one returned', async () => {
    const { page } = world;
    await switchTo(/连云港中心工作人员 A/, '#/staff/enforcement');
    await page.locator('#f-subjectType').selectOption('employer');
    await expect(
      page
        .locator('#f-kind option')
        .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value)),
    ).resolves.toEqual(['employer-arrears', 'other']);
    await page.getByLabel('统一社会信用代码').fill(randomUscc('320700'));
    await page.getByLabel('违法违规事实').fill('连续六个月未缴存住房公积金（演示）');
    await page.getByLabel('证据卷宗号（每行一个）').fill('连公积金稽查卷〔2026〕13号');
    await page.getByLabel('处理决定书文号').fill('连公积金责〔2026〕2号');
    await page.getByRole('button', { name: '提交记录' }).click();
    await page.waitForURL(/#\/staff\/enforcement\/320700-E-/);
    const employerRecord = decodeURIComponent(page.url().split('#/staff/enforcement/')[1] ?? '');
    await page.locator('[data-testid=enforcement-record][data-status=pending_confirmation]').waitFor();

    await switchTo(/连云港中心工作人员 B/, `#/staff/enforcement/${employerRecord}`);
    await page.getByRole('button', { name: '退回' }).click();
    await expect(markedInvalid(page.locator('#f-reasonZh'))).resolves.toBe('true');
    await expect(page.locator('#f-reasonZh-error').textContent()).resolves.toContain('退回须说明理由');
    await page.locator('#f-reasonZh').fill('证据不足，请补充（演示）');
    await page.getByRole('button', { name: '退回' }).click();
    await page.locator('[data-testid=enforcement-record][data-status=rejected]').waitFor();
    await expect(page.getByTestId('confirm-record').count()).resolves.toBe(0);
  });

  // The workers were stopped by the look-up's test: no centre answers.
  it('the staff home’s ping shows every centre’s timeout when no worker answers', async () => {
    const { page } = world;
    await go(page, '#/staff');
    await page.getByRole('button', { name: '检测各中心' }).click();
    const failed = page.locator('[data-testid=ping] [data-ok=false]');
    // Chromium opens six connections to a host: ten 10 s waits take two rounds.
    await failed.nth(CITY_CODES.length - 1).waitFor({ timeout: 60_000 });
    await expect(failed.first().textContent()).resolves.toBe('对方公积金中心未在时限内答复。');
    expect(await page.locator('[data-testid=ping] [data-ok=true]').count()).toBe(0);
  }, 90_000);
});
