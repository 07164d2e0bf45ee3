import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { admin, body, expectError, ok, PATCH_OP, USER_SCHEMA } from '../../helpers';
import { ciamTenant, createOrg, ORG, ORG_EXT, ORG_USER, orgType, orgUserSchema, put, USER_EXT } from './ciam';

// A declared type goes through the very code paths of Users and Groups: every verb, queries,
// preconditions, uniqueness decided by the database, references checked and rendered.

describe('declared resource types over SCIM', () => {
  it('creates, reads, replaces, patches and deletes an Organization with its tenant extension', async () => {
    const scim = await ciamTenant();
    const org = await createOrg(scim, 'Acme', { code: 'ACME', [ORG_EXT]: { tier: 'gold' }, secret: 's3cret', unknown: 1 });
    expect(org.schemas).toEqual([ORG, ORG_EXT]);
    expect(org.meta).toMatchObject({ resourceType: 'Organization', version: 'W/"1"', location: `http://scim.test/scim/v2/Organizations/${org.id}` });
    expect(org[ORG_EXT]).toEqual({ tier: 'gold' });
    expect(org.secret).toBeUndefined(); // writeOnly, returned never
    expect(org.unknown).toBeUndefined();

    const got = await scim.get(`/Organizations/${org.id}`);
    expect(got.headers.get('ETag')).toBe('W/"1"');
    expect(await scim.get(`/Organizations/${org.id}`, { 'If-None-Match': 'W/"1"' }).then((r) => r.status)).toBe(304);

    const put = await scim.put(`/Organizations/${org.id}`, { schemas: [ORG], name: 'Acme Corp', code: 'ACME', seats: '12' }, { 'If-Match': 'W/"1"' });
    expect(put.status).toBe(200);
    expect(await body(put)).toMatchObject({ name: 'Acme Corp', seats: 12, meta: { version: 'W/"2"' } });
    expect(await scim.put(`/Organizations/${org.id}`, { name: 'x' }, { 'If-Match': 'W/"1"' }).then((r) => r.status)).toBe(412);

    // Entra's dialect works here too: capitalised op, string boolean, URN-qualified path-less key.
    const patched = await scim.patch(`/Organizations/${org.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', value: { active: 'True', [`${ORG_EXT}:region`]: 'EU' } }, { op: 'add', path: 'tags', value: ['b2b'] }],
    });
    expect(patched.status).toBe(200);
    expect(await body(patched)).toMatchObject({ active: true, tags: ['b2b'], [ORG_EXT]: { region: 'EU' } });

    expect((await scim.delete(`/Organizations/${org.id}`)).status).toBe(204);
    expect((await scim.get(`/Organizations/${org.id}`)).status).toBe(404);
  });

  it('refuses a missing required attribute and a value of the wrong type with 400 invalidValue', async () => {
    const scim = await ciamTenant();
    const missing = await scim.post('/Organizations', { schemas: [ORG], code: 'X' });
    expect(missing.status).toBe(400);
    expect((await body(missing)).scimType).toBe('invalidValue');
    const wrong = await scim.post('/Organizations', { schemas: [ORG], name: 'X', seats: 'many' });
    expect((await body(wrong)).scimType).toBe('invalidValue');
  });

  it('filters, sorts and pages a declared type in SQL, by index and by cursor', async () => {
    const scim = await ciamTenant();
    for (const name of ['Delta', 'alpha', 'Charlie', 'bravo']) await createOrg(scim, name, { seats: name.length });
    const sorted = await ok(await scim.get('/Organizations?sortBy=name&count=2'));
    expect(sorted.totalResults).toBe(4);
    expect(sorted.Resources.map((r: any) => r.name)).toEqual(['alpha', 'bravo']);
    const filtered = await ok(await scim.get(`/Organizations?filter=${encodeURIComponent('name sw "C" or seats gt 5')}&attributes=name`));
    expect(filtered.Resources.map((r: any) => r.name).sort()).toEqual(['Charlie']);
    expect(Object.keys(filtered.Resources[0]).sort()).toEqual(['id', 'name', 'schemas']);

    const names: string[] = [];
    let page = await ok(await scim.get('/Organizations?cursor&count=3&sortBy=name&sortOrder=descending'));
    names.push(...page.Resources.map((r: any) => r.name));
    page = await ok(await scim.get(`/Organizations?cursor=${encodeURIComponent(page.nextCursor)}&count=3&sortBy=name&sortOrder=descending`));
    names.push(...page.Resources.map((r: any) => r.name));
    expect(names).toEqual(['Delta', 'Charlie', 'bravo', 'alpha']);
    expect(page.nextCursor).toBeUndefined();

    const searched = await ok(await scim.post('/Organizations/.search', { filter: 'name eq "ALPHA"' }));
    expect(searched.totalResults).toBe(1);
    const root = await ok(await scim.post('/.search', { filter: 'name eq "alpha"' })); // matches no User (complex name) nor Group
    expect(root.Resources.map((r: any) => r.meta.resourceType)).toEqual(['Organization']);
  });

  it('enforces uniqueness server per type and global across types, naming the attribute', async () => {
    const scim = await ciamTenant();
    const first = await createOrg(scim, 'One', { code: 'Dup', domain: 'one.example' });
    const dup = await scim.post('/Organizations', { schemas: [ORG], name: 'Two', code: 'dup' }); // caseExact false: "dup" = "Dup"
    expect(dup.status).toBe(409);
    const error = await body(dup);
    expect(error.scimType).toBe('uniqueness');
    expect(error.detail).toContain('code');
    const global = await scim.post('/Organizations', { schemas: [ORG], name: 'Three', domain: 'ONE.example' });
    expect((await body(global)).detail).toContain('domain');
    // Freed by a delete, reusable at once; kept on a PUT that keeps it.
    expect((await scim.put(`/Organizations/${first.id}`, { name: 'One', code: 'Dup' })).status).toBe(200);
    await scim.delete(`/Organizations/${first.id}`);
    expect((await scim.post('/Organizations', { schemas: [ORG], name: 'Two', code: 'dup' })).status).toBe(201);
  });

  it('lets exactly one of twenty concurrent creates with one unique value win', async () => {
    const scim = await ciamTenant();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => scim.post('/Organizations', { schemas: [ORG], name: `N${i}`, code: `Same` })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results) if (r.status === 409) await expectError(r, 409, 'uniqueness');
  });

  it('enforces uniqueness of a tenant extension attribute on the built-in User type', async () => {
    const scim = await ciamTenant();
    await scim.createUser('a@x.test', { schemas: [USER_SCHEMA, USER_EXT], [USER_EXT]: { customerId: 'C-1' } });
    const dup = await scim.post('/Users', { schemas: [USER_SCHEMA, USER_EXT], userName: 'b@x.test', [USER_EXT]: { customerId: 'C-1' } });
    expect((await expectError(dup, 409, 'uniqueness')).detail).toContain('customerId');
    // caseExact true: another case is another value.
    expect((await scim.post('/Users', { userName: 'c@x.test', [USER_EXT]: { customerId: 'c-1' } })).status).toBe(201);
    const found = await ok(await scim.get(`/Users?filter=${encodeURIComponent(`${USER_EXT}:customerId eq "C-1"`)}`));
    expect(found.Resources.map((r: any) => r.userName)).toEqual(['a@x.test']);
    // userName stays the column-enforced key.
    expect((await body(await scim.post('/Users', { userName: 'A@X.test' }))).detail).toContain('userName');
  });

  it('checks references, renders $ref as the location, and clears them when the target is deleted', async () => {
    const scim = await ciamTenant();
    const org = await createOrg(scim, 'Acme');
    const user = await scim.createUser('kim@acme.test');
    const bad = await scim.post('/OrganizationUsers', { schemas: [ORG_USER], user: { value: user.id }, organization: { value: user.id } });
    expect(bad.status).toBe(400);
    expect((await body(bad)).scimType).toBe('invalidValue');

    const res = await scim.post('/OrganizationUsers', { schemas: [ORG_USER], user: { value: user.id }, organization: { value: org.id, $ref: 'http://evil/x' }, status: 'active' });
    expect(res.status).toBe(201);
    const link = await body(res);
    expect(link.organization).toEqual({ value: org.id, $ref: `http://scim.test/scim/v2/Organizations/${org.id}` });
    expect(link.user.$ref).toBe(`http://scim.test/scim/v2/Users/${user.id}`);

    const byOrg = await ok(await scim.get(`/OrganizationUsers?filter=${encodeURIComponent(`organization.value eq "${org.id}"`)}`));
    expect(byOrg.Resources.map((r: any) => r.id)).toEqual([link.id]);

    expect((await scim.delete(`/Organizations/${org.id}`)).status).toBe(204);
    const after = await ok(await scim.get(`/OrganizationUsers/${link.id}`));
    expect(after.organization).toBeUndefined();
    expect(after.user.value).toBe(user.id);
    expect(after.meta.version).toBe('W/"2"');
    expect((await ok(await scim.get(`/OrganizationUsers?filter=${encodeURIComponent(`organization.value eq "${org.id}"`)}`))).totalResults).toBe(0);
  });

  it('resolves bulkId references across declared and built-in types in one Bulk request', async () => {
    const scim = await ciamTenant();
    const res = await scim.post('/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'POST', path: '/OrganizationUsers', bulkId: 'link', data: { user: { value: 'bulkId:u' }, organization: { value: 'bulkId:o' } } },
        { method: 'POST', path: '/Organizations', bulkId: 'o', data: { name: 'Bulk Org' } },
        { method: 'POST', path: '/Users', bulkId: 'u', data: { userName: 'bulk@acme.test' } },
      ],
    });
    const result = await ok(res);
    expect(result.Operations.map((o: any) => o.status)).toEqual(['201', '201', '201']);
    const link = await ok(await scim.get(new URL(result.Operations[0].location).pathname.replace('/scim/v2', '')));
    expect(link.organization.value).toBe(new URL(result.Operations[1].location).pathname.split('/').pop());
  });

  it('answers /Me with the /Users/{id} preconditions: 304 on a current If-None-Match, 412 on a stale If-Match', async () => {
    const scim = await ciamTenant();
    const user = await scim.createUser('me@acme.test');
    const res = await admin(`/tenants/${scim.tenant}/tokens`, 'POST', { label: 'me', subject: user.id });
    const { token } = await body(res);
    const me = (method: string, headers: Record<string, string>, payload?: unknown) =>
      scim.request.call({ token, tenant: scim.tenant } as any, method, '/Me', payload, headers);
    expect((await me('GET', { 'If-None-Match': 'W/"1"' })).status).toBe(304);
    expect((await me('PUT', { 'If-Match': 'W/"7"' }, { userName: 'me@acme.test' })).status).toBe(412);
    expect((await me('PATCH', { 'If-Match': 'W/"7"' }, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] })).status).toBe(412);
  });

  it('takes back a GET body as a PUT (server-computed $ref aside) and refuses to change an immutable reference', async () => {
    const scim = await ciamTenant();
    const org = await createOrg(scim, 'Acme');
    const other = await createOrg(scim, 'Beta');
    const user = await scim.createUser('kim@acme.test');
    // Immutable references, as examples/ciam declares them.
    const strict = { ...orgUserSchema, attributes: orgUserSchema.attributes.map((a: any) => (a.type === 'complex' ? { ...a, mutability: 'immutable' } : a)) };
    expect((await put(scim.tenant, `/schemas/${encodeURIComponent(ORG_USER)}`, strict)).status).toBe(200);
    const link = await body(await scim.post('/OrganizationUsers', { user: { value: user.id }, organization: { value: org.id } }));
    const { id: _id, meta: _meta, ...echo } = link;
    expect((await scim.put(`/OrganizationUsers/${link.id}`, { ...echo, status: 'active' })).status).toBe(200);
    expect((await scim.put(`/OrganizationUsers/${link.id}`, { organization: { value: org.id }, user: { value: user.id } })).status).toBe(200);
    const moved = await scim.put(`/OrganizationUsers/${link.id}`, { user: { value: user.id }, organization: { value: other.id } });
    expect(moved.status).toBe(400);
    expect((await body(moved)).scimType).toBe('mutability');
  });

  it('never returns a writeOnly value, even when asked for, and stores only its hash', async () => {
    const scim = await ciamTenant();
    const org = await createOrg(scim, 'Acme', { secret: 'hunter2' });
    expect((await ok(await scim.get(`/Organizations/${org.id}?attributes=secret,name`))).secret).toBeUndefined();
    const row = await env.DB.prepare('SELECT data FROM resources WHERE tenant_id = ? AND id = ?').bind(scim.tenant, org.id).first<{ data: string }>();
    expect(row!.data).not.toContain('hunter2');
    expect(JSON.parse(row!.data).secret).toMatch(/^pbkdf2-sha256\$/);
    // A PATCH that leaves it alone does not hash the hash again.
    await scim.patch(`/Organizations/${org.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'seats', value: 2 }] });
    const again = await env.DB.prepare('SELECT data FROM resources WHERE tenant_id = ? AND id = ?').bind(scim.tenant, org.id).first<{ data: string }>();
    expect(JSON.parse(again!.data).secret).toBe(JSON.parse(row!.data).secret);
  });

  it('requires the required sub-attributes of a present complex value', async () => {
    const scim = await ciamTenant();
    const res = await scim.post('/OrganizationUsers', { user: { display: 'x' }, organization: { display: 'y' } });
    expect((await expectError(res, 400, 'invalidValue')).detail).toContain('user.value');
  });

  it('refuses a PATCH that removes a required schema extension', async () => {
    const scim = await ciamTenant();
    expect((await put(scim.tenant, '/resource-types/Organization', { ...orgType, schemaExtensions: [{ schema: ORG_EXT, required: true }] })).status).toBe(200);
    const org = await createOrg(scim, 'Acme', { [ORG_EXT]: { tier: 'gold' } });
    const res = await scim.patch(`/Organizations/${org.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: ORG_EXT }] });
    expect(res.status).toBe(400);
    expect((await body(res)).scimType).toBe('mutability');
  });
});
