#!/usr/bin/env node
// `npm run bench:throughput`: requests per second against a running `npm run dev` (or BENCH_URL),
// CONC concurrent clients per endpoint for SECONDS each, as ratios to /healthz (which does no work)
// measured in the same pass: the runtime's own floor on this machine. Not a test.
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

// PASSES rounds over every workload, each ratio taken against the same pass's /healthz (the floor
// moves by a third between runs on a shared 2-core machine); the median pass is reported.
const PASSES = Number(process.env.PASSES ?? 3);
const passes = [];
for (let pass = 0; pass < PASSES; pass++) {
  const rates = [];
  for (const [name, make] of workloads) rates.push([name, await rate(make)]);
  passes.push(rates);
  process.stderr.write(`\rpass ${pass + 1}/${PASSES}${pass + 1 === PASSES ? '\n' : ''}`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\nnpm run bench:throughput — ${origin}, CONC ${CONC}, ${SECONDS} s per row, ${PASSES} passes (medians)\n`);
console.log('| request | req/s | ratio to /healthz | ratios per pass |');
console.log('|---|---:|---:|---|');
workloads.forEach(([name], i) => {
  const ratios = passes.map((rates) => rates[i][1] / rates[0][1]);
  console.log(`| ${name} | ${median(passes.map((rates) => rates[i][1])).toFixed(0)} | ${median(ratios).toFixed(2)} | ${ratios.map((r) => r.toFixed(2)).join(', ')} |`);
});
