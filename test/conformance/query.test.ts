// Black-box conformance: filtering, sorting, paging and projection (RFC 7644 §3.4.2, §3.9).
import { beforeAll, describe, expect, it } from 'vitest';
import { body, ENTERPRISE, expectError, newTenant, ok, Scim, USER_SCHEMA } from '../helpers';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

let scim: Scim;
let users: Record<string, any>;

beforeAll(async () => {
  scim = await newTenant();
  users = {};
  users.ann = await scim.createUser('ann', { title: 'Engineer', externalId: 'EXT-ann', emails: [{ value: 'ann@work.io', type: 'work', primary: true }], name: { givenName: 'Ann', familyName: 'Zed' } });
  users.bob = await scim.createUser('bob', { emails: [{ value: 'bob@home.io', type: 'home' }], active: false, name: { familyName: 'Young' } });
  users.cat = await scim.createUser('cat', { title: 'Manager', emails: [{ value: 'cat@work.io', type: 'work' }], schemas: [USER_SCHEMA, ENTERPRISE], [ENTERPRISE]: { department: 'Sales' } });
  users.dan = await scim.createUser('Dan', { title: '' });
});

const q = (s: string) => encodeURIComponent(s);
const names = (list: Record<string, any>) => (list.Resources ?? []).map((r: any) => r.userName);

describe('filters', () => {
  it.each([
    ['userName eq "ANN"', ['ann']],
    ['userName sw "a"', ['ann']],
    ['userName co "A"', ['ann', 'cat', 'Dan']],
    ['userName ew "n"', ['ann', 'Dan']],
    ['userName ne "ann"', ['bob', 'cat', 'Dan']],
    ['title pr', ['ann', 'cat']],
    ['not (title pr)', ['bob', 'Dan']],
    ['emails.type eq "work"', ['ann', 'cat']],
    ['emails[type eq "work" and value co "cat"]', ['cat']],
    ['emails co "@home"', ['bob']],
    ['emails.primary eq true', ['ann']],
    ['active eq false', ['bob']],
    ['externalId eq "EXT-ann"', ['ann']],
    ['externalId eq "ext-ann"', []], // externalId is caseExact (RFC 7643 §3.1)
    ['name.familyName gt "X"', ['ann', 'bob']],
    [`${ENTERPRISE}:department eq "sales"`, ['cat']],
    ['meta.resourceType eq "User"', ['ann', 'bob', 'cat', 'Dan']],
    ['title eq "Engineer" or title eq "Manager"', ['ann', 'cat']],
    ['(userName eq "ann" or userName eq "bob") and title pr', ['ann']],
    ['active eq true', []], // nobody was created with active: true; an absent value does not equal true
    ['USERNAME EQ "bob"', ['bob']],
  ])('%s', async (filter, expected) => {
    const list = await ok(await scim.get(`/Users?filter=${q(filter)}&sortBy=userName`));
    expect(list.totalResults).toBe(expected.length);
    expect(names(list)).toEqual(expected);
  });

  it('filters on meta.lastModified and meta.created with gt / lt', async () => {
    // The boundaries are the resources' own timestamps, no clock read here and no waiting. Each
    // create is a D1 write and KV reads (about 10 ms here), so bob's instant is before cat's; should
    // two creates ever share a millisecond, this says so instead of a wrong list below.
    expect(Date.parse(users.cat.meta.created)).toBeGreaterThan(Date.parse(users.bob.meta.lastModified));
    const after = await ok(await scim.get(`/Users?filter=${q(`meta.lastModified gt "${users.bob.meta.lastModified}"`)}&sortBy=userName`));
    expect(names(after)).toEqual(['cat', 'Dan']);
    const before = await ok(await scim.get(`/Users?filter=${q(`meta.created lt "${users.cat.meta.created}"`)}&sortBy=userName`));
    expect(names(before)).toEqual(['ann', 'bob']);
    const all = await ok(await scim.get(`/Users?filter=${q('meta.lastModified ge "2000-01-01T00:00:00Z"')}`));
    expect(all.totalResults).toBe(4);
  });

  it('reads filter string values as JSON strings: escaped quotes, backslashes and \\u escapes', async () => {
    const scim2 = await newTenant();
    const u = await scim2.createUser('esc', { displayName: 'a "quoted" \\ name é' });
    const list = await ok(await scim2.get(`/Users?filter=${q('displayName eq "a \\"quoted\\" \\\\ name \\u00e9"')}`));
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0].id).toBe(u.id);
  });

  it('accepts + for spaces and %2B for a plus sign in the query string (Entra encodes filters this way)', async () => {
    const scim2 = await newTenant();
    const u = await scim2.createUser('alice+tag@example.com');
    const list = await ok(await scim2.get('/Users?filter=userName+eq+%22alice%2Btag@example.com%22'));
    expect(list.Resources.map((r: any) => r.id)).toEqual([u.id]);
  });

  it('reads Entra\'s emails[type eq "work"].value eq form', async () => {
    const list = await ok(await scim.get(`/Users?filter=${q('emails[type eq "work"].value eq "CAT@work.io"')}`));
    expect(names(list)).toEqual(['cat']);
  });

  it('resolves attribute names in filter, sortBy, attributes and excludedAttributes in any case (RFC 7643 §2.1)', async () => {
    const list = await ok(await scim.get(`/Users?filter=${q('EMAILS.TYPE eq "work"')}&sortBy=USERNAME&sortOrder=descending&attributes=USERNAME,Emails.Value&excludedAttributes=META`));
    expect(names(list)).toEqual(['cat', 'ann']);
    expect(list.Resources[0].emails).toEqual([{ value: 'cat@work.io' }]);
    expect(list.Resources[0]).not.toHaveProperty('meta');
  });

  it('filters by id', async () => {
    const list = await ok(await scim.get(`/Users?filter=${q(`id eq "${users.bob.id}"`)}`));
    expect(names(list)).toEqual(['bob']);
  });

  it('answers an empty 200 list for a filter that matches nothing', async () => {
    const res = await scim.get(`/Users?filter=${q('userName eq "nobody-here"')}`);
    expect(res.status).toBe(200);
    const list = await body(res);
    expect(list.totalResults).toBe(0);
    expect(list.Resources ?? []).toEqual([]);
  });

  it.each(['userName eq', 'userName eq nobody', 'bogusAttr eq "x"', 'userName xx "x"', '(userName eq "a"'])('answers 400 invalidFilter for %s', async (filter) => {
    const res = await scim.get(`/Users?filter=${q(filter)}`);
    expect(res.status).toBe(400);
    expect((await body(res)).scimType).toBe('invalidFilter');
  });

  it('combines filter, sortBy descending and attributes', async () => {
    const list = await ok(await scim.get(`/Users?filter=${q('title pr or active eq false')}&sortBy=userName&sortOrder=descending&attributes=userName,title`));
    expect(names(list)).toEqual(['cat', 'bob', 'ann']);
    for (const r of list.Resources) {
      expect(Object.keys(r).sort()).toEqual(expect.arrayContaining(['id', 'userName']));
      expect(r).not.toHaveProperty('emails');
      expect(r).not.toHaveProperty('name');
    }
    expect(list.Resources[0].title).toBe('Manager');
  });

  it('sorts by a sub-attribute, missing values last ascending', async () => {
    const list = await ok(await scim.get('/Users?sortBy=name.familyName&sortOrder=ascending'));
    expect(names(list).slice(0, 2)).toEqual(['bob', 'ann']);
  });
});

describe('projection', () => {
  it('attributes=meta returns id, schemas and meta only', async () => {
    const list = await ok(await scim.get('/Users?attributes=meta&count=1'));
    const r = list.Resources[0];
    expect(r.meta).toMatchObject({ resourceType: 'User' });
    expect(r.meta.lastModified).toBeDefined();
    expect(r).not.toHaveProperty('userName');
    expect(r.id).toBeDefined();
  });

  it('attributes=userName,meta.lastModified and excludedAttributes=emails,meta on a single resource', async () => {
    const one = await ok(await scim.get(`/Users/${users.ann.id}?attributes=userName,meta.lastModified`));
    expect(one).toMatchObject({ id: users.ann.id, userName: 'ann', meta: { lastModified: users.ann.meta.lastModified } });
    expect(one.meta).not.toHaveProperty('created');
    expect(one).not.toHaveProperty('title');
    const ex = await ok(await scim.get(`/Users/${users.ann.id}?excludedAttributes=emails,meta`));
    expect(ex).not.toHaveProperty('emails');
    expect(ex).not.toHaveProperty('meta');
    expect(ex).toMatchObject({ id: users.ann.id, userName: 'ann', title: 'Engineer' });
  });

  it('never excludes id or schemas (returned always, RFC 7643 §2.4)', async () => {
    const one = await ok(await scim.get(`/Users/${users.ann.id}?excludedAttributes=id,schemas,userName`));
    expect(one.id).toBe(users.ann.id);
    expect(one.schemas).toEqual([USER_SCHEMA]);
    expect(one).not.toHaveProperty('userName');
  });

  it('returns extension attributes by their URN-qualified name', async () => {
    const one = await ok(await scim.get(`/Users/${users.cat.id}?attributes=${q(`${ENTERPRISE}:department`)}`));
    expect(one[ENTERPRISE]).toEqual({ department: 'Sales' });
    expect(one).not.toHaveProperty('userName');
  });
});

describe('paging (RFC 7644 §3.4.2.4)', () => {
  it('count=0 returns totalResults with no resources', async () => {
    const list = await ok(await scim.get('/Users?count=0'));
    expect(list.totalResults).toBe(4);
    expect(list.Resources ?? []).toEqual([]);
    expect(list.itemsPerPage ?? 0).toBe(0);
  });

  it('a negative count is read as 0', async () => {
    const list = await ok(await scim.get('/Users?count=-3'));
    expect(list.totalResults).toBe(4);
    expect(list.Resources ?? []).toEqual([]);
  });

  it('startIndex below 1 is read as 1', async () => {
    const list = await ok(await scim.get('/Users?startIndex=0&count=2&sortBy=userName'));
    expect(list.startIndex).toBe(1);
    expect(names(list)).toEqual(['ann', 'bob']);
  });

  it('startIndex beyond totalResults answers an empty page with the true total', async () => {
    const list = await ok(await scim.get('/Users?startIndex=100&count=10'));
    expect(list.totalResults).toBe(4);
    expect(list.Resources ?? []).toEqual([]);
    expect(list.startIndex).toBe(100);
  });

  it('pages with startIndex and count, 1-based, with itemsPerPage equal to the page length', async () => {
    const pages = [];
    for (const start of [1, 3]) {
      const list = await ok(await scim.get(`/Users?startIndex=${start}&count=2&sortBy=userName`));
      expect(list.itemsPerPage).toBe(list.Resources.length);
      expect(list.startIndex).toBe(start);
      pages.push(...names(list));
    }
    expect(pages).toEqual(['ann', 'bob', 'cat', 'Dan']);
  });

  it('caps count at the advertised maxResults', async () => {
    const spc = await ok(await scim.get('/ServiceProviderConfig'));
    const list = await ok(await scim.get(`/Users?count=${spc.filter.maxResults + 500}`));
    expect(list.Resources.length).toBeLessThanOrEqual(spc.filter.maxResults);
  });

  it('walks every user through RFC 9865 cursors without startIndex', async () => {
    let list = await ok(await scim.get('/Users?cursor&count=3'));
    const seen = names(list);
    expect(list.totalResults).toBe(4);
    expect(list.nextCursor).toBeTypeOf('string');
    list = await ok(await scim.get(`/Users?cursor=${q(list.nextCursor)}&count=3`));
    seen.push(...names(list));
    expect(list.nextCursor).toBeUndefined();
    expect(seen.sort()).toEqual(['Dan', 'ann', 'bob', 'cat']);
  });

  it('rejects a tampered cursor with 400 invalidCursor', async () => {
    const res = await scim.get('/Users?cursor=not-a-real-cursor&count=3');
    expect(res.status).toBe(400);
    expect((await body(res)).scimType).toBe('invalidCursor');
  });
});

describe('POST .search', () => {
  it('answers like GET with the same filter, attributes and paging', async () => {
    const res = await scim.post('/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'emails.type eq "work"',
      attributes: ['userName'],
      sortBy: 'userName',
      startIndex: 1,
      count: 1,
    });
    expect(res.status).toBe(200);
    const list = await body(res);
    expect(list.totalResults).toBe(2);
    expect(list.Resources).toEqual([{ schemas: [USER_SCHEMA], id: users.ann.id, userName: 'ann' }]);
  });
});

describe('SearchRequest member names are case-insensitive', () => {
  // RFC 7643 §2.1: "Attribute names are case insensitive". RFC 7644 §3.4.3 defines the SearchRequest
  // message by its attributes (filter, sortBy, sortOrder, startIndex, count, attributes,
  // excludedAttributes), so they are read in any case, as PatchOp and BulkRequest members are. An
  // ignored "Filter" would answer every resource (docs/idp-quirks.md Lessons 1: a filter must never fall back to
  // "return everything").
  it('POST /Users/.search honours Filter, Count, SortBy, SortOrder and Attributes in any case', async () => {
    const scim = await newTenant();
    await scim.createUser('ann');
    await scim.createUser('bob');
    await scim.createUser('cat');
    const res = await scim.post('/Users/.search', {
      schemas: [SEARCH],
      Filter: 'userName ne "bob"',
      SortBy: 'userName',
      SortOrder: 'descending',
      Attributes: ['userName'],
      StartIndex: 1,
      Count: 1,
    });
    expect(res.status).toBe(200);
    const list = await body(res);
    expect(list.totalResults).toBe(2);
    expect(list.Resources).toHaveLength(1);
    expect(list.Resources[0]).not.toHaveProperty('meta');
    expect(list.Resources[0].userName).toBe('cat');
  });

  it('POST /.search (root) honours a capitalised Filter', async () => {
    const scim = await newTenant();
    await scim.createUser('ann');
    await scim.createGroup('team');
    const list = await ok(await scim.post('/.search', { schemas: [SEARCH], Filter: 'userName eq "nobody"' }));
    expect(list.totalResults).toBe(0);
  });
});

describe('query parameter names in any case', () => {
  it('filters and pages with Filter=, Count= and StartIndex= as with their canonical spelling', async () => {
    const scim = await newTenant();
    await scim.createUser('alpha');
    await scim.createUser('beta');
    const res = await scim.get(`/Users?Filter=${encodeURIComponent('userName eq "beta"')}&Count=5&StartIndex=1&Attributes=userName`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as { totalResults: number; Resources: { userName: string }[] };
    expect(list.totalResults).toBe(1);
    expect(list.Resources).toEqual([expect.objectContaining({ userName: 'beta' })]);
    expect(Object.keys(list.Resources[0]!).sort()).toEqual(['id', 'schemas', 'userName']);
  });
});

describe('ambiguous parameter spellings', () => {
  it('rejects the same parameter in two spellings instead of silently picking one', async () => {
    const scim = await newTenant();
    await scim.createUser('qa');
    await scim.createUser('qb');
    const query = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "qa"')}&Filter=${encodeURIComponent('userName eq "qb"')}`);
    await expectError(query, 400, 'invalidValue');
    const search = await scim.post('/Users/.search', { filter: null, Filter: 'userName eq "qa"' });
    await expectError(search, 400, 'invalidValue');
    await expectError(await scim.get('/Schemas?Filter=x'), 403, undefined);
  });
});
