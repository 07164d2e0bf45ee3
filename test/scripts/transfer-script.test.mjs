// Plain JavaScript: `npm run token -- shards | tenant export | tenant import | tenant move` against
// the project's one dev server (dev-server.mjs: DB alone, no SHARD_* declared).
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { devServer } from './ready.mjs';

const run = promisify(execFile);
let URL_;
let ADMIN_TOKEN;
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' };
const token = (...args) => run('node', ['scripts/token.mjs', ...args, '--url', URL_, '--admin-token', ADMIN_TOKEN], { env });

beforeAll(async () => {
  ({ url: URL_, adminToken: ADMIN_TOKEN } = await devServer());
});

describe('npm run token -- shards, tenant export, import and move', () => {
  it('lists DB as the only database, exports a tenant to a file and imports it into another', async () => {
    const shards = JSON.parse((await token('shards', '--json')).stdout).shards;
    expect(shards.map((s) => s.name)).toEqual(['DB']);
    await token('tenant', 'transfer-from');
    const { token: scimToken } = JSON.parse((await token('create', 'transfer-from', '--label', 'x', '--json')).stdout);
    const created = await fetch(`${URL_}/scim/v2/Users`, { method: 'POST', headers: { Authorization: `Bearer ${scimToken}`, 'Content-Type': 'application/scim+json' }, body: JSON.stringify({ userName: 'exported@example.com' }) });
    expect(created.status).toBe(201);
    const user = await created.json();
    const file = join(mkdtempSync(join(tmpdir(), 'export-')), 'tenant.ndjson');
    await token('tenant', 'export', 'transfer-from', '--out', file);
    await token('tenant', 'transfer-to');
    const imported = JSON.parse((await token('tenant', 'import', 'transfer-to', file, '--json')).stdout);
    expect(imported.rows.resources).toBe(1);
    const { token: other } = JSON.parse((await token('create', 'transfer-to', '--label', 'x', '--json')).stdout);
    const read = await fetch(`${URL_}/scim/v2/Users/${user.id}`, { headers: { Authorization: `Bearer ${other}` } });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: user.id, userName: 'exported@example.com', meta: { version: user.meta.version, created: user.meta.created } });
    // A move needs a second database: refused, naming the databases there are.
    const moved = await token('tenant', 'move', 'transfer-from', 'SHARD_1').catch((e) => e);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain('SHARD_1');
  });
});
