// Plain JavaScript: this project runs in Node (not workerd), outside the Workers typecheck.
// `npm run token -- schema …` and examples/ciam against a real `wrangler dev`, as in token-script.test.mjs.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devServer } from './ready.mjs';

const run = promisify(execFile);
// The project's one `wrangler dev` (dev-server.mjs); this file's tenants are its own.
let URL_;
let ADMIN_TOKEN;
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' };
const EXAMPLES = 'examples/ciam';
const NS = 'urn:example:ciam:schemas:';
const SCHEMAS = [
  `${NS}Organization`,
  `${NS}extension:acme:Organization`,
  `${NS}OrganizationUser`,
  `${NS}RelyingParty`,
  `${NS}extension:acme:User`,
];
const TYPES = ['Organization', 'OrganizationUser', 'RelyingParty'];
let scratch;
let scimToken;

function token(...args) {
  return run('node', ['scripts/token.mjs', ...args, '--url', URL_, '--admin-token', ADMIN_TOKEN], { env });
}

async function scim(method, path, body) {
  const res = await fetch(`${URL_}/scim/v2${path}`, {
    method,
    headers: { Authorization: `Bearer ${scimToken}`, 'Content-Type': 'application/scim+json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function example(file) {
  return JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));
}

/** A folder of its own under the scratch directory, holding `files` (name → JSON). */
function folder(name, files) {
  const dir = join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const [file, doc] of Object.entries(files)) {
    writeFileSync(join(dir, file), typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  }
  return dir;
}

beforeAll(async () => {
  ({ url: URL_, adminToken: ADMIN_TOKEN } = await devServer());
  scratch = mkdtempSync(join(tmpdir(), 'scim-schema-files-'));
  await token('tenant', 'acme', '--name', 'Acme');
  await token('tenant', 'dry', '--name', 'Dry run');
  scimToken = JSON.parse((await token('create', 'acme', '--label', 'schema-test', '--json')).stdout).token;
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('npm run token -- schema', () => {
  it('applies examples/ciam in dependency order, whatever the file order', async () => {
    const { stdout } = await token('schema', 'apply', 'acme', EXAMPLES);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(9);
    for (const urn of SCHEMAS) expect(stdout).toMatch(new RegExp(`^schema ${urn} created\\b`, 'm'));
    for (const name of TYPES) expect(stdout).toMatch(new RegExp(`^resource type ${name} created\\b`, 'm'));
    expect(stdout).toMatch(/^resource type User created\b/m); // built in, but the tenant's first declaration of it
    // The Organization resource type comes after both its schemas, OrganizationUser's schema after it.
    const index = (text) => lines.findIndex((l) => l.startsWith(text));
    expect(index('resource type Organization ')).toBeGreaterThan(index(`schema ${NS}Organization `));
    expect(index('resource type Organization ')).toBeGreaterThan(index(`schema ${NS}extension:acme:Organization `));
    expect(index(`schema ${NS}OrganizationUser `)).toBeGreaterThan(index('resource type Organization '));

    // Again: nothing to change, so nothing is written (the versions stay).
    const again = (await token('schema', 'apply', 'acme', EXAMPLES)).stdout.trim().split('\n');
    expect(again).toHaveLength(9);
    for (const line of again) expect(line).toMatch(/^(schema|resource type) \S+ unchanged \(version W\/"1"\)/);

    // A changed file (its description) is replaced; the folder again puts the original back.
    const organization = example('organization.schema.json');
    const edited = folder('edited', { 'organization.schema.json': { ...organization, description: 'Customer organizations.' } });
    expect((await token('schema', 'apply', 'acme', edited)).stdout).toMatch(new RegExp(`^schema ${NS}Organization replaced \\(version W/"2"\\)`, 'm'));
    expect((await token('schema', 'apply', 'acme', EXAMPLES)).stdout).toMatch(new RegExp(`^schema ${NS}Organization replaced \\(version W/"3"\\)`, 'm'));
  });

  it('lists the declared schemas and resource types', async () => {
    const { stdout } = await token('schema', 'list', 'acme');
    for (const urn of SCHEMAS) expect(stdout).toContain(urn);
    expect(stdout).toMatch(/^resource type Organization {2}\/Organizations {2}urn:example:ciam:schemas:Organization {2}extensions: urn:example:ciam:schemas:extension:acme:Organization$/m);
    expect(stdout).toMatch(/^resource type OrganizationUser {2}\/OrganizationUsers\b/m);
    expect(stdout).toMatch(/^resource type RelyingParty {2}\/RelyingParties\b/m);
    expect(stdout).toMatch(new RegExp(`^schema ${NS}Organization {2}Organization {2}${example('organization.schema.json').attributes.length} attributes$`, 'm'));
  });

  it('serves the declared types to a SCIM token: discovery and the README walkthrough', async () => {
    const types = await scim('GET', '/ResourceTypes');
    expect(types.status).toBe(200);
    const byName = Object.fromEntries(types.body.Resources.map((rt) => [rt.name, rt]));
    for (const name of TYPES) expect(byName[name]).toBeDefined();
    expect(byName.Organization).toMatchObject({ endpoint: '/Organizations', schema: `${NS}Organization` });
    expect(byName.User.schemaExtensions.map((e) => e.schema)).toEqual([
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      `${NS}extension:acme:User`,
    ]);
    const schema = await scim('GET', `/Schemas/${NS}Organization`);
    expect(schema.status).toBe(200);
    // A core schema lists the common attributes first (RFC 7643 §3.1), then its own.
    expect(schema.body.attributes.map((a) => a.name)).toEqual(['id', 'externalId', 'meta', ...example('organization.schema.json').attributes.map((a) => a.name)]);

    // examples/ciam/README.md, step by step.
    const org = await scim('POST', '/Organizations', {
      schemas: [`${NS}Organization`, `${NS}extension:acme:Organization`],
      name: 'Globex Corporation',
      code: 'globex',
      displayName: 'Globex',
      active: true,
      [`${NS}extension:acme:Organization`]: { tier: 'business', seats: 250 },
    });
    expect(org.status).toBe(201);
    expect(org.body).toMatchObject({ name: 'Globex Corporation', meta: { resourceType: 'Organization' } });
    expect((await scim('POST', '/Organizations', { schemas: [`${NS}Organization`], name: 'Other', code: 'GLOBEX' })).status).toBe(409);

    const user = await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', `${NS}extension:acme:User`],
      userName: 'hank@globex.example',
      [`${NS}extension:acme:User`]: { customerId: 'C-1001', loyaltyTier: 'gold' },
    });
    expect(user.status).toBe(201);
    expect(user.body[`${NS}extension:acme:User`]).toMatchObject({ customerId: 'C-1001' });

    const link = await scim('POST', '/OrganizationUsers', {
      schemas: [`${NS}OrganizationUser`],
      user: { value: user.body.id },
      organization: { value: org.body.id },
      roles: ['admin'],
      status: 'invited',
    });
    expect(link.status).toBe(201);

    const found = await scim('GET', `/OrganizationUsers?filter=${encodeURIComponent(`organization.value eq "${org.body.id}"`)}`);
    expect(found.status).toBe(200);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(link.body.id);

    const patched = await scim('PATCH', `/OrganizationUsers/${link.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'status', value: 'active' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe('active');

    expect((await scim('DELETE', `/OrganizationUsers/${link.body.id}`)).status).toBe(204);
    expect((await scim('DELETE', `/Organizations/${org.body.id}`)).status).toBe(204);
    expect((await scim('GET', `/Organizations/${org.body.id}`)).status).toBe(404);
  });

  it('deletes a resource type and a schema, and re-applies them from one ListResponse file', async () => {
    expect((await token('schema', 'delete', 'acme', 'RelyingParty')).stdout).toContain('deleted resource type RelyingParty');
    expect((await token('schema', 'list', 'acme')).stdout).not.toMatch(/^resource type RelyingParty\b/m);
    expect((await scim('GET', '/RelyingParties')).status).toBe(404);
    // Still used by the Organization resource type: the server's 409 comes through.
    await expect(token('schema', 'delete', 'acme', `${NS}Organization`)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('409') });
    expect((await token('schema', 'delete', 'acme', `${NS}RelyingParty`)).stdout).toContain(`deleted schema ${NS}RelyingParty`);
    expect((await token('schema', 'list', 'acme')).stdout).not.toContain(`${NS}RelyingParty`);

    // The resource type first: it needs the schema, so it is retried after it.
    const dir = folder('list-response', {
      'relying-parties.json': {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 2,
        Resources: [example('relying-party.resource-type.json'), example('relying-party.schema.json')],
      },
    });
    const { stdout } = await token('schema', 'apply', 'acme', dir);
    expect(stdout).toMatch(new RegExp(`^schema ${NS}RelyingParty created\\b`, 'm'));
    expect(stdout).toMatch(/^resource type RelyingParty created\b/m);
    const rp = await scim('POST', '/RelyingParties', {
      schemas: [`${NS}RelyingParty`],
      clientId: 'globex-portal',
      name: 'Globex customer portal',
      redirectUris: ['https://portal.globex.example/callback'],
    });
    expect(rp.status).toBe(201);
  });

  it('exits 1 with the server\'s pointer when a declaration is broken, and applies the rest', async () => {
    const dir = folder('broken', {
      'broken.schema.json': {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
        id: `${NS}Broken`,
        name: 'Broken',
        description: 'The second attribute has no valid type.',
        attributes: [
          { name: 'fine', type: 'string', multiValued: false, description: 'Fine.', required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' },
          { name: 'broken', type: 'strng', multiValued: false, description: 'Broken.', required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' },
        ],
      },
      'loyalty.schema.json': {
        id: `${NS}extension:acme:Loyalty`,
        name: 'Loyalty',
        description: 'Applied although the other file fails.',
        attributes: [],
      },
    });
    const failure = await token('schema', 'apply', 'acme', dir).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('/attributes/1/type');
    expect(failure.stderr).toContain('400');
    expect(failure.stderr).toContain('broken.schema.json');
    expect(failure.stdout).toMatch(new RegExp(`^schema ${NS}extension:acme:Loyalty created\\b`, 'm'));
    const listed = (await token('schema', 'list', 'acme')).stdout;
    expect(listed).not.toContain(`${NS}Broken`);
    expect(listed).toContain(`${NS}extension:acme:Loyalty`);

    // Not JSON at all: nothing is sent.
    await expect(token('schema', 'apply', 'acme', folder('not-json', { 'a.json': '{' }))).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('not valid JSON') });
    await expect(token('schema', 'apply', 'no-such-tenant', EXAMPLES)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('404') });
  });

  it('--dry-run applies nothing', async () => {
    // A fresh tenant: what needs a declaration of the batch cannot be checked, and is said so.
    const fresh = await token('schema', 'apply', 'dry', EXAMPLES, '--dry-run');
    expect(fresh.stdout).toMatch(new RegExp(`^schema ${NS}Organization created \\(dry run\\)`, 'm'));
    expect(fresh.stdout).toMatch(/^resource type Organization not checked \(dry run\): needs schema urn:example:ciam:schemas:Organization\b/m);
    expect(fresh.stdout).toContain('(dry run: nothing was applied)');
    expect((await token('schema', 'list', 'dry')).stdout).not.toContain('urn:example:ciam');

    // A change to an applied schema: reported as a replacement, not stored.
    const organization = example('organization.schema.json');
    const changed = { ...organization, attributes: [...organization.attributes, { ...organization.attributes.find((a) => a.name === 'description'), name: 'notes' }] };
    const dry = await token('schema', 'apply', 'acme', folder('dry-run', { 'organization.schema.json': changed }), '--dry-run', '--json');
    const report = JSON.parse(dry.stdout);
    expect(report).toMatchObject({ dryRun: true, failed: [], applied: [{ kind: 'schema', id: `${NS}Organization`, action: 'replaced' }] });
    const { schemas } = JSON.parse((await token('schema', 'list', 'acme', '--json')).stdout);
    const stored = schemas.find((s) => s.id === `${NS}Organization`);
    expect(stored.attributes.map((a) => a.name)).not.toContain('notes');
    expect(stored.attributes).toHaveLength(organization.attributes.length);
  });
});
