import { describe, expect, it } from 'vitest';
import { body, newTenant } from '../../helpers';

// RFC 7644 §4: "If a 'filter' is provided, the service provider SHOULD respond with HTTP status code
// 403 (Forbidden) to ensure that clients cannot incorrectly assume that any matching conditions
// specified in a filter are true."

describe('discovery endpoints with a filter', () => {
  it.each([
    '/ServiceProviderConfig?filter=patch.supported eq true',
    '/ServiceProviderConfiguration?filter=patch.supported eq true',
    '/ResourceTypes?filter=name eq "User"',
    '/Schemas?filter=id eq "urn:ietf:params:scim:schemas:core:2.0:User"',
    '/Schemas?filter=',
  ])('answers GET %s with 403 and a SCIM error body', async (path) => {
    const scim = await newTenant();
    const res = await scim.get(path.replace(/ /g, '%20').replace(/"/g, '%22'));
    expect(res.status).toBe(403);
    expect(res.headers.get('Content-Type')).toContain('application/scim+json');
    expect(await body(res)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '403' });
  });

  it('serves the same endpoints with 200 when no filter is given, whatever else is', async () => {
    const scim = await newTenant();
    for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas', '/Schemas?attributes=id']) {
      expect((await scim.get(path)).status, path).toBe(200);
    }
  });
});
