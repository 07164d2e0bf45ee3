import { describe, expect, it } from 'vitest';
import { body, ENTERPRISE, expectError, newTenant, USER_SCHEMA } from '../helpers';

describe('POST /Users', () => {
  it('creates a user with 201, Location, ETag and full meta', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Users', { schemas: [USER_SCHEMA], userName: 'bjensen', name: { givenName: 'Barbara' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('Content-Type')).toContain('application/scim+json');
    const user = await body(res);
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('Location')).toBe(`http://scim.test/scim/v2/Users/${user.id}`);
    expect(res.headers.get('ETag')).toBe(user.meta.version);
    expect(user.meta).toMatchObject({ resourceType: 'User', location: `http://scim.test/scim/v2/Users/${user.id}` });
    expect(Date.parse(user.meta.created)).not.toBeNaN();
    expect(user.meta.lastModified).toBe(user.meta.created);
    expect(user.schemas).toEqual([USER_SCHEMA]);
    expect(user.name).toEqual({ givenName: 'Barbara' });
  });

  it('accepts application/json and attribute names in any case', async () => {
    const scim = await newTenant();
    const res = await scim.request('POST', '/Users', JSON.stringify({ UserName: 'Kim', DisplayName: 'Kim P', Emails: [{ Value: 'k@x.io', Primary: true }] }), {
      'Content-Type': 'application/json',
    });
    expect(res.status).toBe(201);
    const user = await body(res);
    expect(user.userName).toBe('Kim');
    expect(user.displayName).toBe('Kim P');
    expect(user.emails).toEqual([{ value: 'k@x.io', primary: true }]);
  });

  it('treats null as unassigned and tolerates unknown schema URNs and attributes', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Users', {
      schemas: [USER_SCHEMA, 'urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User'],
      userName: 'nulls',
      displayName: null,
      title: null,
      'urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User': { foo: 'bar' },
      notAnAttribute: 1,
    });
    expect(res.status).toBe(201);
    const user = await body(res);
    expect(user).not.toHaveProperty('displayName');
    expect(user).not.toHaveProperty('notAnAttribute');
  });

  it('stores the enterprise extension and lists its URN in schemas', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('ent', {
      schemas: [USER_SCHEMA, ENTERPRISE],
      [ENTERPRISE]: { employeeNumber: '701984', manager: { value: 'abc', displayName: 'ignored' } },
    });
    expect(user.schemas).toEqual([USER_SCHEMA, ENTERPRISE]);
    expect(user[ENTERPRISE]).toEqual({ employeeNumber: '701984', manager: { value: 'abc' } });
  });

  it('coerces "True"/"False" strings for booleans and rejects other types with invalidValue', async () => {
    const scim = await newTenant();
    expect((await scim.createUser('b1', { active: 'False' })).active).toBe(false);
    const bad = await scim.post('/Users', { userName: 'b2', active: 'maybe' });
    expect(bad.status).toBe(400);
    expect(await body(bad)).toMatchObject({ status: '400', scimType: 'invalidValue' });
  });

  it('requires userName (400 invalidValue)', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Users', { schemas: [USER_SCHEMA], displayName: 'x' });
    expect(res.status).toBe(400);
    expect(await body(res)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidValue' });
  });

  it('rejects a duplicate userName case-insensitively, Unicode included, with 409 uniqueness', async () => {
    const scim = await newTenant();
    await scim.createUser('Ärger.Straße@example.com');
    for (const dup of ['ärger.straße@example.com', 'ÄRGER.STRASSE@EXAMPLE.COM']) {
      const res = await scim.post('/Users', { userName: dup });
      expect(res.status).toBe(409);
      expect(await body(res)).toMatchObject({ status: '409', scimType: 'uniqueness' });
    }
  });

  it('lets two tenants use the same userName', async () => {
    const a = await newTenant();
    const b = await newTenant();
    await a.createUser('same');
    expect((await b.post('/Users', { userName: 'same' })).status).toBe(201);
  });

  it('never returns the password, and ignores readOnly attributes on input', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Users', { userName: 'pw', password: 'S3cret!', id: 'chosen', groups: [{ value: 'x' }], meta: { created: '2000-01-01T00:00:00Z' } });
    const text = await res.text();
    expect(res.status).toBe(201);
    expect(text).not.toContain('S3cret');
    expect(text).not.toContain('password');
    const user = JSON.parse(text);
    expect(user.id).not.toBe('chosen');
    expect(user).not.toHaveProperty('groups');
    const got = await scim.get(`/Users/${user.id}`);
    expect(await got.text()).not.toContain('password');
    const list = await scim.get('/Users?attributes=password,userName');
    expect(await list.text()).not.toContain('password');
  });

  it('answers malformed JSON with 400 invalidSyntax and other media types with 415', async () => {
    const scim = await newTenant();
    const bad = await scim.request('POST', '/Users', '{"userName": ', { 'Content-Type': 'application/scim+json' });
    expect(bad.status).toBe(400);
    expect(await body(bad)).toMatchObject({ scimType: 'invalidSyntax' });
    const xml = await scim.request('POST', '/Users', '<user/>', { 'Content-Type': 'application/xml' });
    await expectError(xml, 415, undefined);
  });

  it('rejects a body larger than maxPayloadSize with 413', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Users', { userName: 'big', title: 'x'.repeat(1_100_000) });
    await expectError(res, 413, undefined);
  });

  it('rejects two primary emails with invalidValue (RFC 7643 §2.4)', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Users', { userName: 'p', emails: [{ value: 'a@x', primary: true }, { value: 'b@x', primary: true }] });
    expect(res.status).toBe(400);
    expect((await body(res)).scimType).toBe('invalidValue');
  });
});

describe('GET, PUT and DELETE /Users/{id}', () => {
  it('gets a user by id and 404s with a SCIM body for an unknown id', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('get-me');
    const res = await scim.get(`/Users/${user.id}`);
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual(user);
    const missing = await scim.get('/Users/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(await body(missing)).toMatchObject({ status: '404', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
  });

  it('replaces a user with PUT, clearing attributes left out and bumping version', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('put-me', { title: 'Boss', nickName: 'B' });
    const res = await scim.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], id: user.id, userName: 'put-me', title: 'Chief', meta: { version: 'x' } });
    expect(res.status).toBe(200);
    const updated = await body(res);
    expect(updated.title).toBe('Chief');
    expect(updated).not.toHaveProperty('nickName');
    expect(updated.meta.version).not.toBe(user.meta.version);
    expect(updated.meta.created).toBe(user.meta.created);
    expect(Date.parse(updated.meta.lastModified)).toBeGreaterThan(Date.parse(user.meta.lastModified));
  });

  it('never creates with PUT', async () => {
    const scim = await newTenant();
    const res = await scim.put('/Users/00000000-0000-0000-0000-000000000001', { userName: 'ghost' });
    expect(res.status).toBe(404);
  });

  it('409s a PUT that takes another user\'s userName', async () => {
    const scim = await newTenant();
    await scim.createUser('taken');
    const other = await scim.createUser('free');
    const res = await scim.put(`/Users/${other.id}`, { userName: 'TAKEN' });
    expect(res.status).toBe(409);
    expect((await body(res)).scimType).toBe('uniqueness');
  });

  it('deletes with 204, then GET and DELETE give 404', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('bye');
    expect((await scim.delete(`/Users/${user.id}`)).status).toBe(204);
    expect((await scim.get(`/Users/${user.id}`)).status).toBe(404);
    expect((await scim.delete(`/Users/${user.id}`)).status).toBe(404);
  });
});

describe('GET /Users', () => {
  it('returns a ListResponse with startIndex, count and exact totalResults', async () => {
    const scim = await newTenant();
    for (const n of ['u1', 'u2', 'u3']) await scim.createUser(n);
    const all = await body(await scim.get('/Users'));
    expect(all.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
    expect(all).toMatchObject({ totalResults: 3, itemsPerPage: 3, startIndex: 1 });
    const page = await body(await scim.get('/Users?startIndex=2&count=1'));
    expect(page).toMatchObject({ totalResults: 3, itemsPerPage: 1, startIndex: 2 });
    expect(page.Resources).toHaveLength(1);
    const none = await body(await scim.get('/Users?count=-5&startIndex=0'));
    expect(none).toMatchObject({ totalResults: 3, itemsPerPage: 0, startIndex: 1 });
  });

  it('rejects a non-numeric count with 400 invalidValue', async () => {
    const scim = await newTenant();
    const res = await scim.get('/Users?count=ten');
    expect(res.status).toBe(400);
    expect((await body(res)).scimType).toBe('invalidValue');
  });
});
