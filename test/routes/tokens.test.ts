import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { issueToken, lookupToken } from '../../src/auth/tokens';
import { admin, body, call, expectError, newTenant, Scim } from '../helpers';

// Over HTTP with the real clock; expiry and grace ends at other instants are decided with an
// injected `now` on the same KV state (test/auth/ covers those decisions one by one).

async function mint(tenant: string, options: Record<string, unknown> = {}) {
  const res = await admin(`/tenants/${tenant}/tokens`, 'POST', { label: 'extra', ...options });
  return { status: res.status, data: (await res.json()) as Record<string, any> };
}

async function tokenIds(tenant: string): Promise<string[]> {
  const { tokens } = (await (await admin(`/tenants/${tenant}/tokens`)).json()) as { tokens: { id: string }[] };
  return tokens.map((t) => t.id);
}

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
    // Last use is written after the response (waitUntil): wait for that work, not for the clock.
    const ctx = createExecutionContext();
    expect((await call('/scim/v2/Users', { headers: { Authorization: `Bearer ${scim.token}` } }, ctx)).status).toBe(200);
    await waitOnExecutionContext(ctx);
    const { tokens } = (await (await admin(`/tenants/${scim.tenant}/tokens`)).json()) as { tokens: { lastUsed?: string }[] };
    expect(Date.parse(tokens[0]!.lastUsed!)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(tokens[0]!.lastUsed!)).toBeLessThanOrEqual(Date.now());
  });

  it('revokes a token: 204, then 401 at once', async () => {
    const scim = await newTenant();
    const [id] = await tokenIds(scim.tenant);
    expect((await scim.get('/Users')).status).toBe(200);
    expect((await admin(`/tenants/${scim.tenant}/tokens/${id}`, 'DELETE')).status).toBe(204);
    await expectError(await scim.get('/Users'), 401, undefined);
    expect((await admin(`/tenants/${scim.tenant}/tokens/${id}`, 'DELETE')).status).toBe(404);
  });

  it('rotates with a grace period: both tokens work within it, only the new one from its end on', async () => {
    const scim = await newTenant();
    const [id] = await tokenIds(scim.tenant);
    const rotatedAt = Date.now();
    const res = await admin(`/tenants/${scim.tenant}/tokens/${id}/rotate`, 'POST', { graceSeconds: 60 });
    expect(res.status).toBe(201);
    const rotated = (await res.json()) as { token: string; id: string };
    const fresh = new Scim(scim.tenant, rotated.token);
    expect((await fresh.get('/Users')).status).toBe(200);
    expect((await scim.get('/Users')).status).toBe(200);
    // The grace end, decided on the KV state the rotation left: the old token stops, the new one works.
    const { tokens } = (await (await admin(`/tenants/${scim.tenant}/tokens`)).json()) as { tokens: { id: string; expires?: string; rotatedTo?: string }[] };
    const old = tokens.find((t) => t.id === id)!;
    expect(old.rotatedTo).toBe(rotated.id);
    const graceEnd = Date.parse(old.expires!);
    expect(graceEnd).toBeGreaterThanOrEqual(rotatedAt + 60_000);
    expect(await lookupToken(env.TOKENS, scim.token, graceEnd - 1)).toMatchObject({ id });
    expect(await lookupToken(env.TOKENS, scim.token, graceEnd)).toBeUndefined();
    expect(await lookupToken(env.TOKENS, rotated.token, graceEnd)).toMatchObject({ id: rotated.id });
  });

  it('rotates with graceSeconds 0: the old token stops at once', async () => {
    const scim = await newTenant();
    const [id] = await tokenIds(scim.tenant);
    const rotated = (await (await admin(`/tenants/${scim.tenant}/tokens/${id}/rotate`, 'POST', { graceSeconds: 0 })).json()) as { token: string };
    await expectError(await scim.get('/Users'), 401, undefined);
    expect((await new Scim(scim.tenant, rotated.token).get('/Users')).status).toBe(200);
  });

  it('rejects an expired token with 401', async () => {
    const scim = await newTenant();
    const { token } = await issueToken(env.TOKENS, { tenantId: scim.tenant, label: 'expired', expires: new Date(Date.now() - 1).toISOString() });
    await expectError(await new Scim(scim.tenant, token).get('/Users'), 401, undefined);
  });

  it('stops a token minted with expiresInDays at its expiry', async () => {
    const scim = await newTenant();
    const { data } = await mint(scim.tenant, { expiresInDays: 0.5 });
    expect((await new Scim(scim.tenant, data.token).get('/Users')).status).toBe(200);
    const expires = Date.parse(data.expires);
    expect(await lookupToken(env.TOKENS, data.token, expires - 1)).toMatchObject({ id: data.id });
    expect(await lookupToken(env.TOKENS, data.token, expires)).toBeUndefined();
  });

  it('gives a scim:read token 403 on writes and 200 on reads', async () => {
    const scim = await newTenant();
    const { data } = await mint(scim.tenant, { scopes: ['scim:read'] });
    const reader = new Scim(scim.tenant, data.token);
    expect((await reader.get('/Users')).status).toBe(200);
    await expectError(await reader.post('/Users', { userName: 'nope' }), 403, undefined);
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
    await expectError(await scim.get('/Me'), 501, undefined);
  });
});

describe('admin endpoint without ADMIN_TOKEN', () => {
  it('answers 404 to everything', async () => {
    const { app } = await import('../../src/app');
    const res = await app.request('/admin/tenants', { headers: { Authorization: 'Bearer anything' } }, { ...env, ADMIN_TOKEN: undefined });
    expect(res.status).toBe(404);
  });
});

