// Global setup of the `scripts` and `browser` projects: one real wrangler dev server, started by
// scripts/dev-worker.mjs as `npm run dev` starts it (fresh local state, migrations applied), that
// every CLI test file talks to; each file uses tenants of its own. It is started in the background, so the other projects' tests run while it boots; test files wait for it with
// `devServer()` from ./ready.mjs.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ADMIN_TOKEN = 'script-test-admin-secret-abcdef0123456789';
const wrangler = join(process.cwd(), 'node_modules/.bin/wrangler');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' };

export default function setup({ provide }) {
  const port = 8900 + Math.floor(Math.random() * 180);
  const state = mkdtempSync(join(tmpdir(), 'scim-scripts-'));
  let server;
  let stopped = false;
  run(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { env })
    .then(() => {
      if (stopped) return;
      server = spawn(
        process.execPath,
        ['scripts/dev-worker.mjs', '--port', String(port), '--persist-to', state, '--var', `ADMIN_TOKEN:${ADMIN_TOKEN}`, '--var', 'ALLOW_LOOPBACK_WEBHOOKS:true', '--var', 'WEBHOOK_RETRY_BASE_SECONDS:1'],
        { env, stdio: 'ignore' },
      );
    })
    .catch((error) => console.error(`wrangler d1 migrations apply failed: ${error.message}`));
  provide('devUrl', `http://127.0.0.1:${port}`);
  provide('adminToken', ADMIN_TOKEN);
  return () => {
    stopped = true;
    server?.kill('SIGTERM');
    rmSync(state, { recursive: true, force: true });
  };
}
