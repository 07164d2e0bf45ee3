import { admin, newTenant, type Scim } from '../../helpers';

// A customer-identity shape (SEEDS.md D): Organization, OrganizationUser linking a User and an
// Organization, and a tenant extension on User. Declared through the admin API like an operator would.

export const ORG = 'urn:example:ciam:schemas:Organization';
export const ORG_EXT = 'urn:example:ciam:schemas:extension:acme:Organization';
export const ORG_USER = 'urn:example:ciam:schemas:OrganizationUser';
export const USER_EXT = 'urn:example:ciam:schemas:extension:acme:User';

const a = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name, type, multiValued: false, description: '', required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...extra,
});

export const orgSchema = {
  id: ORG,
  name: 'Organization',
  description: 'A customer organization',
  attributes: [
    a('name', 'string', { required: true }),
    a('code', 'string', { uniqueness: 'server' }),
    a('domain', 'string', { uniqueness: 'global' }),
    a('active', 'boolean'),
    a('seats', 'integer'),
    a('tags', 'string', { multiValued: true }),
    a('secret', 'string', { mutability: 'writeOnly', returned: 'never' }),
  ],
};

export const orgExtension = {
  id: ORG_EXT,
  name: 'AcmeOrganization',
  attributes: [a('tier', 'string', { canonicalValues: ['gold', 'silver'] }), a('region', 'string')],
};

const ref = (name: string, target: string, required = false) =>
  a(name, 'complex', {
    required,
    subAttributes: [
      a('value', 'string', { caseExact: true, required: true }),
      a('$ref', 'reference', { referenceTypes: [target] }),
      a('display', 'string'),
    ],
  });

export const orgUserSchema = {
  id: ORG_USER,
  name: 'OrganizationUser',
  attributes: [ref('user', 'User'), ref('organization', 'Organization'), a('roles', 'string', { multiValued: true }), a('status', 'string', { canonicalValues: ['active', 'invited'] })],
};

export const userExtension = { id: USER_EXT, name: 'AcmeUser', attributes: [a('customerId', 'string', { uniqueness: 'server', caseExact: true }), a('loyaltyTier', 'string')] };

export const orgType = { name: 'Organization', endpoint: '/Organizations', description: 'Organizations', schema: ORG, schemaExtensions: [{ schema: ORG_EXT, required: false }] };
export const orgUserType = { name: 'OrganizationUser', endpoint: '/OrganizationUsers', description: 'Members of organizations', schema: ORG_USER, schemaExtensions: [] };
export const userType = {
  name: 'User',
  endpoint: '/Users',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
  schemaExtensions: [{ schema: USER_EXT, required: false }],
};

export async function put(tenant: string, path: string, body: unknown): Promise<Response> {
  return admin(`/tenants/${tenant}${path}`, 'PUT', body);
}

/** Declares the whole CIAM shape for a tenant; fails loudly on any refusal. */
export async function declareCiam(tenant: string): Promise<void> {
  for (const [path, body] of [
    [`/schemas/${encodeURIComponent(ORG)}`, orgSchema],
    [`/schemas/${encodeURIComponent(ORG_EXT)}`, orgExtension],
    ['/resource-types/Organization', orgType],
    [`/schemas/${encodeURIComponent(ORG_USER)}`, orgUserSchema],
    ['/resource-types/OrganizationUser', orgUserType],
    [`/schemas/${encodeURIComponent(USER_EXT)}`, userExtension],
    ['/resource-types/User', userType],
  ] as const) {
    const res = await put(tenant, path, body);
    if (res.status !== 201 && res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  }
}

export async function ciamTenant(): Promise<Scim> {
  const scim = await newTenant();
  await declareCiam(scim.tenant);
  return scim;
}

export async function createOrg(scim: Scim, name: string, extra: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await scim.post('/Organizations', { schemas: [ORG], name, ...extra });
  if (res.status !== 201) throw new Error(`createOrg ${name}: ${res.status} ${await res.text()}`);
  return res.json();
}
