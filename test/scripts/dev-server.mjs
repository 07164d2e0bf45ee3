// Global setup of the `scripts` project: one real `wrangler dev` (fresh local state, migrations
// applied) that every CLI test file talks to; each file uses tenants of its own.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ADMIN_TOKEN = 'script-test-admin-secret-abcdef0123456789';
const wrangler = join(process.cwd(), 'node_modules/.bin/wrangler');
export const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' };

export default async function setup({ provide }) {
  const port = 8900 + Math.floor(Math.random() * 180);
  const url = `http://127.0.0.1:${port}`;
  const state = mkdtempSync(join(tmpdir(), 'scim-scripts-'));
  await run(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { env });
  const server = spawn(
    wrangler,
    ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', state, '--var', `ADMIN_TOKEN:${ADMIN_TOKEN}`, '--show-interactive-dev-session=false'],
    { env, stdio: 'ignore' },
  );
  const stop = () => {
    server.kill('SIGTERM');
    rmSync(state, { recursive: true, force: true });
  };
  // Readiness is polled (up to a minute, for a loaded machine): wrangler dev prints no machine-readable "ready".
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) {
        provide('devUrl', url);
        provide('adminToken', ADMIN_TOKEN);
        return stop;
      }
    } catch {}
    await new Promise((r) => setTimeout(r, 150));
  }
  stop();
  throw new Error('wrangler dev did not start');
}
