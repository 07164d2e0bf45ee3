// Black-box conformance: resource lifecycle (RFC 7643 §4, RFC 7644 §3.3–§3.6).
import { describe, expect, it } from 'vitest';
import { body, ENTERPRISE, expectError, GROUP_SCHEMA, newTenant, ok, PATCH_OP, USER_SCHEMA } from '../helpers';

// RFC 7643 §8.2 "Full User Representation", less readOnly attributes and the password.
const fullUser = (userName: string, managerId: string) => ({
  schemas: [USER_SCHEMA, ENTERPRISE],
  externalId: 'ext-701984',
  userName,
  name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane', honorificPrefix: 'Ms.', honorificSuffix: 'III' },
  displayName: 'Babs Jensen',
  nickName: 'Babs',
  profileUrl: 'https://login.example.com/bjensen',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  addresses: [
    { type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', formatted: '100 Universal City Plaza\nHollywood, CA 91608 USA', primary: true },
  ],
  phoneNumbers: [{ value: '555-555-5555', type: 'work' }, { value: '555-555-4444', type: 'mobile' }],
  ims: [{ value: 'someaimhandle', type: 'aim' }],
  photos: [{ value: 'https://photos.example.com/profilephoto/72930000000Ccne/F', type: 'photo' }],
  userType: 'Employee',
  title: 'Tour Guide',
  preferredLanguage: 'en-US',
  locale: 'en-US',
  timezone: 'America/Los_Angeles',
  active: true,
  entitlements: [{ value: 'delegated-admin', type: 'admin' }],
  roles: [{ value: 'sales', type: 'role', primary: true }],
  x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw' }],
  [ENTERPRISE]: { employeeNumber: '701984', costCenter: '4130', organization: 'Universal Studios', division: 'Theme Park', department: 'Tour Operations', manager: { value: managerId } },
});

describe('User round trip', () => {
  it('returns every attribute of the RFC 7643 full User representation as sent, on POST and GET', async () => {
    const scim = await newTenant();
    const boss = await scim.createUser('boss');
    const sent = fullUser('bjensen@example.com', boss.id);
    const res = await scim.post('/Users', { ...sent, password: 't1meMa$heen' });
    expect(res.status).toBe(201);
    const created = await body(res);
    const { schemas, [ENTERPRISE]: ent, ...core } = sent;
    expect(created).toMatchObject(core);
    expect(created[ENTERPRISE]).toMatchObject({ ...ent, manager: { value: boss.id } });
    expect(new Set(created.schemas)).toEqual(new Set(schemas));
    // RFC 7643 §4.1.1: password is returned "never".
    expect(created).not.toHaveProperty('password');
    const fetched = await ok(await scim.get(`/Users/${created.id}`));
    expect(fetched).toMatchObject(core);
    expect(fetched).not.toHaveProperty('password');
  });

  it('round-trips a Unicode userName and finds it case-insensitively', async () => {
    const scim = await newTenant();
    const userName = 'Zoë.Ünïcødé.用户@例え.jp';
    const user = await scim.createUser(userName, { displayName: '😀 Zoë' });
    expect(user.userName).toBe(userName);
    expect(user.displayName).toBe('😀 Zoë');
    const filter = encodeURIComponent(`userName eq "${userName.toUpperCase()}"`);
    const list = await ok(await scim.get(`/Users?filter=${filter}`));
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0].id).toBe(user.id);
    await expectError(await scim.post('/Users', { schemas: [USER_SCHEMA], userName: userName.toLowerCase() }), 409, 'uniqueness');
  });

  it('keeps very long attribute values intact', async () => {
    const scim = await newTenant();
    const long = 'x'.repeat(2_000);
    const huge = 'é'.repeat(100_000);
    const user = await scim.createUser(`long-${long}`, { displayName: huge, title: long });
    const fetched = await ok(await scim.get(`/Users/${user.id}`));
    expect(fetched.userName).toBe(`long-${long}`);
    expect(fetched.displayName).toBe(huge);
    const list = await ok(await scim.get(`/Users?filter=${encodeURIComponent(`title eq "${long}"`)}`));
    expect(list.totalResults).toBe(1);
  });

  it('rejects a number too large for JSON text rather than storing "Infinity"', async () => {
    const scim = await newTenant();
    const res = await scim.request('POST', '/Users', '{"userName":"inf","title":1e400}', { 'Content-Type': 'application/scim+json' });
    await expectError(res, 400, 'invalidValue');
  });
});

describe('PUT', () => {
  it('never changes id when the body carries another id (RFC 7643 §3.1 id is readOnly)', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('keepid');
    const res = await scim.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], id: 'another-id', userName: 'keepid', title: 'x' });
    expect(res.status).toBe(200);
    const doc = await body(res);
    expect(doc.id).toBe(user.id);
    expect((await scim.get('/Users/another-id')).status).toBe(404);
    const group = await scim.createGroup('keepid');
    const g = await body(await scim.put(`/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], id: 'x', displayName: 'renamed' }));
    expect(g.id).toBe(group.id);
  });

  it('ignores readOnly meta in a PUT body', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('meta');
    const doc = await body(await scim.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: 'meta', meta: { created: '2001-01-01T00:00:00Z', resourceType: 'Group' } }));
    expect(doc.meta.created).toBe(user.meta.created);
    expect(doc.meta.resourceType).toBe('User');
  });

  it('replaces the whole resource: attributes not sent are cleared (RFC 7644 §3.5.1)', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('replace', { title: 'Boss', nickName: 'B' });
    const doc = await body(await scim.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: 'replace', nickName: 'C' }));
    expect(doc).not.toHaveProperty('title');
    expect(doc.nickName).toBe('C');
  });

  it('accepts a PUT without schemas (decisions.md: lenient input) and answers the full resource', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('noschemas');
    const res = await scim.put(`/Users/${user.id}`, { userName: 'noschemas', title: 'x' });
    expect(res.status).toBe(200);
    const doc = await body(res);
    expect(doc.schemas).toEqual([USER_SCHEMA]);
    expect(doc.title).toBe('x');
  });

  it('refuses a PUT without the required userName with 400 invalidValue', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('required');
    const res = await scim.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], title: 'x' });
    await expectError(res, 400, 'invalidValue');
  });
});

describe('userName uniqueness is case-insensitive on every write', () => {
  it.each([
    ['PUT', (scim: any, id: string) => scim.put(`/Users/${id}`, { schemas: [USER_SCHEMA], userName: 'ALICE' })],
    ['PATCH replace with path', (scim: any, id: string) => scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: 'Alice' }] })],
    ['PATCH replace without path', (scim: any, id: string) => scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { userName: 'aLiCe' } }] })],
  ])('%s to another user\'s userName in another case is 409 uniqueness', async (_n, send) => {
    const scim = await newTenant();
    await scim.createUser('alice');
    const bob = await scim.createUser('bob');
    const res: Response = await send(scim, bob.id);
    expect(res.status).toBe(409);
    const doc = await body(res);
    expect(doc.scimType).toBe('uniqueness');
    expect(doc.status).toBe('409');
    expect((await ok(await scim.get(`/Users/${bob.id}`))).userName).toBe('bob');
  });

  it('lets a user change the case of its own userName', async () => {
    const scim = await newTenant();
    const alice = await scim.createUser('alice');
    const res = await scim.put(`/Users/${alice.id}`, { schemas: [USER_SCHEMA], userName: 'ALICE' });
    expect(res.status).toBe(200);
    expect((await body(res)).userName).toBe('ALICE');
  });
});

describe('DELETE', () => {
  it.each(['Users', 'Groups'])('DELETE /%s/{id} twice answers 204 then 404, and GET afterwards 404', async (type) => {
    const scim = await newTenant();
    const r = type === 'Users' ? await scim.createUser('gone') : await scim.createGroup('gone');
    expect((await scim.delete(`/${type}/${r.id}`)).status).toBe(204);
    await expectError(await scim.delete(`/${type}/${r.id}`), 404, undefined);
    expect((await scim.get(`/${type}/${r.id}`)).status).toBe(404);
  });

  it('frees a deleted user\'s userName for a new user (RFC 7644 §3.6: deleted resources are not in conflict)', async () => {
    const scim = await newTenant();
    const u = await scim.createUser('reuse');
    await scim.delete(`/Users/${u.id}`);
    const res = await scim.post('/Users', { schemas: [USER_SCHEMA], userName: 'REUSE' });
    expect(res.status).toBe(201);
    expect((await body(res)).id).not.toBe(u.id);
  });

  it('removes a deleted user from its groups', async () => {
    const scim = await newTenant();
    const u = await scim.createUser('member');
    const g = await scim.createGroup('team', [u.id]);
    await scim.delete(`/Users/${u.id}`);
    const group = await ok(await scim.get(`/Groups/${g.id}`));
    expect(group.members ?? []).toEqual([]);
  });
});

describe('Groups', () => {
  it('allows two Groups with the same displayName (decisions.md: uniqueness none)', async () => {
    const scim = await newTenant();
    const a = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Same' });
    const b = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Same' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await body(a)).id).not.toBe((await body(b)).id);
  });

  it('returns members with value, $ref and display, and the user\'s groups', async () => {
    const scim = await newTenant();
    const u = await scim.createUser('m1', { displayName: 'Member One' });
    const g = await scim.createGroup('Team', [u.id]);
    expect(g.members).toHaveLength(1);
    expect(g.members[0]).toMatchObject({ value: u.id, display: 'Member One' });
    expect(g.members[0].$ref).toMatch(new RegExp(`/Users/${u.id}$`));
    const user = await ok(await scim.get(`/Users/${u.id}`));
    expect(user.groups).toEqual([expect.objectContaining({ value: g.id, display: 'Team' })]);
  });

  it('nests groups: a user lists its direct group and the outer group as indirect (RFC 7643 §4.1.2)', async () => {
    const scim = await newTenant();
    const u = await scim.createUser('nested');
    const inner = await scim.createGroup('inner', [u.id]);
    const outer = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'outer', members: [{ value: inner.id, type: 'Group' }] });
    expect(outer.status).toBe(201);
    const outerDoc = await body(outer);
    expect(outerDoc.members[0]).toMatchObject({ value: inner.id, type: 'Group' });
    expect(outerDoc.members[0].$ref).toMatch(new RegExp(`/Groups/${inner.id}$`));
    const groups = (await ok(await scim.get(`/Users/${u.id}?attributes=groups`))).groups;
    expect(groups).toEqual(expect.arrayContaining([
      expect.objectContaining({ value: inner.id, type: 'direct' }),
      expect.objectContaining({ value: outerDoc.id, type: 'indirect' }),
    ]));
    const cycle = await scim.patch(`/Groups/${inner.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: outerDoc.id }] }] });
    await expectError(cycle, 400, 'invalidValue');
  });

  it('refuses a member that does not exist with 400 invalidValue', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'ghosts', members: [{ value: 'no-such-user' }] });
    await expectError(res, 400, 'invalidValue');
  });

  it('takes a member type label from the member itself, not from the request', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('typed');
    const res = await scim.post('/Groups', { displayName: 'G', members: [{ value: user.id, type: 'Group' }] });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { members: { type: string }[] }).members[0]!.type).toBe('User');
  });
});
