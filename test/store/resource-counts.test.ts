import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { admin, newTenant, ok } from '../helpers';

// resource_counts (migration 0006) is kept by triggers on `resources`: whoever inserts or deletes
// a row, the count follows in the same statement.

const counts = async (tenant: string) =>
  (await env.DB.prepare('SELECT resource_type AS type, n FROM resource_counts WHERE tenant_id = ? ORDER BY resource_type').bind(tenant).all()).results;

describe('resource_counts', () => {
  it('follows creates, deletes and failed writes exactly', async () => {
    const scim = await newTenant();
    const a = await scim.createUser('count-a');
    await scim.createUser('count-b');
    await scim.createGroup('count-g', [a.id]);
    expect(await counts(scim.tenant)).toEqual([{ type: 'Group', n: 1 }, { type: 'User', n: 2 }]);
    // A refused create (userName taken) rolls its batch back, count included.
    expect((await scim.post('/Users', { userName: 'COUNT-A' })).status).toBe(409);
    expect((await scim.delete(`/Users/${a.id}`)).status).toBe(204);
    expect((await scim.delete(`/Users/${a.id}`)).status).toBe(404);
    expect(await counts(scim.tenant)).toEqual([{ type: 'Group', n: 1 }, { type: 'User', n: 1 }]);
    expect((await ok(await scim.get('/Users'))).totalResults).toBe(1);
  });

  it('outlives its tenant at n = 0, so a tenant id created again never restarts its changes', async () => {
    const scim = await newTenant();
    await scim.createUser('count-gone');
    expect((await admin(`/tenants/${scim.tenant}`, 'DELETE')).status).toBe(200);
    expect(await counts(scim.tenant)).toEqual([{ type: 'User', n: 0 }]);
    const changes = await env.DB.prepare('SELECT changes FROM resource_counts WHERE tenant_id = ?').bind(scim.tenant).first<{ changes: number }>();
    expect(changes!.changes).toBe(2);
  });
});
