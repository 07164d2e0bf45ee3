import { describe, expect, it } from 'vitest';
import { body, call, expectError, newTenant } from '../helpers';

describe('per-tenant base URL /t/{tenant}/scim/v2', () => {
  it('serves the same API with locations under the tenant base', async () => {
    const scim = await newTenant();
    const headers = { Authorization: `Bearer ${scim.token}`, 'Content-Type': 'application/scim+json' };
    const res = await call(`/t/${scim.tenant}/scim/v2/Users`, { method: 'POST', headers, body: JSON.stringify({ userName: 'based' }) });
    expect(res.status).toBe(201);
    const user = await body(res);
    expect(user.meta.location).toBe(`http://scim.test/t/${scim.tenant}/scim/v2/Users/${user.id}`);
    expect(res.headers.get('Location')).toBe(user.meta.location);
    const got = await call(`/t/${scim.tenant}/scim/v2/Users/${user.id}`, { headers });
    expect((await body(got)).id).toBe(user.id);
    const spc = await body(await call(`/t/${scim.tenant}/scim/v2/ServiceProviderConfig`, { headers }));
    expect(spc.meta.location).toBe(`http://scim.test/t/${scim.tenant}/scim/v2/ServiceProviderConfig`);
  });

  it('refuses a token of another tenant with 401', async () => {
    const a = await newTenant();
    const b = await newTenant();
    const res = await call(`/t/${a.tenant}/scim/v2/Users`, { headers: { Authorization: `Bearer ${b.token}` } });
    await expectError(res, 401, undefined);
  });
});
