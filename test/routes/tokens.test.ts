import { describe, expect, it } from 'vitest';
import { admin, body, newTenant, Scim } from '../helpers';

async function mint(tenant: string, options: Record<string, unknown> = {}) {
  const res = await admin(`/tenants/${tenant}/tokens`, 'POST', { label: 'extra', ...options });
  return { status: res.status, data: (await res.json()) as Record<string, any> };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('token lifecycle', () => {
  it('lists metadata only: never the token, never its hash', async () => {
    const scim = await newTenant();
    const res = await admin(`/tenants/${scim.tenant}/tokens`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(scim.token);
    const { tokens } = JSON.parse(text) as { tokens: Record<string, unknown>[] };
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ label: 'test', scopes: ['scim:read', 'scim:write'] });
    expect(tokens[0]).not.toHaveProperty('hash');
    expect(tokens[0]!.hint).toBe(`${scim.token.slice(0, 8)}…${scim.token.slice(-4)}`);
    expect((await admin('/tenants/nope/tokens')).status).toBe(404);
  });

  it('records when a token was last used, shown in the listing', async () => {
    const scim = await newTenant();
    const before = Date.now();
    expect((await scim.get('/Users')).status).toBe(200);
    let lastUsed: string | undefined;
    for (let i = 0; i < 20 && !lastUsed; i++) {
      const { tokens } = (await (await admin(`/tenants/${scim.tenant}/tokens`)).json()) as { tokens: { lastUsed?: string }[] };
      lastUsed = tokens[0]!.lastUsed;
      if (!lastUsed) await sleep(50);
    }
    expect(Date.parse(lastUsed!)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('revokes a token: 204, then 401 at once', async () => {
    const scim = await newTenant();
    const { tokens } = (await (await admin(`/tenants/${scim.tenant}/tokens`)).json()) as { tokens: { id: string }[] };
    expect((await scim.get('/Users')).status).toBe(200);
    expect((await admin(`/tenants/${scim.tenant}/tokens/${tokens[0]!.id}`, 'DELETE')).status).toBe(204);
    expect((await scim.get('/Users')).status).toBe(401);
    expect((await admin(`/tenants/${scim.tenant}/tokens/${tokens[0]!.id}`, 'DELETE')).status).toBe(404);
  });

  it('rotates with a grace period: both work within it, the old one fails after', async () => {
    const scim = await newTenant();
    const { tokens } = (await (await admin(`/tenants/${scim.tenant}/tokens`)).json()) as { tokens: { id: string }[] };
    const res = await admin(`/tenants/${scim.tenant}/tokens/${tokens[0]!.id}/rotate`, 'POST', { graceSeconds: 1 });
    expect(res.status).toBe(201);
    const rotated = (await res.json()) as { token: string; id: string };
    const fresh = new Scim(scim.tenant, rotated.token);
    expect((await fresh.get('/Users')).status).toBe(200);
    expect((await scim.get('/Users')).status).toBe(200);
    await sleep(1200);
    expect((await scim.get('/Users')).status).toBe(401);
    expect((await fresh.get('/Users')).status).toBe(200);
  });

  it('rotates with graceSeconds 0: the old token stops at once', async () => {
    const scim = await newTenant();
    const { tokens } = (await (await admin(`/tenants/${scim.tenant}/tokens`)).json()) as { tokens: { id: string }[] };
    const rotated = (await (await admin(`/tenants/${scim.tenant}/tokens/${tokens[0]!.id}/rotate`, 'POST', { graceSeconds: 0 })).json()) as { token: string };
    expect((await scim.get('/Users')).status).toBe(401);
    expect((await new Scim(scim.tenant, rotated.token).get('/Users')).status).toBe(200);
  });

  it('rejects an expired token with 401', async () => {
    const scim = await newTenant();
    const { data } = await mint(scim.tenant, { expiresInDays: 0.00001 }); // under a second
    await sleep(1000);
    expect((await new Scim(scim.tenant, data.token).get('/Users')).status).toBe(401);
  });

  it('gives a scim:read token 403 on writes and 200 on reads', async () => {
    const scim = await newTenant();
    const { data } = await mint(scim.tenant, { scopes: ['scim:read'] });
    const reader = new Scim(scim.tenant, data.token);
    expect((await reader.get('/Users')).status).toBe(200);
    const write = await reader.post('/Users', { userName: 'nope' });
    expect(write.status).toBe(403);
    expect(await body(write)).toMatchObject({ status: '403', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
  });

  it('validates token options with 400', async () => {
    const scim = await newTenant();
    expect((await mint(scim.tenant, { scopes: ['scim:admin'] })).status).toBe(400);
    expect((await mint(scim.tenant, { expiresInDays: -1 })).status).toBe(400);
    expect((await mint(scim.tenant, { subject: 'no-such-user' })).status).toBe(400);
    const noLabel = await admin(`/tenants/${scim.tenant}/tokens`, 'POST', {});
    expect(noLabel.status).toBe(400);
  });
});

describe('/Me', () => {
  it('acts on the token subject for GET, PUT and DELETE', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('me-user');
    const { data } = await mint(scim.tenant, { subject: user.id });
    const me = new Scim(scim.tenant, data.token);
    const got = await me.get('/Me');
    expect(got.status).toBe(200);
    expect((await body(got)).id).toBe(user.id);
    expect(got.headers.get('Location')).toBe(`http://scim.test/scim/v2/Users/${user.id}`);
    const put = await me.put('/Me', { userName: 'me-user', nickName: 'Me' });
    expect((await body(put)).nickName).toBe('Me');
    expect((await me.delete('/Me')).status).toBe(204);
    expect((await scim.get(`/Users/${user.id}`)).status).toBe(404);
  });

  it('answers 501 when the token has no subject', async () => {
    const scim = await newTenant();
    const res = await scim.get('/Me');
    expect(res.status).toBe(501);
    expect((await body(res)).status).toBe('501');
  });
});

describe('admin endpoint without ADMIN_TOKEN', () => {
  it('answers 404 to everything', async () => {
    const { app } = await import('../../src/app');
    const { env } = await import('cloudflare:workers');
    const res = await app.request('/admin/tenants', { headers: { Authorization: 'Bearer anything' } }, { ...env, ADMIN_TOKEN: undefined });
    expect(res.status).toBe(404);
  });
});

