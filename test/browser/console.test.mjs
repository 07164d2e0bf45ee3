// The console in real headless Chromium (Debian's `chromium`, driven by playwright-core) against
// the project's `wrangler dev`: `npm run test:browser`. Screenshots of each page go to
// test-artifacts/console/ (not committed).
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devServer } from '../scripts/ready.mjs';

const ARTIFACTS = 'test-artifacts/console';
let browser;
let dev;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dev = await devServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => browser?.close());

async function shot(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

describe('the console in a browser', () => {
  it('signs in, creates a tenant, mints a token, sees its request in the log, rotates, revokes, signs out', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone's width
    await page.goto(`${dev.url}/console`);
    await shot(page, '1-sign-in');
    // A wrong secret is refused.
    await page.getByLabel('Admin secret').fill('not-the-secret');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('not the admin secret');
    // The right one, typed and submitted from the keyboard.
    await page.getByLabel('Admin secret').fill(dev.adminToken);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${dev.url}/console`);
    expect(await page.getByRole('heading', { name: 'Tenants' }).isVisible()).toBe(true);
    await shot(page, '2-tenants');

    const tenant = `browser${Date.now().toString(36)}`;
    await page.getByLabel('Id', { exact: true }).fill(tenant);
    await page.getByLabel('Name', { exact: true }).fill('Browser test');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.waitForURL(`${dev.url}/console/tenants/${tenant}`);
    expect(await page.locator('#scim-url').textContent()).toBe(`${dev.url}/t/${tenant}/scim/v2`);
    await shot(page, '3-tenant');

    await page.getByLabel('Label').fill('entra');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.locator('#new-token').textContent()).trim();
    expect(token).toMatch(/^scim_/);
    await shot(page, '4-token-revealed');

    // A SCIM request with it, from the test: it shows in the log with its status.
    const scim = await fetch(`${dev.url}/t/${tenant}/scim/v2/Users?filter=${encodeURIComponent('userName eq "nobody"')}`, { headers: { Authorization: `Bearer ${token}`, 'User-Agent': 'browser-test' } });
    expect(scim.status).toBe(200);
    let row;
    // The log is written through a queue, within a few seconds: reload until it shows.
    for (let i = 0; i < 60; i++) {
      await page.goto(`${dev.url}/console/tenants/${tenant}?method=GET`);
      row = page.locator('tr', { hasText: 'GET /t/' });
      if ((await row.count()) > 0) break;
      await page.waitForTimeout(250);
    }
    expect(await row.first().textContent()).toContain('200');
    expect(await page.content()).not.toContain(token);
    await shot(page, '5-log');
    await row.first().getByRole('link').first().click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Request');
    expect(await page.content()).toContain('browser-test');
    await shot(page, '6-request-detail');

    // Rotate (a new token, shown once), then revoke the new one.
    await page.goto(`${dev.url}/console/tenants/${tenant}`);
    await page.getByRole('button', { name: 'Rotate' }).first().click();
    const rotated = (await page.locator('#new-token').textContent()).trim();
    expect(rotated).toMatch(/^scim_/);
    expect(rotated).not.toBe(token);
    await shot(page, '7-rotated');
    page.on('dialog', (dialog) => dialog.accept());
    const before = await page.getByRole('button', { name: 'Revoke' }).count();
    await page.getByRole('button', { name: 'Revoke' }).first().click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('button', { name: 'Revoke' }).count()).toBe(before - 1);

    // A form posted without its CSRF token is refused.
    await page.evaluate(() => document.querySelectorAll('input[name="csrf"]').forEach((input) => input.remove()));
    await page.getByLabel('Label').fill('forged');
    await page.getByRole('button', { name: 'Create token' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('CSRF');
    await shot(page, '8-csrf-refused');

    // Sign out: the pages ask to sign in again.
    await page.goto(`${dev.url}/console`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${dev.url}/console`);
    expect(await page.getByLabel('Admin secret').isVisible()).toBe(true);
    await page.goto(`${dev.url}/console/tenants/${tenant}`);
    expect(await page.getByLabel('Admin secret').isVisible()).toBe(true);
    await shot(page, '9-signed-out');
    await page.close();
  });
});
