import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, newTenant, ok, PATCH_OP, type Scim } from '../helpers';

// A user's `groups` is read from its own row (resources.member_of), which migration 0008's triggers
// keep in the statement that changes a membership or renames a group. Property: after any sequence
// of membership writes through the API, every row's member_of is exactly what the memberships and
// the groups' names say, and GET answers the groups a model of the writes predicts.

const USERS = 4;
const GROUPS = 3;

type Op =
  | { kind: 'add' | 'remove'; group: number; user: number }
  | { kind: 'replace' | 'put'; group: number; users: number[] }
  | { kind: 'rename' | 'renamePut'; group: number; name: string }
  | { kind: 'deleteGroup' | 'recreateGroup'; group: number }
  | { kind: 'deleteUser' | 'recreateUser'; user: number };

const user = fc.nat(USERS - 1);
const group = fc.nat(GROUPS - 1);
const name = fc.constantFrom('Admins', 'admins', 'Straße', 'Ops', 'Sales');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('add' as const, 'remove' as const), group, user }),
  fc.record({ kind: fc.constantFrom('replace' as const, 'put' as const), group, users: fc.uniqueArray(user, { maxLength: USERS }) }),
  fc.record({ kind: fc.constantFrom('rename' as const, 'renamePut' as const), group, name }),
  fc.record({ kind: fc.constantFrom('deleteGroup' as const, 'recreateGroup' as const), group }),
  fc.record({ kind: fc.constantFrom('deleteUser' as const, 'recreateUser' as const), user }),
);

interface Model {
  users: (string | undefined)[];
  groups: ({ id: string; name: string; members: Set<number> } | undefined)[];
}

async function apply(scim: Scim, model: Model, o: Op): Promise<void> {
  const g = 'group' in o ? model.groups[o.group] : undefined;
  const members = (users: number[]) => users.filter((u) => model.users[u]).map((u) => ({ value: model.users[u]! }));
  switch (o.kind) {
    case 'add':
    case 'remove': {
      const id = model.users[o.user];
      if (!g || !id) return;
      const operation = o.kind === 'add' ? { op: 'add', path: 'members', value: [{ value: id }] } : { op: 'remove', path: `members[value eq "${id}"]` };
      expect((await scim.patch(`/Groups/${g.id}`, { schemas: [PATCH_OP], Operations: [operation] })).status).toBeLessThan(300);
      if (o.kind === 'add') g.members.add(o.user);
      else g.members.delete(o.user);
      return;
    }
    case 'replace':
    case 'put': {
      if (!g) return;
      const res =
        o.kind === 'replace'
          ? await scim.patch(`/Groups/${g.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'members', value: members(o.users) }] })
          : await scim.put(`/Groups/${g.id}`, { schemas: [GROUP_SCHEMA], displayName: g.name, members: members(o.users) });
      expect(res.status).toBeLessThan(300);
      g.members = new Set(o.users.filter((u) => model.users[u]));
      return;
    }
    case 'rename':
    case 'renamePut': {
      if (!g) return;
      const res =
        o.kind === 'rename'
          ? await scim.patch(`/Groups/${g.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: o.name }] })
          : await scim.put(`/Groups/${g.id}`, { schemas: [GROUP_SCHEMA], displayName: o.name, members: members([...g.members]) });
      expect(res.status).toBeLessThan(300);
      g.name = o.name;
      return;
    }
    case 'deleteGroup':
      if (!g) return;
      expect((await scim.delete(`/Groups/${g.id}`)).status).toBe(204);
      model.groups[o.group] = undefined;
      return;
    case 'recreateGroup': {
      if (g) return;
      const created = await scim.createGroup(`G${o.group}`, []);
      model.groups[o.group] = { id: created.id, name: `G${o.group}`, members: new Set() };
      return;
    }
    case 'deleteUser': {
      const id = model.users[o.user];
      if (!id) return;
      expect((await scim.delete(`/Users/${id}`)).status).toBe(204);
      model.users[o.user] = undefined;
      for (const each of model.groups) each?.members.delete(o.user);
      return;
    }
    case 'recreateUser':
      if (model.users[o.user]) return;
      model.users[o.user] = (await scim.createUser(`user-${o.user}-${crypto.randomUUID()}`)).id;
  }
}

/** Rows whose member_of differs from what the memberships and the groups' own rows say. */
async function drifted(tenant: string): Promise<unknown[]> {
  const { results } = await env.DB.prepare(
    `SELECT r.id, r.member_of AS stored,
       (SELECT json_group_object(m.group_id, json_object('display', json_extract(g.data, '$.displayName'), 'type', m.group_type))
        FROM memberships AS m JOIN resources AS g ON g.tenant_id = m.tenant_id AND g.resource_type = m.group_type AND g.id = m.group_id
        WHERE m.tenant_id = r.tenant_id AND m.member_id = r.id AND m.member_type = r.resource_type) AS truth
     FROM resources AS r WHERE r.tenant_id = ?`,
  )
    .bind(tenant)
    .all<{ id: string; stored: string | null; truth: string }>();
  return results.filter((r) => JSON.stringify(sorted(JSON.parse(r.stored ?? '{}'))) !== JSON.stringify(sorted(JSON.parse(r.truth))));
}

const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

describe('member_of (a user\'s groups kept on its own row)', () => {
  it('is kept by the triggers of migration 0008, present in the database (a table rebuild by drizzle-kit would drop them)', async () => {
    const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual(expect.arrayContaining(['memberships_member_of_delete', 'memberships_member_of_insert', 'resources_group_renamed']));
    const table = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'").first<{ sql: string }>();
    expect(table!.sql).toMatch(/WITHOUT ROWID/i);
  });

  it('matches the memberships and the groups\' names after any sequence of membership writes, and GET shows it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const scim = await newTenant();
        const model: Model = { users: [], groups: [] };
        for (let u = 0; u < USERS; u++) model.users[u] = (await scim.createUser(`user-${u}`)).id;
        for (let g = 0; g < GROUPS; g++) model.groups[g] = { id: (await scim.createGroup(`G${g}`, [])).id, name: `G${g}`, members: new Set() };
        for (const o of ops) await apply(scim, model, o);

        expect(await drifted(scim.tenant)).toEqual([]);
        for (const [u, id] of model.users.entries()) {
          if (!id) continue;
          const expected = model.groups
            .filter((g) => g?.members.has(u))
            .map((g) => ({ value: g!.id, display: g!.name, type: 'direct' }))
            .sort((a, b) => (a.value < b.value ? -1 : 1));
          const got = ((await ok(await scim.get(`/Users/${id}`))).groups ?? []).map(({ value, display, type }: any) => ({ value, display, type }));
          expect(got).toEqual(expected);
        }
      }),
      { numRuns: 25, seed: 20261202 },
    );
  }, 120_000);

  it('moves a member\'s version when it joins, leaves, or its group is renamed (PUT included), and only then', async () => {
    const scim = await newTenant();
    const u = await scim.createUser('versioned');
    const other = await scim.createUser('bystander');
    const g = await scim.createGroup('Team', [other.id]);
    const version = async (id: string) => (await ok(await scim.get(`/Users/${id}`))).meta.version;
    const v0 = await version(u.id);
    await scim.patch(`/Groups/${g.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: u.id }] }] });
    const v1 = await version(u.id);
    expect(v1).not.toBe(v0);
    // Adding again changes nothing: no new version.
    await scim.patch(`/Groups/${g.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: u.id }] }] });
    expect(await version(u.id)).toBe(v1);
    // A PUT that renames the group changes its members' `groups`, so their versions.
    await scim.put(`/Groups/${g.id}`, { schemas: [GROUP_SCHEMA], displayName: 'Team 2', members: [{ value: u.id }, { value: other.id }] });
    const v2 = await version(u.id);
    expect(v2).not.toBe(v1);
    expect((await ok(await scim.get(`/Users/${u.id}`))).groups[0].display).toBe('Team 2');
    // The same PUT again changes nothing for the members.
    await scim.put(`/Groups/${g.id}`, { schemas: [GROUP_SCHEMA], displayName: 'Team 2', members: [{ value: u.id }, { value: other.id }] });
    expect(await version(u.id)).toBe(v2);
  });
});
