import { describe, expect, it } from 'vitest';
import { body, expectError, newTenant, PATCH_OP } from '../helpers';

describe('ETags and conditional requests (RFC 7644 §3.14)', () => {
  it('round-trips: GET, PUT with If-Match, then a stale If-Match gets 412', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('etag');
    const got = await scim.get(`/Users/${user.id}`);
    const etag = got.headers.get('ETag')!;
    expect(etag).toBe('W/"1"');
    const put = await scim.put(`/Users/${user.id}`, { userName: 'etag', title: 'v2' }, { 'If-Match': etag });
    expect(put.status).toBe(200);
    expect(put.headers.get('ETag')).toBe('W/"2"');
    const stale = await scim.put(`/Users/${user.id}`, { userName: 'etag', title: 'v3' }, { 'If-Match': etag });
    await expectError(stale, 412, undefined);
    expect((await body(await scim.get(`/Users/${user.id}`))).title).toBe('v2');
  });

  it('checks If-Match on PATCH and DELETE too', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('cond');
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 't' }] };
    expect((await scim.patch(`/Users/${user.id}`, patch, { 'If-Match': 'W/"7"' })).status).toBe(412);
    expect((await scim.patch(`/Users/${user.id}`, patch, { 'If-Match': 'W/"1"' })).status).toBe(200);
    expect((await scim.delete(`/Users/${user.id}`, { 'If-Match': 'W/"1"' })).status).toBe(412);
    expect((await scim.delete(`/Users/${user.id}`, { 'If-Match': '"2"' })).status).toBe(204);
  });

  it('answers If-None-Match with 304 while current, 200 after a change', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('inm');
    const notModified = await scim.get(`/Users/${user.id}`, { 'If-None-Match': user.meta.version });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title', value: 'x' }] });
    expect((await scim.get(`/Users/${user.id}`, { 'If-None-Match': user.meta.version })).status).toBe(200);
  });

  it('changes a group version when only its membership changes', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('member');
    const group = await scim.createGroup('G');
    await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }] });
    expect((await scim.get(`/Groups/${group.id}`, { 'If-None-Match': group.meta.version })).status).toBe(200);
  });
});

describe('uniqueness under races', () => {
  it('gives exactly one 201 and nineteen 409 uniqueness for 20 concurrent POSTs of one userName in different case', async () => {
    const scim = await newTenant();
    const names = Array.from({ length: 20 }, (_, i) => [...'racer@example.com'].map((ch, j) => ((i >> j % 5) & 1 ? ch.toUpperCase() : ch)).join(''));
    const results = await Promise.all(names.map((userName) => scim.post('/Users', { userName })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 409)) expect((await body(r)).scimType).toBe('uniqueness');
  });
});

describe('versions follow membership', () => {
  const add = (value: string) => ({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value }] }] });

  it('gives a user a new version and lastModified when it joins or leaves a group', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('joiner');
    const group = await scim.createGroup('G');
    await scim.patch(`/Groups/${group.id}`, add(user.id));
    const joined = await body(await scim.get(`/Users/${user.id}`));
    expect(joined.meta.version).not.toBe(user.meta.version);
    expect(Date.parse(joined.meta.lastModified)).toBeGreaterThan(Date.parse(user.meta.lastModified));
    expect((await scim.get(`/Users/${user.id}`, { 'If-None-Match': user.meta.version })).status).toBe(200);
    await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${user.id}"]` }] });
    expect((await body(await scim.get(`/Users/${user.id}`))).meta.version).not.toBe(joined.meta.version);
  });

  it('gives a group a new version when a member is deleted, and members a new one when the group is renamed or deleted', async () => {
    const scim = await newTenant();
    const [stay, leave] = [await scim.createUser('stay'), await scim.createUser('leave')];
    const group = await scim.createGroup('G', [stay.id, leave.id]);
    await scim.delete(`/Users/${leave.id}`);
    expect((await scim.get(`/Groups/${group.id}`, { 'If-None-Match': group.meta.version })).status).toBe(200);

    const before = await body(await scim.get(`/Users/${stay.id}`));
    await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }] });
    const renamed = await body(await scim.get(`/Users/${stay.id}`));
    expect(renamed.meta.version).not.toBe(before.meta.version);
    expect(renamed.groups[0].display).toBe('Renamed');

    await scim.delete(`/Groups/${group.id}`);
    const after = await body(await scim.get(`/Users/${stay.id}`));
    expect(after.meta.version).not.toBe(renamed.meta.version);
    expect(after.groups).toBeUndefined();
  });
});

describe('versions do not move without a change', () => {
  it('leaves a user untouched when it is re-added to a group it is in, or removed from one it is not in', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('steady');
    const group = await scim.createGroup('In', [user.id]);
    const other = await scim.createGroup('Out');
    const before = (await body(await scim.get(`/Users/${user.id}`))).meta.version;
    await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }] });
    await scim.patch(`/Groups/${other.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${user.id}"]` }] });
    expect((await body(await scim.get(`/Users/${user.id}`))).meta.version).toBe(before);
  });
});

describe('conditional headers on other methods (RFC 9110 §13)', () => {
  it('fails a GET whose If-Match names another version, and a write with If-None-Match: *', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('cond-get');
    expect((await scim.get(`/Users/${user.id}`, { 'If-Match': 'W/"99"' })).status).toBe(412);
    expect((await scim.get(`/Users/${user.id}`, { 'If-Match': user.meta.version })).status).toBe(200);
    expect((await scim.put(`/Users/${user.id}`, { userName: 'cond-get' }, { 'If-None-Match': '*' })).status).toBe(412);
    expect((await scim.delete(`/Users/${user.id}`, { 'If-None-Match': '*' })).status).toBe(412);
    expect((await scim.delete('/Users/nope', { 'If-None-Match': '*' })).status).toBe(404);
    expect((await scim.get(`/Users/${user.id}`)).status).toBe(200);
  });
});

describe('replacing a membership writes only the difference', () => {
  it('leaves members who stay untouched on a PUT or PATCH replace with the same list', async () => {
    const scim = await newTenant();
    const [stay, join] = [await scim.createUser('stay'), await scim.createUser('join')];
    const group = await scim.createGroup('G', [stay.id]);
    const before = (await body(await scim.get(`/Users/${stay.id}`))).meta.version;
    await scim.put(`/Groups/${group.id}`, { displayName: 'G', members: [{ value: stay.id }] });
    await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'members', value: [{ value: stay.id }, { value: join.id }] }] });
    expect((await body(await scim.get(`/Users/${stay.id}`))).meta.version).toBe(before);
    const members = (await body(await scim.get(`/Groups/${group.id}`))).members.map((m: { value: string }) => m.value).sort();
    expect(members).toEqual([stay.id, join.id].sort());
    expect((await body(await scim.get(`/Users/${join.id}`))).groups).toHaveLength(1);
  });
});
