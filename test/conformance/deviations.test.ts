// Black-box conformance: behaviour that deviates from the RFCs or from the conformance suites the
// server is judged by. Each test fails until the server is fixed; each cites its source.
import { describe, expect, it } from 'vitest';
import { body, newTenant, ok } from '../helpers';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

describe('SearchRequest member names are case-insensitive', () => {
  // RFC 7643 §2.1: "Attribute names are case insensitive". RFC 7644 §3.4.3 defines the SearchRequest
  // message by its attributes (filter, sortBy, sortOrder, startIndex, count, attributes,
  // excludedAttributes), so they are read in any case, as PatchOp and BulkRequest members are. Found
  // failing at 7a9a191: a capitalised "Filter" was ignored and every resource answered
  // (docs/idp-quirks.md Lessons 1: a filter must never fall back to "return everything").
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

describe('/Schemas publishes the schemas of the discovery resources', () => {
  // RFC 7643 §8.7.2 ("Service Provider Schema Representation") gives the schemas of
  // ServiceProviderConfig, ResourceType and Schema as part of what the service provider publishes;
  // every discovery response names them in its "schemas" (RFC 7643 §3, §5–§7). scim2-tester's
  // core_schemas_validation check (tags discovery, schemas) reports "Missing mandatory core schemas:
  // ResourceType, ServiceProviderConfig, Schema" when GET /Schemas lacks them.
  it('lists urn:…:ServiceProviderConfig, urn:…:ResourceType and urn:…:Schema and serves each by id', async () => {
    const scim = await newTenant();
    const list = await ok(await scim.get('/Schemas'));
    // Names as in RFC 7643 §8.7.2 (e.g. "Service Provider Configuration"); ids are the URNs.
    const ids = list.Resources.map((s: any) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'urn:ietf:params:scim:schemas:core:2.0:User',
        'urn:ietf:params:scim:schemas:core:2.0:Group',
        'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
        'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
        'urn:ietf:params:scim:schemas:core:2.0:Schema',
      ]),
    );
    for (const urn of [
      'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
      'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
      'urn:ietf:params:scim:schemas:core:2.0:Schema',
    ]) {
      const res = await scim.get(`/Schemas/${urn}`);
      expect(res.status, urn).toBe(200);
      expect((await body(res)).id).toBe(urn);
    }
    expect(list.totalResults).toBe(list.Resources.length);
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

  it('takes a member type label from the member itself, not from the request', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('typed');
    const res = await scim.post('/Groups', { displayName: 'G', members: [{ value: user.id, type: 'Group' }] });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { members: { type: string }[] }).members[0]!.type).toBe('User');
  });

  it('rejects a number too large for JSON text rather than storing "Infinity"', async () => {
    const scim = await newTenant();
    const res = await scim.request('POST', '/Users', '{"userName":"inf","title":1e400}', { 'Content-Type': 'application/scim+json' });
    expect(res.status).toBe(400);
  });
});

describe('ambiguous parameter spellings', () => {
  it('rejects the same parameter in two spellings instead of silently picking one', async () => {
    const scim = await newTenant();
    await scim.createUser('qa');
    await scim.createUser('qb');
    const query = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "qa"')}&Filter=${encodeURIComponent('userName eq "qb"')}`);
    expect(query.status).toBe(400);
    const search = await scim.post('/Users/.search', { filter: null, Filter: 'userName eq "qa"' });
    expect(search.status).toBe(400);
    expect((await scim.get('/Schemas?Filter=x')).status).toBe(403);
  });
});
