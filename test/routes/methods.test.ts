import { describe, expect, it } from 'vitest';
import { body, call, newTenant } from '../helpers';

// RFC 9110 §15.5.6: 405 with the Allow header derived from the registered routes.

describe('405 Method Not Allowed', () => {
  it.each([
    ['DELETE', '/Users', 'GET, POST'],
    ['OPTIONS', '/Groups', 'GET, POST'],
    ['POST', '/Users/123', 'GET, PUT, PATCH, DELETE'],
    ['POST', '/Me', 'GET, PUT, PATCH, DELETE'],
    ['GET', '/Users/.search', 'POST'],
    ['GET', '/.search', 'POST'],
    ['GET', '/Bulk', 'POST'],
    ['PUT', '/ResourceTypes', 'GET'],
    ['DELETE', '/ResourceTypes/User', 'GET'],
    ['PATCH', '/Schemas', 'GET'],
    ['POST', '/ServiceProviderConfig', 'GET'],
    ['POST', '/ServiceProviderConfiguration', 'GET'],
  ])('%s %s answers 405 with Allow: %s', async (method, path, allow) => {
    const scim = await newTenant();
    const res = await scim.request(method, path, method === 'GET' || method === 'OPTIONS' || method === 'DELETE' ? undefined : {});
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe(allow);
    expect(await body(res)).toMatchObject({ status: '405', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
  });

  it('answers 404, not 405, for an endpoint that does not exist', async () => {
    const scim = await newTenant();
    for (const [method, path] of [['DELETE', '/Nope'], ['POST', '/Nope/1'], ['GET', '/Nope/.search']]) {
      const res = await scim.request(method!, path!);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });

  it('works the same under a per-tenant base URL', async () => {
    const scim = await newTenant();
    const res = await call(`/t/${scim.tenant}/scim/v2/Users`, { method: 'DELETE', headers: { Authorization: `Bearer ${scim.token}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('GET, POST');
  });

  it('treats the root as the search endpoint it is (GET only), and an empty segment as no route', async () => {
    const scim = await newTenant();
    const root = await scim.request('POST', '', {});
    expect(root.status).toBe(405);
    expect(root.headers.get('Allow')).toBe('GET');
    expect((await scim.request('DELETE', '//Users')).status).toBe(404);
    const slash = await scim.request('DELETE', '/Users/');
    expect([slash.status, slash.headers.get('Allow')]).toEqual([405, 'GET, POST']);
  });
});
