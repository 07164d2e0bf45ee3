import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { newTenant, PATCH_OP, type Scim } from '../../helpers';

/**
 * Membership changes cost O(k) rows for k changed members, whatever the group's size. Cost is D1's
 * own count (X-D1-Rows-Read, X-D1-Rows-Written), which does not flake like time. Issue 12's bound:
 * adding or removing a member of the big group reads at most 10 rows (the group row read, the
 * registry guard, the group's version bump, the member's probe, the trigger's group-name probe and
 * member update, the joining check, the group read back). Measured: add 10 read, remove 6. That is
 * the directory's own cost, measured with the change feed off (EVENTS_ENABLED=false); the feed's
 * two events (member_added or member_removed, and the group's updated) add a constant of their own,
 * bounded by EVENTS_READ and EVENTS_WRITTEN (measured: 7 or 11 read, 4 written).
 */
const MEMBER_CHANGE_READ = 10;
const EVENTS_READ = 12;
const EVENTS_WRITTEN = 4;
/** Written: the group's bump with its lastModified index entry, the membership with its two index entries, the member's bump. */
const MEMBER_CHANGE_WRITTEN = 10;

async function seedMembers(tenant: string, groupId: string, userIds: string[]): Promise<void> {
  const statements = userIds.map((id) =>
    env.DB.prepare("INSERT INTO memberships (tenant_id, group_id, member_id, member_type, group_type) VALUES (?, ?, ?, ?, 'Group')").bind(tenant, groupId, id, 'User'),
  );
  for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500));
}

async function seedUsers(tenant: string, n: number): Promise<string[]> {
  const now = new Date().toISOString();
  const ids = Array.from({ length: n }, () => crypto.randomUUID());
  const statements = ids.map((id, i) =>
    env.DB.prepare(
      `INSERT INTO resources (tenant_id, resource_type, id, user_name_key, display_name_key, external_id, created, last_modified, version, data, folded)
       VALUES (?, 'User', ?, ?, NULL, NULL, ?, ?, 1, ?, ?)`,
    ).bind(tenant, id, `bulk${i}`, now, now, JSON.stringify({ userName: `bulk${i}` }), JSON.stringify({ userName: `bulk${i}` })),
  );
  for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500));
  return ids;
}

interface Cost {
  read: number;
  written: number;
}

function cost(res: Response): Cost {
  return { read: Number(res.headers.get('X-D1-Rows-Read')), written: Number(res.headers.get('X-D1-Rows-Written')) };
}

async function addThenRemove(scim: Scim, groupId: string, userId: string): Promise<{ add: Cost; remove: Cost }> {
  const add = await scim.patch(`/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }] });
  expect(add.status).toBe(204);
  const remove = await scim.patch(`/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }] });
  expect(remove.status).toBe(204);
  return { add: cost(add), remove: cost(remove) };
}

describe('membership at scale', () => {
  let scim: Scim;
  let big: Record<string, any>;
  let small: Record<string, any>;
  let outsider: Record<string, any>;

  beforeAll(async () => {
    scim = await newTenant();
    const ids = await seedUsers(scim.tenant, 5010);
    big = await scim.createGroup('Big');
    small = await scim.createGroup('Small');
    await seedMembers(scim.tenant, big.id, ids.slice(0, 5000));
    await seedMembers(scim.tenant, small.id, ids.slice(5000, 5010));
    outsider = await scim.createUser('outsider');
  }, 120_000);

  it('adds and removes one member of a 5,000-member group reading at most 10 rows', async () => {
    const { add, remove } = await addThenRemove(scim.withVars({ EVENTS_ENABLED: 'false' }), big.id, outsider.id);
    for (const c of [add, remove]) {
      expect(c.read).toBeLessThanOrEqual(MEMBER_CHANGE_READ);
      expect(c.written).toBeLessThanOrEqual(MEMBER_CHANGE_WRITTEN);
    }
    // With the change feed: two events more, a constant, whatever the group's size.
    const events = async () => (await env.DB.prepare('SELECT count(*) AS n FROM events WHERE tenant_id = ?').bind(scim.tenant).first<{ n: number }>())!.n;
    const before = await events();
    const withEvents = await addThenRemove(scim, big.id, outsider.id);
    expect((await events()) - before).toBe(4); // member_added + group.updated, member_removed + group.updated
    for (const c of [withEvents.add, withEvents.remove]) {
      expect(c.read).toBeLessThanOrEqual(MEMBER_CHANGE_READ + EVENTS_READ);
      expect(c.written).toBeLessThanOrEqual(MEMBER_CHANGE_WRITTEN + EVENTS_WRITTEN);
    }
  });

  it('costs the same on a 10-member group as on a 5,000-member group', async () => {
    const bigCost = await addThenRemove(scim, big.id, outsider.id);
    const smallCost = await addThenRemove(scim, small.id, outsider.id);
    expect(smallCost).toEqual(bigCost);
  });

  it('still returns every member when asked', async () => {
    const res = await scim.get(`/Groups/${big.id}`);
    const group = (await res.json()) as { members: unknown[] };
    expect(group.members).toHaveLength(5000);
  });
});
