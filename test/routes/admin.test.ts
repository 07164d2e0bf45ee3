import { describe, expect, it } from 'vitest';
import { admin, ADMIN, body, call, newTenant } from '../helpers';

const uniqueId = () => `adm${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

describe('admin API guard', () => {
  it('rejects a missing or wrong admin token with 401', async () => {
    expect((await call('/admin/tenants')).status).toBe(401);
    const wrong = await call('/admin/tenants', { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('WWW-Authenticate')).toBe('Bearer realm="admin"');
    expect(wrong.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(await wrong.json()).toHaveProperty('error', 'unauthorized');
  });

  it('refuses SCIM tokens on the admin endpoint', async () => {
    const scim = await newTenant();
    expect((await call('/admin/tenants', { headers: { Authorization: `Bearer ${scim.token}` } })).status).toBe(401);
  });
});

describe('tenants', () => {
  it('creates a tenant with 201 and answers 409 when it exists', async () => {
    const id = uniqueId();
    const first = await admin('/tenants', 'POST', { id, name: 'Acme' });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ id, name: 'Acme' });
    expect((await admin('/tenants', 'POST', { id, name: 'Acme' })).status).toBe(409);
  });

  it('rejects a bad tenant id with 400 and a clear message', async () => {
    const res = await admin('/tenants', 'POST', { id: 'no spaces/allowed' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('id');
  });

  it('lists and gets tenants, 404 for an unknown one', async () => {
    const id = uniqueId();
    await admin('/tenants', 'POST', { id, name: 'Listed' });
    const list = (await (await admin('/tenants')).json()) as { tenants: { id: string }[] };
    expect(list.tenants.map((t) => t.id)).toContain(id);
    expect(await (await admin(`/tenants/${id}`)).json()).toMatchObject({ id, name: 'Listed', tokens: 0 });
    expect((await admin('/tenants/does-not-exist')).status).toBe(404);
  });

  it('deletes a tenant with its tokens and resources', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('doomed');
    await scim.createGroup('doomed-group', [user.id]);
    const res = await admin(`/tenants/${scim.tenant}`, 'DELETE');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ deleted: true, tokensRevoked: 1 });
    expect((await scim.get('/Users')).status).toBe(401);
    const { env } = await import('cloudflare:workers');
    const left = await env.DB.prepare('SELECT (SELECT count(*) FROM resources WHERE tenant_id = ?1) + (SELECT count(*) FROM memberships WHERE tenant_id = ?1) AS n')
      .bind(scim.tenant)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
    expect((await admin(`/tenants/${scim.tenant}`)).status).toBe(404);
  });
});

describe('admin request bodies', () => {
  const send = (path: string, text: string) =>
    call(`/admin${path}`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: text });

  it('answers a malformed JSON body with 400 and an admin error, never a SCIM one', async () => {
    const scim = await newTenant();
    for (const [path, text] of [
      ['/tenants', '{'],
      ['/tenants', ''],
      [`/tenants/${scim.tenant}/tokens`, '{"label":'],
      [`/tenants/${scim.tenant}/tokens/some-id/rotate`, 'not json'],
    ] as const) {
      const res = await send(path, text);
      expect(res.status, `${path} ${text}`).toBe(400);
      expect(res.headers.get('Content-Type'), path).toContain('application/json');
      const doc = await body(res);
      expect(doc, path).toMatchObject({ error: 'invalid_request' });
      expect(typeof doc.message, path).toBe('string');
      expect(doc, path).not.toHaveProperty('schemas');
    }
  });

  it('answers a well-formed body of the wrong shape with 400 invalid_request naming the field', async () => {
    const res = await send('/tenants', '[]');
    expect(res.status).toBe(400);
    expect(await body(res)).toMatchObject({ error: 'invalid_request' });
    const scim = await newTenant();
    const token = await send(`/tenants/${scim.tenant}/tokens`, '{"label":"x","expiresInDays":-1}');
    expect(token.status).toBe(400);
    expect((await body(token)).message).toContain('expiresInDays');
  });

  it('mints a token that expires after expiresInDays and one that never expires without it', async () => {
    const scim = await newTenant();
    const before = Date.now();
    const dated = await body(await send(`/tenants/${scim.tenant}/tokens`, '{"label":"dated","expiresInDays":2}'));
    const expires = Date.parse(dated.expires);
    expect(expires).toBeGreaterThanOrEqual(before + 2 * 86_400_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 2 * 86_400_000);
    const forever = await body(await send(`/tenants/${scim.tenant}/tokens`, '{"label":"forever"}'));
    expect(forever.expires).toBeUndefined();
  });
});
