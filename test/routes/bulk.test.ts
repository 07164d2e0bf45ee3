import { describe, expect, it } from 'vitest';
import { body, GROUP_SCHEMA, newTenant, PATCH_OP, USER_SCHEMA } from '../helpers';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

describe('POST /Bulk', () => {
  it('creates a user then a group with it as member through a bulkId reference (RFC 7644 §3.7)', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Bulk', {
      schemas: [BULK],
      Operations: [
        // The group comes first in the request: the server orders by dependency.
        { method: 'POST', path: '/Groups', bulkId: 'ytrewq', data: { schemas: [GROUP_SCHEMA], displayName: 'Tour Guides', members: [{ type: 'User', value: 'bulkId:qwerty' }] } },
        { method: 'POST', path: '/Users', bulkId: 'qwerty', data: { schemas: [USER_SCHEMA], userName: 'Alice' } },
      ],
    });
    expect(res.status).toBe(200);
    const out = await body(res);
    expect(out.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:BulkResponse']);
    const [group, user] = out.Operations;
    expect(user).toMatchObject({ method: 'POST', bulkId: 'qwerty', status: '201' });
    expect(group).toMatchObject({ method: 'POST', bulkId: 'ytrewq', status: '201' });
    expect(user.location).toMatch(/\/scim\/v2\/Users\/[0-9a-f-]{36}$/);
    expect(user.version).toBe('W/"1"');
    const userId = user.location.split('/').pop();
    const got = await body(await scim.get(group.location.replace('http://scim.test/scim/v2', '')));
    expect(got.members.map((m: { value: string }) => m.value)).toEqual([userId]);
  });

  it('resolves bulkIds in PATCH values and paths, and runs PUT and DELETE', async () => {
    const scim = await newTenant();
    const existing = await scim.createUser('existing');
    const res = await scim.post('/Bulk', {
      schemas: [BULK],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'u', data: { userName: 'bulk-user' } },
        { method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'bulk-group' } },
        { method: 'PATCH', path: '/Groups/bulkId:g', data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:u' }] }] } },
        { method: 'PUT', path: `/Users/${existing.id}`, version: existing.meta.version, data: { userName: 'existing', title: 'Put by bulk' } },
        { method: 'DELETE', path: `/Users/${existing.id}` },
      ],
    });
    const out = await body(res);
    expect(out.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '201', '200', '200', '204']);
    const groupId = out.Operations[1].location.split('/').pop();
    const userId = out.Operations[0].location.split('/').pop();
    const group = await body(await scim.get(`/Groups/${groupId}`));
    expect(group.members.map((m: { value: string }) => m.value)).toEqual([userId]);
    expect((await scim.get(`/Users/${existing.id}`)).status).toBe(404);
  });

  it('reports a failing operation and goes on without failOnErrors', async () => {
    const scim = await newTenant();
    await scim.createUser('dup');
    const out = await body(
      await scim.post('/Bulk', {
        schemas: [BULK],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'a', data: { userName: 'DUP' } },
          { method: 'POST', path: '/Users', bulkId: 'b', data: { userName: 'fine' } },
          { method: 'POST', path: '/Groups', bulkId: 'c', data: { displayName: 'G', members: [{ value: 'bulkId:a' }] } },
        ],
      }),
    );
    expect(out.Operations[0]).toMatchObject({ status: '409', response: { status: '409', scimType: 'uniqueness' } });
    expect(out.Operations[1].status).toBe('201');
    expect(out.Operations[2].status).toBe('409');
  });

  it('stops after failOnErrors errors', async () => {
    const scim = await newTenant();
    const out = await body(
      await scim.post('/Bulk', {
        schemas: [BULK],
        failOnErrors: 1,
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'a', data: { displayName: 'no userName' } },
          { method: 'POST', path: '/Users', bulkId: 'b', data: { userName: 'never-created' } },
        ],
      }),
    );
    expect(out.Operations).toHaveLength(1);
    expect(out.Operations[0]).toMatchObject({ status: '400', response: { scimType: 'invalidValue' } });
    expect((await body(await scim.get('/Users'))).totalResults).toBe(0);
  });

  it('answers a circular bulkId reference with 409 for the operations in the cycle', async () => {
    const scim = await newTenant();
    const out = await body(
      await scim.post('/Bulk', {
        schemas: [BULK],
        Operations: [
          { method: 'POST', path: '/Groups', bulkId: 'x', data: { displayName: 'X', members: [{ value: 'bulkId:y' }] } },
          { method: 'POST', path: '/Groups', bulkId: 'y', data: { displayName: 'Y', members: [{ value: 'bulkId:x' }] } },
          { method: 'POST', path: '/Users', bulkId: 'z', data: { userName: 'independent' } },
        ],
      }),
    );
    expect(out.Operations.map((o: { status: string }) => o.status)).toEqual(['409', '409', '201']);
  });

  it('honours version as If-Match per operation', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('versioned');
    const out = await body(
      await scim.post('/Bulk', { schemas: [BULK], Operations: [{ method: 'PUT', path: `/Users/${user.id}`, version: 'W/"99"', data: { userName: 'versioned' } }] }),
    );
    expect(out.Operations[0].status).toBe('412');
  });

  it('keeps every operation inside the caller tenant', async () => {
    const a = await newTenant();
    const b = await newTenant();
    const theirs = await b.createUser('theirs');
    const out = await body(
      await a.post('/Bulk', {
        schemas: [BULK],
        Operations: [
          { method: 'DELETE', path: `/Users/${theirs.id}` },
          { method: 'PATCH', path: `/Users/${theirs.id}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] } },
          { method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'G', members: [{ value: theirs.id }] } },
        ],
      }),
    );
    expect(out.Operations.map((o: { status: string }) => o.status)).toEqual(['404', '404', '400']);
    expect((await b.get(`/Users/${theirs.id}`)).status).toBe(200);
  });

  it('rejects more than maxOperations with 413, and a malformed request with 400', async () => {
    const scim = await newTenant();
    const many = Array.from({ length: 151 }, (_, i) => ({ method: 'DELETE', path: `/Users/${i}` }));
    const res = await scim.post('/Bulk', { schemas: [BULK], Operations: many });
    expect(res.status).toBe(413);
    expect((await body(res)).status).toBe('413');
    const bad = await scim.post('/Bulk', { schemas: [BULK], Operations: [{ method: 'GET', path: '/Users' }] });
    expect(bad.status).toBe(400);
    expect((await body(bad)).scimType).toBe('invalidSyntax');
  });

  it('is advertised with its real limits', async () => {
    const scim = await newTenant();
    const spc = await body(await scim.get('/ServiceProviderConfig'));
    expect(spc.bulk).toEqual({ supported: true, maxOperations: 150, maxPayloadSize: 524288 });
    expect(spc.etag.supported).toBe(true);
    expect(spc.patch.supported).toBe(true);
  });
});
