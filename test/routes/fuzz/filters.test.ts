import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTRS, filterText, fixture, mutated, SEED, wellFormed } from './generators';

// Generated and mutated filters (RFC 7644 §3.4.2.2) against the real runtime: never a 5xx, a 400
// that is an RFC 7644 §3.12 body, or a ListResponse.

const RUNS = 1500;

describe('fuzzing filters over HTTP', () => {
  it(`never answers a generated or mutated filter, sortBy or attributes with a 5xx (${RUNS.toLocaleString("en")} queries, GET and .search, per type and at the root)`, async () => {
    const { scim } = await fixture();
    await fc.assert(
      fc.asyncProperty(fc.oneof(filterText, mutated), fc.constantFrom('/Users', '/Groups', ''), fc.boolean(), fc.option(fc.oneof(fc.constantFrom(...ATTRS), mutated)), fc.option(fc.oneof(fc.constantFrom(...ATTRS), mutated)), async (filter, endpoint, post, sortBy, attributes) => {
        const extra = { ...(sortBy !== null ? { sortBy } : {}), ...(attributes !== null ? { attributes } : {}) };
        const query = new URLSearchParams({ filter, ...extra }).toString();
        const res = post ? await scim.post(`${endpoint}/.search`, { filter, ...extra }) : await scim.get(`${endpoint}?${query}`);
        const doc = await wellFormed(res, filter);
        if (res.status === 200) expect(doc!.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
        else expect(doc!.scimType, `${filter} ${JSON.stringify(extra)}`).toMatch(/^(invalidFilter|invalidValue|invalidPath)$/);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);
});
