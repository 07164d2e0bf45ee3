import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { cleanUpMoves, moveTenant, rollbackMove, type MoveDeps } from '../../src/service/move';
import { Executor } from '../../src/store/executor';
import { QueryMeter } from '../../src/store/meter';
import { shardDatabase } from '../../src/store/shards';
import { ALL_TABLES, TenantCopy } from '../../src/store/tenant-copy';
import { admin, PATCH_OP, type Scim } from '../helpers';
import { populate, snapshot, tenantOn } from './fixtures';

// Moving a tenant between databases (README "Shards"): read-only while copied, verified, flipped.

const exec = (shard: string) => new Executor(shardDatabase(env, shard)!, new QueryMeter(), shard);
const deps = (extra: Partial<MoveDeps> = {}): MoveDeps => ({ control: exec('DB'), database: (s) => (shardDatabase(env, s) ? exec(s) : undefined), shards: ['DB', 'SHARD_1', 'SHARD_2'], kv: env.TOKENS, ...extra });

/** Every stored row of the tenant on a database, table by table, as stored. */
async function rowsOn(shard: string, tenant: string): Promise<Record<string, unknown[]>> {
  const copy = new TenantCopy(exec(shard), tenant);
  const all: Record<string, unknown[]> = {};
  for (const table of ALL_TABLES) {
    all[table] = [];
    let after: unknown[] | undefined;
    for (;;) {
      const page = await copy.page(table, after, 500);
      all[table]!.push(...page);
      if (page.length < 500) break;
      after = TenantCopy.keyOf(table, page.at(-1)!);
    }
  }
  return all;
}

async function moveViaApi(tenant: string, to: string): Promise<Record<string, any>> {
  for (let i = 0; i < 50; i++) {
    const res = await admin(`/tenants/${tenant}/move`, 'POST', { to });
    const status = (await res.json()) as Record<string, any>;
    if (res.status === 200) return status;
    expect(res.status).toBe(202);
  }
  throw new Error('move did not finish');
}

async function shardOf(tenant: string): Promise<string> {
  return ((await (await admin(`/tenants/${tenant}`)).json()) as { shard: string }).shard;
}

describe('moving a tenant', () => {
  it('loses no acknowledged write while a writer hammers it, and ends with identical data', async () => {
    const scim = await tenantOn('SHARD_1');
    await populate(scim);
    const acknowledged = new Map<string, string>();
    let refused = 0;
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop && i < 400; i++) {
        await new Promise((r) => setTimeout(r, 3));
        const res = await scim.post('/Users', { userName: `hammer${i}@example.com` });
        if (res.status === 201) acknowledged.set(((await res.json()) as { id: string }).id, `hammer${i}@example.com`);
        else {
          expect(res.status).toBe(503);
          expect(res.headers.get('Retry-After')).toBeTruthy();
          refused++;
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    const before = acknowledged.size;
    // Every resource as the API answers it before the move, byte for byte.
    const bodies = new Map<string, string>();
    for (const type of ['Users', 'Groups', 'Organizations']) {
      const list = (await (await scim.get(`/${type}?count=1000&attributes=id`)).json()) as { Resources: { id: string }[] };
      for (const { id } of list.Resources) bodies.set(`/${type}/${id}`, await (await scim.get(`/${type}/${id}`)).text());
    }
    // A page per call, with time between calls: the read-only window spans many of the writer's requests.
    let done = await moveTenant(deps({ pagesPerCall: 1 }), scim.tenant, 'SHARD_2');
    for (let i = 0; done.state !== 'done' && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 10));
      done = await moveTenant(deps({ pagesPerCall: 1 }), scim.tenant, 'SHARD_2');
    }
    await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await writer;
    expect(done).toMatchObject({ state: 'done', from: 'SHARD_1', to: 'SHARD_2', sourceRows: 'kept' });
    expect(await shardOf(scim.tenant)).toBe('SHARD_2');
    expect(acknowledged.size).toBeGreaterThan(before);
    // Every acknowledged write is there, through the API, on the new database.
    for (const [id, userName] of acknowledged) {
      const res = await scim.get(`/Users/${id}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { userName: string }).userName).toBe(userName);
    }
    for (const [path, body] of bodies) expect(await (await scim.get(path)).text()).toBe(body);
    const total = ((await (await scim.get('/Users?count=1')).json()) as { totalResults: number }).totalResults;
    expect(total).toBe(12 + acknowledged.size);
    // The source kept its rows as they were at the flip; the writes after it are on the target only.
    const [source, target] = [await rowsOn('SHARD_1', scim.tenant), await rowsOn('SHARD_2', scim.tenant)];
    expect(target.declarations).toEqual(source.declarations);
    expect(target.memberships).toEqual(source.memberships);
    const sourceIds = new Set(source.resources!.map((r: any) => r.id));
    expect(target.resources!.filter((r: any) => sourceIds.has(r.id))).toEqual(source.resources);
    // A write routed to the source by a stale token record is refused there (503), not lost.
    const stale = await exec('SHARD_1').first<{ state: string; shard: string }>(
      (await import('drizzle-orm')).sql`SELECT state, shard FROM tenants WHERE id = ${scim.tenant}`,
    );
    expect(stale).toEqual({ state: 'moved', shard: 'SHARD_2' });
    // After every cached route has expired, the source's rows go.
    expect(await cleanUpMoves(deps({ now: () => Date.now() + 70_000 }))).toBeGreaterThanOrEqual(1);
    for (const rows of Object.values(await rowsOn('SHARD_1', scim.tenant))) expect(rows).toHaveLength(0);
    expect(((await (await admin(`/tenants/${scim.tenant}/move`)).json()) as { sourceRows: string }).sourceRows).toBe('deleted');
    expect(refused).toBeGreaterThan(0);
  });

  for (const step of ['copying', 'copied', 'verifying', 'flipping', 'tokens']) {
    it(`finishes a move interrupted at ${step} when called again, with identical data`, async () => {
      const scim = await tenantOn('SHARD_2');
      await populate(scim);
      const expected = await snapshot(scim);
      const rowsBefore = await rowsOn('SHARD_2', scim.tenant);
      let calls = 0;
      await expect(moveTenant(deps({ pagesPerCall: 100, interruptAt: (at) => { if (at === step && calls++ === (step === 'copying' || step === 'copied' ? 2 : 0)) throw new Error(`cut at ${at}`); } }), scim.tenant, 'SHARD_1')).rejects.toThrow(`cut at ${step}`);
      // Meanwhile (before the flip) writes are refused, reads keep working.
      if (step !== 'tokens') {
        const write = await scim.post('/Users', { userName: 'during@example.com' });
        expect(write.status).toBe(503);
      }
      expect((await scim.get('/Users')).status).toBe(200);
      let status = await moveTenant(deps(), scim.tenant, 'SHARD_1');
      for (let i = 0; status.state !== 'done' && i < 20; i++) status = await moveTenant(deps(), scim.tenant, 'SHARD_1');
      expect(status.state).toBe('done');
      expect(await shardOf(scim.tenant)).toBe('SHARD_1');
      expect(await snapshot(scim)).toEqual(expected);
      const rowsAfter = await rowsOn('SHARD_1', scim.tenant);
      for (const table of ['declarations', 'memberships', 'resources', 'resource_values', 'resource_unique', 'events']) expect(rowsAfter[table]).toEqual(rowsBefore[table]);
      expect((await scim.post('/Users', { userName: 'after@example.com' })).status).toBe(201);
    });
  }

  it('is taken on by the minute cron when its caller went away, so the tenant is not left read-only', async () => {
    const scim = await tenantOn('SHARD_2');
    await populate(scim);
    expect((await moveTenant(deps({ pagesPerCall: 1 }), scim.tenant, 'SHARD_1')).state).toBe('copying');
    expect((await scim.post('/Users', { userName: 'waiting@example.com' })).status).toBe(503);
    // A minute's sweep within two minutes of the last step leaves it to its caller.
    await cleanUpMoves(deps({ now: () => Date.now() + 60_000 }));
    expect(((await (await admin(`/tenants/${scim.tenant}/move`)).json()) as { tables: unknown[] }).tables).toHaveLength(1);
    for (let i = 0; i < 5 && (await shardOf(scim.tenant)) !== 'SHARD_1'; i++) await cleanUpMoves(deps({ now: () => Date.now() + 180_000 }));
    expect(await shardOf(scim.tenant)).toBe('SHARD_1');
    expect((await scim.post('/Users', { userName: 'moved-on@example.com' })).status).toBe(201);
  });

  it('rolls back a move that has not flipped: the target is cleared, the tenant writable on its source', async () => {
    const scim = await tenantOn('SHARD_1');
    await populate(scim);
    const partial = await moveTenant(deps({ pagesPerCall: 2 }), scim.tenant, 'SHARD_2');
    expect(partial.state).toBe('copying');
    expect((await admin(`/tenants/${scim.tenant}/move`, 'POST', { to: 'DB' })).status).toBe(409);
    // Admin changes of its data wait for the move; reads do not.
    expect((await admin(`/tenants/${scim.tenant}/webhooks`, 'POST', { url: 'https://example.com/hook' })).status).toBe(409);
    expect((await admin(`/tenants/${scim.tenant}/schemas/${encodeURIComponent('urn:example:x')}`, 'PUT', { id: 'urn:example:x', name: 'X', attributes: [] })).status).toBe(409);
    expect((await admin(`/tenants/${scim.tenant}`, 'DELETE')).status).toBe(409);
    expect((await admin(`/tenants/${scim.tenant}/webhooks`)).status).toBe(200);
    expect((await admin(`/tenants/${scim.tenant}/move`)).status).toBe(200);
    const rolled = await admin(`/tenants/${scim.tenant}/move`, 'POST', { rollback: true });
    expect(rolled.status).toBe(200);
    expect(((await rolled.json()) as { state: string; error: string })).toMatchObject({ state: 'failed', error: 'rolled back' });
    for (const rows of Object.values(await rowsOn('SHARD_2', scim.tenant))) expect(rows).toHaveLength(0);
    expect(await shardOf(scim.tenant)).toBe('SHARD_1');
    expect((await scim.patch(`/Users/${((await (await scim.get('/Users?count=1')).json()) as any).Resources[0].id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] })).status).toBe(200);
    // And it can be moved after all; while the rows it left on SHARD_1 await their clean-up, a move
    // to a third database waits, and a move back (which clears them first) does not.
    const expected = await snapshot(scim);
    expect((await moveViaApi(scim.tenant, 'SHARD_2')).state).toBe('done');
    expect((await admin(`/tenants/${scim.tenant}/move`, 'POST', { to: 'DB' })).status).toBe(409);
    expect((await moveViaApi(scim.tenant, 'SHARD_1')).state).toBe('done');
    expect(await snapshot(scim)).toEqual(expected);
    expect((await (await scim.get('/Users?count=1')).json() as { totalResults: number }).totalResults).toBe(12);
  });

  it('refuses a move to where the tenant is, to a database that does not exist, and of an unknown tenant', async () => {
    const scim: Scim = await tenantOn('SHARD_1');
    expect((await admin(`/tenants/${scim.tenant}/move`, 'POST', { to: 'SHARD_1' })).status).toBe(409);
    expect((await admin(`/tenants/${scim.tenant}/move`, 'POST', { to: 'SHARD_7' })).status).toBe(400);
    expect((await admin(`/tenants/${scim.tenant}/move`, 'POST', { to: 1 })).status).toBe(400);
    expect((await admin('/tenants/no-such-tenant/move', 'POST', { to: 'SHARD_2' })).status).toBe(404);
    expect((await admin(`/tenants/${scim.tenant}/move`)).status).toBe(404);
  });
});

describe('the provisioning log during a move', () => {
  it('holds back a moving tenant\'s entries (retried later) and writes the others on their databases', async () => {
    const { recordOnShards } = await import('../../src/http/log-consumer');
    const [moving, still] = [await tenantOn('SHARD_1'), await tenantOn('SHARD_2')];
    await populate(moving);
    expect((await moveTenant(deps({ pagesPerCall: 1 }), moving.tenant, 'SHARD_2')).state).toBe('copying');
    const outcome: Record<string, string> = {};
    const message = (tenantId: string, id: string) => ({
      id, timestamp: new Date(), attempts: 1,
      body: { tenantId, id, requestId: id, at: new Date().toISOString(), tokenId: null, tokenLabel: null, authFailure: null, method: 'GET', path: '/scim/v2/Users', query: null, status: 200, scimType: null, durationMs: 1, rowsRead: 1, rowsWritten: 0, resourceId: null, userAgent: null, requestBody: null, responseBody: null },
      ack: () => (outcome[id] = 'ack'),
      retry: (options?: { delaySeconds?: number }) => (outcome[id] = `retry ${options?.delaySeconds}`),
    });
    const held = crypto.randomUUID();
    const written = crypto.randomUUID();
    await recordOnShards(env, [message(moving.tenant, held), message(still.tenant, written)] as never);
    expect(outcome).toEqual({ [held]: 'retry 60', [written]: 'ack' });
    expect(await env.SHARD_2!.prepare('SELECT 1 FROM request_log WHERE tenant_id = ? AND id = ?').bind(still.tenant, written).first()).not.toBeNull();
    expect(await env.SHARD_1!.prepare('SELECT 1 FROM request_log WHERE id = ?').bind(held).first()).toBeNull();
    await rollbackMove(deps(), moving.tenant);
  });
});
