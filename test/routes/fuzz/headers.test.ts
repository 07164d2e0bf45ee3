import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { call, PATCH_OP } from '../../helpers';
import { fixture, SEED, wellFormed } from './generators';

// Authorization, Content-Type and precondition headers in every combination with every method.

const RUNS = 800;

describe('fuzzing headers over HTTP', () => {
  it(`answers header variants with a well-formed response (${RUNS} requests)`, async () => {
    const { scim, user } = await fixture();
    const auth = fc.oneof(
      fc.constantFrom(`Bearer ${scim.token}`, `bearer   ${scim.token}`, `Token ${scim.token}`, `Basic ${btoa(`x:${scim.token}`)}`, 'Bearer', 'Bearer scim_x', '', 'Basic !!!', `Bearer ${scim.token} extra`),
      fc.string({ maxLength: 20 }),
    );
    const contentType = fc.constantFrom('application/scim+json', 'application/json; charset=utf-8', 'text/plain', 'application/xml', '', 'application/scim+json;;');
    const etag = fc.oneof(fc.constantFrom('*', 'W/"1"', '"1"', 'W/"999"', 'W/', '', '"', 'W/"1", W/"2"'), fc.string({ maxLength: 8 }));
    const method = fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'POST', 'HEAD', 'OPTIONS');
    const path = fc.constantFrom(`/Users/${user.id}`, '/Users', '/Me', '/Schemas', '/Bulk', '/.search');
    await fc.assert(
      fc.asyncProperty(auth, contentType, etag, method, path, async (a, ct, tag, m, p) => {
        const headers: Record<string, string> = { ...(a ? { Authorization: a } : {}), ...(ct ? { 'Content-Type': ct } : {}), 'If-Match': tag, 'If-None-Match': tag };
        const withBody = m !== 'GET' && m !== 'HEAD' && m !== 'DELETE';
        const body = JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }], userName: 'fuzz@example.com' });
        const res = await call(`/scim/v2${p}`, { method: m, headers, ...(withBody ? { body } : {}) });
        if (m === 'HEAD') {
          if (!(p === '/Me' && res.status === 501)) expect(res.status).toBeLessThan(500);
          return;
        }
        await wellFormed(res, `${m} ${p} ${JSON.stringify(headers)}`, p === '/Me');
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  }, 120_000);
});
