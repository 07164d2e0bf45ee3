#!/usr/bin/env node
// `npm run bench:throughput`: requests per second against a running `npm run dev` (or BENCH_URL),
// CONC concurrent clients per endpoint for SECONDS each, as ratios to /healthz (which does no work)
// measured in the same run: the runtime's own floor on this machine. Not a test.
import { adminClient, adminTokenFromEnv } from './admin-client.mjs';

const origin = process.env.BENCH_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`;
const CONC = Number(process.env.CONC ?? 8);
const SECONDS = Number(process.env.SECONDS ?? 5);
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const admin = adminClient(`${origin}`, adminTokenFromEnv());
const tenant = `throughput-${Date.now().toString(36)}`;
await admin.ensureTenant(tenant, 'Throughput');
const { token } = await admin.createToken(tenant, { label: 'throughput' });
const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
const created = await fetch(`${origin}/scim/v2/Users`, { method: 'POST', headers, body: JSON.stringify({ userName: 'throughput@example.com' }) });
if (created.status !== 201) throw new Error(`create user: ${created.status} ${await created.text()}`);
const user = await created.json();

/** Requests per second with CONC clients for SECONDS, each sending `make()` in a loop. */
async function rate(make) {
  const until = performance.now() + SECONDS * 1000;
  let done = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (performance.now() < until) {
        const res = await make();
        await res.arrayBuffer();
        if (res.status >= 400) failed++;
        done++;
      }
    }),
  );
  if (failed > 0) throw new Error(`${failed} of ${done} requests failed`);
  return done / SECONDS;
}

const q = encodeURIComponent('userName eq "throughput@example.com"');
let flip = 0;
const workloads = [
  ['GET /healthz', () => fetch(`${origin}/healthz`)],
  ['GET /ServiceProviderConfig (token, no D1)', () => fetch(`${origin}/scim/v2/ServiceProviderConfig`, { headers })],
  ['GET /Users/{id}', () => fetch(`${origin}/scim/v2/Users/${user.id}`, { headers })],
  ['GET /Users?filter=userName eq', () => fetch(`${origin}/scim/v2/Users?filter=${q}`, { headers })],
  [
    'PATCH /Users/{id} (replace active)',
    () =>
      fetch(`${origin}/scim/v2/Users/${user.id}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: (flip++ & 1) === 0 }] }),
      }),
  ],
];

const results = [];
for (const [name, make] of workloads) results.push([name, await rate(make)]);
const floor = results[0][1];
console.log(`\nnpm run bench:throughput — ${origin}, CONC ${CONC}, ${SECONDS} s per row\n`);
console.log('| request | req/s | ratio to /healthz |');
console.log('|---|---:|---:|');
for (const [name, perSecond] of results) console.log(`| ${name} | ${perSecond.toFixed(0)} | ${(perSecond / floor).toFixed(2)} |`);
