import { describe, expect, it } from 'vitest';
import { admin, body, expectError, newTenant, ok } from '../../helpers';
import { ciamTenant, createOrg, declareCiam, ORG, orgSchema, orgType, put } from './ciam';

// The admin API for declarations (README "Tenant schemas and resource types"): RFC 7643 §7 and §6
// bodies in, validated with a JSON pointer, changes checked against stored resources.

const schemaPath = (urn: string) => `/schemas/${encodeURIComponent(urn)}`;

describe('PUT/GET/DELETE /admin/tenants/{t}/schemas/{urn}', () => {
  it('answers 201 when new and 200 when replaced, echoing the schema with meta.version', async () => {
    const { tenant } = await newTenant();
    const created = await put(tenant, schemaPath(ORG), orgSchema);
    expect(created.status).toBe(201);
    const echo = await body(created);
    expect(echo).toMatchObject({ id: ORG, name: 'Organization', meta: { resourceType: 'Schema', version: 'W/"1"' } });
    expect(echo.attributes[0]).toEqual({ name: 'name', type: 'string', multiValued: false, description: '', required: true, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' });
    const replaced = await put(tenant, `/schemas/${ORG}`, { ...orgSchema, description: 'changed' }); // not percent-encoded
    expect(replaced.status).toBe(200);
    expect((await body(replaced)).meta.version).toBe('W/"2"');
    expect((await ok(await admin(`/tenants/${tenant}${schemaPath(ORG)}`))).description).toBe('changed');
    expect((await ok(await admin(`/tenants/${tenant}/schemas`))).schemas.map((s: any) => s.id)).toEqual([ORG]);
  });

  it('refuses an invalid declaration with 400 invalid_schema and the pointer of the fault', async () => {
    const { tenant } = await newTenant();
    const broken = { ...orgSchema, attributes: [...orgSchema.attributes.slice(0, 3), { ...orgSchema.attributes[3], subAttributes: [{ name: 'x', type: 'complex', subAttributes: [] }], type: 'complex' }] };
    const res = await put(tenant, schemaPath(ORG), broken);
    expect(res.status).toBe(400);
    expect(await body(res)).toMatchObject({ error: 'invalid_schema', pointer: '/attributes/3/subAttributes/0/type' });
    const reserved = await put(tenant, schemaPath('urn:ietf:params:scim:schemas:core:2.0:Thing'), { id: 'urn:ietf:params:scim:schemas:core:2.0:Thing', attributes: [] });
    expect(await body(reserved)).toMatchObject({ error: 'invalid_schema', pointer: '/id' });
  });

  it('refuses to delete a schema while a resource type uses it (409), then deletes it (204)', async () => {
    const { tenant } = await newTenant();
    await put(tenant, schemaPath(ORG), orgSchema);
    await put(tenant, schemaPath('urn:example:ciam:schemas:extension:acme:Organization'), { id: 'urn:example:ciam:schemas:extension:acme:Organization', attributes: [] });
    await put(tenant, '/resource-types/Organization', orgType);
    expect((await admin(`/tenants/${tenant}${schemaPath(ORG)}`, 'DELETE')).status).toBe(409);
    expect((await admin(`/tenants/${tenant}/resource-types/Organization`, 'DELETE')).status).toBe(204);
    expect((await admin(`/tenants/${tenant}${schemaPath(ORG)}`, 'DELETE')).status).toBe(204);
    expect((await admin(`/tenants/${tenant}${schemaPath(ORG)}`)).status).toBe(404);
  });
});

describe('changing a declaration safely', () => {
  it('applies a compatible change at once: the next SCIM request accepts the new attribute', async () => {
    const scim = await ciamTenant();
    const org = await createOrg(scim, 'Acme');
    const more = { ...orgSchema, attributes: [...orgSchema.attributes, { name: 'website', type: 'reference', referenceTypes: ['external'] }] };
    expect((await put(scim.tenant, schemaPath(ORG), more)).status).toBe(200);
    const patched = await scim.patch(`/Organizations/${org.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'website', value: 'https://acme.test' }] });
    expect((await body(patched)).website).toBe('https://acme.test');
    const described = await ok(await scim.get(`/Schemas/${ORG}`));
    expect(described.attributes.map((a: any) => a.name)).toContain('website');
  });

  it('refuses a change stored resources would violate with 409 naming how many and which, and dryRun applies nothing', async () => {
    const scim = await ciamTenant();
    const one = await createOrg(scim, 'One', { seats: 3 });
    await createOrg(scim, 'Two', { seats: 4 });
    const withoutSeats = { ...orgSchema, attributes: orgSchema.attributes.filter((a) => a.name !== 'seats') };
    for (const query of ['', '?dryRun=true']) {
      const res = await put(scim.tenant, `${schemaPath(ORG)}${query}`, withoutSeats);
      expect(res.status).toBe(409);
      const error = await body(res);
      expect(error).toMatchObject({ error: 'conflict', resources: { count: 2 } });
      expect(error.resources.ids).toContain(one.id);
      expect(error.message).toContain('seats');
    }
    // Made unique while two share a value: refused; made required while one lacks it: refused.
    await createOrg(scim, 'Three', { seats: 4, tags: ['x'] });
    const uniqueName = { ...orgSchema, attributes: orgSchema.attributes.map((a) => (a.name === 'seats' ? { ...a, uniqueness: 'server' } : a)) };
    expect((await put(scim.tenant, schemaPath(ORG), uniqueName)).status).toBe(409);
    const requiredTags = { ...orgSchema, attributes: orgSchema.attributes.map((a) => (a.name === 'tags' ? { ...a, required: true } : a)) };
    expect((await put(scim.tenant, schemaPath(ORG), requiredTags)).status).toBe(409);

    const dry = await put(scim.tenant, `${schemaPath(ORG)}?dryRun=true`, { ...orgSchema, description: 'dry' });
    expect(await body(dry)).toMatchObject({ dryRun: true, outcome: 'replaced' });
    expect((await ok(await admin(`/tenants/${scim.tenant}${schemaPath(ORG)}`))).description).toBe(orgSchema.description);
  });

  it('makes an attribute unique when stored values allow it, and enforces it for existing values at once', async () => {
    const scim = await ciamTenant();
    await createOrg(scim, 'One', { seats: 3 });
    const uniqueSeats = { ...orgSchema, attributes: orgSchema.attributes.map((a) => (a.name === 'seats' ? { ...a, uniqueness: 'server' } : a)) };
    expect((await put(scim.tenant, schemaPath(ORG), uniqueSeats)).status).toBe(200);
    const dup = await scim.post('/Organizations', { schemas: [ORG], name: 'Two', seats: 3 });
    await expectError(dup, 409, 'uniqueness');
  });
});

describe('/admin/tenants/{t}/resource-types/{name}', () => {
  it('refuses to delete a type while resources of it exist (409)', async () => {
    const scim = await ciamTenant();
    const org = await createOrg(scim, 'Acme');
    expect((await admin(`/tenants/${scim.tenant}/resource-types/Organization`, 'DELETE')).status).toBe(409);
    await scim.delete(`/Organizations/${org.id}`);
    // Still refused: OrganizationUser's schema refers to Organization.
    expect((await admin(`/tenants/${scim.tenant}/resource-types/Organization`, 'DELETE')).status).toBe(409);
  });

  it('refuses endpoints that collide and built-in types whose core schema or endpoint change', async () => {
    const { tenant } = await newTenant();
    await declareCiam(tenant);
    const collide = await put(tenant, '/resource-types/Other', { ...orgType, name: 'Other', endpoint: '/organizations' });
    expect(await body(collide)).toMatchObject({ error: 'invalid_schema', pointer: '/endpoint' });
    const me = await put(tenant, '/resource-types/Other', { ...orgType, name: 'Other', endpoint: '/Me' });
    expect((await body(me)).pointer).toBe('/endpoint');
    const moved = await put(tenant, '/resource-types/User', { name: 'User', endpoint: '/People', schema: 'urn:ietf:params:scim:schemas:core:2.0:User' });
    expect((await body(moved)).pointer).toBe('/endpoint');
    const list = await ok(await admin(`/tenants/${tenant}/resource-types`));
    expect(list.resourceTypes.map((r: any) => r.name).sort()).toEqual(['Organization', 'OrganizationUser', 'User']);
  });

  it('refuses a declared type built on a built-in schema, whose storage it would not get', async () => {
    const { tenant } = await newTenant();
    const res = await put(tenant, '/resource-types/Person', { name: 'Person', endpoint: '/People', schema: 'urn:ietf:params:scim:schemas:core:2.0:User' });
    expect(await body(res)).toMatchObject({ error: 'invalid_schema', pointer: '/schema' });
  });

  it('refuses to change the spelling of a declared URN or type name', async () => {
    const scim = await ciamTenant();
    const urn = await put(scim.tenant, schemaPath(ORG), { ...orgSchema, id: ORG.toUpperCase() });
    expect(await body(urn)).toMatchObject({ error: 'invalid_schema', pointer: '/id' });
    const name = await put(scim.tenant, '/resource-types/organization', { ...orgType, name: 'organization' });
    expect(await body(name)).toMatchObject({ error: 'invalid_schema', pointer: '/name' });
  });

  it('refuses to make a stored attribute a reference (its values were never checked), but not an unused one', async () => {
    const scim = await ciamTenant();
    await createOrg(scim, 'Acme', { tags: ['x'] });
    const asRef = (name: string) => ({
      ...orgSchema,
      attributes: [...orgSchema.attributes.filter((a) => a.name !== name), { name, type: 'complex', subAttributes: [{ name: 'value', type: 'string' }, { name: '$ref', type: 'reference', referenceTypes: ['User'] }] }],
    });
    const stored = await put(scim.tenant, schemaPath(ORG), asRef('tags'));
    expect(stored.status).toBe(409);
    expect((await body(stored)).resources.count).toBe(1);
    expect((await put(scim.tenant, schemaPath(ORG), asRef('seats'))).status).toBe(200);
  });
});
