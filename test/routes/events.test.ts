import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { pruneEvents } from '../../src/service/retention';
import { backgroundExecutor } from '../../src/http/composition-root';
import { admin, call, GROUP_SCHEMA, newTenant, ok, PATCH_OP, USER_SCHEMA, type Scim } from '../helpers';

// The change feed (issue 13, README "Change feed"): events commit with their change, in a gap-free
// per-tenant order, and read back through the admin API and GET /events.

type Event = { id: string; seq: number; type: string; resourceType: string; resourceId: string; version: string | null; actor: any; changed: string[]; data: any; member?: any };
type Page = { events: Event[]; nextCursor: string; hasMore: boolean };

async function feed(tenant: string, query = ''): Promise<Page> {
  const res = await admin(`/tenants/${tenant}/events${query}`);
  if (res.status !== 200) throw new Error(`feed: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Every event of the tenant, paging with `after` from the start. */
async function all(tenant: string, pageSize = 100): Promise<Event[]> {
  const out: Event[] = [];
  let page = await feed(tenant, `?limit=${pageSize}`);
  out.push(...page.events);
  while (page.hasMore) {
    page = await feed(tenant, `?limit=${pageSize}&after=${encodeURIComponent(page.nextCursor)}`);
    out.push(...page.events);
  }
  return out;
}

const addMember = (id: string) => ({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }] });

describe('the change feed', () => {
  it('describes each write: type, resource, version, actor, changed paths and data as GET shows it', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('feed-user', { name: { givenName: 'Ada' } });
    const patched = await ok(await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'name.givenName', value: 'Grace' }, { op: 'replace', path: 'password', value: 'Secret-123456' }] }));
    expect((await scim.delete(`/Users/${user.id}`)).status).toBe(204);

    const events = await all(scim.tenant);
    expect(events.map((e) => e.type)).toEqual(['user.created', 'user.updated', 'user.deleted']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    const [created, updated, deleted] = events as [Event, Event, Event];
    expect(created).toMatchObject({ resourceType: 'User', resourceId: user.id, version: user.meta.version });
    expect(created.data).toEqual(user);
    expect(created.changed).toEqual(['name', 'userName']);
    expect(updated.version).toBe(patched.meta.version);
    expect(updated.changed).toEqual(['name', 'password']);
    expect(updated.data.name.givenName).toBe('Grace');
    expect(updated.data.meta.version).toBe(patched.meta.version);
    expect(updated.data.meta.lastModified).toBe(patched.meta.lastModified);
    expect(deleted.data).toEqual({ id: user.id, externalId: null, userName: 'feed-user' });
    for (const e of events) {
      expect(e.actor).toMatchObject({ type: 'token', tokenLabel: 'test' });
      expect(e.actor.requestId).toEqual(expect.any(String));
      expect(e.id).toMatch(/^evt_[0-9a-f]{32}/);
    }
    // The password is a changed path, never a value: not in any event, hashed or not.
    const raw = await env.DB.prepare('SELECT group_concat(data || changed) AS text FROM events WHERE tenant_id = ?').bind(scim.tenant).first<{ text: string }>();
    expect(raw!.text).not.toContain('Secret-123456');
    expect(raw!.text).not.toContain('pbkdf2');
  });

  it('writes a member event per member and one group event, never the members; nothing for a write that changes nothing', async () => {
    const scim = await newTenant();
    const [a, b, c] = [await scim.createUser('m-a'), await scim.createUser('m-b'), await scim.createUser('m-c')];
    const group = await scim.createGroup('Team', [a.id]);
    const start = (await feed(scim.tenant, '?after=latest')).nextCursor;
    await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: b.id }, { value: c.id }, { value: a.id }] }] });
    // Adding a member again, and removing a non-member: no change, no event.
    await scim.patch(`/Groups/${group.id}`, addMember(b.id));
    await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${crypto.randomUUID()}"]` }] });
    await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${a.id}"]` }] });
    const { events } = await feed(scim.tenant, `?after=${encodeURIComponent(start)}`);
    expect(events.map((e) => [e.type, e.member?.value])).toEqual([
      ['group.member_added', [b.id, c.id].sort()[0]],
      ['group.member_added', [b.id, c.id].sort()[1]],
      ['group.updated', undefined],
      ['group.member_removed', a.id],
      ['group.updated', undefined],
    ]);
    for (const e of events) {
      expect(e.resourceId).toBe(group.id);
      expect(e.changed).toEqual(['members']);
      expect(e.data).not.toHaveProperty('members');
      expect(e.data.displayName).toBe('Team');
    }
    const now = await ok(await scim.get(`/Groups/${group.id}`));
    expect(events[4]!.version).toBe(now.meta.version);
    // The users' own feeds do not repeat membership changes: no user.updated.
    expect((await all(scim.tenant)).filter((e) => e.type === 'user.updated')).toEqual([]);
  });

  it('describes a PUT that replaces a group\'s members and renames it: the changes, numbered in order', async () => {
    const scim = await newTenant();
    const [a, b, c] = [await scim.createUser('p-a'), await scim.createUser('p-b'), await scim.createUser('p-c')];
    const group = await scim.createGroup('Before', [a.id, b.id]);
    const start = (await feed(scim.tenant, '?after=latest')).nextCursor;
    const put = await ok(await scim.put(`/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], displayName: 'After', members: [{ value: b.id }, { value: c.id }] }));
    const { events } = await feed(scim.tenant, `?after=${encodeURIComponent(start)}`);
    expect(events.map((e) => [e.type, e.member?.value])).toEqual([['group.updated', undefined], ['group.member_removed', a.id], ['group.member_added', c.id]]);
    expect(events[0]!.changed).toEqual(['displayName']);
    expect(events.every((e) => e.version === put.meta.version)).toBe(true);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([seqs[0], seqs[0]! + 1, seqs[0]! + 2]);
    // The same PUT again changes nothing: no event.
    await scim.put(`/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], displayName: 'After', members: [{ value: b.id }, { value: c.id }] });
    expect((await feed(scim.tenant, `?after=${encodeURIComponent(start)}`)).events).toHaveLength(3);
  });

  it('numbers the events of a change of more members than one statement holds (61 joining, then leaving)', async () => {
    const scim = await newTenant();
    const users = await Promise.all(Array.from({ length: 61 }, (_, i) => scim.createUser(`many-${i}`)));
    const group = await scim.createGroup('Many', users.slice(0, 61).map((u) => u.id));
    const start = (await feed(scim.tenant, '?after=latest')).nextCursor;
    const removeAll = { schemas: [PATCH_OP], Operations: users.map((u) => ({ op: 'remove', path: `members[value eq "${u.id}"]` })) };
    expect((await scim.patch(`/Groups/${group.id}`, removeAll)).status).toBeLessThan(300);
    await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: users.map((u) => ({ value: u.id })) }] });
    const after = await all(scim.tenant, 500);
    const created = after.filter((e) => e.resourceId === group.id && e.type === 'group.member_added').slice(0, 61);
    expect(new Set(created.map((e) => e.member.value)).size).toBe(61);
    const tail = (await feed(scim.tenant, `?after=${encodeURIComponent(start)}&limit=500`)).events;
    expect(tail.map((e) => e.type)).toEqual([...Array(61).fill('group.member_removed'), 'group.updated', ...Array(61).fill('group.member_added'), 'group.updated']);
    const seqs = tail.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  });

  it('commits an event with its change or not at all: a refused write leaves neither', async () => {
    const scim = await newTenant();
    const before = await all(scim.tenant);
    // The created event is in the batch before the check that refuses the missing member.
    const res = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ghosts', members: [{ value: crypto.randomUUID() }] });
    expect(res.status).toBe(400);
    expect(await all(scim.tenant)).toEqual(before);
    const groups = await ok(await scim.get('/Groups'));
    expect(groups.totalResults).toBe(0);
  });

  it('numbers 50 concurrent writes 1 to 50, no gap, no duplicate, and a paging consumer sees each once in order', async () => {
    const scim = await newTenant();
    const seen: Event[] = [];
    let cursor = '';
    const consume = async () => {
      const page = await feed(scim.tenant, `?limit=7${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.events);
      cursor = page.nextCursor;
    };
    const writers = Promise.all(Array.from({ length: 50 }, (_, i) => scim.createUser(`concurrent-${i}`)));
    // The consumer pages while the writes go on.
    for (let i = 0; i < 5; i++) await consume();
    await writers;
    for (let i = 0; i < 20 && seen.length < 50; i++) await consume();
    expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(seen.map((e) => e.id)).size).toBe(50);
    expect(new Set(seen.map((e) => e.resourceId)).size).toBe(50);
  });

  it('filters by type, starts at the end with after=latest, and long-polls until an event exists', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('typed');
    await scim.createGroup('Typed', [user.id]);
    expect((await feed(scim.tenant, '?types=group.*')).events.map((e) => e.type)).toEqual(['group.created', 'group.member_added']);
    expect((await feed(scim.tenant, '?types=user.created,group.member_added')).events.map((e) => e.type)).toEqual(['user.created', 'group.member_added']);
    const latest = await feed(scim.tenant, '?after=latest');
    expect(latest.events).toEqual([]);
    const started = Date.now();
    const waiting = feed(scim.tenant, `?after=${encodeURIComponent(latest.nextCursor)}&wait=10`);
    await new Promise((r) => setTimeout(r, 300));
    await scim.createUser('arrives');
    const woke = await waiting;
    expect(woke.events.map((e) => e.type)).toEqual(['user.created']);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('moves a filtered reader\'s cursor past the events it skipped, so pruning them is no 410 to it', async () => {
    const scim = await newTenant();
    for (let i = 0; i < 3; i++) await scim.createUser(`skipped-${i}`);
    const page = await feed(scim.tenant, '?types=group.*');
    expect(page.events).toEqual([]);
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await scim.createGroup('Seen');
    await env.DB.prepare('UPDATE events SET occurred_at = ? WHERE tenant_id = ? AND seq <= 3').bind(old, scim.tenant).run();
    await pruneEvents(backgroundExecutor(env), { ...env, EVENT_RETENTION_DAYS: '30' });
    const next = await feed(scim.tenant, `?types=group.*&after=${encodeURIComponent(page.nextCursor)}`);
    expect(next.events.map((e) => e.type)).toEqual(['group.created']);
  });

  it('refuses a forged cursor (400), bad parameters (400), and reads its own tenant only', async () => {
    const scim = await newTenant();
    const other = await newTenant();
    await scim.createUser('mine');
    const mine = await feed(scim.tenant);
    for (const query of ['?after=forged', `?after=${mine.nextCursor.slice(0, -2)}xx`, '?limit=0', '?limit=501', '?wait=26', '?types=nope']) {
      const res = await admin(`/tenants/${scim.tenant}/events${query}`);
      expect(res.status, query).toBe(400);
    }
    // A cursor of one tenant is not valid for another.
    expect((await admin(`/tenants/${other.tenant}/events?after=${encodeURIComponent(mine.nextCursor)}`)).status).toBe(400);
    expect((await feed(other.tenant)).events).toEqual([]);
    expect((await admin('/tenants/no-such-tenant/events')).status).toBe(404);
  });

  it('serves GET /events to a token with events:read, and to no other', async () => {
    const scim = await newTenant();
    await scim.createUser('app-reads');
    const minted = (await (await admin(`/tenants/${scim.tenant}/tokens`, 'POST', { label: 'app', scopes: ['events:read'] })).json()) as { token: string };
    const res = await call('/events?limit=5', { headers: { Authorization: `Bearer ${minted.token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Page).events.map((e) => e.type)).toEqual(['user.created']);
    // The IdP's token (scim:read, scim:write) is not an app's.
    const denied = await call('/events', { headers: { Authorization: `Bearer ${scim.token}` } });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: string }).error).toBe('insufficient_scope');
    expect((await call('/events')).status).toBe(401);
    // And the events-only token cannot touch the directory.
    expect((await call('/scim/v2/Users', { headers: { Authorization: `Bearer ${minted.token}` } })).status).toBe(403);
  });

  it('appends nothing when EVENTS_ENABLED=false', async () => {
    const scim = await newTenant();
    const quiet = scim.withVars({ EVENTS_ENABLED: 'false' });
    await quiet.createUser('silent');
    expect(await all(scim.tenant)).toEqual([]);
  });

  it('appends for Bulk operations and declared-type-free writes alike, one event per operation', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'u', data: { schemas: [USER_SCHEMA], userName: 'bulk-1' } },
        { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP_SCHEMA], displayName: 'Bulk', members: [{ value: 'bulkId:u' }] } },
      ],
    });
    expect(res.status).toBe(200);
    expect((await all(scim.tenant)).map((e) => e.type)).toEqual(['user.created', 'group.created', 'group.member_added']);
  });

  it('prunes events past the retention, keeps newer ones and each tenant\'s newest, and expires cursors before them with 410', async () => {
    const scim = await newTenant();
    for (let i = 0; i < 4; i++) await scim.createUser(`old-${i}`);
    const early = (await feed(scim.tenant, '?limit=1')).nextCursor; // after seq 1
    // Events 1..3 happened 40 days ago; 4 is recent.
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await env.DB.prepare('UPDATE events SET occurred_at = ? WHERE tenant_id = ? AND seq <= 3').bind(old, scim.tenant).run();
    const deleted = await pruneEvents(backgroundExecutor(env), { ...env, EVENT_RETENTION_DAYS: '30' });
    expect(deleted).toBeGreaterThanOrEqual(3);
    expect((await all(scim.tenant)).map((e) => e.seq)).toEqual([4]);
    const expired = await admin(`/tenants/${scim.tenant}/events?after=${encodeURIComponent(early)}`);
    expect(expired.status).toBe(410);
    expect(((await expired.json()) as { error: string }).error).toBe('cursor_expired');
    // All of a tenant's events old: its newest stays, so the next one is numbered on.
    await env.DB.prepare('UPDATE events SET occurred_at = ? WHERE tenant_id = ?').bind(old, scim.tenant).run();
    await pruneEvents(backgroundExecutor(env), { ...env, EVENT_RETENTION_DAYS: '30' });
    await scim.createUser('after-prune');
    expect((await all(scim.tenant)).map((e) => e.seq)).toEqual([4, 5]);
  });
});

describe('the change feed and the admin API', () => {
  it('ends a deleted tenant\'s feed with tenant.deleted by the admin, readable while retained', async () => {
    const scim = await newTenant();
    await scim.createUser('last');
    expect((await admin(`/tenants/${scim.tenant}`, 'DELETE')).status).toBe(200);
    const events = await all(scim.tenant);
    expect(events.map((e) => e.type)).toEqual(['user.created', 'tenant.deleted']);
    expect(events[1]!.actor).toMatchObject({ type: 'admin', requestId: expect.any(String) });
  });

  it('starts a re-created tenant id\'s feed afresh: none of the earlier tenant\'s events, its seq continuing', async () => {
    const scim = await newTenant();
    await scim.createUser('first-life');
    const cursor = (await feed(scim.tenant)).nextCursor;
    await admin(`/tenants/${scim.tenant}`, 'DELETE');
    expect((await admin('/tenants', 'POST', { id: scim.tenant, name: 'again' })).status).toBe(201);
    const events = await all(scim.tenant);
    expect(events.map((e) => [e.type, e.seq])).toEqual([['tenant.created', 3]]);
    expect(JSON.stringify(events)).not.toContain('first-life');
    // A cursor from the earlier tenant points into a past that is gone.
    expect((await admin(`/tenants/${scim.tenant}/events?after=${encodeURIComponent(cursor)}`)).status).toBe(410);
  });

  it('appends /Me writes as the user they change', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('me-user');
    const minted = (await (await admin(`/tenants/${scim.tenant}/tokens`, 'POST', { label: 'self', subject: user.id })).json()) as { token: string };
    const res = await call('/scim/v2/Me', { method: 'PATCH', headers: { Authorization: `Bearer ${minted.token}`, 'Content-Type': 'application/scim+json' }, body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Me' }] }) });
    expect(res.status).toBe(200);
    const last = (await all(scim.tenant)).at(-1)!;
    expect(last).toMatchObject({ type: 'user.updated', resourceId: user.id, changed: ['displayName'], actor: { tokenLabel: 'self' } });
  });
});

describe('what events cost', () => {
  it('adds a member to a group with two event rows, whatever the group\'s size', async () => {
    const scim: Scim = await newTenant();
    const u = await scim.createUser('cost');
    const group = await scim.createGroup('Cost');
    const before = (await env.DB.prepare('SELECT count(*) AS n FROM events WHERE tenant_id = ?').bind(scim.tenant).first<{ n: number }>())!.n;
    await scim.patch(`/Groups/${group.id}`, addMember(u.id));
    const after = (await env.DB.prepare('SELECT count(*) AS n FROM events WHERE tenant_id = ?').bind(scim.tenant).first<{ n: number }>())!.n;
    expect(after - before).toBe(2);
  });

  it('reads a page of the feed in one round trip, in proportion to the page', async () => {
    const scim = await newTenant();
    for (let i = 0; i < 30; i++) await scim.createUser(`paged-${i}`);
    const minted = (await (await admin(`/tenants/${scim.tenant}/tokens`, 'POST', { label: 'app', scopes: ['events:read'] })).json()) as { token: string };
    const res = await call('/events?limit=10', { headers: { Authorization: `Bearer ${minted.token}` } });
    expect(((await res.json()) as Page).events).toHaveLength(10);
    expect(res.headers.get('X-D1-Round-Trips')).toBe('1');
    // The page (11 rows read to know there is more) and the retained range (two probes).
    expect(Number(res.headers.get('X-D1-Rows-Read'))).toBeLessThanOrEqual(10 + 4);
  });
});
