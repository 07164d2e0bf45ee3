// Black-box conformance: PATCH (RFC 7644 §3.5.2).
import { describe, expect, it } from 'vitest';
import { body, ENTERPRISE, expectError, newTenant, ok, PATCH_OP } from '../helpers';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const ops = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe('PATCH errors', () => {
  it.each([
    ['replace of an attribute not in any schema', ops({ op: 'replace', path: 'nonExistentAttribute', value: 'x' }), 'invalidPath'],
    ['add of an attribute not in any schema', ops({ op: 'add', path: 'foo.bar', value: 'x' }), 'invalidPath'],
    ['remove without a path', ops({ op: 'remove' }), 'noTarget'],
    ['a malformed path', ops({ op: 'replace', path: 'emails[type eq', value: 'x' }), 'invalidPath'],
    ['replace of readOnly id', ops({ op: 'replace', path: 'id', value: 'x' }), 'mutability'],
    ['replace of readOnly meta.created', ops({ op: 'replace', path: 'meta.created', value: '2000-01-01T00:00:00Z' }), 'mutability'],
    ['add to readOnly groups', ops({ op: 'add', path: 'groups', value: [{ value: 'g' }] }), 'mutability'],
    ['remove of required userName', ops({ op: 'remove', path: 'userName' }), 'mutability'],
    ['an unknown op', ops({ op: 'merge', path: 'title', value: 'x' }), 'invalidSyntax'],
    ['no Operations', { schemas: [PATCH_OP] }, 'invalidSyntax'],
    ['replace through a filter that matches nothing', ops({ op: 'replace', path: 'emails[type eq "home"]', value: { value: 'h@x.io' } }), 'noTarget'],
    ['a wrong value type for a boolean', ops({ op: 'replace', path: 'active', value: 'sometimes' }), 'invalidValue'],
  ])('%s is 400 %s and leaves the user unchanged', async (_n, payload, scimType) => {
    const scim = await newTenant();
    const user = await scim.createUser('p', { title: 'T', emails: [{ value: 'w@x.io', type: 'work' }] });
    const res = await scim.patch(`/Users/${user.id}`, payload);
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/scim\+json/);
    const doc = await body(res);
    expect(doc.schemas).toEqual([ERROR]);
    expect(doc.status).toBe('400');
    expect(doc.scimType).toBe(scimType);
    const after = await ok(await scim.get(`/Users/${user.id}`));
    expect(after.meta.version).toBe(user.meta.version);
  });

  it('applies all operations or none (RFC 7644 §3.5.2: a failed operation leaves the resource unchanged)', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('atomic', { title: 'T' });
    const res = await scim.patch(`/Users/${user.id}`, ops({ op: 'replace', path: 'title', value: 'changed' }, { op: 'replace', path: 'bogus', value: 1 }));
    await expectError(res, 400, 'invalidPath');
    expect((await ok(await scim.get(`/Users/${user.id}`))).title).toBe('T');
  });

  it('answers 404 with a SCIM error for an unknown id', async () => {
    const scim = await newTenant();
    await expectError(await scim.patch('/Users/unknown', ops({ op: 'replace', path: 'title', value: 'x' })), 404, undefined);
  });
});

describe('PATCH success', () => {
  it.each([
    ['add with an empty value object is a no-op', ops({ op: 'add', value: {} }), (u: any) => expect(u.title).toBe('T')],
    ['replace of an unassigned attribute adds it (§3.5.2.3)', ops({ op: 'replace', path: 'nickName', value: 'Nick' }), (u: any) => expect(u.nickName).toBe('Nick')],
    ['add without path sets several attributes', ops({ op: 'add', value: { nickName: 'N', userType: 'Employee' } }), (u: any) => expect(u).toMatchObject({ nickName: 'N', userType: 'Employee' })],
    ['replace of a sub-attribute', ops({ op: 'replace', path: 'name.givenName', value: 'Ann' }), (u: any) => expect(u.name).toEqual({ givenName: 'Ann', familyName: 'Lee' })],
    ['add to a multi-valued attribute appends', ops({ op: 'add', path: 'emails', value: [{ value: 'h@x.io', type: 'home' }] }), (u: any) => expect(u.emails).toHaveLength(2)],
    ['replace through a value filter', ops({ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@x.io' }), (u: any) => expect(u.emails).toEqual([{ value: 'new@x.io', type: 'work' }])],
    ['remove through a value filter', ops({ op: 'remove', path: 'emails[type eq "work"]' }), (u: any) => expect(u).not.toHaveProperty('emails')],
    ['remove of a singular attribute', ops({ op: 'remove', path: 'title' }), (u: any) => expect(u).not.toHaveProperty('title')],
    ['remove of an unassigned attribute', ops({ op: 'remove', path: 'nickName' }), (u: any) => expect(u).not.toHaveProperty('nickName')],
    ['add of an extension attribute by URN path', ops({ op: 'add', path: `${ENTERPRISE}:employeeNumber`, value: '42' }), (u: any) => { expect(u[ENTERPRISE]).toEqual({ employeeNumber: '42' }); expect(u.schemas).toContain(ENTERPRISE); }],
    ['add of an extension attribute in a path-less value', ops({ op: 'add', value: { [ENTERPRISE]: { department: 'R&D' } } }), (u: any) => expect(u[ENTERPRISE]).toEqual({ department: 'R&D' })],
    ['replace active with a boolean', ops({ op: 'replace', path: 'active', value: false }), (u: any) => expect(u.active).toBe(false)],
    ['several operations in order', ops({ op: 'replace', path: 'title', value: 'A' }, { op: 'replace', path: 'title', value: 'B' }), (u: any) => expect(u.title).toBe('B')],
    ['a PatchOp without schemas (patch README: accepted)', { Operations: [{ op: 'replace', path: 'title', value: 'S' }] }, (u: any) => expect(u.title).toBe('S')],
  ])('%s', async (_n, payload, check) => {
    const scim = await newTenant();
    const user = await scim.createUser('p', { title: 'T', name: { givenName: 'A', familyName: 'Lee' }, emails: [{ value: 'w@x.io', type: 'work' }] });
    const res = await scim.patch(`/Users/${user.id}`, payload);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/scim\+json/);
    const doc = await body(res);
    check(doc);
    expect(res.headers.get('ETag')).toBe(doc.meta.version);
    check(await ok(await scim.get(`/Users/${user.id}`)));
  });

  it('reads PatchOp member names, op values and paths in any case (RFC 7643 §2.1)', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('cases', { name: { givenName: 'A' }, emails: [{ value: 'w@x.io', type: 'work' }] });
    const res = await scim.patch(`/Users/${user.id}`, {
      Schemas: [PATCH_OP],
      operations: [
        { OP: 'Replace', PATH: 'NAME.GIVENNAME', VALUE: 'B' },
        { op: 'REPLACE', path: 'Emails[Type eq "work"].Value', value: 'v@x.io' },
        { op: 'add', path: `${ENTERPRISE.toUpperCase()}:department`, value: 'D' },
      ],
    });
    expect(res.status).toBe(200);
    const doc = await body(res);
    expect(doc.name.givenName).toBe('B');
    expect(doc.emails).toEqual([{ value: 'v@x.io', type: 'work' }]);
    expect(doc[ENTERPRISE]).toEqual({ department: 'D' });
  });

  it('honours attributes on the PATCH response (RFC 7644 §3.5.2)', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('attrs', { title: 'T' });
    const doc = await body(await scim.patch(`/Users/${user.id}?attributes=title`, ops({ op: 'replace', path: 'title', value: 'U' })));
    expect(doc).toMatchObject({ id: user.id, title: 'U' });
    expect(doc).not.toHaveProperty('userName');
  });

  it('removes the enterprise extension by its URN', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('ext', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE], [ENTERPRISE]: { department: 'D' } });
    const doc = await ok(await scim.patch(`/Users/${user.id}`, ops({ op: 'remove', path: ENTERPRISE })));
    expect(doc).not.toHaveProperty(ENTERPRISE);
    expect(doc.schemas).not.toContain(ENTERPRISE);
  });
});

describe('Group membership PATCH', () => {
  it('adds, removes by filter, removes by value list and replaces members', async () => {
    const scim = await newTenant();
    const [a, b, c] = [await scim.createUser('a'), await scim.createUser('b'), await scim.createUser('c')];
    const g = await scim.createGroup('G');
    const members = async () => ((await ok(await scim.get(`/Groups/${g.id}`))).members ?? []).map((m: any) => m.value).sort();
    expect((await scim.patch(`/Groups/${g.id}`, ops({ op: 'add', path: 'members', value: [{ value: a.id }, { value: b.id }, { value: c.id }] }))).status).toBe(204);
    expect(await members()).toEqual([a.id, b.id, c.id].sort());
    expect((await scim.patch(`/Groups/${g.id}`, ops({ op: 'remove', path: `members[value eq "${a.id}"]` }))).status).toBe(204);
    expect(await members()).toEqual([b.id, c.id].sort());
    expect((await scim.patch(`/Groups/${g.id}`, ops({ op: 'remove', path: 'members', value: [{ value: b.id }] }))).status).toBe(204);
    expect(await members()).toEqual([c.id]);
    expect((await scim.patch(`/Groups/${g.id}`, ops({ op: 'replace', path: 'members', value: [{ value: a.id }] }))).status).toBe(204);
    expect(await members()).toEqual([a.id]);
    expect((await scim.patch(`/Groups/${g.id}`, ops({ op: 'remove', path: 'members' }))).status).toBe(204);
    expect(await members()).toEqual([]);
  });

  it('adding an existing member again is idempotent', async () => {
    const scim = await newTenant();
    const a = await scim.createUser('a');
    const g = await scim.createGroup('G', [a.id]);
    expect((await scim.patch(`/Groups/${g.id}`, ops({ op: 'add', path: 'members', value: [{ value: a.id }] }))).status).toBe(204);
    expect((await ok(await scim.get(`/Groups/${g.id}`))).members).toHaveLength(1);
  });

  it('adding a member that does not exist fails and changes nothing', async () => {
    const scim = await newTenant();
    const g = await scim.createGroup('G');
    const res = await scim.patch(`/Groups/${g.id}`, ops({ op: 'add', path: 'members', value: [{ value: 'ghost' }] }));
    await expectError(res, 400, 'invalidValue');
    expect((await ok(await scim.get(`/Groups/${g.id}`))).members ?? []).toEqual([]);
  });
});
