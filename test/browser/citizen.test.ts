/** A citizen on a phone: sign-in through PKCE, both cities' accounts, the ledger; no sideways scrolling. */
import { describe, expect, it } from '@jest/globals';
import jsQRModule from 'jsqr';
import { go, horizontalOverflow, imagePixels, PHONE_WIDTH, signIn, usePortal } from './portal.js';

const world = usePortal();

const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

describe('the portal for a citizen', () => {
  it('loads the catalogue quickly (first meaningful render)', async () => {
    const { page, api } = world;
    await page.goto(`${api.baseUrl}/`);
    await page.locator('.cards li').first().waitFor();
    const renderedMs = await page.evaluate(() => performance.now());
    process.stderr.write(
      `portal first meaningful render: ${Math.round(renderedMs)} ms after navigation start\n`,
    );
    expect(await page.locator('.cards li').count()).toBe(16);
  });

  it('signs in as the demo citizen and sees the accounts of 临沂 and 徐州, not the token in storage', async () => {
    const { page } = world;
    await signIn(world, /临沂、徐州/, '#/me');
    const cards = page.getByTestId('accounts').locator('li');
    await cards.first().waitFor();
    expect(
      await cards.evaluateAll((items) => items.map((li) => li.getAttribute('data-city')).sort()),
    ).toEqual(['320300', '371300']);
    await expect(page.getByTestId('accounts').textContent()).resolves.toContain('元');
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    expect(stored).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  it('shows a ledger, and in English on the switch', async () => {
    const { page } = world;
    await page.getByRole('link', { name: '明细' }).first().click();
    await page.locator('table tbody tr').first().waitFor();
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.locator('h1').textContent()).resolves.toMatch(/^Ledger/);
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('has no horizontal scrolling at 375 px on any page', async () => {
    const { page } = world;
    const pages: [string, string][] = [
      ['#/', '.cards li'],
      ['#/services/OFFSITE_LOAN', 'ol li'],
      ['#/cities', 'article.card'],
      ['#/calculator', 'form'],
      ['#/verify', 'form'],
      ['#/me', '[data-testid=accounts] li'],
      ['#/me/loans', 'main p, main li'],
      ['#/me/certificates', 'form option'],
      ['#/me/withdrawals', '#f-type option'],
      ['#/me/transfers', '#f-toCity option'],
    ];
    const widths: Record<string, number> = {};
    for (const [hash, ready] of pages) {
      await go(page, hash);
      await page.locator(ready).first().waitFor({ state: 'attached' });
      widths[hash] = await horizontalOverflow(page);
    }
    expect(Object.values(widths).every((w) => w <= PHONE_WIDTH)).toBe(true);
  });

  it('issues a certificate, prints it, and its QR code verifies it', async () => {
    const { page, context, api } = world;
    await go(page, '#/me/certificates');
    await page.locator('#f-personalAccountNo option').first().waitFor({ state: 'attached' });
    await page.getByRole('button', { name: '开具证明' }).click();
    const code = (await page.getByTestId('verification-code').textContent()) ?? '';
    expect(code).toMatch(/^[A-Z0-9-]{10,}$/);

    // The print view: the API's HTML page, as the link opens it.
    const print = await context.newPage();
    await print.goto(`${api.baseUrl}/v1/certificates/${encodeURIComponent(code)}`);
    await expect(print.locator('body').textContent()).resolves.toContain(code);
    const png = await print.locator('svg').first().screenshot();
    // Decode the QR from the screenshot's pixels.
    const blank = await context.newPage();
    const pixels = await imagePixels(blank, png);
    const qr = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
    expect(qr?.data).toBe(`${api.baseUrl}/v1/certificates/${code}`);
    await Promise.all([print.close(), blank.close()]);

    // The QR's address, opened in the portal's verification page: valid.
    await go(page, `#/verify/${encodeURIComponent(code)}`);
    await expect(page.getByTestId('verification').textContent()).resolves.toContain('有效');
  });
});
