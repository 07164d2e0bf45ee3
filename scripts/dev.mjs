#!/usr/bin/env node
// `npm run dev`: local D1 migrations, a .dev.vars with a random ADMIN_TOKEN (once), tenant `default`,
// a fresh SCIM token printed, then wrangler's dev server on 127.0.0.1:$PORT (default 8787). Data persists
// in .wrangler/state between runs.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { adminClient, adminTokenFromEnv } from './admin-client.mjs';
import { startDevWorker } from './dev-worker.mjs';

const port = Number(process.env.PORT ?? 8787);
const origin = `http://127.0.0.1:${port}`;
const wrangler = new URL('../node_modules/.bin/wrangler', import.meta.url).pathname;
// Offline and non-interactive (see TOOLCHAIN notes in docs/development.md).
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CI: 'true',
};

if (!existsSync('.dev.vars')) {
  writeFileSync('.dev.vars', `ADMIN_TOKEN=${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  console.log('Created .dev.vars with a random ADMIN_TOKEN (not committed).');
}
// Webhooks to a receiver on this machine (http://127.0.0.1:…) work in local development only.
if (!/^ALLOW_LOOPBACK_WEBHOOKS=/m.test(readFileSync('.dev.vars', 'utf8'))) appendFileSync('.dev.vars', 'ALLOW_LOOPBACK_WEBHOOKS=true\n');

const migrate = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local'], { env, stdio: 'inherit' });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

// wrangler's dev server in this process (scripts/dev-worker.mjs: why the DevTools inspector is off
// unless DEV_INSPECTOR=1).
const server = await startDevWorker({ port });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.dispose().finally(() => process.exit(0)));

async function waitForServer() {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the dev server did not answer on ${origin}`);
}

try {
  await waitForServer();
  const admin = adminClient(origin, adminTokenFromEnv());
  await admin.ensureTenant('default', 'Default tenant');
  const { token } = await admin.createToken('default', { label: `dev ${new Date().toISOString()}` });
  console.log(`\n  SCIM base URL : ${origin}/scim/v2\n  Bearer token  : ${token}\n  (shown once; mint more with: npm run token -- create default --label <name>)\n`);
} catch (e) {
  console.error(`dev setup failed: ${e.message}`);
  await server.dispose();
  process.exit(1);
}
