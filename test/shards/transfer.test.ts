import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { admin, call, ADMIN } from '../helpers';
import { populate, snapshot, tenantOn } from './fixtures';

// Export and import (README "Export and import"): a tenant as NDJSON, loaded into an empty tenant.

async function exported(tenant: string): Promise<string> {
  const res = await admin(`/tenants/${tenant}/export`);
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toContain('application/x-ndjson');
  return res.text();
}

const importInto = (tenant: string, body: string) =>
  call(`/admin/tenants/${tenant}/import`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/x-ndjson' }, body });

describe('export and import', () => {
  it('gives an identical directory through the API in a fresh tenant, on another shard', async () => {
    const source = await tenantOn('SHARD_1');
    await populate(source);
    const file = await exported(source.tenant);
    const lines = file.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ format: 'edge-scim-tenant/1', tenant: source.tenant });
    expect(lines.at(-1)).toMatchObject({ end: true });
    expect(file).not.toContain(source.token);
    const target = await tenantOn('SHARD_2');
    const res = await importInto(target.tenant, file);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { rows: Record<string, number> }).rows.resources).toBe(16);
    expect(await snapshot(target)).toEqual(await snapshot(source));
    // Writable afterwards, with the same uniqueness and references.
    expect((await target.post('/Users', { userName: 'user1@example.com' })).status).toBe(409);
    expect((await target.post('/Organizations', { schemas: ['urn:example:ciam:schemas:Organization'], name: 'Other', code: 'ACME' })).status).toBe(409);
    const n = await env.SHARD_2!.prepare("SELECT n FROM resource_counts WHERE tenant_id = ? AND resource_type = 'User'").bind(target.tenant).first<{ n: number }>();
    expect(n?.n).toBe(12);
  });

  it('refuses a tenant that is not empty (409), a forged or cut-off file (400), and leaves nothing half-loaded', async () => {
    const source = await tenantOn('SHARD_1');
    await populate(source);
    const file = await exported(source.tenant);
    expect((await importInto(source.tenant, file)).status).toBe(409);
    const target = await tenantOn('SHARD_2');
    const cut = file.trim().split('\n').slice(0, -1).join('\n');
    expect((await importInto(target.tenant, cut)).status).toBe(400);
    expect((await importInto(target.tenant, '{"format":"something-else"}\n')).status).toBe(400);
    const badColumn = file.replace('"table":"resources","row":{', '"table":"resources","row":{"evil":1,');
    const bad = await importInto(target.tenant, badColumn);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('evil');
    const twice = file.trim().split('\n');
    const userLine = twice.findIndex((l) => l.includes('"table":"resources"'));
    twice.splice(userLine, 0, twice[userLine]!);
    const end = JSON.parse(twice.at(-1)!);
    end.rows.resources += 1;
    twice[twice.length - 1] = JSON.stringify(end);
    const duplicate = await importInto(target.tenant, twice.join('\n'));
    expect(duplicate.status).toBe(400);
    expect(JSON.stringify(await duplicate.json())).toContain('could not be stored');
    const broken = file.replace(/"data":"\{/, '"data":"{broken');
    expect(broken).not.toBe(file);
    const refused = await importInto(target.tenant, broken);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain("'data'");
    expect(((await (await target.get('/Users')).json()) as { totalResults: number }).totalResults).toBe(0);
    expect(((await (await target.get('/Groups')).json()) as { totalResults: number }).totalResults).toBe(0);
    // And then the whole file loads.
    expect((await importInto(target.tenant, file)).status).toBe(200);
    expect(await snapshot(target)).toEqual(await snapshot(source));
  });
});
