import { describe, expect, it } from 'vitest';
import { body, call, expectError, newTenant, ok } from '../../helpers';
import { ciamTenant, createOrg, ORG, ORG_EXT, orgType, put, USER_EXT } from './ciam';

// Discovery is per tenant and truthful; two tenants' declarations never meet.

describe('per-tenant discovery', () => {
  it('lists the tenant declarations in /ResourceTypes and /Schemas, and only for that tenant', async () => {
    const ciam = await ciamTenant();
    const plain = await newTenant();
    const types = await ok(await ciam.get('/ResourceTypes'));
    expect(types.Resources.map((r: any) => r.name)).toEqual(['User', 'Group', 'Organization', 'OrganizationUser']);
    const user = await ok(await ciam.get('/ResourceTypes/User'));
    expect(user.schemaExtensions.map((e: any) => e.schema)).toContain(USER_EXT);
    const org = await ok(await ciam.get('/ResourceTypes/Organization'));
    expect(org).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'Organization',
      name: 'Organization',
      endpoint: '/Organizations',
      description: 'Organizations',
      schema: ORG,
      schemaExtensions: [{ schema: ORG_EXT, required: false }],
      meta: { resourceType: 'ResourceType', location: 'http://scim.test/scim/v2/ResourceTypes/Organization' },
    });
    expect((await ok(await ciam.get(`/Schemas/${encodeURIComponent(ORG)}`))).id).toBe(ORG);

    expect((await ok(await plain.get('/ResourceTypes'))).Resources.map((r: any) => r.name)).toEqual(['User', 'Group']);
    expect((await plain.get(`/Schemas/${ORG}`)).status).toBe(404);
    expect((await plain.get('/Organizations')).status).toBe(404);
    expect((await ok(await plain.get('/ResourceTypes/User'))).schemaExtensions.map((e: any) => e.schema)).not.toContain(USER_EXT);
  });

  it('keeps two tenants with conflicting declarations of /Organizations side by side', async () => {
    const a = await ciamTenant();
    const b = await newTenant();
    const other = 'urn:example:other:Organization';
    await put(b.tenant, `/schemas/${encodeURIComponent(other)}`, { id: other, attributes: [{ name: 'title', type: 'string', required: true }, { name: 'size', type: 'decimal' }] });
    expect((await put(b.tenant, '/resource-types/Organization', { ...orgType, schema: other, schemaExtensions: [] })).status).toBe(201);

    const inA = await createOrg(a, 'Acme');
    const inB = await b.post('/Organizations', { title: 'Beta', size: '1.5' });
    expect(inB.status).toBe(201);
    expect(await body(inB)).toMatchObject({ schemas: [other], title: 'Beta', size: 1.5 });
    await expectError(await b.post('/Organizations', { name: 'only A has name' }), 400, 'invalidValue');
    expect((await ok(await b.get('/Organizations'))).totalResults).toBe(1);
    expect((await b.get(`/Organizations/${inA.id}`)).status).toBe(404);
    expect((await ok(await a.get(`/Organizations?filter=${encodeURIComponent('name eq "Acme"')}`))).totalResults).toBe(1);
    await expectError(await a.get(`/Organizations?filter=${encodeURIComponent('title eq "Beta"')}`), 400, 'invalidFilter');
  });

  it('describes the tenant types in /openapi.json when called with its token', async () => {
    const ciam = await ciamTenant();
    const own = await ok(await call('/openapi.json', { headers: { Authorization: `Bearer ${ciam.token}` } }));
    expect(Object.keys(own.paths)).toContain('/Organizations/{id}');
    const anonymous = await ok(await call('/openapi.json'));
    expect(Object.keys(anonymous.paths)).not.toContain('/Organizations/{id}');
  });

  it('never lets a declared name overwrite another OpenAPI component (a type called Error)', async () => {
    const scim = await newTenant();
    const urn = 'urn:example:odd:Error';
    await put(scim.tenant, `/schemas/${encodeURIComponent(urn)}`, { id: urn, name: 'User', attributes: [{ name: 'code', type: 'string' }] });
    expect((await put(scim.tenant, '/resource-types/Error', { name: 'Error', endpoint: '/Errors', schema: urn })).status).toBe(201);
    const doc = await ok(await call('/openapi.json', { headers: { Authorization: `Bearer ${scim.token}` } }));
    expect(doc.components.schemas.Error.properties.scimType).toBeDefined();
    expect(doc.components.schemas.User.properties.userName).toBeDefined();
    const ref = doc.paths['/Errors/{id}'].get.responses['200'].content['application/scim+json'].schema.$ref as string;
    expect(ref).not.toBe('#/components/schemas/Error');
    expect(doc.components.schemas[ref.split('/').pop()!].properties.code).toBeDefined();
  });
});
