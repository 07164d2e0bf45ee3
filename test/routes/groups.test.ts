import { describe, expect, it } from 'vitest';
import { body, expectError, GROUP_SCHEMA, newTenant } from '../helpers';

describe('Groups', () => {
  it('creates a group with members that exist, returning value, $ref, display and type', async () => {
    const scim = await newTenant();
    const alice = await scim.createUser('alice', { displayName: 'Alice A' });
    const group = await scim.createGroup('Admins', [alice.id]);
    expect(group.schemas).toEqual([GROUP_SCHEMA]);
    expect(group.meta.resourceType).toBe('Group');
    expect(group.members).toEqual([
      { value: alice.id, $ref: `http://scim.test/scim/v2/Users/${alice.id}`, type: 'User', display: 'Alice A' },
    ]);
    expect(await body(await scim.get(`/Groups/${group.id}`))).toEqual(group);
  });

  it('rejects a member that does not exist with 400 invalidValue', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Groups', { displayName: 'G', members: [{ value: 'nope' }] });
    expect(res.status).toBe(400);
    expect((await body(res)).scimType).toBe('invalidValue');
  });

  it('rejects a member from another tenant with 400 invalidValue', async () => {
    const a = await newTenant();
    const b = await newTenant();
    const foreign = await b.createUser('foreign');
    const res = await a.post('/Groups', { displayName: 'G', members: [{ value: foreign.id }] });
    expect(res.status).toBe(400);
    expect((await body(res)).scimType).toBe('invalidValue');
  });

  it('accepts an extra Entra schema URN and requires displayName', async () => {
    const scim = await newTenant();
    const entra = await scim.post('/Groups', {
      schemas: [GROUP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      displayName: 'Entra group',
      externalId: 'ext-1',
      members: [],
    });
    expect(entra.status).toBe(201);
    expect((await body(entra)).externalId).toBe('ext-1');
    const missing = await scim.post('/Groups', { schemas: [GROUP_SCHEMA] });
    expect(missing.status).toBe(400);
    expect((await body(missing)).scimType).toBe('invalidValue');
  });

  it('replaces the whole membership with PUT', async () => {
    const scim = await newTenant();
    const [u1, u2] = [await scim.createUser('u1'), await scim.createUser('u2')];
    const group = await scim.createGroup('G', [u1.id]);
    const res = await scim.put(`/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], displayName: 'G2', members: [{ value: u2.id }] });
    expect(res.status).toBe(200);
    const updated = await body(res);
    expect(updated.displayName).toBe('G2');
    expect(updated.members.map((m: { value: string }) => m.value)).toEqual([u2.id]);
  });

  it('supports nested groups and lists direct and indirect groups on the user', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('nested');
    const inner = await scim.createGroup('Inner', [user.id]);
    const outer = await scim.createGroup('Outer', [inner.id]);
    expect(outer.members[0]).toMatchObject({ value: inner.id, type: 'Group' });
    const got = await body(await scim.get(`/Users/${user.id}`));
    expect(got.groups).toEqual(
      expect.arrayContaining([
        { value: inner.id, $ref: `http://scim.test/scim/v2/Groups/${inner.id}`, display: 'Inner', type: 'direct' },
        { value: outer.id, $ref: `http://scim.test/scim/v2/Groups/${outer.id}`, display: 'Outer', type: 'indirect' },
      ]),
    );
    expect(got.groups).toHaveLength(2);
  });

  it('refuses a membership cycle with 400 invalidValue', async () => {
    const scim = await newTenant();
    const a = await scim.createGroup('A');
    const b = await scim.createGroup('B', [a.id]);
    const res = await scim.put(`/Groups/${a.id}`, { displayName: 'A', members: [{ value: b.id }] });
    expect(res.status).toBe(400);
    expect((await body(res)).scimType).toBe('invalidValue');
    const self = await scim.put(`/Groups/${a.id}`, { displayName: 'A', members: [{ value: a.id }] });
    await expectError(self, 400, 'invalidValue');
  });

  it('removes memberships when a member or a group is deleted', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('leaver');
    const stay = await scim.createUser('stayer');
    const group = await scim.createGroup('G', [user.id, stay.id]);
    expect((await scim.delete(`/Users/${user.id}`)).status).toBe(204);
    const after = await body(await scim.get(`/Groups/${group.id}`));
    expect(after.members.map((m: { value: string }) => m.value)).toEqual([stay.id]);
    expect((await scim.delete(`/Groups/${group.id}`)).status).toBe(204);
    expect((await body(await scim.get(`/Users/${stay.id}`))).groups).toBeUndefined();
  });

  it('omits members with excludedAttributes=members', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('m');
    const group = await scim.createGroup('G', [user.id]);
    const res = await scim.get(`/Groups/${group.id}?excludedAttributes=members`);
    const got = await body(res);
    expect(got).not.toHaveProperty('members');
    expect(got.displayName).toBe('G');
  });
});
