import { describe, expect, it } from 'vitest';
import { body, newTenant } from '../../helpers';

// RFC 7644 §3.4.3 SearchRequest bodies: a body that is not a JSON object does not conform to the
// request schema (§3.12 invalidSyntax); a parameter of the wrong type stays invalidValue.

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

describe('SearchRequest bodies that are not objects', () => {
  it.each(['[]', 'null', '"x"', '42', 'true'])('answers POST /Users/.search and /.search with body %s with 400 invalidSyntax', async (text) => {
    const scim = await newTenant();
    for (const path of ['/Users/.search', '/.search']) {
      const res = await scim.request('POST', path, text, { 'Content-Type': 'application/scim+json' });
      expect(res.status, path).toBe(400);
      expect((await body(res)).scimType, path).toBe('invalidSyntax');
    }
  });

  it('keeps answering a wrongly typed parameter with 400 invalidValue', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Users/.search', { schemas: [SEARCH], count: 'ten' });
    expect(res.status).toBe(400);
    expect((await body(res)).scimType).toBe('invalidValue');
  });
});
