/**
 * One browser test file's world: the centre workers, a gateway serving the portal
 * (built into a temporary directory) with the dev IdP's sign-in, and one headless Chromium with
 * one context at phone width (375 px), reused by the file's tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from '@jest/globals';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import type { DemoDepositsSummary } from '../../infra/local/demo-deposits.js';
import type { DevIdpPersona } from '../../infra/local/dev-idp-oauth.js';
import type { Pollers } from '../../infra/local/pollers.js';
import { buildPortalSync } from '../../web/build.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createTestInboxes, type TestInboxes } from '../support/region.js';

export const PHONE_WIDTH = 375;
export const CHROMIUM = process.env.HPF_CHROMIUM ?? '/usr/bin/chromium';

export interface PortalWorld {
  api: TestGateway;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The centre workers: a test stops them to hold an application before its first automatic step. */
  pollers: Pollers;
  /** What global-setup.ts seeded (the demo data of `npm start`). */
  seed: Pick<DemoDepositsSummary, 'backPay'>;
}

/** `extraPersonas`: people of the file's own on the sign-in page (their records made by the test). */
export function usePortal(options: { extraPersonas?: readonly DevIdpPersona[] } = {}): PortalWorld {
  const world = {} as PortalWorld & { inboxes: TestInboxes; dir: string };
  beforeAll(async () => {
    world.dir = mkdtempSync(join(tmpdir(), 'hpf-portal-'));
    buildPortalSync(world.dir);
    world.inboxes = await createTestInboxes();
    world.pollers = world.inboxes.startWorkers();
    const seed = JSON.parse(process.env.HPF_TEST_DEMO_SEED ?? 'null') as PortalWorld['seed'] | null;
    if (!seed) throw new Error('the browser project seeds the demo data in its global setup');
    const [api, browser] = await Promise.all([
      startTestGateway({ portalDir: world.dir, ...options }),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
    ]);
    Object.assign(world, { seed, api, browser });
    world.context = await browser.newContext({
      viewport: { width: PHONE_WIDTH, height: 800 },
      locale: 'zh-CN',
    });
    world.page = await world.context.newPage();
    world.page.on('pageerror', (error) => {
      throw error;
    });
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.pollers?.stop();
    await world.api?.close();
    world.inboxes?.sqs.destroy();
    if (world.dir) rmSync(world.dir, { recursive: true, force: true });
  });
  return world;
}

/** Through the PKCE flow: the portal's sign-in button, the IdP's page, the persona, back. */
export async function signIn(world: PortalWorld, persona: RegExp | string, returnTo = '#/'): Promise<void> {
  const { page, api } = world;
  await page.goto(`${api.baseUrl}/${returnTo}`);
  await page.getByTestId('sign-in').click();
  await page.waitForURL(/\/dev-idp\/authorize\?/);
  await page.getByRole('button', { name: persona }).first().click();
  await page.getByTestId('who').waitFor();
  expect(page.url()).not.toContain('code=');
}

/** Hash navigation inside the loaded portal (a reload would sign out: the token is in memory). */
export async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

/** A PNG's RGBA pixels, drawn on a canvas in `page` (a blank page: no CSP in the way). */
export async function imagePixels(
  page: Page,
  png: Buffer,
): Promise<{ width: number; height: number; data: number[] }> {
  return page.evaluate(`(async () => {
    const image = new Image();
    image.src = 'data:image/png;base64,${png.toString('base64')}';
    await image.decode();
    const canvas = new OffscreenCanvas(image.width, image.height);
    const g = canvas.getContext('2d');
    g.drawImage(image, 0, 0);
    return { width: image.width, height: image.height, data: Array.from(g.getImageData(0, 0, image.width, image.height).data) };
  })()`);
}

/**
 * The field's `aria-invalid` once the page has marked it: the mark comes with the server's answer,
 * some time after the click, so it is waited for rather than read at once.
 */
export async function markedInvalid(field: Locator): Promise<string | null> {
  await field.and(field.page().locator('[aria-invalid="true"]')).waitFor({ timeout: 15_000 });
  return field.getAttribute('aria-invalid');
}

/** The withdrawal grounds a form's ground list offers (the citizen's and the counter's share them). */
export async function groundsOffered(page: Page): Promise<string[]> {
  await page.locator('#f-type option').first().waitFor({ state: 'attached' });
  const values = await page
    .locator('#f-type option')
    .evaluateAll((items) => items.map((o) => (o as unknown as { value: string }).value));
  return values.sort();
}
