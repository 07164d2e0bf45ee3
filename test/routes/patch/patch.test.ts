import { describe, expect, it } from 'vitest';
import { body, ENTERPRISE, newTenant, PATCH_OP } from '../../helpers';

const ops = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe('PATCH /Users/{id}', () => {
  it('answers 200 with the patched user, bumping version and lastModified', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('patchme', { name: { givenName: 'Kim', familyName: 'Lee' } });
    const res = await scim.patch(`/Users/${user.id}`, ops({ op: 'Replace', path: 'name', value: { givenName: 'Kym' } }));
    expect(res.status).toBe(200);
    const patched = await body(res);
    expect(patched.name).toEqual({ givenName: 'Kym', familyName: 'Lee' });
    expect(patched.meta.version).not.toBe(user.meta.version);
    expect(res.headers.get('ETag')).toBe(patched.meta.version);
    expect(await body(await scim.get(`/Users/${user.id}`))).toEqual(patched);
  });

  it('applies all operations or none (one failing op leaves the user untouched)', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('atomic', { title: 'Before' });
    const res = await scim.patch(`/Users/${user.id}`, ops({ op: 'replace', path: 'title', value: 'After' }, { op: 'replace', path: 'id', value: 'x' }));
    expect(res.status).toBe(400);
    expect((await body(res)).scimType).toBe('mutability');
    expect((await body(await scim.get(`/Users/${user.id}`))).title).toBe('Before');
  });

  it('honours attributes on the PATCH response', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('proj');
    const res = await scim.patch(`/Users/${user.id}?attributes=userName`, ops({ op: 'add', path: 'title', value: 'T' }));
    const got = await body(res);
    expect(got).toEqual({ schemas: got.schemas, id: user.id, userName: 'proj' });
  });

  it('sets the manager in both Entra shapes and keeps userName unique on rename', async () => {
    const scim = await newTenant();
    const boss = await scim.createUser('boss');
    const user = await scim.createUser('emp');
    await scim.createUser('taken');
    const a = await body(await scim.patch(`/Users/${user.id}`, ops({ op: 'Add', path: 'manager', value: [{ $ref: null, value: boss.id }] })));
    expect(a[ENTERPRISE].manager.value).toBe(boss.id);
    const b = await body(await scim.patch(`/Users/${user.id}`, ops({ op: 'Add', path: `${ENTERPRISE}:manager`, value: boss.id })));
    expect(b[ENTERPRISE].manager).toEqual({ value: boss.id });
    const dup = await scim.patch(`/Users/${user.id}`, ops({ op: 'Replace', path: 'userName', value: 'TAKEN' }));
    expect(dup.status).toBe(409);
    expect((await body(dup)).scimType).toBe('uniqueness');
  });

  it('404s for an unknown user and for a user of another tenant', async () => {
    const a = await newTenant();
    const b = await newTenant();
    const user = await a.createUser('mine');
    expect((await b.patch(`/Users/${user.id}`, ops({ op: 'replace', path: 'title', value: 'x' }))).status).toBe(404);
    expect((await a.patch('/Users/nope', ops({ op: 'replace', path: 'title', value: 'x' }))).status).toBe(404);
  });

  it('rejects a malformed PatchOp body with 400', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('bad');
    for (const bad of [{ schemas: [PATCH_OP] }, { schemas: [PATCH_OP], Operations: [] }, ops({ op: 'jump', path: 'title' })]) {
      const res = await scim.patch(`/Users/${user.id}`, bad);
      expect(res.status).toBe(400);
      expect((await body(res)).scimType).toBeDefined();
    }
  });

  it('never loses either of two concurrent replaces of different attributes', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('race');
    const rounds = Array.from({ length: 10 }, (_, i) => [
      scim.patch(`/Users/${user.id}`, ops({ op: 'replace', path: 'title', value: `title-${i}` })),
      scim.patch(`/Users/${user.id}`, ops({ op: 'replace', path: 'nickName', value: `nick-${i}` })),
    ]).flat();
    const results = await Promise.all(rounds);
    expect(results.every((r) => r.status === 200)).toBe(true);
    const final = await body(await scim.get(`/Users/${user.id}`));
    expect(final.title).toMatch(/^title-\d$/);
    expect(final.nickName).toMatch(/^nick-\d$/);
    expect(final.meta.version).toBe('W/"21"');
  });
});

describe('PATCH /Groups/{id}', () => {
  it('answers 204 by default and 200 with the group when attributes asks', async () => {
    const scim = await newTenant();
    const u = await scim.createUser('m1');
    const group = await scim.createGroup('G');
    const res = await scim.patch(`/Groups/${group.id}`, ops({ op: 'Add', path: 'members', value: [{ value: u.id, $ref: null }] }));
    expect(res.status).toBe(204);
    const withBody = await scim.patch(`/Groups/${group.id}?attributes=members`, ops({ op: 'Replace', path: 'displayName', value: 'G2' }));
    expect(withBody.status).toBe(200);
    expect((await body(withBody)).members.map((m: { value: string }) => m.value)).toEqual([u.id]);
  });

  it('adds, removes (both Entra shapes) and replaces members', async () => {
    const scim = await newTenant();
    const [a, b, c] = [await scim.createUser('a'), await scim.createUser('b'), await scim.createUser('c')];
    const group = await scim.createGroup('G', [a.id, b.id, c.id]);
    const members = async () => ((await body(await scim.get(`/Groups/${group.id}`))).members ?? []).map((m: { value: string }) => m.value).sort();
    await scim.patch(`/Groups/${group.id}`, ops({ op: 'Remove', path: 'members', value: [{ value: a.id }] }));
    expect(await members()).toEqual([b.id, c.id].sort());
    await scim.patch(`/Groups/${group.id}`, ops({ op: 'remove', path: `members[value eq "${b.id}"]` }));
    expect(await members()).toEqual([c.id]);
    await scim.patch(`/Groups/${group.id}`, ops({ op: 'replace', path: 'members', value: [{ value: a.id }, { value: b.id }] }));
    expect(await members()).toEqual([a.id, b.id].sort());
    await scim.patch(`/Groups/${group.id}`, ops({ op: 'remove', path: 'members' }));
    expect(await members()).toEqual([]);
  });

  it('accepts Okta group push: remove, add and a rename carrying the current id, in one request', async () => {
    const scim = await newTenant();
    const [a, b] = [await scim.createUser('oa'), await scim.createUser('ob')];
    const group = await scim.createGroup('Okta', [a.id]);
    const res = await scim.patch(
      `/Groups/${group.id}`,
      ops(
        { op: 'remove', path: `members[value eq "${a.id}"]` },
        { op: 'add', path: 'members', value: [{ value: b.id, display: 'ob' }] },
        { op: 'replace', value: { id: group.id, displayName: 'Okta renamed' } },
      ),
    );
    expect(res.status).toBe(204);
    const got = await body(await scim.get(`/Groups/${group.id}`));
    expect(got.displayName).toBe('Okta renamed');
    expect(got.members.map((m: { value: string }) => m.value)).toEqual([b.id]);
  });

  it('rejects unknown members, foreign members and cycles with 400 invalidValue, changing nothing', async () => {
    const a = await newTenant();
    const b = await newTenant();
    const foreign = await b.createUser('foreign');
    const inner = await a.createGroup('Inner');
    const outer = await a.createGroup('Outer', [inner.id]);
    for (const value of ['missing', foreign.id, outer.id]) {
      const res = await a.patch(`/Groups/${inner.id}`, ops({ op: 'add', path: 'members', value: [{ value }] }, { op: 'replace', path: 'displayName', value: 'changed' }));
      expect(res.status, value).toBe(400);
      expect((await body(res)).scimType).toBe('invalidValue');
    }
    expect((await body(await a.get(`/Groups/${inner.id}`))).displayName).toBe('Inner');
  });

  it('changes the group version when membership changes', async () => {
    const scim = await newTenant();
    const u = await scim.createUser('v');
    const group = await scim.createGroup('V');
    const res = await scim.patch(`/Groups/${group.id}`, ops({ op: 'add', path: 'members', value: [{ value: u.id }] }));
    expect(res.headers.get('ETag')).not.toBe(group.meta.version);
    expect((await body(await scim.get(`/Groups/${group.id}`))).meta.version).toBe(res.headers.get('ETag'));
  });

  it('keeps all 50 members when 50 PATCH adds hit one group at once', async () => {
    const scim = await newTenant();
    const group = await scim.createGroup('Crowd');
    const users = await Promise.all(Array.from({ length: 50 }, (_, i) => scim.createUser(`crowd${i}`)));
    const results = await Promise.all(users.map((u) => scim.patch(`/Groups/${group.id}`, ops({ op: 'add', path: 'members', value: [{ value: u.id }] }))));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(204));
    const got = await body(await scim.get(`/Groups/${group.id}`));
    expect(got.members).toHaveLength(50);
    expect(got.meta.version).toBe('W/"51"');
  });
});

describe('PATCH /Me', () => {
  it('patches the token subject', async () => {
    const { admin } = await import('../../helpers');
    const scim = await newTenant();
    const user = await scim.createUser('me-patch');
    const minted = (await (await admin(`/tenants/${scim.tenant}/tokens`, 'POST', { label: 'me', subject: user.id })).json()) as { token: string };
    const { Scim } = await import('../../helpers');
    const me = new Scim(scim.tenant, minted.token);
    const res = await me.patch('/Me', ops({ op: 'replace', path: 'active', value: 'False' }));
    expect(res.status).toBe(200);
    expect((await body(res)).active).toBe(false);
  });
});
