import { env } from 'cloudflare:workers';
import { valueRows } from '../../src/store/values';
import { sql, type SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resources } from '../../src/db/schema';
import { ScimError } from '../../src/scim/errors';
import type { Filter } from '../../src/scim/filter/ast';
import { matchesFilter } from '../../src/scim/filter/evaluate';
import { MAX_FILTER_LEAVES, parseFilter } from '../../src/scim/filter/parser';
import { printFilter } from '../../src/scim/filter/printer';
import { foldCase, foldDocument, normaliseDateTime } from '../../src/scim/fold';
import { defaultRegistry } from '../../src/scim/schema/builtins';
import type { ResourceTypeInfo } from '../../src/scim/schema/registry';
import { compileFilter, MAX_FILTER_PARAMS } from '../../src/store/filter-sql';
import { compileOrderBy } from '../../src/store/sort';
import { and, cmp, ENTERPRISE, not, or, pr, vp } from '../scim/filter/helpers';

type Doc = Record<string, unknown>;
const User = defaultRegistry.resourceType('User')!;
const Group = defaultRegistry.resourceType('Group')!;
const dialect = new SQLiteSyncDialect();

async function run(query: SQL) {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return env.DB.prepare(text).bind(...params).all<{ id: string }>();
}

/** Stores docs as the store does: data without id/meta, folded twin, hot columns canonical, value index rows. */
async function insert(tenant: string, rt: ResourceTypeInfo, docs: Doc[]): Promise<void> {
  if (docs.length === 0) return;
  const values = docs.flatMap((doc) => {
    const { id, meta: _meta, groups: _g, members: _m, ...data } = doc;
    return valueRows(rt.storage, foldDocument(rt, data)).map((v) =>
      env.DB.prepare('INSERT INTO resource_values (tenant_id, resource_type, attribute, value, resource_id) VALUES (?, ?, ?, ?, ?)').bind(tenant, rt.name, v.attribute, v.value, id),
    );
  });
  if (values.length > 0) await env.DB.batch(values);
  await env.DB.batch(
    docs.map((doc) => {
      const { id, meta, groups: _g, members: _m, ...data } = doc;
      const times = meta as { created: string; lastModified: string };
      const key = (v: unknown) => (typeof v === 'string' ? foldCase(v) : null);
      return env.DB.prepare(
        `INSERT INTO resources (tenant_id, resource_type, id, user_name_key, display_name_key, external_id,
           created, last_modified, data, folded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).bind(tenant, rt.name, id, rt.name === 'User' ? key(data.userName) : null, key(data.displayName),
        (data.externalId as string | undefined) ?? null, normaliseDateTime(times.created), normaliseDateTime(times.lastModified),
        JSON.stringify(data), JSON.stringify(foldDocument(rt, data)));
    }),
  );
}

function select(tenant: string, rt: ResourceTypeInfo, where: SQL, order: SQL = sql`${resources.id}`): SQL {
  return sql`SELECT ${resources.id} AS id FROM ${resources}
    WHERE ${resources.tenantId} = ${tenant} AND ${resources.resourceType} = ${rt.name} AND (${where}) ORDER BY ${order}`;
}

async function sqlIds(tenant: string, rt: ResourceTypeInfo, f: Filter): Promise<string[]> {
  return (await run(select(tenant, rt, compileFilter(rt, f)))).results.map((r) => r.id);
}

const memoryIds = (rt: ResourceTypeInfo, docs: Doc[], f: Filter) =>
  docs.filter((d) => matchesFilter(rt, d, f)).map((d) => d.id as string).sort();

// Random Users over a small alphabet where case folding matters (ß/SS, É/é, ẞ, İ) and where UTF-16
// and code point order disagree (U+E000..U+FFFF against U+10000 and above).
const ALPHABET = ['a', 'A', 'b', 'ß', 'S', 's', 'É', 'é', 'e', '1', ' ', 'ẞ', 'İ', 'i', '\ue000', '\uffff', '𐀀', '😀'];
const text = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 3 }).map((chars) => chars.join(''));
const DATES = ['2024-01-01T00:00:00Z', '2024-01-01T01:00:00+01:00', '2023-12-31T23:59:59.999Z', '2024-06-30T12:00:00.5Z'];
const TYPES = ['work', 'home', 'WORK'];

const email = fc.record(
  { value: text, type: fc.constantFrom(...TYPES), primary: fc.boolean() },
  { requiredKeys: [] },
);
const userFields = fc.record(
  {
    userName: text,
    displayName: text,
    title: text,
    externalId: text,
    active: fc.boolean(),
    emails: fc.array(email, { maxLength: 3 }),
    name: fc.record({ givenName: text }, { requiredKeys: [] }),
    [ENTERPRISE]: fc.record({ employeeNumber: text, department: text }, { requiredKeys: [] }),
    created: fc.constantFrom(...DATES),
    lastModified: fc.constantFrom(...DATES),
  },
  { requiredKeys: ['userName', 'created', 'lastModified'] },
);
const users = fc
  .uniqueArray(userFields, { selector: (u) => foldCase(u.userName), maxLength: 8 })
  .map((list) =>
    list.map(({ created, lastModified, ...rest }, i): Doc => ({
      id: `u${i}`,
      ...rest,
      meta: { resourceType: 'User', created, lastModified },
    })),
  );

const STRINGS = ['userName', 'displayName', 'title', 'externalId', 'name.givenName', 'emails', 'emails.value', 'emails.type',
  `${ENTERPRISE}:employeeNumber`, `${ENTERPRISE}:department`, 'meta.resourceType', 'id'];
const TEXT_OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const;
const stringLeaf = fc.oneof(
  fc.tuple(fc.constantFrom(...STRINGS), fc.constantFrom(...TEXT_OPS), fc.oneof(text, fc.constantFrom('u1', 'User', 'work')))
    .map(([path, op, value]) => cmp(path, op, value)),
  fc.tuple(fc.constantFrom(...STRINGS), fc.constantFrom('eq' as const, 'ne' as const)).map(([path, op]) => cmp(path, op, null)),
  fc.constantFrom(...STRINGS, 'active', 'meta.created', 'name', 'emails.primary').map((path) => pr(path)),
);
const boolLeaf = fc.tuple(fc.constantFrom('active', 'emails.primary'), fc.constantFrom('eq' as const, 'ne' as const), fc.boolean())
  .map(([path, op, value]) => cmp(path, op, value));
const dateLeaf = fc.tuple(fc.constantFrom('meta.created', 'meta.lastModified'), fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le') as fc.Arbitrary<'eq'>,
  fc.constantFrom(...DATES, '2024-01-01T00:00:00.001Z')).map(([path, op, value]) => cmp(path, op, value));
const emailLeaf = fc.oneof(
  fc.tuple(fc.constantFrom('value', 'type'), fc.constantFrom(...TEXT_OPS), fc.oneof(text, fc.constantFrom(...TYPES))).map(([path, op, v]) => cmp(path, op, v)),
  fc.tuple(fc.constantFrom('eq' as const, 'ne' as const), fc.boolean()).map(([op, v]) => cmp('primary', op, v)),
  fc.constantFrom('value', 'type', 'primary').map((path) => pr(path)),
);

function tree(leaf: fc.Arbitrary<Filter>, depth: number): fc.Arbitrary<Filter> {
  if (depth === 0) return leaf;
  const sub = tree(leaf, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.tuple(sub, sub).map(([l, r]) => and(l, r)) },
    { weight: 1, arbitrary: fc.tuple(sub, sub).map(([l, r]) => or(l, r)) },
    { weight: 1, arbitrary: sub.map(not) },
  );
}
const filters = tree(fc.oneof(stringLeaf, stringLeaf, boolLeaf, dateLeaf, tree(emailLeaf, 2).map((f) => vp('emails', f))), 3);

let tenants = 0;
const freshTenant = () => `filter-sql-${Date.now()}-${++tenants}`;

describe('compileFilter', () => {
  it('selects exactly the Users that matchesFilter selects', async () => {
    await fc.assert(
      fc.asyncProperty(users, fc.array(filters, { minLength: 1, maxLength: 6 }), async (docs, fs) => {
        const tenant = freshTenant();
        await insert(tenant, User, docs);
        for (const f of fs) {
          expect(await sqlIds(tenant, User, f), printFilter(f)).toEqual(memoryIds(User, docs, f));
        }
      }),
      { seed: 42, numRuns: 250 },
    );
  });

  it('agrees with matchesFilter on members and on direct and indirect groups', async () => {
    const tenant = freshTenant();
    const meta = (resourceType: string) => ({ resourceType, created: DATES[0], lastModified: DATES[0] });
    const groupDocs: Doc[] = [
      { id: 'g1', displayName: 'Admins', members: [{ value: 'u1', type: 'User', display: 'Babs' }], meta: meta('Group') },
      { id: 'g2', displayName: 'Straße', members: [{ value: 'g1', type: 'Group' }], meta: meta('Group') },
      { id: 'g3', displayName: 'Solo', members: [{ value: 'u2', type: 'User', display: 'Émile' }, { value: 'g3', type: 'Group' }], meta: meta('Group') },
    ];
    const userDocs: Doc[] = [
      { id: 'u1', userName: 'babs', groups: [{ value: 'g1', display: 'Admins', type: 'direct' }, { value: 'g2', display: 'Straße', type: 'indirect' }], meta: meta('User') },
      { id: 'u2', userName: 'emile', groups: [{ value: 'g3', display: 'Solo', type: 'direct' }], meta: meta('User') },
      { id: 'u3', userName: 'nobody', meta: meta('User') },
    ];
    await insert(tenant, Group, groupDocs);
    await insert(tenant, User, userDocs);
    const rows = groupDocs.flatMap((g) => (g.members as Doc[]).map((m) => [tenant, g.id, m.value, m.type, 'Group', m.display ?? null]));
    await env.DB.batch(rows.map((r) => env.DB.prepare('INSERT INTO memberships (tenant_id, group_id, member_id, member_type, group_type, display) VALUES (?, ?, ?, ?, ?, ?)').bind(...r)));

    for (const text of ['groups.value eq "g2"', 'groups[type eq "indirect" and display eq "STRASSE"]', 'groups.type eq "direct"',
      'groups pr', 'not (groups pr)', 'groups.display sw "ad"', 'groups[value eq "g1" and type eq "indirect"]', 'groups.value ne "g3"']) {
      expect(await sqlIds(tenant, User, parseFilter(text)), text).toEqual(memoryIds(User, userDocs, parseFilter(text)));
    }
    for (const text of ['members.value eq "u1"', 'members[type eq "group"]', 'members[type eq "USER" and display eq "Émile"]',
      'members.display eq "émile"', 'members[not (display pr)]', 'not (members pr)', 'members.value gt "g"', 'displayName sw "STR"']) {
      expect(await sqlIds(tenant, Group, parseFilter(text)), text).toEqual(memoryIds(Group, groupDocs, parseFilter(text)));
    }
  });

  it('uses the indexes for eq and sw on userName, reading few rows', async () => {
    const tenant = freshTenant();
    const meta = { resourceType: 'User', created: DATES[0], lastModified: DATES[0] };
    await insert(tenant, User, Array.from({ length: 200 }, (_, i) => ({ id: `u${i}`, userName: `User${i}`, externalId: `x${i}`, meta })));
    const read = async (text: string) => {
      const result = await run(select(tenant, User, compileFilter(User, parseFilter(text))));
      return { n: result.results.length, rowsRead: result.meta.rows_read };
    };
    expect(await read('userName eq "USER42"')).toEqual({ n: 1, rowsRead: 1 });
    expect((await read('meta.lastModified gt "2024-06-01T00:00:00Z"')).rowsRead).toBeLessThanOrEqual(2);
    const sw = await read('userName sw "user19"');
    expect(sw.n).toBe(11);
    // Index entries plus the rows they point at; a scan would read all 200.
    expect(sw.rowsRead).toBeLessThanOrEqual(2 * sw.n + 2);
    expect((await read('userName co "user19"')).rowsRead).toBeGreaterThanOrEqual(200);
    // Even under the store's ORDER BY id, which the primary key could satisfy by scanning the tenant.
    expect((await read('externalId eq "x7"')).rowsRead).toBeLessThanOrEqual(3);
    expect((await read('externalId eq "x7" or externalId eq "x8"')).rowsRead).toBeLessThanOrEqual(6);
  });

  it('never uses LIKE or GLOB and binds every value as a parameter', () => {
    const f = parseFilter('userName sw "a%_" and externalId co "\'; DROP TABLE resources; --" and displayName ew "z" and emails[value co "q"]');
    const { sql: text, params } = dialect.sqlToQuery(compileFilter(User, f));
    expect(text).not.toMatch(/\b(LIKE|GLOB)\b/i);
    expect(text).not.toContain('DROP');
    expect(params).toContain("'; DROP TABLE resources; --");
  });

  it('keeps a filter at the leaf limit under D1 bound-parameter cap, and runs it', async () => {
    const f = parseFilter(Array.from({ length: MAX_FILTER_LEAVES }, (_, i) => `userName sw "u${i}"`).join(' or '));
    const { params } = dialect.sqlToQuery(compileFilter(User, f));
    expect(params.length).toBeLessThanOrEqual(MAX_FILTER_PARAMS);
    await expect(run(select(freshTenant(), User, compileFilter(User, f)))).resolves.toBeDefined();
  });

  it('rejects invalid filters with invalidFilter before touching SQL', () => {
    expect(() => compileFilter(User, parseFilter('password eq "x"'))).toThrow(ScimError);
    expect(() => compileFilter(Group, parseFilter('userName eq "x"'))).toThrow(ScimError);
  });
});

describe('compileOrderBy', () => {
  it('sorts case-insensitively, multi-valued by primary then first, missing values last ascending', async () => {
    const tenant = freshTenant();
    const meta = { resourceType: 'User', created: DATES[0], lastModified: DATES[0] };
    await insert(tenant, User, [
      { id: 'a', userName: 'b', name: { givenName: 'Zoe' }, emails: [{ value: 'z@x' }, { value: 'a@x', primary: true }], meta },
      { id: 'b', userName: 'C', name: { givenName: 'adam' }, emails: [{ value: 'm@x' }], meta },
      { id: 'c', userName: 'a', meta },
    ]);
    const order = async (sortBy: string, dir: 'ascending' | 'descending' = 'ascending') =>
      (await run(select(tenant, User, sql`1`, compileOrderBy(User, sortBy, dir)))).results.map((r) => r.id);
    expect(await order('userName')).toEqual(['c', 'a', 'b']);
    expect(await order('name.givenName')).toEqual(['b', 'a', 'c']);
    expect(await order('name.givenName', 'descending')).toEqual(['c', 'a', 'b']);
    expect(await order('emails')).toEqual(['a', 'b', 'c']);
    expect(await order('EMAILS.VALUE', 'descending')).toEqual(['c', 'b', 'a']);
  });

  it.each(['nope', 'name', 'password', 'emails[type eq "work"]', 'user name', ''])('rejects sortBy=%j with invalidValue', (sortBy) => {
    expect(() => compileOrderBy(User, sortBy)).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });
});
