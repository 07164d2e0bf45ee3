// Plain JavaScript: this project runs in Node (not workerd), outside the Workers typecheck.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ADMIN_TOKEN = 'script-test-admin-secret-abcdef0123456789';
const PORT = 8900 + Math.floor(Math.random() * 90);
const URL_ = `http://127.0.0.1:${PORT}`;
const wrangler = join(process.cwd(), 'node_modules/.bin/wrangler');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' };
let server;
let state;

function token(...args) {
  return run('node', ['scripts/token.mjs', ...args, '--url', URL_, '--admin-token', ADMIN_TOKEN], { env });
}

async function scim(tokenValue) {
  return (await fetch(`${URL_}/scim/v2/Users`, { headers: { Authorization: `Bearer ${tokenValue}` } })).status;
}

beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), 'scim-script-'));
  await run(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { env });
  server = spawn(wrangler, ['dev', '--ip', '127.0.0.1', '--port', String(PORT), '--persist-to', state, '--var', `ADMIN_TOKEN:${ADMIN_TOKEN}`, '--show-interactive-dev-session=false'], { env, stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${URL_}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error('wrangler dev did not start');
});

afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(state, { recursive: true, force: true });
});

describe('npm run token', () => {
  it('creates, lists, rotates and revokes tokens against the running worker', async () => {
    await token('tenant', 'acme', '--name', 'Acme');
    const created = JSON.parse((await token('create', 'acme', '--label', 'entra', '--json')).stdout);
    expect(created.token).toMatch(/^scim_/);
    expect(await scim(created.token)).toBe(200);

    const listed = (await token('list', 'acme')).stdout;
    expect(listed).toContain(created.id);
    expect(listed).toContain('entra');
    expect(listed).not.toContain(created.token);

    const rotated = JSON.parse((await token('rotate', 'acme', created.id, '--grace-seconds', '60', '--json')).stdout);
    expect(await scim(rotated.token)).toBe(200);
    expect(await scim(created.token)).toBe(200); // still inside the grace period

    await token('revoke', 'acme', created.id);
    expect(await scim(created.token)).toBe(401);
    expect(await scim(rotated.token)).toBe(200);
  });

  it('fails clearly on bad arguments and an unreachable server', async () => {
    await expect(token('create', 'acme')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--label is required') });
    await expect(run('node', ['scripts/token.mjs', 'list', 'acme', '--url', 'http://127.0.0.1:1', '--admin-token', 'x'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Cannot reach'),
    });
    await expect(token('list', 'no-such-tenant')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('404') });
  });
});
