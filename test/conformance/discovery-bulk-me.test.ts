// Black-box conformance: discovery (RFC 7643 §5–§7, RFC 7644 §4), /Bulk (RFC 7644 §3.7), /Me (RFC 7644 §3.11).
import { describe, expect, it } from 'vitest';
import { admin, body, call, ENTERPRISE, expectError, GROUP_SCHEMA, newTenant, ok, PATCH_OP, Scim, USER_SCHEMA } from '../helpers';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const BULK_REQ = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RES = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const RESOURCE_TYPE = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';

const TYPES = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex'];

function checkAttribute(a: any, where: string) {
  // RFC 7643 §7: every attribute definition carries its characteristics.
  expect(typeof a.name, where).toBe('string');
  expect(TYPES, `${where}.${a.name} type`).toContain(a.type);
  expect(typeof a.multiValued, `${where}.${a.name}`).toBe('boolean');
  expect(typeof a.required, `${where}.${a.name}`).toBe('boolean');
  expect(['readOnly', 'readWrite', 'immutable', 'writeOnly'], `${where}.${a.name}`).toContain(a.mutability);
  expect(['always', 'never', 'default', 'request'], `${where}.${a.name}`).toContain(a.returned);
  if (a.type === 'string' || a.type === 'reference') expect(typeof a.caseExact, `${where}.${a.name} caseExact`).toBe('boolean');
  if (a.type === 'reference') expect(Array.isArray(a.referenceTypes), `${where}.${a.name} referenceTypes`).toBe(true);
  if (a.type === 'complex') {
    expect(Array.isArray(a.subAttributes), `${where}.${a.name} subAttributes`).toBe(true);
    for (const s of a.subAttributes) checkAttribute(s, `${where}.${a.name}`);
  }
}

describe('discovery', () => {
  it.each([USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE])('GET /Schemas/%s answers a well-formed schema with meta', async (urn) => {
    const scim = await newTenant();
    const doc = await ok(await scim.get(`/Schemas/${urn}`));
    expect(doc.schemas).toEqual([SCHEMA]);
    expect(doc.id).toBe(urn);
    expect(doc.meta).toMatchObject({ resourceType: 'Schema' });
    expect(doc.meta.location).toMatch(new RegExp(`/Schemas/${urn.replace(/[.]/g, '\\.')}$`));
    expect(doc.attributes.length).toBeGreaterThan(0);
    for (const a of doc.attributes) checkAttribute(a, urn);
  });

  it('lists the User, Group and enterprise schemas in /Schemas', async () => {
    const scim = await newTenant();
    const list = await ok(await scim.get('/Schemas'));
    expect(list.Resources.map((r: any) => r.id)).toEqual(expect.arrayContaining([USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE]));
    expect(list.totalResults).toBe(list.Resources.length);
  });

  it('describes the User schema characteristics IdPs depend on', async () => {
    const scim = await newTenant();
    const doc = await ok(await scim.get(`/Schemas/${USER_SCHEMA}`));
    const by = (n: string) => doc.attributes.find((a: any) => a.name === n);
    expect(by('userName')).toMatchObject({ required: true, uniqueness: 'server', caseExact: false });
    expect(by('password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(by('groups')).toMatchObject({ mutability: 'readOnly', multiValued: true });
    expect(by('emails')).toMatchObject({ multiValued: true, type: 'complex' });
  });

  it.each(['/Schemas', '/ResourceTypes', '/ServiceProviderConfig', '/ResourceTypes/User'])('answers POST, PUT, PATCH and DELETE on %s with 405 (scim2-tester discovery methods check)', async (path) => {
    const scim = await newTenant();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await call(`/scim/v2${path}`, { method, headers: { Authorization: `Bearer ${scim.token}` } });
      await expectError(res, 405, undefined);
    }
  });

  it('answers 404 with a SCIM error for a random URL under the base (scim2-tester random_url)', async () => {
    const scim = await newTenant();
    await expectError(await scim.get(`/${crypto.randomUUID()}`), 404, undefined);
  });

  it('answers 404 with a SCIM error for an unknown schema URN and resource type', async () => {
    const scim = await newTenant();
    for (const path of ['/Schemas/urn:example:nope', '/ResourceTypes/Widget']) {
      await expectError(await scim.get(path), 404, undefined);
    }
  });

  it('GET /ResourceTypes/User lists the enterprise extension as not required', async () => {
    const scim = await newTenant();
    const doc = await ok(await scim.get('/ResourceTypes/User'));
    expect(doc).toMatchObject({ schemas: [RESOURCE_TYPE], id: 'User', name: 'User', endpoint: '/Users', schema: USER_SCHEMA, meta: { resourceType: 'ResourceType' } });
    expect(doc.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
    const group = await ok(await scim.get('/ResourceTypes/Group'));
    expect(group).toMatchObject({ name: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA });
  });

  it('advertises in ServiceProviderConfig exactly what the server does', async () => {
    const scim = await newTenant();
    const spc = await ok(await scim.get('/ServiceProviderConfig'));
    expect(spc.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
    for (const k of ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag']) expect(typeof spc[k].supported, k).toBe('boolean');
    expect(spc.patch.supported && spc.filter.supported && spc.sort.supported && spc.etag.supported && spc.bulk.supported).toBe(true);
    expect(spc.bulk.maxOperations).toBeGreaterThan(0);
    expect(spc.bulk.maxPayloadSize).toBeGreaterThan(0);
    expect(spc.filter.maxResults).toBeGreaterThan(0);
    expect(spc.authenticationSchemes.length).toBeGreaterThan(0);
    for (const s of spc.authenticationSchemes) expect(s).toMatchObject({ type: expect.any(String), name: expect.any(String), description: expect.any(String) });
  });
});

describe('/Schemas publishes the schemas of the discovery resources', () => {
  // RFC 7643 §8.7.2 ("Service Provider Schema Representation") gives the schemas of
  // ServiceProviderConfig, ResourceType and Schema as part of what the service provider publishes;
  // every discovery response names them in its "schemas" (RFC 7643 §3, §5–§7). scim2-tester's
  // core_schemas_validation check (tags discovery, schemas) reports "Missing mandatory core schemas:
  // ResourceType, ServiceProviderConfig, Schema" when GET /Schemas lacks them.
  it('lists urn:…:ServiceProviderConfig, urn:…:ResourceType and urn:…:Schema and serves each by id', async () => {
    const scim = await newTenant();
    const list = await ok(await scim.get('/Schemas'));
    // Names as in RFC 7643 §8.7.2 (e.g. "Service Provider Configuration"); ids are the URNs.
    const ids = list.Resources.map((s: any) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'urn:ietf:params:scim:schemas:core:2.0:User',
        'urn:ietf:params:scim:schemas:core:2.0:Group',
        'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
        'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
        'urn:ietf:params:scim:schemas:core:2.0:Schema',
      ]),
    );
    for (const urn of [
      'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
      'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
      'urn:ietf:params:scim:schemas:core:2.0:Schema',
    ]) {
      const res = await scim.get(`/Schemas/${urn}`);
      expect(res.status, urn).toBe(200);
      expect((await body(res)).id).toBe(urn);
    }
    expect(list.totalResults).toBe(list.Resources.length);
  });
});

describe('/Bulk', () => {
  it('runs POST, PATCH, PUT and DELETE with bulkId references and answers a BulkResponse', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Bulk', {
      schemas: [BULK_REQ],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'u1', data: { schemas: [USER_SCHEMA], userName: 'bulk-u1' } },
        { method: 'POST', path: '/Groups', bulkId: 'g1', data: { schemas: [GROUP_SCHEMA], displayName: 'bulk-g1', members: [{ value: 'bulkId:u1' }] } },
        { method: 'PATCH', path: '/Users/bulkId:u1', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'T' }] } },
        { method: 'DELETE', path: '/Users/does-not-exist' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/scim\+json/);
    const doc = await body(res);
    expect(doc.schemas).toEqual([BULK_RES]);
    expect(doc.Operations).toHaveLength(4);
    const [u, g, p, d] = doc.Operations;
    // RFC 7644 §3.7.3: method, bulkId, location, version and status (a string in the RFC's examples).
    expect(u).toMatchObject({ method: 'POST', bulkId: 'u1', status: '201' });
    expect(u.location).toMatch(/\/Users\/[^/]+$/);
    expect(u.version).toBeDefined();
    expect(g).toMatchObject({ method: 'POST', bulkId: 'g1', status: '201' });
    expect(p).toMatchObject({ method: 'PATCH', status: '200' });
    expect(d).toMatchObject({ method: 'DELETE', status: '404' });
    expect(d.response).toMatchObject({ schemas: [ERROR], status: '404' });
    const userId = u.location.split('/').pop();
    const group = await ok(await scim.get(`/Groups/${g.location.split('/').pop()}`));
    expect(group.members.map((m: any) => m.value)).toEqual([userId]);
    expect((await ok(await scim.get(`/Users/${userId}`))).title).toBe('T');
  });

  it('stops after failOnErrors errors', async () => {
    const scim = await newTenant();
    const doc = await ok(await scim.post('/Bulk', {
      schemas: [BULK_REQ],
      failOnErrors: 1,
      Operations: [
        { method: 'DELETE', path: '/Users/missing-1' },
        { method: 'POST', path: '/Users', bulkId: 'x', data: { schemas: [USER_SCHEMA], userName: 'never-made' } },
      ],
    }));
    expect(doc.Operations).toHaveLength(1);
    expect((await ok(await scim.get(`/Users?filter=${encodeURIComponent('userName eq "never-made"')}`))).totalResults).toBe(0);
  });

  it('answers 412 inside the BulkResponse for an operation whose version is stale', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('bulk-ver');
    const doc = await ok(await scim.post('/Bulk', { schemas: [BULK_REQ], Operations: [{ method: 'PUT', path: `/Users/${user.id}`, version: 'W/"99"', data: { schemas: [USER_SCHEMA], userName: 'bulk-ver', title: 'x' } }] }));
    expect(doc.Operations[0]).toMatchObject({ method: 'PUT', status: '412' });
    expect((await ok(await scim.get(`/Users/${user.id}`))).title).toBeUndefined();
  });

  it('reads BulkRequest member names in any case (RFC 7643 §2.1)', async () => {
    const scim = await newTenant();
    const doc = await ok(await scim.post('/Bulk', { Schemas: [BULK_REQ], operations: [{ Method: 'post', Path: '/Users', BulkId: 'q', Data: { userName: 'bulk-case' } }] }));
    expect(doc.Operations[0]).toMatchObject({ method: 'POST', bulkId: 'q', status: '201' });
  });

  it('refuses a body that is not a BulkRequest with 400 invalidSyntax', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Bulk', { schemas: [BULK_REQ] });
    await expectError(res, 400, 'invalidSyntax');
  });
});

describe('/Me', () => {
  it('answers 501 with a SCIM error for a token bound to no user', async () => {
    const scim = await newTenant();
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      const res = await scim.request(method, '/Me', method === 'GET' || method === 'DELETE' ? undefined : {});
      expect(res.status, method).toBe(501);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/scim\+json/);
      expect((await body(res)).schemas).toEqual([ERROR]);
    }
  });

  it('answers the bound user with its permanent /Users location (RFC 7644 §3.11)', async () => {
    const owner = await newTenant();
    const user = await owner.createUser('me-user');
    const tokenRes = await admin(`/tenants/${owner.tenant}/tokens`, 'POST', { label: 'me', subject: user.id });
    const { token } = (await tokenRes.json()) as { token: string };
    const me = new Scim(owner.tenant, token);
    const res = await me.get('/Me');
    expect(res.status).toBe(200);
    const doc = await body(res);
    expect(doc.id).toBe(user.id);
    expect(doc.meta.location).toMatch(new RegExp(`/Users/${user.id}$`));
    const patched = await me.patch('/Me', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'nickName', value: 'Me' }] });
    expect(patched.status).toBe(200);
    expect((await ok(await owner.get(`/Users/${user.id}`))).nickName).toBe('Me');
  });
});
