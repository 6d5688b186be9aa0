/**
 * An automated accessibility audit (axe-core, WCAG 2.1 A and AA) of every page of the portal, for
 * anyone and each role, in Chinese and English, at phone width. Any violation fails; none is
 * allowed without its reason written here (there are none).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { DevIdpPersona } from '../../infra/local/dev-idp-oauth.js';
import { makeDepositor, randomIdNumber, sealAccount } from '../support/depositors.js';
import { go, PHONE_WIDTH, signIn, usePortal } from './portal.js';

/** A citizen of this file's own: its accounts, a withdrawal and a transfer are made by the test. */
const AUDITED_ID_NUMBER = randomIdNumber();
const AUDITED: DevIdpPersona = {
  id: 'citizen-a11y-audit',
  group: 'citizen',
  city: '320300',
  labelZh: '无障碍审查用户（浏览器测试）',
  labelEn: 'Accessibility audit citizen (browser test)',
  claims: { sub: 'browser-a11y-citizen', role: 'citizen', idNumber: AUDITED_ID_NUMBER },
};
const world = usePortal({ extraPersonas: [AUDITED] });
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** WCAG 2.1 A and AA, and axe's best practices (landmarks, heading order, one main, one h1). */
const AUDITED_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

type Violation = { id: string; help: string; nodes: { target: string[]; failureSummary?: string }[] };

/** A context of its own: the portal's CSP forbids the injected script, so only this one bypasses it. */
async function auditPage(): Promise<Page> {
  const context = await world.browser.newContext({
    viewport: { width: PHONE_WIDTH, height: 800 },
    locale: 'zh-CN',
    bypassCSP: true,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

/** The page at `hash` once it has drawn (its heading, nothing loading), audited; its violations. */
async function violationsAt(page: Page, hash: string): Promise<string[]> {
  await go(page, hash);
  await page.locator('#page-title').waitFor();
  await page.locator('.loading').first().waitFor({ state: 'detached' });
  if ((await page.evaluate(`typeof window.axe`)) === 'undefined') await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate<Violation[]>(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AUDITED_TAGS)} }, resultTypes: ['violations'] }).then((r) => r.violations)`,
  );
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${hash} ${v.id}: ${v.help} at ${n.target.join(' ')} (${n.failureSummary ?? ''})`),
  );
}

/** Each page in Chinese, then each in English (the switch in the header), then back to Chinese. */
async function audit(page: Page, hashes: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const hash of hashes) found.push(...(await violationsAt(page, hash)));
  await page.getByRole('button', { name: 'English' }).click();
  for (const hash of hashes) found.push(...(await violationsAt(page, hash)).map((v) => `[en] ${v}`));
  await page.getByRole('button', { name: '中文' }).click();
  return found;
}

describe('the accessibility audit (WCAG 2.1 A/AA, axe-core)', () => {
  it('can fail: an unlabelled field, a nameless button and grey-on-white text put in the page are found', async () => {
    const page = await auditPage();
    await page.goto(`${world.api.baseUrl}/#/calculator`);
    await page.locator('#page-title').waitFor();
    await page.evaluate(`document.querySelector('main').insertAdjacentHTML('beforeend',
      '<input id="canary-input"><button id="canary-button"></button><p id="canary-text" style="color:#bbb">浅灰色的说明文字 light grey text</p>')`);
    const found = (await violationsAt(page, '#/calculator')).join('\n');
    expect(found).toMatch(/label: .*canary-input/);
    expect(found).toMatch(/button-name: .*canary-button/);
    expect(found).toMatch(/color-contrast: .*canary-text/);
    await page.context().close();
  });

  it('finds nothing on the public pages', async () => {
    const page = await auditPage();
    await page.goto(`${world.api.baseUrl}/#/`);
    const found = await audit(page, [
      '#/',
      '#/services/OFFSITE_LOAN',
      '#/cities',
      '#/calculator',
      '#/verify',
      '#/me',
      '#/no-such-page',
    ]);
    expect(found).toEqual([]);
    await page.context().close();
  });

  it("finds nothing on the dev identity provider's sign-in page", async () => {
    const page = await auditPage();
    await page.goto(`${world.api.baseUrl}/#/`);
    await page.getByTestId('sign-in').click();
    await page.waitForURL(/\/dev-idp\/authorize\?/);
    await page.addScriptTag({ path: AXE });
    const found = await page.evaluate<Violation[]>(
      `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AUDITED_TAGS)} }, resultTypes: ['violations'] }).then((r) => r.violations)`,
    );
    expect(found.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.context().close();
  });

  it("finds nothing on a citizen's pages", async () => {
    const page = await auditPage();
    await signIn({ ...world, page }, /临沂、徐州/, '#/me');
    await go(page, '#/me');
    const first = page.locator('a[href^="#/me/accounts/"]').first();
    await first.waitFor();
    const ledger = (await first.getAttribute('href')) ?? '#/me';
    const found = await audit(page, [
      '#/me',
      ledger,
      '#/me/loans',
      '#/me/apply',
      '#/me/certificates',
      '#/me/withdrawals',
      '#/me/transfers',
      '#/me/applications',
      '#/me/voluntary',
      '#/me/consent',
      '#/me/restrictions',
    ]);
    expect(found).toEqual([]);
    await page.context().close();
  });

  it("finds nothing on an employer's pages", async () => {
    const page = await auditPage();
    await signIn({ ...world, page }, /徐州市淮海示范科技有限公司/, '#/employer/employees');
    const found = await audit(page, [
      '#/employer/register',
      '#/employer/employees',
      '#/employer/remittance',
      '#/employer/back-pay',
      '#/employer/base-adjustment',
    ]);
    expect(found).toEqual([]);
    await page.context().close();
  });

  it("finds nothing on an agent's pages", async () => {
    const page = await auditPage();
    await signIn({ ...world, page }, '徐州 受托银行网点', '#/agent');
    const found = await audit(page, [
      '#/agent',
      '#/agent/withdrawal',
      '#/agent/transfer',
      '#/agent/payments',
    ]);
    expect(found).toEqual([]);
    await page.context().close();
  });

  it("finds nothing on a staff member's pages", async () => {
    const page = await auditPage();
    await signIn({ ...world, page }, '徐州中心工作人员 A', '#/staff');
    const found = await audit(page, [
      '#/staff',
      '#/staff/audit',
      '#/staff/stats',
      '#/staff/payouts',
      '#/staff/property',
      '#/staff/enforcement',
    ]);
    expect(found).toEqual([]);
    await page.context().close();
  });

  it('finds nothing on a refused form with its fields marked, in zh and en', async () => {
    const page = await auditPage();
    await signIn({ ...world, page }, '徐州 受托银行网点', '#/agent/withdrawal');
    await go(page, '#/agent/withdrawal');
    await page.locator('#f-type').selectOption('renovation');
    await page.getByLabel('提取金额（元）').fill('100');
    await page.getByLabel('发票金额（元）').fill('100');
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.locator('.problem[data-code=VALIDATION_FAILED]').waitFor();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    const found = await audit(page, ['#/agent/withdrawal']);
    expect(found).toEqual([]);
    await page.context().close();
  });

  it("finds nothing on a certificate's print view and its verification", async () => {
    const page = await auditPage();
    const person = await makeDepositor(['320300'], 6);
    const token = await world.api.token({
      sub: 'browser-a11y-cert',
      role: 'citizen',
      idNumber: person.idNumber,
    });
    const issued = await world.api.request('POST', '/v1/me/certificates', {
      token,
      json: { kind: 'deposit-usage', personalAccountNo: person.accounts['320300'] },
      headers: { 'idempotency-key': `a11y-cert-${person.idNumber}` },
    });
    expect(issued.status).toBe(201);
    const { verificationCode } = (await issued.json()) as { verificationCode: string };
    await page.goto(`${world.api.baseUrl}/v1/certificates/${encodeURIComponent(verificationCode)}`);
    await page.addScriptTag({ path: AXE });
    const print = await page.evaluate<Violation[]>(
      `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AUDITED_TAGS)} }, resultTypes: ['violations'] }).then((r) => r.violations)`,
    );
    expect(print.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.goto(`${world.api.baseUrl}/#/verify/${encodeURIComponent(verificationCode)}`);
    await page.locator('#page-title').waitFor();
    const found = await audit(page, [`#/verify/${verificationCode}`]);
    expect(found).toEqual([]);
    await page.context().close();
  });

  it("finds nothing on a withdrawal's and a transfer's own pages", async () => {
    const idNumber = AUDITED_ID_NUMBER;
    const person = await makeDepositor(['371300', '320300'], 12, idNumber);
    await sealAccount('371300', person.accounts['371300'] ?? '');
    const token = await world.api.token(AUDITED.claims);
    const post = async (path: string, json: unknown) => {
      const response = await world.api.request('POST', path, {
        token,
        json,
        headers: { 'idempotency-key': `a11y-${path.slice(7, 12)}-${idNumber}` },
      });
      expect(response.status).toBe(202);
      return ((await response.json()) as { applicationId: string }).applicationId;
    };
    const withdrawal = await post('/v1/me/withdrawals', {
      type: 'rent',
      personalAccountNo: person.accounts['320300'],
      amountFen: 100_000,
      bankAccount: {
        accountNumber: '6222021234567890123',
        holderName: '测试人',
        bankName: '工商银行徐州分行',
      },
    });
    const transfer = await post('/v1/me/transfers', {
      personalAccountNo: person.accounts['371300'],
      toCity: '320300',
    });
    const page = await auditPage();
    await signIn({ ...world, page }, AUDITED.labelZh, '#/me');
    const found = await audit(page, [
      '#/me',
      `#/me/withdrawals/${withdrawal}`,
      `#/me/transfers/${transfer}`,
      '#/me/withdrawals/320300-W-0000000000000000',
    ]);
    expect(found).toEqual([]);
    await page.context().close();
  });
});
