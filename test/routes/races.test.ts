import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { body, expectError, newTenant, ok, PATCH_OP } from '../helpers';

// The invariants the database itself must hold under concurrency: each race runs the conflicting
// requests at once, many times, and checks the invariant afterwards, not just the answers.

const addMember = (id: string) => ({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }] });
const removeMember = (id: string) => ({ schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }] });

describe('races', () => {
  it('one userName per tenant: of 20 concurrent creates differing only in case, one wins', async () => {
    const scim = await newTenant();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => scim.post('/Users', { userName: i % 2 ? 'Race@Example.com' : 'race@example.COM' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    for (const r of results) if (r.status === 409) await expectError(r, 409, 'uniqueness');
    expect((await ok(await scim.get('/Users'))).totalResults).toBe(1);
  });

  it('no membership cycle: nesting A in B and B in A at once never both commit', async () => {
    const scim = await newTenant();
    const a = await scim.createGroup('A');
    const b = await scim.createGroup('B');
    let decidedByDatabase = 0;
    for (let round = 0; round < 15; round++) {
      const [ab, ba] = await Promise.all([scim.patch(`/Groups/${a.id}`, addMember(b.id)), scim.patch(`/Groups/${b.id}`, addMember(a.id))]);
      expect([ab.status, ba.status].filter((s) => s === 204).length).toBeLessThanOrEqual(1);
      for (const r of [ab, ba]) {
        if (r.status === 204) continue;
        const doc = await expectError(r, 400, 'invalidValue');
        // Both read "no cycle" before either wrote: only the database's own check could refuse it.
        if (doc.detail.includes('concurrent')) decidedByDatabase++;
      }
      // The invariant in the database itself: no group is its own ancestor.
      const cycle = await env.DB.prepare(
        `SELECT count(*) AS n FROM memberships x JOIN memberships y ON y.tenant_id = x.tenant_id AND y.group_id = x.member_id AND y.member_id = x.group_id WHERE x.tenant_id = ?`,
      ).bind(scim.tenant).first<{ n: number }>();
      expect(cycle!.n).toBe(0);
      // A full replace of either group with its current members still works (IdPs do that).
      const current = await ok(await scim.get(`/Groups/${a.id}`));
      expect((await scim.put(`/Groups/${a.id}`, { displayName: 'A', members: current.members ?? [] })).status).toBe(200);
      await Promise.all([scim.patch(`/Groups/${a.id}`, removeMember(b.id)), scim.patch(`/Groups/${b.id}`, removeMember(a.id))]);
    }
    // The requests really overlapped, or this test would prove nothing about the race.
    expect(decidedByDatabase).toBeGreaterThan(0);
  });

  it('no dangling member: a member deleted while it is being added is never left in the group', async () => {
    const scim = await newTenant();
    const group = await scim.createGroup('G');
    for (let round = 0; round < 10; round++) {
      const user = await scim.createUser(`u${round}@x.test`);
      await Promise.all([scim.delete(`/Users/${user.id}`), scim.patch(`/Groups/${group.id}`, addMember(user.id))]);
      const dangling = await env.DB.prepare(
        `SELECT count(*) AS n FROM memberships m WHERE m.tenant_id = ? AND NOT EXISTS (SELECT 1 FROM resources r WHERE r.tenant_id = m.tenant_id AND r.id = m.member_id)`,
      ).bind(scim.tenant).first<{ n: number }>();
      expect(dangling!.n).toBe(0);
    }
  });

  it('one winner per If-Match version: of 10 concurrent PUTs naming one version, one commits', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('cas@x.test');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => scim.put(`/Users/${user.id}`, { userName: 'cas@x.test', title: `t${i}` }, { 'If-Match': user.meta.version })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.status === 412);
    expect(refused).toHaveLength(9);
    // They overlapped: some lost the compare-and-swap itself, not a read of an already newer version.
    const details = await Promise.all(refused.map(async (r) => (await body(r)).detail as string));
    expect(details.some((d) => d.includes('concurrent'))).toBe(true);
    expect((await ok(await scim.get(`/Users/${user.id}`))).meta.version).toBe('W/"2"');
  });

  it('refuses a new cycle through a group that already holds one (stored before the check existed)', async () => {
    const scim = await newTenant();
    const a = await scim.createGroup('A');
    const b = await scim.createGroup('B', [a.id]);
    const h = await scim.createGroup('H', [a.id]);
    await env.DB.prepare("INSERT INTO memberships (tenant_id, group_id, member_id, member_type, group_type, display) VALUES (?, ?, ?, 'Group', 'Group', 'B')").bind(scim.tenant, a.id, b.id).run();
    await expectError(await scim.patch(`/Groups/${a.id}`, addMember(h.id)), 400, 'invalidValue');
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM memberships WHERE tenant_id = ? AND group_id = ? AND member_id = ?').bind(scim.tenant, a.id, h.id).first<{ n: number }>();
    expect(stored!.n).toBe(0);
  });

  it('lets a group that already holds a cycle (stored before the check existed) be replaced with its members', async () => {
    const scim = await newTenant();
    const a = await scim.createGroup('A');
    const b = await scim.createGroup('B', [a.id]);
    await env.DB.prepare("INSERT INTO memberships (tenant_id, group_id, member_id, member_type, group_type, display) VALUES (?, ?, ?, 'Group', 'Group', 'B')").bind(scim.tenant, a.id, b.id).run();
    const current = await ok(await scim.get(`/Groups/${a.id}`));
    expect(current.members.map((m: any) => m.value)).toEqual([b.id]);
    expect((await scim.put(`/Groups/${a.id}`, { displayName: 'A', members: current.members })).status).toBe(200);
  });
});
