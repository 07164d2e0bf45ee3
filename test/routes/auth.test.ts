import { describe, expect, it } from 'vitest';
import { body, call, expectError, newTenant } from '../helpers';

describe('SCIM authentication', () => {
  it('accepts Bearer and Token schemes in any letter case', async () => {
    const scim = await newTenant();
    for (const scheme of ['Bearer', 'bearer', 'Token', 'TOKEN']) {
      const res = await call('/scim/v2/Users', { headers: { Authorization: `${scheme} ${scim.token}` } });
      expect(res.status, scheme).toBe(200);
    }
  });

  it('accepts the token as the HTTP Basic password, for clients limited to Basic', async () => {
    const scim = await newTenant();
    const res = await call('/scim/v2/Users', { headers: { Authorization: `Basic ${btoa(`scim:${scim.token}`)}` } });
    expect(res.status).toBe(200);
    const spc = await (await call('/scim/v2/ServiceProviderConfig', { headers: { Authorization: `Bearer ${scim.token}` } })).json() as { authenticationSchemes: { type: string }[] };
    expect(spc.authenticationSchemes.map((s) => s.type)).toEqual(['oauthbearertoken', 'httpbasic']);
  });

  it('answers a missing or unknown token with 401, a SCIM body and WWW-Authenticate', async () => {
    for (const headers of [{}, { Authorization: 'Bearer scim_not-a-real-token' }, { Authorization: 'Basic dXNlcjpwYXNz' }, { Authorization: 'Basic !!!' }, { Authorization: `Basic ${btoa('no-colon')}` }] as Record<string, string>[]) {
      const res = await call('/scim/v2/Users', { headers });
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
      await expectError(res, 401, undefined);
    }
  });

  it('mints tokens of at least 256 bits with a recognisable prefix, stored only as a hash', async () => {
    const scim = await newTenant();
    expect(scim.token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    const { env } = await import('cloudflare:workers');
    const keys = await env.TOKENS.list();
    const all = await Promise.all(keys.keys.map((k) => env.TOKENS.get(k.name)));
    expect(keys.keys.some((k) => k.name.includes(scim.token))).toBe(false);
    expect(all.some((v) => v?.includes(scim.token))).toBe(false);
  });
});

describe('tenant isolation', () => {
  it('gives a token of tenant b 404 for a user and group of tenant a, and hides them from lists', async () => {
    const a = await newTenant();
    const b = await newTenant();
    const user = await a.createUser('secret-user');
    const group = await a.createGroup('secret-group', [user.id]);
    expect((await b.get(`/Users/${user.id}`)).status).toBe(404);
    expect((await b.get(`/Groups/${group.id}`)).status).toBe(404);
    expect((await b.put(`/Users/${user.id}`, { userName: 'stolen' })).status).toBe(404);
    expect((await b.delete(`/Users/${user.id}`)).status).toBe(404);
    expect((await b.delete(`/Groups/${group.id}`)).status).toBe(404);
    expect((await body(await b.get('/Users'))).totalResults).toBe(0);
    expect((await body(await b.get('/Groups'))).totalResults).toBe(0);
    expect((await a.get(`/Users/${user.id}`)).status).toBe(200);
  });
});
