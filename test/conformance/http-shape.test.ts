// Black-box conformance: the HTTP shape of every kind of response (RFC 7644 §3.1, §3.8, §3.12, §3.14).
import { describe, expect, it } from 'vitest';
import type { ScimType } from '../../src/scim/errors';
import { body, call, GROUP_SCHEMA, newTenant, PATCH_OP, Scim, USER_SCHEMA } from '../helpers';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
// xsd:dateTime (RFC 7643 §2.3.5): yyyy-mm-ddThh:mm:ss[.s+][zone]
const XSD_DATETIME = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-](0\d|1[0-4]):[0-5]\d)?$/;

async function fixture() {
  const scim = await newTenant();
  const user = await scim.createUser('shape', { emails: [{ value: 'shape@example.com', type: 'work' }] });
  const group = await scim.createGroup('Shapes', [user.id]);
  return { scim, user, group };
}

/** `scimType`: for an error, exactly the RFC 7644 §3.12 scimType it carries; undefined for none. */
type Case = [name: string, send: (f: Awaited<ReturnType<typeof fixture>>) => Promise<Response>, status: number, kind: 'resource' | 'list' | 'error' | 'other', scimType?: ScimType];

const cases: Case[] = [
  ['POST /Users', ({ scim }) => scim.post('/Users', { schemas: [USER_SCHEMA], userName: 'new1' }), 201, 'resource'],
  ['POST /Groups', ({ scim }) => scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'new' }), 201, 'resource'],
  ['GET /Users/{id}', ({ scim, user }) => scim.get(`/Users/${user.id}`), 200, 'resource'],
  ['GET /Groups/{id}', ({ scim, group }) => scim.get(`/Groups/${group.id}`), 200, 'resource'],
  ['PUT /Users/{id}', ({ scim, user }) => scim.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: 'shape', title: 'T' }), 200, 'resource'],
  ['PATCH /Users/{id}', ({ scim, user }) => scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'X' }] }), 200, 'resource'],
  ['GET /Users', ({ scim }) => scim.get('/Users'), 200, 'list'],
  ['GET /Groups', ({ scim }) => scim.get('/Groups'), 200, 'list'],
  ['GET /Users?filter', ({ scim }) => scim.get('/Users?filter=userName%20eq%20%22nobody%22'), 200, 'list'],
  ['POST /Users/.search', ({ scim }) => scim.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName pr' }), 200, 'list'],
  ['GET /Schemas', ({ scim }) => scim.get('/Schemas'), 200, 'list'],
  ['GET /ResourceTypes', ({ scim }) => scim.get('/ResourceTypes'), 200, 'list'],
  ['GET /ServiceProviderConfig', ({ scim }) => scim.get('/ServiceProviderConfig'), 200, 'other'],
  ['GET unknown user id', ({ scim }) => scim.get('/Users/00000000-0000-0000-0000-000000000000'), 404, 'error'],
  ['GET unknown group id', ({ scim }) => scim.get('/Groups/00000000-0000-0000-0000-000000000000'), 404, 'error'],
  ['PUT unknown user id', ({ scim }) => scim.put('/Users/missing', { schemas: [USER_SCHEMA], userName: 'x' }), 404, 'error'],
  ['PATCH unknown group id', ({ scim }) => scim.patch('/Groups/missing', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] }), 404, 'error'],
  ['DELETE unknown group id', ({ scim }) => scim.delete('/Groups/missing'), 404, 'error'],
  ['POST duplicate userName', ({ scim }) => scim.post('/Users', { schemas: [USER_SCHEMA], userName: 'SHAPE' }), 409, 'error', 'uniqueness'],
  ['POST without userName', ({ scim }) => scim.post('/Users', { schemas: [USER_SCHEMA] }), 400, 'error', 'invalidValue'],
  ['POST malformed JSON', ({ scim }) => scim.post('/Users', '{"schemas":'), 400, 'error', 'invalidSyntax'],
  ['GET with a bad filter', ({ scim }) => scim.get('/Users?filter=userName%20eq'), 400, 'error', 'invalidFilter'],
  ['GET without a token', () => call('/scim/v2/Users'), 401, 'error'],
  ['GET with a wrong token', () => call('/scim/v2/Users', { headers: { Authorization: 'Bearer scim_wrong' } }), 401, 'error'],
  ['PUT with a stale If-Match', ({ scim, user }) => scim.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: 'shape' }, { 'If-Match': 'W/"999"' }), 412, 'error'],
  ['GET /ServiceProviderConfig?filter', ({ scim }) => scim.get('/ServiceProviderConfig?filter=patch.supported%20eq%20true'), 403, 'error'],
  ['GET /Me without a subject', ({ scim }) => scim.get('/Me'), 501, 'error'],
  ['GET unknown endpoint', ({ scim }) => scim.get('/Widgets'), 404, 'error'],
  ['POST text/plain body', ({ scim }) => scim.request('POST', '/Users', '{}', { 'Content-Type': 'text/plain' }), 415, 'error'],
];

describe('every response carries application/scim+json and a schemas array', () => {
  it.each(cases)('%s answers the expected status with a SCIM body', async (_name, send, status, kind, scimType) => {
    const f = await fixture();
    const res = await send(f);
    expect(res.status).toBe(status);
    // RFC 7644 §3.1, §8.1: the media type of SCIM responses is application/scim+json.
    expect(res.headers.get('Content-Type')).toMatch(/^application\/scim\+json(;|$)/);
    const doc = await body(res);
    expect(Array.isArray(doc.schemas)).toBe(true);
    if (kind === 'error') {
      // RFC 7644 §3.12: Error schema, status as a string equal to the HTTP status.
      expect(doc.schemas).toEqual([ERROR]);
      expect(doc.status).toBe(String(status));
      expect(typeof doc.detail).toBe('string');
      expect(doc.scimType).toBe(scimType);
    }
    if (kind === 'list') {
      expect(doc.schemas).toEqual([LIST]);
      expect(typeof doc.totalResults).toBe('number');
      expect(Array.isArray(doc.Resources ?? [])).toBe(true);
      for (const r of doc.Resources ?? []) expect(Array.isArray(r.schemas)).toBe(true);
    }
    if (kind === 'resource') {
      expect(typeof doc.id).toBe('string');
      expect(doc.meta.version).toBeDefined();
      // RFC 7644 §3.14: the ETag header carries meta.version.
      expect(res.headers.get('ETag')).toBe(doc.meta.version);
      expect(doc.meta.created).toMatch(XSD_DATETIME);
      expect(doc.meta.lastModified).toMatch(XSD_DATETIME);
      expect(Date.parse(doc.meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(doc.meta.created));
    }
  });

  it('answers 401 with a WWW-Authenticate challenge (RFC 6750 §3)', async () => {
    const res = await call('/scim/v2/Users');
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/i);
  });

  it('answers 405 with an Allow header and a SCIM error', async () => {
    const { scim } = await fixture();
    const res = await scim.request('PATCH', '/Users');
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toContain('GET');
    expect(res.headers.get('Content-Type')).toMatch(/^application\/scim\+json/);
    expect((await body(res)).schemas).toEqual([ERROR]);
  });

  it('answers scimType uniqueness for a duplicate and invalidFilter for a bad filter', async () => {
    const { scim } = await fixture();
    expect((await body(await scim.post('/Users', { schemas: [USER_SCHEMA], userName: 'Shape' }))).scimType).toBe('uniqueness');
    expect((await body(await scim.get('/Users?filter=userName%20zz%20%22a%22'))).scimType).toBe('invalidFilter');
  });

  it('answers DELETE with 204 and no body, and 304 with no body', async () => {
    const { scim, user, group } = await fixture();
    const etag = (await scim.get(`/Groups/${group.id}`)).headers.get('ETag')!;
    const notModified = await scim.get(`/Groups/${group.id}`, { 'If-None-Match': etag });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    const del = await scim.delete(`/Users/${user.id}`);
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');
  });
});

describe('POST Location and meta', () => {
  it.each([
    ['Users', { schemas: [USER_SCHEMA], userName: 'loc' }],
    ['Groups', { schemas: [GROUP_SCHEMA], displayName: 'loc' }],
  ])('POST /%s sets Location equal to meta.location, which resolves to the resource', async (type, payload) => {
    const scim = await newTenant();
    const res = await scim.post(`/${type}`, payload);
    expect(res.status).toBe(201);
    const doc = await body(res);
    // RFC 7644 §3.1: the URI of the created resource SHALL be in the Location header and meta.location.
    expect(res.headers.get('Location')).toBe(doc.meta.location);
    expect(doc.meta.location).toMatch(new RegExp(`/${type}/${doc.id}$`));
    expect(doc.meta.resourceType).toBe(type.slice(0, -1));
    const again = await call(doc.meta.location, { headers: { Authorization: `Bearer ${scim.token}` } });
    expect(again.status).toBe(200);
    expect((await body(again)).id).toBe(doc.id);
  });

  it('uses the tenant base URL in Location and meta.location when called through /t/{tenant}/scim/v2', async () => {
    const scim = await newTenant();
    const res = await call(`/t/${scim.tenant}/scim/v2/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${scim.token}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [USER_SCHEMA], userName: 'tenant-base' }),
    });
    expect(res.status).toBe(201);
    const doc = await body(res);
    expect(doc.meta.location).toBe(`http://scim.test/t/${scim.tenant}/scim/v2/Users/${doc.id}`);
    expect(res.headers.get('Location')).toBe(doc.meta.location);
  });

  it('keeps meta.created on update and advances meta.lastModified and the version', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('times');
    // No wait needed: an update's lastModified is always after the previous one, even within a
    // millisecond (src/service/write.ts nextTimestamp), and a create stamps created = lastModified.
    const res = await scim.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: 'times', title: 'x' });
    const updated = await body(res);
    expect(updated.meta.created).toBe(user.meta.created);
    expect(Date.parse(updated.meta.lastModified)).toBeGreaterThan(Date.parse(user.meta.created));
    expect(updated.meta.version).not.toBe(user.meta.version);
  });
});

describe('ETag on every write and read', () => {
  it('returns an ETag on GET, POST, PUT and PATCH that matches meta.version, and on the 204 of a Group PATCH', async () => {
    const scim = await newTenant();
    const post = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'etag' });
    const group = await body(post);
    expect(post.headers.get('ETag')).toBe(group.meta.version);
    const get = await scim.get(`/Groups/${group.id}`);
    expect(get.headers.get('ETag')).toBe((await body(get)).meta.version);
    const put = await scim.put(`/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], displayName: 'etag2' });
    expect(put.headers.get('ETag')).toBe((await body(put)).meta.version);
    const patch = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'etag3' }] });
    expect(patch.status).toBe(204);
    const after = await scim.get(`/Groups/${group.id}`);
    expect(patch.headers.get('ETag')).toBe((await body(after)).meta.version);
  });

  it('accepts If-Match: * on PUT, PATCH and DELETE (RFC 7232 §3.1)', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('star');
    expect((await scim.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: 'star', title: 'a' }, { 'If-Match': '*' })).status).toBe(200);
    expect((await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'b' }] }, { 'If-Match': '*' })).status).toBe(200);
    expect((await scim.delete(`/Users/${user.id}`, { 'If-Match': '*' })).status).toBe(204);
  });

  it('accepts the current ETag in If-Match and refuses a stale one with 412 on PATCH and DELETE', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('cas');
    const ok = await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'b' }] }, { 'If-Match': user.meta.version });
    expect(ok.status).toBe(200);
    const stale = await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'c' }] }, { 'If-Match': user.meta.version });
    expect(stale.status).toBe(412);
    expect((await scim.delete(`/Users/${user.id}`, { 'If-Match': user.meta.version })).status).toBe(412);
  });
});

describe('HEAD', () => {
  it.each(['/Users', '/Groups', '/ServiceProviderConfig', '/Schemas', '/ResourceTypes'])('HEAD %s answers like GET without a body', async (path) => {
    const scim = await newTenant();
    const res = await scim.request('HEAD', path);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/scim\+json/);
    expect(await res.text()).toBe('');
  });

  it('HEAD on a resource carries its ETag, and 404 for an unknown id', async () => {
    const scim: Scim = await newTenant();
    const user = await scim.createUser('head');
    const res = await scim.request('HEAD', `/Users/${user.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).toBe(user.meta.version);
    expect((await scim.request('HEAD', '/Users/nope')).status).toBe(404);
  });
});
