import { beforeAll, describe, expect, it } from 'vitest';
import { admin, body, call, GROUP_SCHEMA, newTenant, Scim, USER_SCHEMA, ok } from '../../helpers';

type Doc = Record<string, any>;
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

async function error(res: Response, status = 400): Promise<Doc> {
  const doc = await body(res);
  expect(res.status, JSON.stringify(doc)).toBe(status);
  expect(doc).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status) });
  expect(doc).not.toHaveProperty('Resources');
  return doc;
}

const qs = (params: Record<string, string | number>) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

/** A second token for the same tenant, with only the given scopes. */
async function tokenFor(tenant: string, scopes: string[]): Promise<Scim> {
  const res = await admin(`/tenants/${tenant}/tokens`, 'POST', { label: 'read-only', scopes });
  expect(res.status).toBe(201);
  return new Scim(tenant, ((await res.json()) as { token: string }).token);
}

describe('POST /{type}/.search', () => {
  let scim: Scim;
  const users: Doc[] = [];
  const groups: Doc[] = [];

  beforeAll(async () => {
    scim = await newTenant();
    for (const [n, title] of [['alice', 'Eng'], ['bob', 'Eng'], ['carol', 'Ops'], ['dave', 'Eng'], ['erin', undefined]] as const) {
      users.push(await scim.createUser(n, { displayName: n.toUpperCase(), ...(title ? { title } : {}) }));
    }
    groups.push(await scim.createGroup('Engineers', [users[0]!.id, users[1]!.id]));
    groups.push(await scim.createGroup('Operators', [users[2]!.id]));
    groups.push(await scim.createGroup('Everyone', users.map((u) => u.id)));
  });

  it('answers a SearchRequest on /Users exactly as the equivalent GET', async () => {
    const cases: Doc[] = [
      {},
      { filter: 'title eq "Eng"' },
      { filter: 'title eq "Eng"', attributes: ['userName', 'title'], sortBy: 'userName', sortOrder: 'descending' },
      { filter: 'title pr', startIndex: 2, count: 2, sortBy: 'displayName' },
      { excludedAttributes: ['groups', 'meta'], count: 3 },
      { filter: `groups.value eq "${groups[0]!.id}"`, attributes: ['userName'] },
    ];
    for (const c of cases) {
      const get = await ok(
        await scim.get(`/Users?${qs(Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])))}`),
      );
      const post = await ok(await scim.post('/Users/.search', { schemas: [SEARCH], ...c }));
      expect(post, JSON.stringify(c)).toEqual(get);
      expect(post.Resources.length, JSON.stringify(c)).toBeGreaterThan(0);
    }
    const filtered = await ok(await scim.post('/Users/.search', { schemas: [SEARCH], filter: 'title eq "Eng"', attributes: ['userName'], sortBy: 'userName' }));
    expect(filtered).toMatchObject({ totalResults: 3, itemsPerPage: 3, startIndex: 1 });
    expect(filtered.Resources.map((u: Doc) => u.userName)).toEqual(['alice', 'bob', 'dave']);
    expect(filtered.Resources[0]).toEqual({ schemas: [USER_SCHEMA], id: users[0]!.id, userName: 'alice' });
  });

  it('answers a SearchRequest on /Groups exactly as the equivalent GET', async () => {
    const cases: Doc[] = [
      { filter: 'displayName eq "engineers"', excludedAttributes: ['members'] },
      { filter: `members.value eq "${users[0]!.id}"`, sortBy: 'displayName', sortOrder: 'descending' },
      { startIndex: 2, count: 1, sortBy: 'displayName', attributes: ['displayName', 'members.value'] },
    ];
    for (const c of cases) {
      const get = await ok(
        await scim.get(`/Groups?${qs(Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])))}`),
      );
      const post = await ok(await scim.post('/Groups/.search', { schemas: [SEARCH], ...c }));
      expect(post, JSON.stringify(c)).toEqual(get);
      expect(post.Resources.length, JSON.stringify(c)).toBeGreaterThan(0);
    }
    const byMember = await ok(await scim.post('/Groups/.search', { schemas: [SEARCH], filter: `members.value eq "${users[0]!.id}"`, sortBy: 'displayName' }));
    expect(byMember.Resources.map((g: Doc) => g.displayName)).toEqual(['Engineers', 'Everyone']);
  });

  it('accepts the attribute lists as comma-separated strings too', async () => {
    const res = await ok(await scim.post('/Users/.search', { schemas: [SEARCH], filter: 'userName eq "carol"', attributes: 'userName, title' }));
    expect(res.Resources).toEqual([{ schemas: [USER_SCHEMA], id: users[2]!.id, userName: 'carol', title: 'Ops' }]);
  });

  it('pages with a cursor given in the SearchRequest', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let i = 0; i < 10; i++) {
      const page = await ok(await scim.post('/Users/.search', { schemas: [SEARCH], sortBy: 'userName', count: 2, cursor }));
      expect(page.totalResults).toBe(5);
      seen.push(...page.Resources.map((u: Doc) => u.userName));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
  });

  it('rejects a bad filter in the body with 400 invalidFilter', async () => {
    for (const filter of ['userName eq akadmin', '(title eq "Eng"', 'nosuch eq "x"']) {
      expect((await error(await scim.post('/Users/.search', { schemas: [SEARCH], filter }))).scimType).toBe('invalidFilter');
    }
  });

  it('rejects a malformed SearchRequest with 400', async () => {
    const bad: unknown[] = [
      { schemas: [SEARCH], count: 'ten' },
      { schemas: [SEARCH], startIndex: 1.5 },
      { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], filter: 'userName eq "alice"' },
      { schemas: 'not-an-array' },
      { schemas: [SEARCH], attributes: 5 },
      { schemas: [SEARCH], filter: 42 },
      { schemas: [SEARCH], sortOrder: 'sideways' },
      { schemas: [SEARCH], sortBy: 'nosuch' },
    ];
    for (const b of bad) {
      expect((await error(await scim.post('/Users/.search', b))).scimType, JSON.stringify(b)).toBe('invalidValue');
    }
    expect((await error(await scim.request('POST', '/Users/.search', '{"schemas": [', { 'Content-Type': 'application/scim+json' }))).scimType).toBe('invalidSyntax');
    // A body that is not a JSON object is a syntax error, as on POST /Users.
    expect((await error(await scim.post('/Users/.search', [SEARCH]))).scimType).toBe('invalidSyntax');
  });

  it('answers GET on /Users/.search with 405 and Allow: POST', async () => {
    const res = await scim.get('/Users/.search');
    await error(res, 405);
    expect(res.headers.get('Allow')).toBe('POST');
  });

  it('404s a search on an unknown resource type', async () => {
    await error(await scim.post('/Widgets/.search', { schemas: [SEARCH] }), 404);
  });
});

describe('search at the server root (POST /.search and GET /scim/v2)', () => {
  let scim: Scim;
  let userX: Doc;
  let groupX: Doc;
  let userIds: string[];
  let groupIds: string[];

  beforeAll(async () => {
    scim = await newTenant();
    userX = await scim.createUser('xavier', { displayName: 'x' });
    await scim.createUser('yolanda', { displayName: 'y' });
    await scim.createUser('zed');
    groupX = await scim.createGroup('x', [userX.id]);
    await scim.createGroup('Other');
    userIds = (await ok(await scim.get('/Users?attributes=id'))).Resources.map((r: Doc) => r.id);
    groupIds = (await ok(await scim.get('/Groups?attributes=id'))).Resources.map((r: Doc) => r.id);
  });

  const root = (params: Record<string, string | number>) => call(`/scim/v2?${qs(params)}`, { headers: { Authorization: `Bearer ${scim.token}` } });

  it('counts and returns Users and Groups together', async () => {
    const all = await ok(await scim.post('/.search', { schemas: [SEARCH] }));
    expect(all).toMatchObject({ totalResults: 5, itemsPerPage: 5, startIndex: 1 });
    expect(all.Resources.map((r: Doc) => r.id)).toEqual([...userIds, ...groupIds]);
    expect(all.Resources.map((r: Doc) => r.meta.resourceType)).toEqual(['User', 'User', 'User', 'Group', 'Group']);
    expect(await ok(await root({}))).toEqual(all);
  });

  it('matches users and groups alike with displayName eq "x"', async () => {
    const res = await ok(await scim.post('/.search', { schemas: [SEARCH], filter: 'displayName eq "x"' }));
    expect(res.totalResults).toBe(2);
    expect(res.Resources.map((r: Doc) => [r.meta.resourceType, r.id])).toEqual([
      ['User', userX.id],
      ['Group', groupX.id],
    ]);
    expect(await ok(await root({ filter: 'displayName eq "x"' }))).toEqual(res);
  });

  it('matches nothing of a type that lacks the filtered attribute', async () => {
    const users = await ok(await scim.post('/.search', { schemas: [SEARCH], filter: 'userName sw "x"' }));
    expect(users.Resources.map((r: Doc) => r.id)).toEqual([userX.id]);
    expect(users.totalResults).toBe(1);
    const groups = await ok(await root({ filter: `members.value eq "${userX.id}"` }));
    expect(groups.Resources.map((r: Doc) => r.id)).toEqual([groupX.id]);
    const byType = await ok(await root({ filter: 'meta.resourceType eq "Group"', excludedAttributes: 'members' }));
    expect(byType.Resources.map((r: Doc) => r.id)).toEqual(groupIds);
  });

  it('pages one startIndex/count window across both types', async () => {
    const everything = [...userIds, ...groupIds];
    for (const [startIndex, count] of [
      [1, 2],
      [3, 2],
      [2, 3],
      [4, 5],
      [5, 1],
      [6, 3],
      [1, 0],
    ] as const) {
      const body = { schemas: [SEARCH], startIndex, count };
      const page = await ok(await scim.post('/.search', body));
      const expected = everything.slice(startIndex - 1, startIndex - 1 + count);
      expect(page, JSON.stringify(body)).toMatchObject({ totalResults: 5, itemsPerPage: expected.length, startIndex });
      expect(page.Resources.map((r: Doc) => r.id), JSON.stringify(body)).toEqual(expected);
      expect(await ok(await root({ startIndex, count }))).toEqual(page);
    }
  });

  it('projects each type by the attributes asked for', async () => {
    const res = await ok(await scim.post('/.search', { schemas: [SEARCH], filter: 'displayName eq "x"', attributes: ['userName', 'displayName'] }));
    expect(res.Resources).toEqual([
      { schemas: [USER_SCHEMA], id: userX.id, userName: 'xavier', displayName: 'x' },
      { schemas: [GROUP_SCHEMA], id: groupX.id, displayName: 'x' },
    ]);
  });

  it('rejects a filter no resource type understands, and a malformed one, with 400 invalidFilter', async () => {
    for (const filter of ['nosuch eq "x"', 'displayName eq x', 'active gt true']) {
      expect((await error(await scim.post('/.search', { schemas: [SEARCH], filter }))).scimType, filter).toBe('invalidFilter');
      expect((await error(await root({ filter }))).scimType, filter).toBe('invalidFilter');
    }
  });

  it('rejects a malformed SearchRequest at the root with 400', async () => {
    expect((await error(await scim.post('/.search', { schemas: [SEARCH], count: 'ten' }))).scimType).toBe('invalidValue');
    expect((await error(await scim.post('/.search', { schemas: ['urn:example:wrong'] }))).scimType).toBe('invalidValue');
  });

  it('sorts at the root by an attribute only one type has, the other type having no value and sorting last', async () => {
    // RFC 7644 §3.4.2.3: resources with no data for sortBy are ordered last ascending; not an error.
    const res = await scim.post('/.search', { schemas: [SEARCH], sortBy: 'userName', attributes: ['userName', 'displayName'] });
    const doc = await ok(res);
    expect(doc.totalResults).toBe(5);
    expect(doc.Resources.map((r: Doc) => r.userName)).toEqual(['xavier', 'yolanda', 'zed', undefined, undefined]);
    expect(doc.Resources.slice(3).map((r: Doc) => r.schemas)).toEqual([[GROUP_SCHEMA], [GROUP_SCHEMA]]);
  });

  it('sorts root search results across both types, not type by type', async () => {
    // RFC 7644 §3.4.2.3: sortBy "SHALL be used to order the returned responses".
    const doc = await ok(await scim.post('/.search', { schemas: [SEARCH], sortBy: 'displayName', attributes: ['displayName'] }));
    expect(doc.Resources.map((r: Doc) => r.displayName)).toEqual(['Other', 'x', 'x', 'y', undefined]);
  });
});

describe('scopes for search', () => {
  it('lets a read-only token search with POST but not create', async () => {
    const writer = await newTenant();
    const user = await writer.createUser('visible');
    const reader = await tokenFor(writer.tenant, ['scim:read']);
    const perType = await reader.post('/Users/.search', { schemas: [SEARCH], filter: 'userName eq "visible"' });
    expect(perType.status).toBe(200);
    expect((await body(perType)).Resources.map((r: Doc) => r.id)).toEqual([user.id]);
    expect((await reader.post('/Groups/.search', { schemas: [SEARCH] })).status).toBe(200);
    expect((await reader.post('/.search', { schemas: [SEARCH] })).status).toBe(200);
    expect((await reader.get('/Users?filter=userName%20eq%20%22visible%22')).status).toBe(200);
    await error(await reader.post('/Users', { schemas: [USER_SCHEMA], userName: 'sneaky' }), 403);
    await error(await reader.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: 'sneaky' }), 403);
    await error(await reader.delete(`/Users/${user.id}`), 403);
    expect((await writer.get('/Users?filter=userName%20eq%20%22sneaky%22').then(ok)).totalResults).toBe(0);
  });

  it('lets a token made read-only at tenant creation POST .search', async () => {
    const reader = await newTenant({ scopes: ['scim:read'] });
    const res = await reader.post('/Users/.search', { schemas: [SEARCH], filter: `userName eq "${crypto.randomUUID()}"` });
    expect(res.status).toBe(200);
    expect(await body(res)).toMatchObject({ totalResults: 0, Resources: [] });
    await error(await reader.post('/Users', { schemas: [USER_SCHEMA], userName: 'nope' }), 403);
  });
});
