import { describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, PATCH_OP, USER_SCHEMA, expectError, newTenant, type Scim } from '../helpers';
import { ciamTenant, createOrg, ORG_USER } from './declared/ciam';

// Latency at the edge is sequential D1 round trips times the distance to the database, so each
// endpoint's count is a contract (X-D1-Round-Trips, docs/performance.md): reads 1, POST 1, PUT,
// PATCH and DELETE at most 2 (a read, then one batch guarded by the compare-and-swap).

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const trips = (res: Response) => Number(res.headers.get('X-D1-Round-Trips'));

async function world(): Promise<{ scim: Scim; user: any; other: any; group: any }> {
  const scim = await newTenant();
  const user = await scim.createUser('rt-user');
  const other = await scim.createUser('rt-other');
  const group = await scim.createGroup('RT', [user.id]);
  return { scim, user, other, group };
}

type Case = [string, (w: Awaited<ReturnType<typeof world>>) => Promise<Response>, number, number?];

const cases: Case[] = [
  ['GET /Users/{id}', ({ scim, user }) => scim.get(`/Users/${user.id}`), 1],
  ['GET /Groups/{id} 304', ({ scim, group }) => scim.get(`/Groups/${group.id}`, { 'If-None-Match': group.meta.version }), 1, 304],
  ['GET /Groups/{id}', ({ scim, group }) => scim.get(`/Groups/${group.id}`), 1],
  ['GET /Users?filter=userName eq', ({ scim }) => scim.get(`/Users?filter=${encodeURIComponent('userName eq "rt-user"')}`), 1],
  ['GET /Users (a page of all)', ({ scim }) => scim.get('/Users'), 1],
  // A filter that may match many reads its count beside the page: a full page is 1 round trip too.
  ['GET /Users?filter=userName sw&count=1 (a full filtered page)', ({ scim }) => scim.get(`/Users?filter=${encodeURIComponent('userName sw "rt-"')}&count=1`), 1],
  ['GET /Users?filter=meta.lastModified gt (an incremental sync)', ({ scim }) => scim.get(`/Users?filter=${encodeURIComponent('meta.lastModified gt "2020-01-01T00:00:00Z"')}&count=1`), 1],
  ['GET /Users?startIndex=2&count=1', ({ scim }) => scim.get('/Users?startIndex=2&count=1'), 1],
  ['GET /Groups?filter=displayName eq&excludedAttributes=members', ({ scim }) => scim.get(`/Groups?filter=${encodeURIComponent('displayName eq "RT"')}&excludedAttributes=members`), 1],
  ['POST /Users/.search', ({ scim }) => scim.post('/Users/.search', { filter: 'userName eq "rt-user"' }), 1],
  ['GET /ServiceProviderConfig', ({ scim }) => scim.get('/ServiceProviderConfig'), 0],
  ['GET /ResourceTypes', ({ scim }) => scim.get('/ResourceTypes'), 0],
  ['GET /Schemas', ({ scim }) => scim.get('/Schemas'), 0],
  ['POST /Users', ({ scim }) => scim.post('/Users', { schemas: [USER_SCHEMA], userName: 'rt-new' }), 1, 201],
  ['PUT /Users/{id}', ({ scim, other }) => scim.put(`/Users/${other.id}`, { userName: 'rt-other', title: 'x' }), 2],
  ['PATCH /Users/{id}', ({ scim, other }) => scim.patch(`/Users/${other.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'y' }] }), 2],
  ['PATCH /Users/{id} that changes nothing', ({ scim, other }) => scim.patch(`/Users/${other.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'nickName' }] }), 2],
  ['DELETE /Users/{id}', ({ scim, other }) => scim.delete(`/Users/${other.id}`), 1, 204],
  ['DELETE /Users/{id} with If-Match', ({ scim, other }) => scim.delete(`/Users/${other.id}`, { 'If-Match': other.meta.version }), 2, 204],
  ['GET /Users?cursor= (RFC 9865, first page, counted)', ({ scim }) => scim.get('/Users?cursor=&count=1'), 1],
  ['GET /Users?cursor=… (a next page)', async ({ scim }) => {
    const first = await scim.get('/Users?cursor=&count=1&sortBy=title');
    return scim.get(`/Users?cursor=${encodeURIComponent(((await first.json()) as { nextCursor: string }).nextCursor)}&count=1&sortBy=title`);
  }, 1],
  ['GET / (root search)', ({ scim }) => scim.get(`/?filter=${encodeURIComponent('userName eq "rt-user"')}`), 1],
  ['POST /.search', ({ scim }) => scim.post('/.search', { filter: 'displayName eq "RT"' }), 1],
  ['POST /Groups with a member', ({ scim, user }) => scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'RT2', members: [{ value: user.id }] }), 1, 201],
  ['PATCH /Groups/{id} adding a member', ({ scim, group, other }) => scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: other.id }] }] }), 2, 204],
  ['PATCH /Groups/{id} removing a member', ({ scim, group, user }) => scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${user.id}"]` }] }), 2, 204],
  ['PATCH /Groups/{id} renaming it', ({ scim, group }) => scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'RT-renamed' }] }), 2, 204],
  ['PUT /Groups/{id} replacing its members', ({ scim, group, other }) => scim.put(`/Groups/${group.id}`, { displayName: 'RT', members: [{ value: other.id }] }), 2],
  ['DELETE /Groups/{id}', ({ scim, group }) => scim.delete(`/Groups/${group.id}`), 1, 204],
  ['POST /Bulk with a POST and a PATCH: at most 2 each', ({ scim, user }) => scim.post('/Bulk', { schemas: [BULK], Operations: [
    { method: 'POST', path: '/Users', bulkId: 'a', data: { userName: 'rt-bulk' } },
    { method: 'PATCH', path: `/Users/${user.id}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'z' }] } },
  ] }), 3],
];

describe('D1 round trips per request', () => {
  it.each(cases)('%s', async (_name, send, expected, status = 200) => {
    const w = await world();
    const res = await send(w);
    expect(res.status).toBe(status);
    expect(trips(res)).toBe(expected);
  });
});

describe('D1 round trips for declared types with references', () => {
  it('creates a link between two resources in 1 round trip, and refuses a dangling one clearly', async () => {
    const scim = await ciamTenant();
    const user = await scim.createUser('rt-ciam');
    const org = await createOrg(scim, 'RT Org');
    const res = await scim.post('/OrganizationUsers', { schemas: [ORG_USER], user: { value: user.id }, organization: { value: org.id } });
    expect(res.status).toBe(201);
    expect(trips(res)).toBe(1);
    const bad = await scim.post('/OrganizationUsers', { schemas: [ORG_USER], user: { value: user.id }, organization: { value: user.id } });
    const doc = await expectError(bad, 400, 'invalidValue');
    expect(doc.detail).toMatch(/refers to Organization '.*', which does not exist/);
  });
});

describe('a 304 reads no membership', () => {
  it('answers If-None-Match on a group with members from its row alone', async () => {
    const { scim, group } = await world();
    for (const header of [group.meta.version, `W/"999", ${group.meta.version}`, '*']) {
      const res = await scim.get(`/Groups/${group.id}`, { 'If-None-Match': header });
      expect(res.status, header).toBe(304);
      expect(res.headers.get('X-D1-Rows-Read'), header).toBe('1');
    }
    // A version it does not name: the whole group, members included.
    const res = await scim.get(`/Groups/${group.id}`, { 'If-None-Match': 'W/"999"' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { members: unknown[] }).members).toHaveLength(1);
  });
});
