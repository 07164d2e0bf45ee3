// Plain JavaScript: this project runs in Node (not workerd), outside the Workers typecheck.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { devServer } from './ready.mjs';

const run = promisify(execFile);
// The project's one `wrangler dev` (dev-server.mjs); this file's tenant is its own.
let URL_;
let ADMIN_TOKEN;
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' };

function token(...args) {
  return run('node', ['scripts/token.mjs', ...args, '--url', URL_, '--admin-token', ADMIN_TOKEN], { env });
}

async function scim(tokenValue) {
  return (await fetch(`${URL_}/scim/v2/Users`, { headers: { Authorization: `Bearer ${tokenValue}` } })).status;
}

beforeAll(async () => {
  ({ url: URL_, adminToken: ADMIN_TOKEN } = await devServer());
});

describe('npm run token', () => {
  it('creates, lists, rotates and revokes tokens against the running worker', async () => {
    await token('tenant', 'tokens-acme', '--name', 'Acme');
    const created = JSON.parse((await token('create', 'tokens-acme', '--label', 'entra', '--json')).stdout);
    expect(created.token).toMatch(/^scim_/);
    expect(await scim(created.token)).toBe(200);

    const listed = (await token('list', 'tokens-acme')).stdout;
    expect(listed).toContain(created.id);
    expect(listed).toContain('entra');
    expect(listed).not.toContain(created.token);

    const rotated = JSON.parse((await token('rotate', 'tokens-acme', created.id, '--grace-seconds', '60', '--json')).stdout);
    expect(await scim(rotated.token)).toBe(200);
    expect(await scim(created.token)).toBe(200); // still inside the grace period

    await token('revoke', 'tokens-acme', created.id);
    expect(await scim(created.token)).toBe(401);
    expect(await scim(rotated.token)).toBe(200);
  });

  it('fails clearly on bad arguments and an unreachable server', async () => {
    await expect(token('create', 'tokens-acme')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--label is required') });
    await expect(run('node', ['scripts/token.mjs', 'list', 'tokens-acme', '--url', 'http://127.0.0.1:1', '--admin-token', 'x'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Cannot reach'),
    });
    await expect(token('list', 'no-such-tenant')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('404') });
  });
});

describe('framing a real HTTP client may send', () => {
  it('answers a GET sent with a chunked (empty) body as any GET, SCIM and admin alike', async () => {
    const { request } = await import('node:http');
    const send = (path, headers) =>
      new Promise((resolve, reject) => {
        const req = request(`${URL_}${path}`, { method: 'GET', headers: { ...headers, 'Transfer-Encoding': 'chunked' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
        req.end();
      });
    expect(await send('/scim/v2/Users', { Authorization: 'Bearer scim_unknown' })).toBe(401);
    expect(await send('/admin/tenants', { Authorization: `Bearer ${ADMIN_TOKEN}` })).toBe(200);
  });
});
