import { describe, expect, it } from 'vitest';
import { body, expectError, newTenant } from '../helpers';

describe('protocol errors', () => {
  it('answers an unknown route with a SCIM 404', async () => {
    const scim = await newTenant();
    for (const path of ['/Nope', '/Nope/1', '/Users/x/y/z']) {
      await expectError(await scim.get(path), 404, undefined);
    }
  });

  it('answers a wrong method with 405 and an Allow header', async () => {
    const scim = await newTenant();
    const res = await scim.request('DELETE', '/Users');
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('GET, POST');
    expect((await body(res)).status).toBe('405');
    const spc = await scim.post('/ServiceProviderConfig', {});
    expect(spc.status).toBe(405);
    const item = await scim.post('/Users/123', {});
    expect(item.status).toBe(405);
  });
});

describe('unexpected failures', () => {
  it('answers 500 with a request id and nothing internal', async () => {
    const { env } = await import('cloudflare:workers');
    const scim = await newTenant();
    const user = await scim.createUser('corrupt');
    // Corrupt the stored document behind the API's back to force an internal failure.
    await env.DB.prepare('UPDATE resources SET data = ? WHERE id = ?').bind('{not json', user.id).run();
    const res = await scim.get(`/Users/${user.id}`);
    expect(res.status).toBe(500);
    const err = await body(res);
    expect(err).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500' });
    expect(err.detail).toContain(res.headers.get('X-Request-Id'));
    expect(err.detail).not.toMatch(/JSON|SyntaxError|at /);
  });
});
