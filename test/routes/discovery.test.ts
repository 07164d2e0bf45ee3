import { describe, expect, it } from 'vitest';
import { body, ENTERPRISE, GROUP_SCHEMA, newTenant, USER_SCHEMA } from '../helpers';

describe('discovery', () => {
  it('serves ServiceProviderConfig under both names, telling the real limits', async () => {
    const scim = await newTenant();
    for (const path of ['/ServiceProviderConfig', '/ServiceProviderConfiguration']) {
      const res = await scim.get(path);
      expect(res.status).toBe(200);
      const spc = await body(res);
      expect(spc.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
      expect(spc.filter.maxResults).toBe(1000);
      expect(spc.bulk.maxPayloadSize).toBe(524288);
      expect(spc.authenticationSchemes[0].type).toBe('oauthbearertoken');
      expect(spc.meta.resourceType).toBe('ServiceProviderConfig');
    }
  });

  it('lists resource types and serves each by id', async () => {
    const scim = await newTenant();
    const list = await body(await scim.get('/ResourceTypes'));
    expect(list.totalResults).toBe(2);
    const user = await body(await scim.get('/ResourceTypes/User'));
    expect(user).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      endpoint: '/Users',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
      meta: { resourceType: 'ResourceType', location: 'http://scim.test/scim/v2/ResourceTypes/User' },
    });
    expect((await body(await scim.get('/ResourceTypes/Group'))).schema).toBe(GROUP_SCHEMA);
    expect((await scim.get('/ResourceTypes/Nope')).status).toBe(404);
  });

  it('lists schemas and serves each by URN, with full attribute definitions', async () => {
    const scim = await newTenant();
    const list = await body(await scim.get('/Schemas'));
    expect(list.Resources.map((s: { id: string }) => s.id)).toEqual([
      USER_SCHEMA,
      ENTERPRISE,
      GROUP_SCHEMA,
      'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
      'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
      'urn:ietf:params:scim:schemas:core:2.0:Schema',
    ]);
    expect(list.totalResults).toBe(6);
    const user = await body(await scim.get(`/Schemas/${USER_SCHEMA}`));
    expect(user.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Schema']);
    const userName = user.attributes.find((a: { name: string }) => a.name === 'userName');
    expect(userName).toMatchObject({ type: 'string', required: true, uniqueness: 'server', caseExact: false });
    const password = user.attributes.find((a: { name: string }) => a.name === 'password');
    expect(password).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    const emails = user.attributes.find((a: { name: string }) => a.name === 'emails');
    expect(emails.subAttributes.map((a: { name: string }) => a.name)).toEqual(['value', 'display', 'type', 'primary']);
    expect((await body(await scim.get(`/Schemas/${ENTERPRISE}`))).name).toBe('EnterpriseUser');
    expect((await scim.get('/Schemas/urn:nope')).status).toBe(404);
  });
});
