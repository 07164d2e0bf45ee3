import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { body, newTenant, type Scim } from '../../helpers';
import { GroupType, seedMemberships, seedResources, userNameOf, userSeeds, UserType, type Seed } from './seed';

// Cost is D1's own figure: X-D1-Rows-Read is the sum of meta.rows_read over every statement of the
// request (count, page, and any membership reads). It is deterministic, unlike time.

/** Fixed overhead per request allowed on top of the rows returned: index probes, count's end probe, etc. */
const CONSTANT = 10;
/**
 * Rows read allowed per row returned: its index entry and its table row for the page, and one probe
 * of the member-side index to compute the user's `groups` (RFC 7643 §4.1.2). Measured: userName sw
 * with 10 matches reads 34 (page 21, groups 13); exact lookups read 5–9.
 */
const PER_ROW = 3;

type Doc = Record<string, any>;
const f = (filter: string) => `filter=${encodeURIComponent(filter)}`;

async function measure(scim: Scim, path: string): Promise<{ rows: number; doc: Doc }> {
  const res = await scim.get(path);
  const doc = await body(res);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(doc)}`);
  const header = res.headers.get('X-D1-Rows-Read');
  expect(header).toMatch(/^\d+$/);
  return { rows: Number(header), doc };
}

describe('query cost on a 5,000-user tenant', () => {
  let scim: Scim;
  let other: Scim;
  let users: Seed[];
  let big: Seed;

  beforeAll(async () => {
    scim = await newTenant();
    other = await newTenant();
    users = userSeeds(5000);
    await seedResources(scim.tenant, UserType, users);
    // Another tenant with the same userNames: its rows must not add to this tenant's cost.
    await seedResources(other.tenant, UserType, userSeeds(500));
    const groups: Seed[] = Array.from({ length: 50 }, (_, i) => ({
      id: crypto.randomUUID(),
      created: new Date(Date.UTC(2024, 5, 1, 0, 0, i)).toISOString(),
      data: { displayName: `Group ${String(i).padStart(2, '0')}` },
    }));
    await seedResources(scim.tenant, GroupType, groups);
    big = groups[17]!;
    // 2,000 members: users 3000..4999, so the users looked up below belong to no group.
    await seedMemberships(scim.tenant, big.id, users.slice(3000).map((u) => ({ id: u.id, display: u.data.displayName as string })));
  }, 120_000);

  const bound = (returned: number) => CONSTANT + PER_ROW * returned;

  // Issue 12's bound for every IdP lookup: the rows returned plus 3, for a user in a 2,000-member
  // group (its `groups` read from its own row) as for one in none.
  it('answers each IdP lookup reading at most the rows returned + 3', async () => {
    for (const i of [42, 4321]) {
      const u = users[i]!;
      const email = `${userNameOf(i)}@example.com`;
      for (const filter of [`userName eq "${userNameOf(i)}"`, `externalId eq "ext-${i}"`, `emails[type eq "work"].value eq "${email}"`, `id eq "${u.id}"`]) {
        const { rows, doc } = await measure(scim, `/Users?${f(filter)}`);
        expect(doc.Resources.map((r: Doc) => r.id), filter).toEqual([u.id]);
        expect(doc.Resources[0].groups?.length ?? 0, filter).toBe(i >= 3000 ? 1 : 0);
        expect(rows, `${filter}: ${rows} rows`).toBeLessThanOrEqual(1 + 3);
      }
      const { rows } = await measure(scim, `/Users/${u.id}`);
      expect(rows).toBeLessThanOrEqual(1 + 3);
    }
    const { rows, doc } = await measure(scim, `/Groups?${f('displayName eq "Group 17"')}&excludedAttributes=members`);
    expect(doc.Resources.map((g: Doc) => g.id)).toEqual([big.id]);
    expect(rows).toBeLessThanOrEqual(1 + 3);
  });

  it('looks a user up by userName, in any case, for a constant number of rows', async () => {
    for (const name of ['user00042', 'USER00042']) {
      const { rows, doc } = await measure(scim, `/Users?${f(`userName eq "${name}"`)}`);
      expect(doc.Resources.map((u: Doc) => u.id)).toEqual([users[42]!.id]);
      expect(rows).toBeLessThanOrEqual(bound(1));
    }
  });

  it("looks a user up by Entra's emails[type eq \"work\"].value for a constant number of rows, through the value index", async () => {
    const email = `${userNameOf(1234)}@EXAMPLE.com`; // emails.value is caseExact=false
    for (const filter of [`emails[type eq "work"].value eq "${email}"`, `emails.value eq "${email}"`, `emails[value eq "${email}" and primary eq true]`]) {
      const { rows, doc } = await measure(scim, `/Users?${f(filter)}`);
      expect(doc.Resources.map((u: Doc) => u.id), filter).toEqual([users[1234]!.id]);
      expect(rows, filter).toBeLessThanOrEqual(bound(1));
    }
  });

  it('looks a user up by externalId for a constant number of rows', async () => {
    const { rows, doc } = await measure(scim, `/Users?${f('externalId eq "ext-42"')}`);
    expect(doc.Resources.map((u: Doc) => u.id)).toEqual([users[42]!.id]);
    expect(rows).toBeLessThanOrEqual(bound(1));
  });

  it('looks a user up by id with a filter for a constant number of rows', async () => {
    const { rows, doc } = await measure(scim, `/Users?${f(`id eq "${users[4321]!.id}"`)}`);
    expect(doc.Resources.map((u: Doc) => u.userName)).toEqual([userNameOf(4321)]);
    expect(rows).toBeLessThanOrEqual(bound(1));
  });

  it('answers Entra\'s connection test on a random GUID for a constant number of rows', async () => {
    const { rows, doc } = await measure(scim, `/Users?${f(`userName eq "${crypto.randomUUID()}"`)}`);
    expect(doc.totalResults).toBe(0);
    expect(rows).toBeLessThanOrEqual(bound(0));
  });

  it('reads in proportion to the matches for userName sw, not to the tenant', async () => {
    const { rows, doc } = await measure(scim, `/Users?${f('userName sw "user0042"')}`);
    expect(doc.totalResults).toBe(10);
    expect(doc.Resources.map((u: Doc) => u.userName).sort()).toEqual(Array.from({ length: 10 }, (_, i) => userNameOf(420 + i)));
    expect(rows).toBeLessThanOrEqual(bound(10));
  });

  it('costs another tenant no more for the same lookups', async () => {
    const { rows, doc } = await measure(other, `/Users?${f('userName eq "user00042"')}`);
    expect(doc.totalResults).toBe(1);
    expect(doc.Resources[0].id).not.toBe(users[42]!.id);
    expect(rows).toBeLessThanOrEqual(bound(1));
  });

  it('finds a group by displayName without reading its 2,000 memberships when members are excluded', async () => {
    const path = `/Groups?${f('displayName eq "Group 17"')}`;
    const lean = await measure(scim, `${path}&excludedAttributes=members`);
    expect(lean.doc.Resources.map((g: Doc) => g.id)).toEqual([big.id]);
    expect(lean.doc.Resources[0]).not.toHaveProperty('members');
    expect(lean.rows).toBeLessThanOrEqual(CONSTANT);
    // The same lookup with members reads every membership row: the difference is the table.
    const full = await measure(scim, path);
    expect(full.doc.Resources[0].members).toHaveLength(2000);
    expect(full.rows).toBeGreaterThanOrEqual(2000);
  });

  it('lists all groups without members for about two rows per group', async () => {
    const { rows, doc } = await measure(scim, '/Groups?excludedAttributes=members&count=100');
    expect(doc.itemsPerPage).toBe(50);
    expect(rows).toBeLessThanOrEqual(bound(50));
  });

  // attributes=userName keeps the users' groups out of these two: they measure the paging query alone.
  it('reads a deep cursor page for what the first page costs, not for the rows before it', async () => {
    const costs: number[] = [];
    let cursor = '';
    for (let page = 0; page < 3; page++) {
      const { rows, doc } = await measure(scim, `/Users?sortBy=userName&count=100&attributes=userName&cursor=${encodeURIComponent(cursor)}`);
      expect(doc.Resources.map((u: Doc) => u.userName)).toEqual(Array.from({ length: 100 }, (_, i) => userNameOf(page * 100 + i)));
      costs.push(rows);
      cursor = doc.nextCursor;
    }
    expect(costs[2]! - costs[0]!).toBeLessThanOrEqual(CONSTANT);
  });

  it('reads a deep cursor page sorted by an optional indexed attribute (displayName) for what the first page costs', async () => {
    const costs: number[] = [];
    let cursor = '';
    for (let page = 0; page < 3; page++) {
      const { rows, doc } = await measure(scim, `/Users?sortBy=displayName&count=100&attributes=displayName&cursor=${encodeURIComponent(cursor)}`);
      expect(doc.itemsPerPage).toBe(100);
      costs.push(rows);
      cursor = doc.nextCursor;
    }
    expect(costs[2]! - costs[1]!).toBeLessThanOrEqual(CONSTANT);
  });

  it('reads about one page of rows for a cursor page, not the whole tenant', async () => {
    const first = await measure(scim, '/Users?sortBy=userName&count=100&attributes=userName&cursor=');
    const second = await measure(scim, `/Users?sortBy=userName&count=100&attributes=userName&cursor=${encodeURIComponent(first.doc.nextCursor)}`);
    expect(second.doc.itemsPerPage).toBe(100);
    expect(second.doc.Resources[0].userName).toBe(userNameOf(100));
    expect(second.rows).toBeLessThanOrEqual(bound(100));
  });

  it('answers an unfiltered page with the exact totalResults from the per-type count, not a count of 5,000 rows', async () => {
    const { rows, doc } = await measure(scim, '/Users?count=5&excludedAttributes=groups');
    expect(doc.totalResults).toBe(5000);
    expect(doc.Resources).toHaveLength(5);
    expect(rows).toBeLessThanOrEqual(bound(5));
  });

  it('walks all 5,000 users at count=100 (Okta\'s full import) reading O(count) rows a page, 3 x 5,000 rows in all', async () => {
    const walker = await newTenant();
    const members = userSeeds(5000);
    await seedResources(walker.tenant, UserType, members);
    // As in `npm run bench`: every user in one group, so each page renders every user's `groups`.
    const everyone: Seed = { id: crypto.randomUUID(), created: new Date(Date.UTC(2024, 5, 1)).toISOString(), data: { displayName: 'Everyone' } };
    await seedResources(walker.tenant, GroupType, [everyone]);
    await seedMemberships(walker.tenant, everyone.id, members.map((u) => ({ id: u.id })));
    const seen = new Set<string>();
    let total = 0;
    for (let start = 1; start <= 5000; start += 100) {
      const { rows, doc } = await measure(walker, `/Users?startIndex=${start}&count=100`);
      expect(doc.totalResults).toBe(5000);
      expect(doc.Resources).toHaveLength(100);
      for (const u of doc.Resources) seen.add(u.id);
      expect(doc.Resources.every((u: Doc) => u.groups?.[0]?.value === everyone.id)).toBe(true);
      // The first page and every later one: a page, never the rows before it.
      expect(rows, `startIndex=${start}`).toBeLessThanOrEqual(300);
      total += rows;
    }
    expect(seen.size).toBe(5000);
    expect(total).toBeLessThanOrEqual(3 * 5000);
  });

  it('gives a walk the OFFSET page exactly, when resources were created or deleted between its pages', async () => {
    const walker = await newTenant();
    await seedResources(walker.tenant, UserType, userSeeds(300));
    const first = await measure(walker, '/Users?startIndex=1&count=100');
    const early = first.doc.Resources[0];
    expect((await walker.delete(`/Users/${early.id}`)).status).toBe(204);
    const resumed = await measure(walker, '/Users?startIndex=101&count=100');
    // What a fresh OFFSET read gives, from another isolate's point of view: the same ids.
    const offsetIds = (await env.DB.prepare("SELECT id FROM resources WHERE tenant_id = ? AND resource_type = 'User' ORDER BY id LIMIT 100 OFFSET 100").bind(walker.tenant).all<{ id: string }>()).results.map((r) => r.id);
    expect(resumed.doc.Resources.map((u: Doc) => u.id)).toEqual(offsetIds);
    expect(resumed.doc.totalResults).toBe(299);
  });
});
