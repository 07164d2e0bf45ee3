import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { SHARED_VERSION_MEMO_MS } from '../../../src/service/registry';
import { body, expectError, newTenant, ok } from '../../helpers';
import { ciamTenant, ORG, ORG_EXT, orgType, put } from './ciam';

// The registry a request uses is the tenant's, compiled once per isolate and keyed by the
// declarations version (src/service/registry.ts): a change elsewhere arrives through KV.

describe('the per-tenant registry', () => {
  it('picks up a change made in another location once KV carries its version and the isolate\'s memo of it lapses', async () => {
    const scim = await ciamTenant();
    expect((await ok(await scim.get(`/Schemas/${ORG}`))).attributes.map((a: any) => a.name)).not.toContain('motto');
    // Another location changed the declaration: D1 and KV hold it, this isolate's markers do not.
    const row = await env.DB.prepare("SELECT body FROM declarations WHERE tenant_id = ? AND kind = 'schema' AND lookup = ?").bind(scim.tenant, ORG.toLowerCase()).first<{ body: string }>();
    const schema = JSON.parse(row!.body);
    schema.attributes.push({ ...schema.attributes[0], name: 'motto', required: false });
    await env.DB.batch([
      env.DB.prepare("UPDATE declarations SET body = ? WHERE tenant_id = ? AND kind = 'schema' AND lookup = ?").bind(JSON.stringify(schema), scim.tenant, ORG.toLowerCase()),
      env.DB.prepare('UPDATE tenants SET declarations_version = declarations_version + 1 WHERE id = ?').bind(scim.tenant),
    ]);
    const { version } = (await env.DB.prepare('SELECT declarations_version AS version FROM tenants WHERE id = ?').bind(scim.tenant).first<{ version: number }>())!;
    await env.TOKENS.put(`declver:${scim.tenant}`, String(version));
    // Within the memo this isolate answers from the version it has (reads only; writes check it).
    expect((await ok(await scim.get(`/Schemas/${ORG}`))).attributes.map((a: any) => a.name)).not.toContain('motto');
    const realNow = Date.now.bind(Date);
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + SHARED_VERSION_MEMO_MS + 1);
    try {
      expect((await ok(await scim.get(`/Schemas/${ORG}`))).attributes.map((a: any) => a.name)).toContain('motto');
      const created = await scim.post('/Organizations', { name: 'Acme', motto: 'Onward' });
      expect((await body(created)).motto).toBe('Onward');
    } finally {
      clock.mockRestore();
    }
  });

  it('reads no D1 for the registry of a tenant without declarations, and one statement on a compile', async () => {
    const plain = await newTenant();
    const res = await plain.get('/ResourceTypes');
    expect(res.headers.get('X-D1-Rows-Read')).toBe('0');
  });

  it('requires a required extension and the required attributes of a present one', async () => {
    const scim = await ciamTenant();
    const strict = { ...orgType, schemaExtensions: [{ schema: ORG_EXT, required: true }] };
    expect((await put(scim.tenant, '/resource-types/Organization', strict)).status).toBe(200);
    const without = await scim.post('/Organizations', { name: 'Acme' });
    expect((await expectError(without, 400, 'invalidValue')).detail).toContain(ORG_EXT);
    expect((await scim.post('/Organizations', { name: 'Acme', [ORG_EXT]: { tier: 'gold' } })).status).toBe(201);
  });

  it('refuses a write built from a registry another location has changed meanwhile (503, Retry-After), then takes it', async () => {
    const scim = await ciamTenant();
    await scim.get('/Organizations'); // this isolate has the registry compiled
    // Another location changes the declarations: D1 moves on, KV and this isolate do not know yet.
    await env.DB.prepare('UPDATE tenants SET declarations_version = declarations_version + 1 WHERE id = ?').bind(scim.tenant).run();
    const stale = await scim.post('/Organizations', { name: 'Acme' });
    expect(stale.status).toBe(503);
    expect(stale.headers.get('Retry-After')).toBe('1');
    expect((await ok(await scim.get('/Organizations'))).totalResults).toBe(0);
    expect((await scim.post('/Organizations', { name: 'Acme' })).status).toBe(201);
  });
});
