#!/usr/bin/env node
// npm run bench: builds the worker, runs it in Miniflare (real workerd, D1 and KV, in-memory) and
// measures the hot IdP paths. Prints medians, p95s, ratios and D1's rows read/written per request,
// the last being deterministic where time is not. Not a test: numbers vary with the machine.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';

const USERS = Number(process.env.BENCH_USERS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const BULK_SIZE = Number(process.env.BENCH_BULK ?? 1000);
const ADMIN = 'bench-admin-secret-0123456789abcdef';
// A far-away IdP's view: each sequential D1 round trip costs this much more (the distance from the
// edge location to the database's primary); latency = measured + round trips x BENCH_RTT_MS.
const RTT_MS = Number(process.env.BENCH_RTT_MS ?? 50);
const DECLARED = Math.min(USERS, 5000);
const ORIGIN = 'http://bench.local';

execFileSync('node_modules/.bin/wrangler', ['deploy', '--dry-run', '--outdir', 'dist'], {
  stdio: 'ignore',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' },
});

const mf = new Miniflare({
  // Keep the worker's per-request access log out of the report.
  handleRuntimeStdio(stdout, stderr) {
    stdout.resume();
    stderr.resume();
  },
  modules: true,
  scriptPath: 'dist/index.js',
  compatibilityDate: '2026-04-01',
  d1Databases: { DB: 'bench-db' },
  kvNamespaces: { TOKENS: 'bench-kv' },
  bindings: { ADMIN_TOKEN: ADMIN, DEFAULT_PAGE_SIZE: '100', MAX_PAGE_SIZE: '1000', MAX_PAYLOAD_BYTES: '1048576', MAX_BULK_OPERATIONS: '1000' },
});

const db = await mf.getD1Database('DB');
for (const file of readdirSync('drizzle').filter((f) => f.endsWith('.sql')).sort()) {
  for (const statement of readFileSync(`drizzle/${file}`, 'utf8').split('--> statement-breakpoint')) {
    if (statement.trim()) await db.prepare(statement).run();
  }
}

async function call(path, { method = 'GET', token, body, auth = 'Bearer' } = {}) {
  if (!path.startsWith('/admin')) path = `/scim/v2${path}`;
  const started = performance.now();
  const res = await mf.dispatchFetch(`${ORIGIN}${path}`, {
    method,
    headers: { Authorization: `${auth} ${token}`, 'Content-Type': 'application/scim+json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return {
    ms: performance.now() - started,
    status: res.status,
    read: Number(res.headers.get('X-D1-Rows-Read') ?? 0),
    written: Number(res.headers.get('X-D1-Rows-Written') ?? 0),
    trips: Number(res.headers.get('X-D1-Round-Trips') ?? 0),
    json: text ? JSON.parse(text) : undefined,
  };
}

await call('/admin/tenants', { method: 'POST', token: ADMIN, body: { id: 'bench', name: 'Bench' } });
await call('/admin/tenants', { method: 'POST', token: ADMIN, body: { id: 'other', name: 'Other' } });
const { token } = (await call('/admin/tenants/bench/tokens', { method: 'POST', token: ADMIN, body: { label: 'bench' } })).json;
const { token: otherToken } = (await call('/admin/tenants/other/tokens', { method: 'POST', token: ADMIN, body: { label: 'bench' } })).json;

/** A one-line progress bar on stderr. */
function progress(what, done, total) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r${what} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done >= total ? '\n' : ''}`);
}

// Seed through /Bulk, 1000 operations a request: this is also the bulk throughput figure.
async function seed(tok, prefix, n) {
  const started = performance.now();
  const ids = [];
  for (let i = 0; i < n; i += BULK_SIZE) {
    const Operations = [];
    for (let j = i; j < Math.min(n, i + BULK_SIZE); j++) {
      Operations.push({ method: 'POST', path: '/Users', bulkId: `u${j}`, data: { userName: `${prefix}${String(j).padStart(5, '0')}@example.com`, externalId: `ext-${j}`, emails: [{ value: `${prefix}${j}@example.com`, type: 'work', primary: true }], active: true } });
    }
    const res = await call('/Bulk', { method: 'POST', token: tok, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations } });
    if (!res.json?.Operations) throw new Error(`bulk seed failed: ${res.status} ${JSON.stringify(res.json)}`);
    for (const op of res.json.Operations) ids.push(op.location.split('/').pop());
    progress(`seeding ${prefix}`, ids.length, n);
  }
  return { ids, ms: performance.now() - started };
}
const seeded = await seed(token, 'user', USERS);
await seed(otherToken, 'user', 500);

const big = (await call('/Groups', { method: 'POST', token, body: { displayName: 'Big', members: seeded.ids.slice(0, Math.min(USERS - 20, 5000)).map((value) => ({ value })) } })).json;
const small = (await call('/Groups', { method: 'POST', token, body: { displayName: 'Small', members: seeded.ids.slice(USERS - 20, USERS - 10).map((value) => ({ value })) } })).json;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
const results = [];

async function measure(name, make) {
  const samples = [];
  let last;
  for (let i = 0; i < ROUNDS; i++) {
    last = await make(i);
    if (last.status >= 400) throw new Error(`${name}: HTTP ${last.status} ${JSON.stringify(last.json)}`);
    samples.push(last.ms);
  }
  const row = { name, median: median(samples), p95: p95(samples), read: last.read, written: last.written, trips: last.trips };
  results.push(row);
  return row;
}

// The tenant declares examples/ciam (Organization, OrganizationUser, …), in dependency order.
const CIAM = ['organization.acme-extension.schema.json', 'organization.schema.json', 'organization.resource-type.json', 'organization-user.schema.json', 'organization-user.resource-type.json'];
for (const file of CIAM) {
  const body = JSON.parse(readFileSync(`examples/ciam/${file}`, 'utf8'));
  const path = body.endpoint ? `/resource-types/${body.name}` : `/schemas/${encodeURIComponent(body.id)}`;
  const res = await call(`/admin/tenants/bench${path}`, { method: 'PUT', token: ADMIN, body });
  if (res.status >= 300) throw new Error(`declare ${file}: ${res.status} ${JSON.stringify(res.json)}`);
}
async function bulkCreate(path, n, data) {
  const ids = [];
  for (let i = 0; i < n; i += BULK_SIZE) {
    const Operations = [];
    for (let j = i; j < Math.min(n, i + BULK_SIZE); j++) Operations.push({ method: 'POST', path, bulkId: `b${j}`, data: data(j) });
    const res = await call('/Bulk', { method: 'POST', token, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations } });
    if (!res.json?.Operations || res.json.Operations.some((o) => o.status !== '201')) throw new Error(`bulk ${path} failed: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
    for (const op of res.json.Operations) ids.push(op.location.split('/').pop());
  }
  return ids;
}
const orgs = await bulkCreate('/Organizations', DECLARED, (j) => ({ name: `Org ${j}`, code: `ORG-${j}` }));
await bulkCreate('/OrganizationUsers', DECLARED, (j) => ({ user: { value: seeded.ids[j] }, organization: { value: orgs[j] }, status: 'active' }));

const pick = (i) => String(i % USERS).padStart(5, '0');
const q = (f) => encodeURIComponent(f);
await measure('GET /Users?filter=userName eq', (i) => call(`/Users?filter=${q(`userName eq "USER${pick(i)}@example.com"`)}`, { token }));
await measure('GET /Users?filter=externalId eq', (i) => call(`/Users?filter=${q(`externalId eq "ext-${i % USERS}"`)}`, { token }));
await measure('GET /Users?filter=id eq', (i) => call(`/Users?filter=${q(`id eq "${seeded.ids[i % USERS]}"`)}`, { token }));
await measure('GET /Users?filter=userName sw (11 rows)', (i) => call(`/Users?filter=${q(`userName sw "user0${String(i % 400).padStart(3, '0')}"`)}&attributes=userName`, { token }));
await measure('GET /Users?filter=emails[type eq work].value eq (value index)', (i) => call(`/Users?filter=${q(`emails[type eq "work"].value eq "user${i % USERS}@example.com"`)}`, { token }));
await measure('GET /Users/{id}', (i) => call(`/Users/${seeded.ids[i % USERS]}`, { token }));
await measure('GET /Users?startIndex=1&count=100', () => call('/Users?startIndex=1&count=100', { token }));
await measure('GET /Groups?filter=displayName eq&excludedAttributes=members', () => call(`/Groups?filter=${q('displayName eq "Big"')}&excludedAttributes=members`, { token }));
const addBig = await measure('PATCH add+remove 1 member, 5,000-member group', (i) =>
  call(`/Groups/${big.id}`, { method: 'PATCH', token, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: i % 2 ? 'remove' : 'add', path: 'members', value: [{ value: seeded.ids[USERS - 1] }] }] } }),
);
const addSmall = await measure('PATCH add+remove 1 member, 10-member group', (i) =>
  call(`/Groups/${small.id}`, { method: 'PATCH', token, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: i % 2 ? 'remove' : 'add', path: 'members', value: [{ value: seeded.ids[USERS - 1] }] }] } }),
);
await measure('PATCH user replace active (Entra "False")', (i) =>
  call(`/Users/${seeded.ids[i % USERS]}`, { method: 'PATCH', token, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: i % 2 ? 'False' : 'True' }] } }),
);
await measure('POST /Users', (i) => call('/Users', { method: 'POST', token, body: { userName: `new${i}-${Date.now()}@example.com` } }));
await measure('GET /Organizations?filter=code eq (declared, unique)', (i) => call(`/Organizations?filter=${q(`code eq "org-${i % DECLARED}"`)}`, { token }));
await measure('GET /OrganizationUsers?filter=organization.value eq (declared reference)', (i) => call(`/OrganizationUsers?filter=${q(`organization.value eq "${orgs[i % DECLARED]}"`)}`, { token }));
await measure('GET /Organizations/{id} (declared)', (i) => call(`/Organizations/${orgs[i % DECLARED]}`, { token }));
await measure('POST /Organizations (declared, unique code)', (i) => call('/Organizations', { method: 'POST', token, body: { name: 'New', code: `new-${i}-${Date.now()}` } }));
await measure('POST /OrganizationUsers (declared, two references checked)', (i) => call('/OrganizationUsers', { method: 'POST', token, body: { user: { value: seeded.ids[i % USERS] }, organization: { value: orgs[(i + 1) % DECLARED] } } }));

// Okta's full import: the unfiltered list with startIndex advancing by count, every page.
const walkStarted = performance.now();
let walkRows = 0;
let walkMaxPage = 0;
for (let start = 1; start <= USERS; start += 100) {
  const page = await call(`/Users?startIndex=${start}&count=100`, { token });
  if (page.status !== 200) throw new Error(`walk: ${page.status}`);
  walkRows += page.read;
  walkMaxPage = Math.max(walkMaxPage, page.read);
  progress('walking /Users', Math.min(USERS, start + 99), USERS);
}
const walkMs = performance.now() - walkStarted;

console.log(`\nnpm run bench — ${USERS} users (+500 in another tenant), ${ROUNDS} requests per row, Miniflare ${process.version}; far-away IdP: +${RTT_MS} ms per D1 round trip (BENCH_RTT_MS)\n`);
console.log(`| request | median ms | p95 ms | D1 round trips | D1 rows read | D1 rows written | median at +${RTT_MS} ms/trip |`);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of results) console.log(`| ${r.name} | ${r.median.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.trips} | ${r.read} | ${r.written} | ${(r.median + r.trips * RTT_MS).toFixed(0)} |`);
console.log(`\nfull walk of ${USERS} users at count=100: ${(walkMs / 1000).toFixed(1)} s, ${walkRows} rows read in all (${(walkRows / USERS).toFixed(2)} per user), at most ${walkMaxPage} in one page`);
console.log(`\nseeding ${USERS} users through /Bulk (1000 ops/request): ${(seeded.ms / 1000).toFixed(1)} s (${Math.round(USERS / (seeded.ms / 1000))} users/s)`);
console.log(`member change on 5,000- vs 10-member group: median ratio ${(addBig.median / addSmall.median).toFixed(2)}, rows ${addBig.read + addBig.written} vs ${addSmall.read + addSmall.written}`);
// Tenant deletion at scale: tokens revoked, then resources and memberships deleted in chunks.
const deleteStarted = performance.now();
const deleted = await call('/admin/tenants/bench', { method: 'DELETE', token: ADMIN });
const deleteMs = performance.now() - deleteStarted;
console.log(`DELETE /admin/tenants/bench (${3 * USERS + 3 * ROUNDS + 2} resources, ~${Math.min(USERS - 20, 5000) + 10} memberships): ${(deleteMs / 1000).toFixed(2)} s, status ${deleted.status}, rows written ${deleted.written}`);
await mf.dispose();
