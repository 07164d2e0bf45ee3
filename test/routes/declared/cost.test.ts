import { describe, expect, it } from 'vitest';
import { ok } from '../../helpers';
import { seedResources, type Seed } from '../query/seed';
import { ciamTenant, createOrg } from './ciam';

// Lookups IdPs and apps make on a declared type are index searches at any size (D1's own counters):
// `eq` on a unique attribute and on a reference's value read at most the rows returned + 3 for the
// one match an IdP looks up; each further match costs three rows (value index, key, row).

describe('declared-type lookups on 5,000 resources', () => {
  it('reads rows returned + 3 at most for eq on uniqueness server/global attributes and on reference values', async () => {
    const scim = await ciamTenant();
    const org = await createOrg(scim, 'Acme');
    const user = await scim.createUser('kim@acme.test');
    const registry = await import('../../../src/service/registry');
    const { env } = await import('cloudflare:workers');
    const { Executor } = await import('../../../src/store/executor');
    const { QueryMeter } = await import('../../../src/store/meter');
    const { registry: reg } = await registry.tenantRegistry(env.TOKENS, new Executor(env.DB, new QueryMeter()), scim.tenant);
    const orgType = reg.resourceType('Organization')!;
    const linkType = reg.resourceType('OrganizationUser')!;
    const now = new Date().toISOString();
    const orgs: Seed[] = Array.from({ length: 5000 }, (_, i) => ({ id: `org-${i}`, created: now, data: { name: `Org ${i}`, code: `C${i}`, domain: `d${i}.test` } }));
    await seedResources(scim.tenant, orgType, orgs);
    const links: Seed[] = Array.from({ length: 5000 }, (_, i) => ({
      id: `link-${i}`,
      created: now,
      data: { user: { value: user.id, $ref: `/Users/${user.id}` }, organization: { value: i % 1000 === 0 ? org.id : `org-${i}`, $ref: '/Organizations/x' } },
    }));
    await seedResources(scim.tenant, linkType, links);

    const cost = async (path: string, expected: number) => {
      const res = await scim.get(path);
      const page = await ok(res);
      expect(page.totalResults).toBe(expected);
      return Number(res.headers.get("X-D1-Rows-Read"));
    };
    const q = (f: string) => `/Organizations?filter=${encodeURIComponent(f)}`;
    expect(await cost(q('code eq "c4321"'), 1)).toBeLessThanOrEqual(1 + 3);
    expect(await cost(q('domain eq "D4321.TEST"'), 1)).toBeLessThanOrEqual(1 + 3);
    expect(await cost(q('code eq "nope"'), 0)).toBeLessThanOrEqual(3);
    const byOrg = (id: string) => `/OrganizationUsers?filter=${encodeURIComponent(`organization.value eq "${id}"`)}`;
    expect(await cost(byOrg('org-4321'), 1)).toBeLessThanOrEqual(1 + 3);
    // Several matches cost the same per match (value index entry, key entry, row), whatever the tenant's size.
    expect(await cost(byOrg(org.id), 5)).toBeLessThanOrEqual(3 * 5 + 3);
    // Writes stay index work too: creating a link checks both references by key; deleting an
    // Organization finds and clears its 5 referrers through the value index.
    const written = await scim.post('/OrganizationUsers', { user: { value: user.id }, organization: { value: 'org-7' } });
    expect(written.status).toBe(201);
    expect(Number(written.headers.get('X-D1-Rows-Read'))).toBeLessThanOrEqual(20);
    const deleted = await scim.delete(`/Organizations/${org.id}`);
    expect(deleted.status).toBe(204);
    expect(Number(deleted.headers.get('X-D1-Rows-Read'))).toBeLessThanOrEqual(40);
    expect(await cost(byOrg(org.id), 0)).toBeLessThanOrEqual(3);
    // A scan, for contrast: the same tenant without an index reads every Organization.
    expect(await cost(q('name eq "Org 4321"'), 1)).toBeGreaterThan(5000);
  });
});
