import { describe, expect, it } from 'vitest';
import { PATCH_OP, body, newTenant } from '../helpers';

// RFC 9110 §13 on writes, beyond If-Match (test/routes/etag.test.ts): If-None-Match naming the
// current version makes a write fail with 412; naming another version lets it through.

describe('If-None-Match on writes', () => {
  it('refuses PUT, PATCH and DELETE naming the current version, and changes nothing', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('inm-current');
    const current = { 'If-None-Match': user.meta.version };
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] };
    for (const res of [
      await scim.put(`/Users/${user.id}`, { userName: 'inm-current', title: 'x' }, current),
      await scim.patch(`/Users/${user.id}`, patch, current),
      await scim.delete(`/Users/${user.id}`, current),
    ]) {
      expect(res.status).toBe(412);
      expect((await body(res)).scimType).toBeUndefined();
    }
    const after = await body(await scim.get(`/Users/${user.id}`));
    expect(after.meta.version).toBe(user.meta.version);
    expect(after.title).toBeUndefined();
  });

  it('lets a write through when If-None-Match names another version', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('inm-other');
    const res = await scim.put(`/Users/${user.id}`, { userName: 'inm-other', title: 'y' }, { 'If-None-Match': 'W/"999"' });
    expect(res.status).toBe(200);
    expect((await scim.delete(`/Users/${user.id}`, { 'If-None-Match': 'W/"999"' })).status).toBe(204);
  });

  it('applies to Bulk operations through their version (If-Match)', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('bulk-cond');
    const res = await scim.post('/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [{ method: 'DELETE', path: `/Users/${user.id}`, version: 'W/"42"' }],
    });
    expect((await body(res)).Operations[0].status).toBe('412');
    expect((await scim.get(`/Users/${user.id}`)).status).toBe(200);
  });

  it('evaluates If-None-Match before the body (RFC 9110 §13.2.1): 412 for a bad body, 404 for no resource', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('inm-first');
    const star = { 'If-None-Match': '*' };
    expect((await scim.put(`/Users/${user.id}`, '{not json', star)).status).toBe(412);
    expect((await scim.put(`/Users/${user.id}`, { userName: 42 }, star)).status).toBe(412);
    expect((await scim.patch(`/Users/${user.id}`, { Operations: 'nope' }, star)).status).toBe(412);
    expect((await scim.patch(`/Users/${user.id}?attributes=${encodeURIComponent('bad attr')}`, { Operations: [] }, star)).status).toBe(412);
    expect((await scim.put('/Users/missing', '{not json', star)).status).toBe(404);
  });
});
