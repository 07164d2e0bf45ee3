import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { backgroundExecutor } from '../../src/http/composition-root';
import { pruneRequestLog } from '../../src/service/retention';
import { admin, call, newTenant, PATCH_OP, type Scim } from '../helpers';

// The provisioning log (issue 14, README "Provisioning log"): written after each response, so the
// tests poll for it.

type Entry = Record<string, any>;

async function entries(tenant: string, query = ''): Promise<{ requests: Entry[]; nextCursor: string | null }> {
  const res = await admin(`/tenants/${tenant}/requests${query}`);
  if (res.status !== 200) throw new Error(`log: ${res.status} ${await res.text()}`);
  return res.json();
}

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const logged = (tenant: string, n: number, query = '') => until(`${n} entries`, async () => {
  const page = await entries(tenant, query);
  return page.requests.length >= n ? page.requests : undefined;
});

describe('the provisioning log', () => {
  it('records each request with its token, status, cost, client and resource; never a password or the Authorization header', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('logged-user');
    const res = await call(`/scim/v2/Users/${user.id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${scim.token}`, 'Content-Type': 'application/scim+json', 'User-Agent': 'Azure Active Directory SCIM Client' },
      body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'password', value: 'Hunter2-Secret!' }, { op: 'replace', value: { password: 'Other-Secret-9' } }] }),
    });
    expect(res.status).toBe(200);
    const [patch] = await logged(scim.tenant, 2);
    expect(patch).toMatchObject({ method: 'PATCH', path: `/scim/v2/Users/${user.id}`, status: 200, resourceId: user.id, tokenLabel: 'test', userAgent: 'Azure Active Directory SCIM Client', authFailure: null });
    expect(patch!.rowsRead).toBeGreaterThan(0);
    expect(patch!.durationMs).toBeGreaterThanOrEqual(0);
    const detail = await (await admin(`/tenants/${scim.tenant}/requests/${patch!.requestId}`)).json() as Entry;
    expect(detail.requestBody).toContain('[redacted]');
    const stored = await env.DB.prepare('SELECT * FROM request_log WHERE tenant_id = ?').bind(scim.tenant).all();
    const everything = JSON.stringify(stored.results);
    for (const secret of ['Hunter2-Secret!', 'Other-Secret-9', scim.token, 'Bearer']) expect(everything).not.toContain(secret);
    // The created user is the POST's resource.
    expect((await entries(scim.tenant, '?method=POST')).requests[0]).toMatchObject({ status: 201, resourceId: user.id });
  });

  it('keeps the body of a request answered without reading it (415), and none of a body past the payload limit (413)', async () => {
    const scim = await newTenant();
    const headers = { Authorization: `Bearer ${scim.token}` };
    const rejected = await call('/scim/v2/Users', { method: 'POST', headers: { ...headers, 'Content-Type': 'text/plain' }, body: '{"userName":"plain-text-body"}' });
    expect(rejected.status).toBe(415);
    const huge = await call('/scim/v2/Users', { method: 'POST', headers: { ...headers, 'Content-Type': 'application/scim+json' }, body: JSON.stringify({ userName: 'x'.repeat(600_000) }) });
    expect(huge.status).toBe(413);
    const [tooLarge, plain] = await logged(scim.tenant, 2);
    const detailOf = async (e: Entry) => (await (await admin(`/tenants/${scim.tenant}/requests/${e.requestId}`)).json()) as Entry;
    expect(plain).toMatchObject({ status: 415 });
    expect((await detailOf(plain!)).requestBody).toContain('plain-text-body');
    expect(tooLarge).toMatchObject({ status: 413 });
    expect((await detailOf(tooLarge!)).requestBody).toBeNull();
  });

  it('says why authentication failed: missing, unknown, revoked, expired, wrong tenant, insufficient scope', async () => {
    const scim = await newTenant();
    const other = await newTenant();
    const base = `/t/${scim.tenant}/scim/v2/Users`;
    const as = (token?: string, method = 'GET') => call(base, { method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/scim+json' }, ...(method === 'POST' ? { body: JSON.stringify({ userName: 'x' }) } : {}) });
    const mint = async (body: Record<string, unknown>) => (await (await admin(`/tenants/${scim.tenant}/tokens`, 'POST', { label: 'case', ...body })).json()) as { id: string; token: string };
    const revoked = await mint({});
    await admin(`/tenants/${scim.tenant}/tokens/${revoked.id}`, 'DELETE');
    // About 0.9 s of life.
    const rotated = await mint({ expiresInDays: 0.00001 });
    await new Promise((r) => setTimeout(r, 1100));
    const reader = await mint({ scopes: ['scim:read'] });
    expect((await as()).status).toBe(401);
    expect((await as('scim_unknownunknownunknownunknownunknownunknown')).status).toBe(401);
    expect((await as(revoked.token)).status).toBe(401);
    expect((await as(rotated.token)).status).toBe(401);
    expect((await as(other.token)).status).toBe(401);
    expect((await as(reader.token, 'POST')).status).toBe(403);
    const failures = (await logged(scim.tenant, 6, '?status=4xx')).map((e) => e.authFailure).sort();
    expect(failures).toEqual(['expired', 'insufficient_scope', 'missing', 'revoked', 'unknown', 'wrong_tenant']);
  });

  it('filters by status, token, resource and method, newest first, and pages with a cursor', async () => {
    const scim: Scim = await newTenant();
    const user = await scim.createUser('filtered');
    for (let i = 0; i < 3; i++) await scim.get(`/Users/${user.id}`);
    await scim.get('/Users/no-such-user');
    await logged(scim.tenant, 5);
    expect((await entries(scim.tenant, '?status=404')).requests).toHaveLength(1);
    expect((await entries(scim.tenant, '?status=2xx')).requests).toHaveLength(4);
    expect((await entries(scim.tenant, `?resource=${user.id}`)).requests).toHaveLength(4);
    expect((await entries(scim.tenant, '?method=get')).requests).toHaveLength(4);
    const all = (await entries(scim.tenant)).requests;
    expect([...all.map((e) => e.at)]).toEqual([...all.map((e) => e.at)].sort().reverse());
    const tokenId = all[0]!.tokenId;
    expect((await entries(scim.tenant, `?token=${tokenId}`)).requests).toHaveLength(5);
    const seen: string[] = [];
    let page = await entries(scim.tenant, '?limit=2');
    seen.push(...page.requests.map((e) => e.requestId));
    while (page.nextCursor) {
      page = await entries(scim.tenant, `?limit=2&after=${encodeURIComponent(page.nextCursor)}`);
      seen.push(...page.requests.map((e) => e.requestId));
    }
    expect(seen).toEqual(all.map((e) => e.requestId));
    for (const bad of ['?status=6xx', '?limit=0', '?method=BREW', '?after=forged']) expect((await admin(`/tenants/${scim.tenant}/requests${bad}`)).status, bad).toBe(400);
    // The tenant's existence, then one page by its time index (limit + 1 entries, to know there is
    // more): 2 round trips, rows in proportion to the page (measured 8 for limit=2), not to the log.
    const costed = await admin(`/tenants/${scim.tenant}/requests?limit=2`);
    expect(costed.headers.get('X-D1-Round-Trips')).toBe('2');
    expect(Number(costed.headers.get('X-D1-Rows-Read'))).toBeLessThanOrEqual(2 + 2 * 3);
    expect((await admin(`/tenants/${scim.tenant}/requests/nope`)).status).toBe(404);
  });

  it('keeps metadata only with REQUEST_LOG_BODIES=false, and prunes entries past REQUEST_LOG_DAYS', async () => {
    const scim = await newTenant();
    await scim.withVars({ REQUEST_LOG_BODIES: 'false' }).createUser('quiet');
    const [entry] = await logged(scim.tenant, 1);
    const detail = (await (await admin(`/tenants/${scim.tenant}/requests/${entry!.requestId}`)).json()) as Entry;
    expect(detail.requestBody).toBeNull();
    expect(detail.responseBody).toBeNull();
    await env.DB.prepare('UPDATE request_log SET at = ? WHERE tenant_id = ?').bind(new Date(Date.now() - 20 * 86_400_000).toISOString(), scim.tenant).run();
    await scim.get('/Users');
    await logged(scim.tenant, 2);
    await pruneRequestLog(backgroundExecutor(env), { ...env, REQUEST_LOG_DAYS: '14' });
    expect((await entries(scim.tenant)).requests.map((e) => e.method)).toEqual(['GET']);
  });

  it('shows each token\'s activity in the token list: last success, last failure, 24-hour counts', async () => {
    const scim = await newTenant();
    await scim.get('/Users');
    await scim.get('/Users/missing');
    await scim.get('/Groups');
    const entries3 = await logged(scim.tenant, 3);
    const { tokens } = (await (await admin(`/tenants/${scim.tenant}/tokens`)).json()) as { tokens: Entry[] };
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ counts: { '2xx': 2, '4xx': 1, '5xx': 0 } });
    expect(tokens[0]!.lastSuccess).toBe(entries3[0]!.at);
    expect(tokens[0]!.lastFailure).toBe(entries3[1]!.at);
  });

  it('keeps no log for a tenant that does not exist, no body for an unauthenticated request, and every request of a repeated X-Request-Id', async () => {
    const scim = await newTenant();
    const ghost = `ghost${Date.now().toString(36)}`;
    expect((await call(`/t/${ghost}/scim/v2/Users`, { method: 'POST', headers: { 'Content-Type': 'application/scim+json' }, body: JSON.stringify({ userName: 'x', password: 'p' }) })).status).toBe(401);
    const denied = await call(`/t/${scim.tenant}/scim/v2/Users`, { method: 'POST', headers: { 'Content-Type': 'application/scim+json' }, body: JSON.stringify({ userName: 'y', pin: '1234' }) });
    expect(denied.status).toBe(401);
    for (let i = 0; i < 3; i++) await call('/scim/v2/Users', { headers: { Authorization: `Bearer ${scim.token}`, 'X-Request-Id': 'same-id' } });
    const rows = await logged(scim.tenant, 4);
    expect(rows.filter((r) => r.requestId === 'same-id')).toHaveLength(3);
    const failure = rows.find((r) => r.authFailure === 'missing')!;
    const detail = (await (await admin(`/tenants/${scim.tenant}/requests/${failure.requestId}`)).json()) as Entry;
    expect(detail.requestBody).toBeNull();
    const ghosts = await env.DB.prepare('SELECT count(*) AS n FROM request_log WHERE tenant_id = ?').bind(ghost).first<{ n: number }>();
    expect(ghosts!.n).toBe(0);
  });

  it('shows a tenant created again none of the earlier tenant\'s requests, and answers a malformed tenant path with 401, not 500', async () => {
    const scim = await newTenant();
    await scim.get('/Users?first-life');
    await logged(scim.tenant, 1);
    await admin(`/tenants/${scim.tenant}`, 'DELETE');
    expect((await admin('/tenants', 'POST', { id: scim.tenant })).status).toBe(201);
    const fresh = (await (await admin(`/tenants/${scim.tenant}/tokens`, 'POST', { label: 'again' })).json()) as { token: string };
    await call('/scim/v2/Users?second-life', { headers: { Authorization: `Bearer ${fresh.token}` } });
    const rows = await logged(scim.tenant, 1);
    expect(rows.map((r) => r.query)).toEqual(['second-life']);
    expect((await call('/t/%ZZ/scim/v2/Users')).status).toBe(401);
  });
});
