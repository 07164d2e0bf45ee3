import { describe, expect, it } from 'vitest';
import { body, newTenant } from '../../helpers';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const ors = (n: number, term: (i: number) => string) => Array.from({ length: n }, (_, i) => term(i)).join(' or ');

describe('root search within D1 parameter limits', () => {
  it('answers large filters with results or 400 invalidFilter, never a 500', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('a0', { displayName: 'a0' });
    for (const n of [25, 37, 38, 50]) {
      for (const filter of [ors(n, (i) => `displayName sw "a${i}"`), ors(n, (i) => (i === 0 ? `id eq "${user.id}"` : `id eq "x${i}"`))]) {
        const res = await scim.post('/.search', { schemas: [SEARCH], filter });
        expect([200, 400], `${n} terms`).toContain(res.status);
        const doc = await body(res);
        if (res.status === 200) expect(doc.totalResults).toBe(1);
        else expect(doc.scimType).toBe('invalidFilter');
      }
    }
    const ok = await scim.post('/.search', { schemas: [SEARCH], filter: ors(37, (i) => `displayName sw "a${i}"`) });
    expect(ok.status).toBe(200);
  });
});
