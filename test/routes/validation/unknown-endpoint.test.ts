import { describe, expect, it } from 'vitest';
import { body, expectError, newTenant, USER_SCHEMA } from '../../helpers';

// An unknown resource endpoint is 404 before anything about the request is checked: a client that
// asks the wrong URL learns that, not that its query parameters are odd.

describe('unknown resource endpoints', () => {
  it('answers GET /Nope with a bad count with 404, not 400', async () => {
    const scim = await newTenant();
    for (const path of ['/Nope?count=x', '/Nope?startIndex=one', '/Nope/1?attributes=', '/Nope?count=x&filter=bad']) {
      await expectError(await scim.get(path), 404, undefined);
    }
  });

  it('answers writes to an unknown endpoint with 404 whatever the body', async () => {
    const scim = await newTenant();
    expect((await scim.post('/Nope', { schemas: [USER_SCHEMA] })).status).toBe(404);
    expect((await scim.request('POST', '/Nope', '{', { 'Content-Type': 'application/scim+json' })).status).toBe(404);
    expect((await scim.put('/Nope/1', 'not json')).status).toBe(404);
    expect((await scim.post('/Nope/.search', [])).status).toBe(404);
  });

  it('still validates the query of a known endpoint with 400 invalidValue', async () => {
    const scim = await newTenant();
    const res = await scim.get('/Users?count=x');
    expect(res.status).toBe(400);
    expect((await body(res)).scimType).toBe('invalidValue');
  });
});
