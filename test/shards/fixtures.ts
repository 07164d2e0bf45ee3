import { expect } from 'vitest';
import { admin, PATCH_OP, Scim } from '../helpers';
import { createOrg, declareCiam } from '../routes/declared/ciam';

// Shared by the shards project's files: a tenant on a named database, a directory worth moving,
// and what a client can read of it.

let counter = 0;
export async function tenantOn(shard: string): Promise<Scim> {
  const id = `x${Date.now().toString(36)}${(counter++).toString(36)}`;
  expect((await admin('/tenants', 'POST', { id, name: id, shard })).status).toBe(201);
  const { token } = (await (await admin(`/tenants/${id}/tokens`, 'POST', { label: 'test' })).json()) as { token: string };
  return new Scim(id, token);
}

/** A directory with users, a nested group, a manager reference, a declared type and its resources. */
export async function populate(scim: Scim): Promise<void> {
  await declareCiam(scim.tenant);
  const users = [];
  for (let i = 0; i < 12; i++) users.push(await scim.createUser(`user${i}@example.com`, { externalId: `ext-${i}`, emails: [{ value: `user${i}@example.com`, type: 'work' }], name: { givenName: `Given${i}` } }));
  const inner = await scim.createGroup('Inner', users.slice(0, 3).map((u) => u.id));
  await scim.createGroup('Outer', [users[3]!.id, inner.id]);
  await scim.patch(`/Users/${users[4]!.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
  const org = await createOrg(scim, 'Acme', { code: 'ACME' });
  expect((await scim.post('/OrganizationUsers', { schemas: ['urn:example:ciam:schemas:OrganizationUser'], organization: { value: org.id }, user: { value: users[0]!.id } })).status).toBe(201);
}

/** Everything a client can read of the directory, ids and versions included (meta.location names the tenant's base URL, so it is left out). */
export async function snapshot(scim: Scim): Promise<unknown> {
  const read = async (path: string) => {
    const body = (await (await scim.get(path)).json()) as { Resources?: Record<string, any>[]; totalResults: number };
    const resources = (body.Resources ?? []).map(({ meta, ...rest }) => ({ ...rest, meta: { ...meta, location: undefined } }) as Record<string, any>).sort((a, b) => String(a.id).localeCompare(String(b.id)));
    return { totalResults: body.totalResults, resources };
  };
  return {
    users: await read('/Users?count=1000'),
    groups: await read('/Groups?count=1000'),
    organizations: await read('/Organizations?count=1000'),
    organizationUsers: await read('/OrganizationUsers?count=1000'),
    schemas: ((await (await scim.get('/Schemas')).json()) as { Resources: { id: string }[] }).Resources.map((s) => s.id).sort(),
  };
}

