import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GROUP_SCHEMA } from '../../helpers';
import { anyBody, bulk, fixture, patchOps, scalar, SEED, text, wellFormed } from './generators';

// Bodies for every write endpoint, valid-looking and not: never a 5xx, every 4xx an RFC 7644 §3.12
// body, and a rejected write changes nothing (every resource's version and the count, compared).

const RUNS = 500;

describe('fuzzing writes over HTTP', () => {
  it(`never answers a write with a 5xx, and a rejected write changes nothing (${RUNS.toLocaleString("en")} bodies over POST, PUT, PATCH and /Bulk)`, async () => {
    const { scim, user, group } = await fixture();
    // The tenant's stored state, read from D1 itself in one batch: every resource with its version,
    // and the counts of its memberships and index rows (a rejected write must leave none behind).
    // Reading it through the API instead re-rendered every resource after every case.
    const { env } = await import('cloudflare:workers');
    const snapshot = async () => {
      const [resources, members, values] = await env.DB.batch([
        env.DB.prepare("SELECT count(*) AS n, coalesce(group_concat(id || '@' || version), '') AS versions FROM (SELECT id, version FROM resources WHERE tenant_id = ? ORDER BY id)").bind(scim.tenant),
        env.DB.prepare('SELECT count(*) AS n FROM memberships WHERE tenant_id = ?').bind(scim.tenant),
        env.DB.prepare('SELECT count(*) AS n FROM resource_values WHERE tenant_id = ?').bind(scim.tenant),
      ]);
      const first = (r: D1Result) => r.results[0] as Record<string, unknown>;
      return { ...first(resources!), memberships: first(members!).n, values: first(values!).n };
    };
    const targets: [string, string, fc.Arbitrary<unknown>][] = [
      ['POST', '/Users', anyBody],
      ['POST', '/Groups', fc.oneof(anyBody, fc.record({ schemas: fc.constant([GROUP_SCHEMA]), displayName: scalar, members: fc.anything({ maxDepth: 3 }) }, { requiredKeys: [] }))],
      ['PUT', `/Users/${user.id}`, anyBody],
      ['PATCH', `/Users/${user.id}`, fc.oneof(patchOps, anyBody)],
      ['PATCH', `/Groups/${group.id}`, fc.oneof(patchOps, anyBody)],
      ['POST', '/Bulk', fc.oneof(bulk, anyBody)],
    ];
    const write = fc.nat(targets.length - 1).chain((i) => targets[i]![2].map((payload) => [i, payload] as const));
    let state = await snapshot();
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(write, async ([i, payload]) => {
        const [method, path] = targets[i]!;
        const res = await scim.request(method, path, text(payload));
        const what = `${method} ${path} ${text(payload).slice(0, 300)}`;
        await wellFormed(res, what);
        const now = await snapshot();
        if (res.status >= 400) {
          rejected++;
          expect(now, `rejected but changed: ${what}`).toEqual(state);
        }
        state = now;
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
    // The cases must reach both sides of the property.
    expect(rejected).toBeGreaterThan(RUNS / 4);
    expect(rejected).toBeLessThan(RUNS);
  }, 180_000);
});
