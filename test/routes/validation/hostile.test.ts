import { describe, expect, it } from 'vitest';
import { ADMIN, body, call, expectError, newTenant, ok, PATCH_OP } from '../../helpers';

// Inputs at the edges of what the server stores and parses: each answers a SCIM error (never a
// 500) or is honoured, never silently ignored.

describe('what one stored resource can hold', () => {
  it('advertises a maxPayloadSize the server can store: a body that size, all userName, is created', async () => {
    const scim = await newTenant();
    const { bulk } = await ok(await scim.get('/ServiceProviderConfig'));
    const userName = 'u'.repeat(bulk.maxPayloadSize - 40);
    const res = await scim.post('/Users', { userName });
    expect(res.status).toBe(201);
    expect((await body(res)).userName).toHaveLength(userName.length);
  });

  it('answers 413 naming the limit for a body that grows past what D1 stores, and 400 for too many indexed values', async () => {
    const scim = await newTenant();
    // 60,000 bare emails (a 420 KB body) become objects when stored, twice over.
    const grown = await scim.post('/Users', { userName: 'bare', emails: Array.from({ length: 60_000 }, (_, i) => `${i}`) });
    expect((await expectError(grown, 413, undefined)).detail).toMatch(/at most/);
    const many = await scim.post('/Users', { userName: 'many', emails: Array.from({ length: 1_500 }, (_, i) => ({ value: `${i}@x.test` })) });
    expect(many.status).toBe(400);
    expect(await body(many)).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('1000') });
    expect((await ok(await scim.get('/Users'))).totalResults).toBe(0);
  });
});

describe('deeply nested JSON', () => {
  it('is a clean 400 on /Bulk, PATCH, POST and the admin API, never a stack overflow', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('deep@x.test');
    const arrays = '['.repeat(4000) + ']'.repeat(4000);
    const objects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    for (const [method, path, text] of [
      ['POST', '/Bulk', `{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"method":"POST","path":"/Users","data":${arrays}}]}`],
      ['POST', '/Bulk', `{"Operations":[{"method":"POST","path":"/Users","bulkId":"x","data":${objects}}]}`],
      ['PATCH', `/Users/${user.id}`, `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"title","value":${arrays}}]}`],
      ['POST', '/Users', `{"userName":"x","name":${objects}}`],
    ] as const) {
      const res = await scim.request(method, path, text);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect((await body(res)).scimType).toBe('invalidSyntax');
    }
    const adminRes = await call('/admin/tenants', { method: 'POST', headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: `{"id":"deep","name":${arrays}}` });
    expect(adminRes.status).toBe(400);
    expect((await body(adminRes)).error).toBe('invalid_request');
  });
});

describe('one meaning of "unassigned"', () => {
  it('sorts "" with the unassigned values, last ascending and first descending (RFC 7644 §3.4.2.3)', async () => {
    const scim = await newTenant();
    await scim.createUser('a', { title: 'b' });
    await scim.createUser('b', { title: '' });
    await scim.createUser('c', { title: 'a' });
    await scim.createUser('d');
    const ascending = (await ok(await scim.get('/Users?sortBy=title'))).Resources.map((r: any) => r.userName);
    // The two unassigned ones (b's "" and d's absent title) tie, broken by id.
    expect(ascending.slice(0, 2)).toEqual(['c', 'a']);
    expect(ascending.slice(2).sort()).toEqual(['b', 'd']);
    const descending = await ok(await scim.get('/Users?sortBy=title&sortOrder=descending'));
    expect(descending.Resources.map((r: any) => r.userName).slice(2)).toEqual(['a', 'c']);
    // And it is what filters and output say: "" is not present, and not returned.
    expect((await ok(await scim.get(`/Users?filter=${encodeURIComponent('title pr')}`))).totalResults).toBe(2);
    expect((await ok(await scim.get(`/Users?filter=${encodeURIComponent('userName eq "b"')}`))).Resources[0].title).toBeUndefined();
  });
});

describe('attributes and excludedAttributes', () => {
  it('answer 400 invalidValue naming a value that is not an attribute path, instead of bare ids', async () => {
    const scim = await newTenant();
    await scim.createUser('kim');
    for (const query of ['attributes=emails[type eq "work"]', 'excludedAttributes=name..givenName', 'attributes=userName,(x)']) {
      const res = await scim.get(`/Users?${query.replace(/ /g, '%20').replace(/"/g, '%22')}`);
      expect(res.status, query).toBe(400);
      expect((await body(res)).scimType).toBe('invalidValue');
    }
    await expectError(await scim.post('/Users/.search', { attributes: ['emails[type eq "work"]'] }), 400, 'invalidValue');
    // Well-formed names of attributes the type lacks still select nothing (RFC 7644 §3.9 leaves it open),
    // and a schema URN alone is a name, dots and all.
    expect((await scim.get('/Users?attributes=urn:other:thing,userName')).status).toBe(200);
    expect((await scim.get('/Users?attributes=urn:acme:ext:1.0')).status).toBe(200);
  });

  it('are checked before a PATCH writes: a refused PATCH changes nothing', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('kim', { title: 'a' });
    const res = await scim.patch(`/Users/${user.id}?attributes=${encodeURIComponent('emails[type eq "work"]')}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'b' }] });
    await expectError(res, 400, 'invalidValue');
    expect(await ok(await scim.get(`/Users/${user.id}`))).toMatchObject({ title: 'a', meta: { version: user.meta.version } });
  });
});
