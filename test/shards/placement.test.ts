import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { admin, call, Scim } from '../helpers';

// Tenants spread over data databases (issue 15, README "Shards"): this project declares SHARD_1 and
// SHARD_2 beside the control database DB.

let counter = 0;
const freshId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

async function tenantOn(shard?: string): Promise<Scim & { shard: string }> {
  const id = freshId('s');
  const created = await admin('/tenants', 'POST', { id, name: id, ...(shard ? { shard } : {}) });
  expect(created.status).toBe(201);
  const tenant = (await created.json()) as { shard: string };
  const { token } = (await (await admin(`/tenants/${id}/tokens`, 'POST', { label: 'test' })).json()) as { token: string };
  return Object.assign(new Scim(id, token), { shard: tenant.shard });
}

const count = async (db: D1Database, table: string, tenant: string) =>
  (await db.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`).bind(tenant).first<{ n: number }>())!.n;

describe('placement', () => {
  it('puts a tenant on the shard named, shows it in the tenant and in GET /admin/shards', async () => {
    const before = (await (await admin('/shards')).json()) as { shards: { name: string; tenants: number }[] };
    expect(before.shards.map((s) => s.name)).toEqual(['SHARD_1', 'SHARD_2']);
    const scim = await tenantOn('SHARD_2');
    expect(scim.shard).toBe('SHARD_2');
    expect(((await (await admin(`/tenants/${scim.tenant}`)).json()) as { shard: string }).shard).toBe('SHARD_2');
    const after = (await (await admin('/shards')).json()) as { shards: { name: string; tenants: number }[] };
    const on = (list: typeof after, name: string) => list.shards.find((s) => s.name === name)!.tenants;
    expect(on(after, 'SHARD_2')).toBe(on(before, 'SHARD_2') + 1);
    expect(on(after, 'SHARD_1')).toBe(on(before, 'SHARD_1'));
  });

  it('refuses a shard that does not exist (400 naming the shards)', async () => {
    const res = await admin('/tenants', 'POST', { id: freshId('bad'), shard: 'SHARD_9' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('SHARD_1');
  });

  it('places an unplaced tenant on the shard with the fewest tenants', async () => {
    const { shards } = (await (await admin('/shards')).json()) as { shards: { name: string; tenants: number }[] };
    const fewest = [...shards].sort((a, b) => a.tenants - b.tenants || a.name.localeCompare(b.name))[0]!.name;
    expect((await tenantOn()).shard).toBe(fewest);
  });

  it('keeps a tenant\'s rows on its data database and only its directory row on the control database', async () => {
    const scim = await tenantOn('SHARD_1');
    const user = await scim.createUser('placed@example.com');
    const group = await scim.post('/Groups', { displayName: 'Placed', members: [{ value: user.id }] });
    expect(group.status).toBe(201);
    expect(await count(env.SHARD_1!, 'resources', scim.tenant)).toBe(2);
    expect(await count(env.SHARD_1!, 'memberships', scim.tenant)).toBe(1);
    expect(await count(env.SHARD_1!, 'events', scim.tenant)).toBeGreaterThanOrEqual(3);
    for (const table of ['resources', 'memberships', 'events', 'resource_values']) {
      expect(await count(env.DB, table, scim.tenant)).toBe(0);
      expect(await count(env.SHARD_2!, table, scim.tenant)).toBe(0);
    }
    const directory = await env.DB.prepare('SELECT shard FROM tenants WHERE id = ?').bind(scim.tenant).first<{ shard: string }>();
    expect(directory?.shard).toBe('SHARD_1');
    // Reads and the feed come from the shard.
    expect((await (await scim.get(`/Users/${user.id}`)).json() as { groups: unknown[] }).groups).toHaveLength(1);
    const feed = (await (await admin(`/tenants/${scim.tenant}/events`)).json()) as { events: { type: string }[] };
    expect(feed.events.map((e) => e.type)).toContain('group.member_added');
  });

  it('never lets tenants on different shards see or touch each other\'s data', async () => {
    const [one, two] = [await tenantOn('SHARD_1'), await tenantOn('SHARD_2')];
    const a = await one.createUser('same@example.com');
    const b = await two.createUser('same@example.com');
    expect((await one.get(`/Users/${b.id}`)).status).toBe(404);
    expect((await two.get(`/Users/${a.id}`)).status).toBe(404);
    expect((await two.patch(`/Users/${a.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] })).status).toBe(404);
    expect((await two.delete(`/Users/${a.id}`)).status).toBe(404);
    const list = (await (await one.get('/Users')).json()) as { totalResults: number; Resources: { id: string }[] };
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0]!.id).toBe(a.id);
    // Root /.search (RFC 7644 §3.4.3) stays within the token's tenant, on its shard.
    const search = await one.post('/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName eq "same@example.com"' });
    expect(search.status).toBe(200);
    const found = (await search.json()) as { totalResults: number; Resources: { id: string }[] };
    expect(found.Resources.map((r) => r.id)).toEqual([a.id]);
    // A token of one tenant on the other's base URL.
    expect((await call(`/t/${two.tenant}/scim/v2/Users`, { headers: { Authorization: `Bearer ${one.token}` } })).status).toBe(401);
  });

  it('deletes a tenant\'s rows from its shard and its directory row', async () => {
    const scim = await tenantOn('SHARD_2');
    await scim.createUser('gone@example.com');
    expect((await admin(`/tenants/${scim.tenant}`, 'DELETE')).status).toBe(200);
    expect(await count(env.SHARD_2!, 'resources', scim.tenant)).toBe(0);
    expect(await env.DB.prepare('SELECT 1 FROM tenants WHERE id = ?').bind(scim.tenant).first()).toBeNull();
    expect(await env.SHARD_2!.prepare('SELECT 1 FROM tenants WHERE id = ?').bind(scim.tenant).first()).toBeNull();
    // Its feed stays readable for its retention, from the shard it was on.
    const feed = (await (await admin(`/tenants/${scim.tenant}/events`)).json()) as { events: { type: string }[] };
    expect(feed.events.at(-1)!.type).toBe('tenant.deleted');
  });

  it('keeps a tenant\'s provisioning log on its shard and lists it from there', async () => {
    const scim = await tenantOn('SHARD_2');
    await scim.createUser('logged@example.com');
    let listed: { requests: { method: string }[] } = { requests: [] };
    for (let i = 0; i < 100 && listed.requests.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      listed = (await (await admin(`/tenants/${scim.tenant}/requests`)).json()) as typeof listed;
    }
    expect(listed.requests.map((r) => r.method)).toContain('POST');
    expect(await count(env.SHARD_2!, 'request_log', scim.tenant)).toBeGreaterThan(0);
    expect(await count(env.DB, 'request_log', scim.tenant)).toBe(0);
  });
});
