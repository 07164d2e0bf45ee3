import { beforeAll, describe, expect, it } from 'vitest';
import { body, ENTERPRISE, newTenant, type Scim, ok } from '../../helpers';
import { seedOf, seedResources, userSeeds, UserType } from './seed';

type Doc = Record<string, any>;
const ids = (list: Doc) => list.Resources.map((r: Doc) => r.id as string);
const names = (list: Doc) => list.Resources.map((r: Doc) => r.userName as string);

async function error(res: Response, status = 400): Promise<Doc> {
  const doc = await body(res);
  expect(res.status, JSON.stringify(doc)).toBe(status);
  expect(doc.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  expect(doc).not.toHaveProperty('Resources');
  return doc;
}

/** Follows nextCursor from an empty cursor to the end; returns each page. */
async function walk(scim: Scim, path: string, query: string, count: number | ((page: number) => number)): Promise<Doc[]> {
  const pages: Doc[] = [];
  let cursor = '';
  for (let page = 0; page < 100; page++) {
    const size = typeof count === 'number' ? count : count(page);
    const doc = await ok(await scim.get(`${path}?${query}${query ? '&' : ''}count=${size}&cursor=${encodeURIComponent(cursor)}`));
    pages.push(doc);
    if (doc.nextCursor === undefined) return pages;
    expect(typeof doc.nextCursor).toBe('string');
    cursor = doc.nextCursor;
  }
  throw new Error('cursor paging did not end');
}

describe('index paging (RFC 7644 §3.4.2.4)', () => {
  let scim: Scim;
  let all: string[];

  beforeAll(async () => {
    scim = await newTenant();
    for (let i = 0; i < 25; i++) await scim.createUser(`pager${String(i).padStart(2, '0')}`);
    all = ids(await ok(await scim.get('/Users')));
  });

  it('reports exact totalResults, itemsPerPage and startIndex for every window', async () => {
    expect(all).toHaveLength(25);
    expect(await ok(await scim.get('/Users?startIndex=1&count=7'))).toMatchObject({ totalResults: 25, itemsPerPage: 7, startIndex: 1 });
    const tail = await ok(await scim.get('/Users?startIndex=21&count=7'));
    expect(tail).toMatchObject({ totalResults: 25, itemsPerPage: 5, startIndex: 21 });
    expect(ids(tail)).toEqual(all.slice(20));
    const past = await ok(await scim.get('/Users?startIndex=26&count=7'));
    expect(past).toMatchObject({ totalResults: 25, itemsPerPage: 0, startIndex: 26, Resources: [] });
    const filtered = await ok(await scim.get(`/Users?filter=${encodeURIComponent('userName sw "pager1"')}&startIndex=3&count=5`));
    expect(filtered).toMatchObject({ totalResults: 10, itemsPerPage: 5, startIndex: 3 });
  });

  it('reads startIndex below 1 as 1', async () => {
    for (const start of ['0', '-3']) {
      const page = await ok(await scim.get(`/Users?startIndex=${start}&count=3`));
      expect(page).toMatchObject({ startIndex: 1, itemsPerPage: 3, totalResults: 25 });
      expect(ids(page)).toEqual(all.slice(0, 3));
    }
  });

  it('reads a negative count as 0: totalResults only, no resources', async () => {
    const page = await ok(await scim.get('/Users?count=-1'));
    expect(page).toMatchObject({ totalResults: 25, itemsPerPage: 0, Resources: [] });
    expect(await ok(await scim.get('/Users?count=0'))).toMatchObject({ totalResults: 25, itemsPerPage: 0 });
  });

  it('answers a startIndex far past the end, even past 64 bits, with an empty page or 400, never 500', async () => {
    for (const [endpoint, start] of ['/Users', '/', ''].flatMap((e) => ['1000000', '9007199254740993', '99999999999999999999'].map((s) => [e, s]))) {
      const res = await scim.get(`${endpoint}?startIndex=${start}&count=5`);
      const doc = await body(res);
      expect([200, 400], `startIndex=${start}: ${res.status} ${JSON.stringify(doc)}`).toContain(res.status);
      if (res.status === 200) expect(doc).toMatchObject({ itemsPerPage: 0, Resources: [] });
      if (res.status === 200 && endpoint === '/Users') expect(doc.totalResults).toBe(25);
      if (res.status === 400) expect(doc.scimType).toBe('invalidValue');
    }
    for (const [path, startIndex] of ['/Users/.search', '/.search'].flatMap((p) => [1e20, '99999999999999999999'].map((s) => [p, s] as const))) {
      const res = await scim.post(path, { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], startIndex, count: 5 });
      const doc = await body(res);
      expect([200, 400], `${path}: ${res.status} ${JSON.stringify(doc)}`).toContain(res.status);
      if (res.status === 200) expect(doc).toMatchObject({ itemsPerPage: 0, Resources: [] });
    }
  });

  it('rejects a startIndex or count that is not an integer with 400 invalidValue', async () => {
    for (const q of ['startIndex=one', 'count=1.5', 'count=', 'startIndex=1e3']) {
      expect((await error(await scim.get(`/Users?${q}`))).scimType).toBe('invalidValue');
    }
  });

  it('keeps one stable order across pages: the pages together are every user once', async () => {
    const seen: string[] = [];
    for (let start = 1; start <= 25; start += 7) {
      const page = await ok(await scim.get(`/Users?startIndex=${start}&count=7`));
      expect(page.itemsPerPage).toBe(Math.min(7, 26 - start));
      seen.push(...ids(page));
    }
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(25);
    // Okta's window, twice: the same order each time.
    const okta = await ok(await scim.get('/Users?startIndex=1&count=100'));
    expect(ids(okta)).toEqual(all);
    expect(ids(await ok(await scim.get('/Users?startIndex=1&count=100')))).toEqual(all);
  });

  it('keeps the order stable for sorted pages with tied sort keys', async () => {
    // Every pager has the same (absent) title: the id breaks the tie.
    const sorted = ids(await ok(await scim.get('/Users?sortBy=title&count=100')));
    const seen: string[] = [];
    for (let start = 1; start <= 25; start += 4) seen.push(...ids(await ok(await scim.get(`/Users?sortBy=title&startIndex=${start}&count=4`))));
    expect(seen).toEqual(sorted);
    expect(new Set(seen).size).toBe(25);
  });
});

describe('page size limits', () => {
  let scim: Scim;

  beforeAll(async () => {
    scim = await newTenant();
    await seedResources(scim.tenant, UserType, userSeeds(1005));
  });

  it('caps count at maxResults (1000) instead of failing', async () => {
    const page = await ok(await scim.get('/Users?count=5000&attributes=userName'));
    expect(page).toMatchObject({ totalResults: 1005, itemsPerPage: 1000, startIndex: 1 });
    expect(page.Resources).toHaveLength(1000);
  });

  it('returns 100 resources when count is not given', async () => {
    const page = await ok(await scim.get('/Users?attributes=userName'));
    expect(page).toMatchObject({ totalResults: 1005, itemsPerPage: 100 });
  });

  it('caps count for cursor paging too, and still reaches the end', async () => {
    const first = await ok(await scim.get('/Users?cursor=&count=5000&attributes=userName'));
    expect(first).toMatchObject({ totalResults: 1005, itemsPerPage: 1000 });
    const second = await ok(await scim.get(`/Users?cursor=${encodeURIComponent(first.nextCursor)}&count=5000&attributes=userName`));
    expect(second.itemsPerPage).toBe(5);
    expect(second).not.toHaveProperty('nextCursor');
    expect(new Set([...ids(first), ...ids(second)]).size).toBe(1005);
  });
});

describe('sortBy and sortOrder (RFC 7644 §3.4.2.3)', () => {
  let scim: Scim;

  beforeAll(async () => {
    scim = await newTenant();
    // Created one second apart in this order (explicit timestamps, no waiting), so meta.created orders them too.
    const at = (second: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, second)).toISOString();
    await seedResources(scim.tenant, UserType, [
      seedOf(UserType, {
        userName: 'carol',
        displayName: 'Zed',
        name: { familyName: 'Able' },
        emails: [{ value: 'z@x.io' }, { value: 'a@x.io', primary: true }],
        [ENTERPRISE]: { employeeNumber: '5' },
      }, at(0)),
      seedOf(UserType, {
        userName: 'Alice',
        displayName: 'mike',
        name: { familyName: 'cole' },
        emails: [{ value: 'm@x.io' }],
        [ENTERPRISE]: { employeeNumber: '100' },
      }, at(1)),
      seedOf(UserType, { userName: 'bob', name: { familyName: 'Baker' } }, at(2)),
      seedOf(UserType, {
        userName: 'dave',
        displayName: 'Adam',
        emails: [{ value: 'b@x.io' }, { value: 'c@x.io' }],
        [ENTERPRISE]: { employeeNumber: '42' },
      }, at(3)),
    ]);
  });

  const sorted = async (query: string) => names(await ok(await scim.get(`/Users?${query}`)));

  it('sorts by userName case-insensitively, ascending by default', async () => {
    expect(await sorted('sortBy=userName')).toEqual(['Alice', 'bob', 'carol', 'dave']);
    expect(await sorted('sortBy=userName&sortOrder=ascending')).toEqual(['Alice', 'bob', 'carol', 'dave']);
    expect(await sorted('sortBy=userName&sortOrder=descending')).toEqual(['dave', 'carol', 'bob', 'Alice']);
    expect(await sorted('sortBy=USERNAME&sortOrder=Descending')).toEqual(['dave', 'carol', 'bob', 'Alice']);
  });

  it('sorts by displayName with missing values last ascending and first descending', async () => {
    expect(await sorted('sortBy=displayName')).toEqual(['dave', 'Alice', 'carol', 'bob']);
    expect(await sorted('sortBy=displayName&sortOrder=descending')).toEqual(['bob', 'carol', 'Alice', 'dave']);
  });

  it('sorts by a sub-attribute, name.familyName', async () => {
    expect(await sorted('sortBy=name.familyName')).toEqual(['carol', 'bob', 'Alice', 'dave']);
    expect(await sorted('sortBy=name.familyName&sortOrder=descending')).toEqual(['dave', 'Alice', 'bob', 'carol']);
  });

  it('sorts by the URN-qualified enterprise employeeNumber as a string', async () => {
    const by = encodeURIComponent(`${ENTERPRISE}:employeeNumber`);
    expect(await sorted(`sortBy=${by}`)).toEqual(['Alice', 'dave', 'carol', 'bob']);
    expect(await sorted(`sortBy=${by}&sortOrder=descending`)).toEqual(['bob', 'carol', 'dave', 'Alice']);
  });

  it('sorts by meta.created in time order', async () => {
    expect(await sorted('sortBy=meta.created')).toEqual(['carol', 'Alice', 'bob', 'dave']);
    expect(await sorted('sortBy=meta.created&sortOrder=descending')).toEqual(['dave', 'bob', 'Alice', 'carol']);
  });

  it('sorts a multi-valued attribute by its primary value, else its first', async () => {
    expect(await sorted('sortBy=emails.value')).toEqual(['carol', 'dave', 'Alice', 'bob']);
  });

  it('applies startIndex and count to the sorted order', async () => {
    expect(await sorted('sortBy=userName&startIndex=2&count=2')).toEqual(['bob', 'carol']);
    expect(await sorted('sortBy=displayName&sortOrder=descending&startIndex=4&count=2')).toEqual(['dave']);
  });

  it('sorts within a filter', async () => {
    expect(await sorted(`filter=${encodeURIComponent('displayName pr')}&sortBy=displayName&sortOrder=descending`)).toEqual(['carol', 'Alice', 'dave']);
  });

  it('rejects an unknown or unsortable sortBy, and an unknown sortOrder, with 400 invalidValue', async () => {
    for (const q of ['sortBy=nosuch', 'sortBy=name', 'sortBy=password', 'sortBy=groups', 'sortBy=emails[type eq "work"]', 'sortBy=userName&sortOrder=sideways']) {
      expect((await error(await scim.get(`/Users?${q.replace(/ /g, '%20').replace(/"/g, '%22')}`))).scimType).toBe('invalidValue');
    }
    expect((await error(await scim.get('/Groups?sortBy=members'))).scimType).toBe('invalidValue');
  });

  it('sorts groups by displayName', async () => {
    const local = await newTenant();
    for (const n of ['beta', 'Alpha', 'gamma']) await local.createGroup(n);
    const res = await ok(await local.get('/Groups?sortBy=displayName&sortOrder=descending&excludedAttributes=members'));
    expect(res.Resources.map((g: Doc) => g.displayName)).toEqual(['gamma', 'beta', 'Alpha']);
  });
});

describe('cursor paging (RFC 9865)', () => {
  let scim: Scim;
  let all: string[];

  beforeAll(async () => {
    scim = await newTenant();
    // Half the users have a displayName (with ties), half none: sort keys include NULL.
    for (let i = 0; i < 25; i++) {
      await scim.createUser(`cursor${String(i).padStart(2, '0')}`, {
        active: i % 3 !== 0,
        ...(i % 2 === 0 ? { displayName: `Name ${i % 5}` } : {}),
        ...(i % 3 === 0 ? { name: { familyName: `Fam${i % 4}` } } : {}),
        ...(i % 4 !== 0 ? { emails: [{ value: `e${i % 6}@x.io` }, { value: `p${i % 7}@x.io`, primary: i % 2 === 0 }] } : {}),
      });
    }
    all = ids(await ok(await scim.get('/Users?count=100')));
  });

  it('starts with an empty cursor and offers nextCursor until the last page', async () => {
    for (const start of ['/Users?cursor&count=7', '/Users?cursor=&count=7']) {
      const first = await ok(await scim.get(start));
      expect(first).toMatchObject({ totalResults: 25, itemsPerPage: 7 });
      expect(first.nextCursor).toEqual(expect.any(String));
      expect(ids(first)).toEqual(all.slice(0, 7));
    }
    const pages = await walk(scim, '/Users', '', 7);
    expect(pages.map((p) => p.itemsPerPage)).toEqual([7, 7, 7, 4]);
    expect(pages.slice(0, -1).every((p) => typeof p.nextCursor === 'string')).toBe(true);
    expect(pages.at(-1)).not.toHaveProperty('nextCursor');
    expect(pages.every((p) => p.totalResults === 25)).toBe(true);
  });

  it('returns every resource exactly once, in order, when walking all pages', async () => {
    for (const size of [1, 5, 7, 24, 25, 100]) {
      const pages = await walk(scim, '/Users', '', size);
      const seen = pages.flatMap(ids);
      expect(seen, `count=${size}`).toEqual(all);
      // An exact multiple ends without an empty page.
      expect(pages.at(-1)!.itemsPerPage, `count=${size}`).toBeGreaterThan(0);
    }
  });

  it('lets count change from page to page', async () => {
    const pages = await walk(scim, '/Users', '', (page) => [3, 10, 1, 6][page % 4]!);
    expect(pages.flatMap(ids)).toEqual(all);
  });

  it('walks a filtered, sorted set in the same order as index paging, ascending and descending', async () => {
    for (const order of ['ascending', 'descending']) {
      const query = `filter=${encodeURIComponent('active eq true')}&sortBy=displayName&sortOrder=${order}`;
      const expected = ids(await ok(await scim.get(`/Users?${query}&count=100`)));
      expect(expected.length).toBe(16);
      for (const size of [1, 3, 4]) {
        const pages = await walk(scim, '/Users', query, size);
        expect(pages.flatMap(ids), `${order} count=${size}`).toEqual(expected);
        expect(pages.every((p) => p.totalResults === 16)).toBe(true);
      }
    }
  });

  it('walks sets sorted by JSON-stored, boolean and multi-valued attributes with missing values', async () => {
    for (const sortBy of ['name.familyName', 'emails.value', 'active', 'meta.created']) {
      for (const order of ['ascending', 'descending']) {
        const query = `sortBy=${sortBy}&sortOrder=${order}`;
        const expected = ids(await ok(await scim.get(`/Users?${query}&count=100`)));
        expect(expected).toHaveLength(25);
        const pages = await walk(scim, '/Users', query, 4);
        expect(pages.flatMap(ids), query).toEqual(expected);
      }
    }
  });

  it('walks groups too', async () => {
    const local = await newTenant();
    for (let i = 0; i < 5; i++) await local.createGroup(`g${i}`);
    const pages = await walk(local, '/Groups', 'sortBy=displayName&excludedAttributes=members', 2);
    expect(pages.flatMap((p) => p.Resources.map((g: Doc) => g.displayName))).toEqual(['g0', 'g1', 'g2', 'g3', 'g4']);
  });

  it('rejects a tampered or made-up cursor with 400 invalidCursor', async () => {
    const first = await ok(await scim.get('/Users?cursor=&count=5'));
    const cursor: string = first.nextCursor;
    const [payload, mac] = cursor.split('.');
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    // Rewrite the position inside the payload (skip ahead) and re-encode it, keeping the MAC.
    const decoded = JSON.parse(atob(payload!.replace(/-/g, '+').replace(/_/g, '/')));
    const forged = btoa(JSON.stringify({ ...decoded, id: all[20] })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    for (const bad of [flip(payload!, 3) + '.' + mac, payload + '.' + flip(mac!, 3), `${forged}.${mac}`, 'garbage', 'a.b.c', `${payload}.`, '%%%']) {
      const res = await scim.get(`/Users?count=5&cursor=${encodeURIComponent(bad)}`);
      expect((await error(res)).scimType, bad).toBe('invalidCursor');
    }
  });

  it('rejects a cursor reused with a different filter, sortBy, sortOrder or resource type', async () => {
    const filter = encodeURIComponent('active eq true');
    const first = await ok(await scim.get(`/Users?filter=${filter}&sortBy=userName&cursor=&count=3`));
    const next = encodeURIComponent(first.nextCursor);
    // The same query accepts it.
    expect((await scim.get(`/Users?filter=${filter}&sortBy=userName&cursor=${next}&count=3`)).status).toBe(200);
    for (const q of [
      `filter=${encodeURIComponent('active eq false')}&sortBy=userName`,
      'sortBy=userName',
      `filter=${filter}`,
      `filter=${filter}&sortBy=displayName`,
      `filter=${filter}&sortBy=userName&sortOrder=descending`,
    ]) {
      expect((await error(await scim.get(`/Users?${q}&cursor=${next}&count=3`))).scimType, q).toBe('invalidCursor');
    }
    const groups = await scim.get(`/Groups?filter=${encodeURIComponent('displayName pr')}&sortBy=displayName&cursor=${next}`);
    expect((await error(groups)).scimType).toBe('invalidCursor');
  });

  it('rejects a cursor from another tenant with 400 invalidCursor', async () => {
    const first = await ok(await scim.get('/Users?cursor=&count=5'));
    const other = await newTenant();
    for (let i = 0; i < 3; i++) await other.createUser(`other${i}`);
    const res = await other.get(`/Users?count=5&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect((await error(res)).scimType).toBe('invalidCursor');
  });

  it('rejects cursor together with startIndex with 400 invalidValue', async () => {
    expect((await error(await scim.get('/Users?cursor=&startIndex=1&count=5'))).scimType).toBe('invalidValue');
    const first = await ok(await scim.get('/Users?cursor=&count=5'));
    expect((await error(await scim.get(`/Users?cursor=${encodeURIComponent(first.nextCursor)}&startIndex=6&count=5`))).scimType).toBe('invalidValue');
  });
});

describe('ServiceProviderConfig', () => {
  it('advertises filtering with maxResults 1000, sorting, and both index and cursor pagination', async () => {
    const scim = await newTenant();
    const spc = await ok(await scim.get('/ServiceProviderConfig'));
    expect(spc.filter).toEqual({ supported: true, maxResults: 1000 });
    expect(spc.sort).toEqual({ supported: true });
    expect(spc.pagination).toMatchObject({ cursor: true, index: true, maxPageSize: 1000, defaultPageSize: 100 });
    expect(spc.pagination.cursorTimeout).toBeGreaterThan(0);
  });
});
