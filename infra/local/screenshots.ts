/**
 * `npm run screenshots`: PNGs of the portal's main pages at phone width for the README
 * (docs/screenshots/). Uses the region `npm start` runs (.local/region.json) or, when none answers,
 * starts one of its own (its seeded demo data) and stops it at the end. Signs in through the dev
 * IdP's page as the demo personas. Not part of `npm test`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { readRegionFile } from './local-config.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const OUT_DIR = join(REPO_ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.HPF_CHROMIUM ?? '/usr/bin/chromium';
/** A phone's width at 1 device pixel per CSS pixel: the PNGs stay small (≤ 150 KB each). */
const VIEWPORT = { width: 375, height: 740 };
const MAX_BYTES = 150 * 1024;

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) })).ok;
  } catch {
    return false;
  }
}

/** The running region's address, or a region started here (its process, to stop at the end). */
async function region(): Promise<{ url: string; child?: ChildProcess }> {
  const recorded = readRegionFile();
  if (recorded && (await answers(recorded.gatewayUrl))) return { url: recorded.gatewayUrl };
  console.log('no local region answers: starting one (npm start) for the screenshots…');
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'infra/local/region.ts')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the local region exited (${child.exitCode})`);
    const file = readRegionFile();
    if (file && file.pid === child.pid && (await answers(file.gatewayUrl)))
      return { url: file.gatewayUrl, child };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  child.kill('SIGINT');
  throw new Error('the local region did not start within 4 minutes');
}

async function signIn(page: Page, url: string, persona: RegExp | string, hash: string): Promise<void> {
  await page.goto(`${url}/${hash}`);
  // From another page of the portal the address changes its hash only: the session stays, so sign out.
  const signOut = page.getByRole('button', { name: '退出' });
  if (await signOut.count()) await signOut.click();
  await page.getByTestId('sign-in').click();
  await page.waitForURL(/\/dev-idp\/authorize\?/);
  await page.getByRole('button', { name: persona }).first().click();
  await page.getByTestId('who').waitFor();
  await go(page, hash);
}

async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await page.locator('#page-title').waitFor();
  await page.locator('.loading').first().waitFor({ state: 'detached' });
}

async function shoot(page: Page, name: string): Promise<void> {
  const path = join(OUT_DIR, `${name}.png`);
  // The caret and the focus ring of the heading the router focused are not part of the picture.
  await page.evaluate(`document.activeElement && document.activeElement.blur()`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  const bytes = statSync(path).size;
  console.log(`  ${name}.png  ${Math.round(bytes / 1024)} KB`);
  if (bytes > MAX_BYTES) throw new Error(`${name}.png is over ${MAX_BYTES / 1024} KB`);
}

mkdirSync(OUT_DIR, { recursive: true });
const { url, child } = await region();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'zh-CN' });
  const page = await context.newPage();
  console.log(`screenshots of ${url} into docs/screenshots/:`);

  await page.goto(`${url}/#/`);
  await go(page, '#/');
  await page.locator('main a[href^="#/services/"]').first().waitFor();
  await shoot(page, 'catalogue');

  await signIn(page, url, /临沂、徐州/, '#/me');
  await page.locator('a[href^="#/me/accounts/"]').first().waitFor();
  await shoot(page, 'citizen-accounts');

  await go(page, '#/me/apply');
  await page.getByLabel('贷款城市').selectOption('320300');
  await page.getByRole('button', { name: '试算' }).click();
  await page.getByTestId('limit').scrollIntoViewIfNeeded();
  await shoot(page, 'loan-preview');

  await go(page, '#/me/certificates');
  await page.locator('#f-personalAccountNo option').first().waitFor({ state: 'attached' });
  await page.getByRole('button', { name: '开具证明' }).click();
  const code = (await page.getByTestId('verification-code').textContent()) ?? '';
  await page.goto(`${url}/v1/certificates/${encodeURIComponent(code)}`);
  await page.locator('svg').first().waitFor();
  await shoot(page, 'certificate-print');

  await signIn(page, url, '徐州中心工作人员 A', '#/staff');
  // The first of the queues (to decide, to confirm, to disburse) that holds something.
  for (const queue of ['待审核', '待复核', '待放款']) {
    await page.getByRole('button', { name: queue, exact: true }).click();
    await page.locator('main table, main p:text("队列为空")').first().waitFor();
    if (await page.locator('main table').count()) break;
  }
  await shoot(page, 'staff-queue');
  await go(page, '#/staff/stats');
  await page.getByTestId('chart').first().waitFor();
  await shoot(page, 'staff-stats');

  await signIn(page, url, /徐州市淮海示范科技有限公司/, '#/employer/base-adjustment');
  await shoot(page, 'employer-base-adjustment');

  await signIn(page, url, '徐州 受托银行网点', '#/agent/withdrawal');
  await page.locator('#f-type').selectOption('renovation');
  await shoot(page, 'agent-withdrawal');
} finally {
  await browser.close();
  if (child) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
}
