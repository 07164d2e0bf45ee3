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
const SHARDS_CONFIG = '.dev-shards.wrangler.toml';
const origin = `http://127.0.0.1:${port}`;
const wrangler = new URL('../node_modules/.bin/wrangler', import.meta.url).pathname;
// Offline and non-interactive: scripts/dev-worker.mjs has set wrangler's variables in process.env.
const env = { ...process.env, CI: 'true' };

if (!existsSync('.dev.vars')) {
  writeFileSync('.dev.vars', `ADMIN_TOKEN=${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  console.log('Created .dev.vars with a random ADMIN_TOKEN (not committed).');
}
// Webhooks to a receiver on this machine (http://127.0.0.1:…) work in local development only.
if (!/^ALLOW_LOOPBACK_WEBHOOKS=/m.test(readFileSync('.dev.vars', 'utf8'))) appendFileSync('.dev.vars', 'ALLOW_LOOPBACK_WEBHOOKS=true\n');

// SHARDS=N: N local data databases beside the control one (SHARD_1 … SHARD_N; README "Shards"), in a
// configuration made from wrangler.toml (not committed) that adds their bindings.
const shards = Number(process.env.SHARDS ?? 0);
if (!Number.isInteger(shards) || shards < 0 || shards > 16) {
  console.error('SHARDS must be a whole number from 0 to 16.');
  process.exit(1);
}
const config = shards > 0 ? SHARDS_CONFIG : 'wrangler.toml';
if (shards > 0) {
  const declared = Array.from({ length: shards }, (_, i) => `
[[d1_databases]]
binding = "SHARD_${i + 1}"
database_name = "edge-scim-shard-${i + 1}"
database_id = "00000000-0000-0000-0000-${String(i + 1).padStart(12, '0')}"
migrations_dir = "drizzle"
`).join('');
  writeFileSync(SHARDS_CONFIG, `# Made by npm run dev for SHARDS=${shards} (scripts/dev.mjs); not committed.\n${readFileSync('wrangler.toml', 'utf8')}${declared}`);
}

// Migrations on every database (docs/operations.md "Migrations").
for (const binding of ['DB', ...Array.from({ length: shards }, (_, i) => `SHARD_${i + 1}`)]) {
  const migrate = spawnSync(wrangler, ['d1', 'migrations', 'apply', binding, '--local', '-c', config], { env, stdio: 'inherit' });
  if (migrate.status !== 0) process.exit(migrate.status ?? 1);
}

// wrangler's dev server in this process (scripts/dev-worker.mjs: why the DevTools inspector is off
// unless DEV_INSPECTOR=1).
const server = await startDevWorker({ port, config });
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
  if (shards > 0) console.log(`  Data databases: ${Array.from({ length: shards }, (_, i) => `SHARD_${i + 1}`).join(', ')} (GET /admin/shards; move a tenant: npm run token -- tenant move <tenant> SHARD_2)\n`);
} catch (e) {
  console.error(`dev setup failed: ${e.message}`);
  await server.dispose();
  process.exit(1);
}
