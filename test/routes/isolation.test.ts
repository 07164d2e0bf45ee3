import { beforeAll, describe, expect, it } from 'vitest';
import { admin, body, newTenant, PATCH_OP, type Scim } from '../helpers';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** Tenant B's token against tenant A's resources, for every SCIM verb and endpoint. */
describe('tenant isolation matrix', () => {
  let a: Scim;
  let b: Scim;
  let user: Record<string, any>;
  let group: Record<string, any>;

  beforeAll(async () => {
    a = await newTenant();
    b = await newTenant();
    user = await a.createUser('victim', { externalId: 'ext-victim', emails: [{ value: 'victim@a.example', type: 'work' }] });
    group = await a.createGroup('victims', [user.id]);
    // Joining the group gave the user a new version (its `groups` changed): take the current one.
    user = await (await a.get(`/Users/${user.id}`)).json();
  });

  const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'pwned' }] };
  const byId = () => [
    ['GET', `/Users/${user.id}`],
    ['GET', `/Groups/${group.id}`],
    ['PUT', `/Users/${user.id}`, { userName: 'pwned' }],
    ['PUT', `/Groups/${group.id}`, { displayName: 'pwned' }],
    ['PATCH', `/Users/${user.id}`, patch],
    ['PATCH', `/Groups/${group.id}`, patch],
    ['DELETE', `/Users/${user.id}`],
    ['DELETE', `/Groups/${group.id}`],
  ] as const;

  it('404s every read and write by id', async () => {
    for (const [method, path, payload] of byId()) {
      const res = await b.request(method, path, payload);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });

  it('finds nothing by list, filter, sort, search or root search', async () => {
    const filters = [
      `id eq "${user.id}"`,
      'userName eq "victim"',
      'externalId eq "ext-victim"',
      'emails[type eq "work"].value eq "victim@a.example"',
      `groups.value eq "${group.id}"`,
      'userName pr',
    ];
    for (const filter of filters) {
      const res = await body(await b.get(`/Users?filter=${encodeURIComponent(filter)}`));
      expect(res.totalResults, filter).toBe(0);
    }
    for (const filter of ['displayName eq "victims"', `members.value eq "${user.id}"`, 'displayName pr']) {
      expect((await body(await b.get(`/Groups?filter=${encodeURIComponent(filter)}`))).totalResults, filter).toBe(0);
    }
    expect((await body(await b.get('/Users?sortBy=userName'))).totalResults).toBe(0);
    expect((await body(await b.post('/Users/.search', { schemas: [SEARCH], filter: 'userName eq "victim"' }))).totalResults).toBe(0);
    expect((await body(await b.post('/Groups/.search', { schemas: [SEARCH] }))).totalResults).toBe(0);
    expect((await body(await b.post('/.search', { schemas: [SEARCH] }))).totalResults).toBe(0);
    expect((await body(await b.get(`?filter=${encodeURIComponent('userName eq "victim"')}`))).totalResults).toBe(0);
  });

  it('cannot reference the other tenant’s user as a group member', async () => {
    const own = await b.createGroup('mine');
    const viaPost = await b.post('/Groups', { displayName: 'g', members: [{ value: user.id }] });
    const viaPatch = await b.patch(`/Groups/${own.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }] });
    const viaPut = await b.put(`/Groups/${own.id}`, { displayName: 'mine', members: [{ value: user.id }] });
    for (const res of [viaPost, viaPatch, viaPut]) {
      expect(res.status).toBe(400);
      expect((await body(res)).scimType).toBe('invalidValue');
    }
  });

  it('cannot touch it through Bulk', async () => {
    const out = await body(
      await b.post('/Bulk', {
        schemas: [BULK],
        Operations: [
          { method: 'PUT', path: `/Users/${user.id}`, data: { userName: 'pwned' } },
          { method: 'PATCH', path: `/Groups/${group.id}`, data: patch },
          { method: 'DELETE', path: `/Groups/${group.id}` },
        ],
      }),
    );
    expect(out.Operations.map((o: { status: string }) => o.status)).toEqual(['404', '404', '404']);
  });

  it('cannot bind /Me to the other tenant’s user', async () => {
    const res = await admin(`/tenants/${b.tenant}/tokens`, 'POST', { label: 'me', subject: user.id });
    expect(res.status).toBe(400);
  });

  it('leaves tenant A’s data exactly as it was', async () => {
    const got = await body(await a.get(`/Users/${user.id}`));
    expect(got.userName).toBe('victim');
    expect(got.meta.version).toBe(user.meta.version);
    const g = await body(await a.get(`/Groups/${group.id}`));
    expect(g.displayName).toBe('victims');
    expect(g.members.map((m: { value: string }) => m.value)).toEqual([user.id]);
  });
});
