import { describe, expect, it } from 'vitest';
import { ADMIN, call, newTenant } from '../helpers';

// The console's server side (README "Console"); the browser test is test/browser/console.test.mjs.

const form = (fields: Record<string, string>, cookie?: string) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie ? { Cookie: cookie } : {}), 'CF-Connecting-IP': `203.0.113.${Math.floor(Math.random() * 250)}` },
  body: new URLSearchParams(fields).toString(),
});

async function signIn(): Promise<string> {
  const res = await call('/console/login', form({ secret: ADMIN }));
  expect(res.status).toBe(303);
  return res.headers.get('Set-Cookie')!.split(';')[0]!;
}

async function csrfOf(cookie: string, path = '/console'): Promise<string> {
  const html = await (await call(path, { headers: { Cookie: cookie } })).text();
  return /name="csrf" value="([^"]+)"/.exec(html)![1]!;
}

describe('the console', () => {
  it('answers with strict security headers and a sign-in form, no inline script', async () => {
    const res = await call('/console');
    expect(res.status).toBe(200);
    const csp = res.headers.get('Content-Security-Policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('name="secret"');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect((await call('/console/assets/console.js')).headers.get('Content-Type')).toContain('javascript');
  });

  it('signs in with the admin secret into an HttpOnly, Secure, SameSite=Strict cookie that expires', async () => {
    const res = await call('/console/login', form({ secret: ADMIN }));
    const cookie = res.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=3600/);
    const page = await call('/console', { headers: { Cookie: cookie.split(';')[0]! } });
    expect(await page.text()).toContain('New tenant');
  });

  it('refuses a wrong secret, and limits failed sign-ins', async () => {
    const ip = { 'CF-Connecting-IP': '198.51.100.7' };
    const wrong = () => call('/console/login', { ...form({ secret: 'wrong' }), headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...ip } });
    for (let i = 0; i < 5; i++) expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(429);
  });

  it('refuses a form without its CSRF token, and one from another session', async () => {
    const cookie = await signIn();
    expect((await call('/console/tenants', form({ id: 'no-csrf' }, cookie))).status).toBe(403);
    const otherCsrf = await csrfOf(await signIn());
    expect((await call('/console/tenants', form({ id: 'other-csrf', csrf: otherCsrf }, cookie))).status).toBe(403);
    expect((await call('/console/tenants', form({ id: 'no-session', csrf: otherCsrf }))).status).toBe(401);
  });

  it('creates a tenant, mints a token shown once, and shows the tenant\'s base URLs, counts and log', async () => {
    const cookie = await signIn();
    const csrf = await csrfOf(cookie);
    const id = `console${Date.now().toString(36)}`;
    expect((await call('/console/tenants', form({ id, name: 'Console', csrf }, cookie))).status).toBe(303);
    const minted = await call(`/console/tenants/${id}/tokens`, form({ label: 'entra', scopes: 'scim:read', csrf }, cookie));
    // POST, redirect, GET: the token reaches the page once, in a short-lived cookie of its path.
    expect(minted.status).toBe(303);
    const reveal = minted.headers.get('Set-Cookie')!;
    expect(reveal).toMatch(/HttpOnly/);
    expect(reveal).toMatch(new RegExp(`Path=/console/tenants/${id}`));
    const shown = await call(`/console/tenants/${id}`, { headers: { Cookie: `${cookie}; ${reveal.split(';')[0]}` } });
    expect(shown.headers.get('Set-Cookie')).toMatch(/scim_console_reveal=;/);
    const html = await shown.text();
    const token = /id="new-token">([^<]+)</.exec(html)![1]!;
    expect(token).toMatch(/^scim_/);
    expect(html).toContain(`/t/${id}/scim/v2`);
    // A request with it shows in the log; the page never shows the token again.
    expect((await call('/scim/v2/Users', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    let page = '';
    for (let i = 0; i < 50 && !page.includes('/scim/v2/Users'); i++) {
      page = await (await call(`/console/tenants/${id}`, { headers: { Cookie: cookie } })).text();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(page).toContain('GET /scim/v2/Users');
    expect(page).not.toContain(token);
    // Deleting asks for the id.
    expect((await call(`/console/tenants/${id}/delete`, form({ confirm: 'nope', csrf }, cookie))).status).toBe(400);
    expect((await call(`/console/tenants/${id}/delete`, form({ confirm: id, csrf }, cookie))).status).toBe(303);
  });

  it('shows a tenant only to a signed-in operator', async () => {
    const { tenant } = await newTenant();
    expect((await call(`/console/tenants/${tenant}`)).status).toBe(401);
  });

  it('answers a malformed form with a page, not a 500; refuses a token form without scopes or with a wild expiry; caches no page', async () => {
    const bad = await call('/console/login', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=zzz' }, body: 'garbage' });
    expect(bad.status).toBe(401);
    const cookie = await signIn();
    const csrf = await csrfOf(cookie);
    const { tenant } = await newTenant();
    expect((await call(`/console/tenants/${tenant}/tokens`, form({ label: 'none', csrf }, cookie))).status).toBe(400);
    expect((await call(`/console/tenants/${tenant}/tokens`, form({ label: 'far', scopes: 'scim:read', expiresInDays: '1e10', csrf }, cookie))).status).toBe(400);
    expect((await call(`/console/tenants/${tenant}/tokens`, form({ label: 'root', scopes: 'root:all', csrf }, cookie))).status).toBe(400);
    expect((await call(`/console/tenants/${tenant}`, { headers: { Cookie: cookie } })).headers.get('Cache-Control')).toBe('no-store');
  });
});
