// Webhook delivery end to end (README "Webhooks"): the project's real `wrangler dev` (its queue
// included) delivers to a receiver on this machine, which verifies every delivery with the
// `standardwebhooks` library, as a receiver in production would.
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devServer } from './ready.mjs';

/** A receiver answering each request with the next of `statuses` (the last one repeats). */
function receiver(statuses) {
  const received = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const status = statuses[Math.min(received.length, statuses.length - 1)];
      received.push({ path: req.url, headers: req.headers, body, status, at: Date.now() });
      res.writeHead(status).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, received, url: `http://127.0.0.1:${server.address().port}` })));
}

async function until(what, check, ms = 45_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('webhook delivery (wrangler dev, its queue, a local receiver)', () => {
  let dev;
  let adminCall;
  const receivers = [];
  beforeAll(async () => {
    dev = await devServer();
    adminCall = async (path, method = 'GET', body) => {
      const res = await fetch(`${dev.url}/admin${path}`, { method, headers: { Authorization: `Bearer ${dev.adminToken}`, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    };
  });
  afterAll(() => receivers.forEach((r) => r.server.close()));

  async function tenantWithHook(statuses, types) {
    const hook = await receiver(statuses);
    receivers.push(hook);
    const tenant = `wh${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    expect((await adminCall('/tenants', 'POST', { id: tenant })).status).toBe(201);
    const { token } = (await adminCall(`/tenants/${tenant}/tokens`, 'POST', { label: 'idp' })).json;
    const created = await adminCall(`/tenants/${tenant}/webhooks`, 'POST', { url: `${hook.url}/hook`, types, description: 'test receiver' });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_/);
    const scim = (path, body) => fetch(`${dev.url}/scim/v2${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' }, body: JSON.stringify(body) });
    return { hook, tenant, webhook: created.json, scim };
  }

  it('signs every delivery (Standard Webhooks), retries a failing receiver with the same webhook-id, and logs each attempt', async () => {
    const { hook, tenant, webhook, scim } = await tenantWithHook([500, 503, 200], ['user.*']);
    const res = await scim('/Users', { userName: 'hooked@example.com' });
    expect(res.status).toBe(201);
    const user = await res.json();
    await until('the third attempt', () => hook.received.length >= 3);
    const verifier = new Webhook(webhook.secret);
    const ids = new Set();
    for (const r of hook.received) {
      const payload = verifier.verify(r.body, { 'webhook-id': r.headers['webhook-id'], 'webhook-timestamp': r.headers['webhook-timestamp'], 'webhook-signature': r.headers['webhook-signature'] });
      expect(payload).toMatchObject({ type: 'user.created', resourceId: user.id, data: { userName: 'hooked@example.com' } });
      ids.add(r.headers['webhook-id']);
    }
    expect([...ids]).toEqual([hook.received[0].headers['webhook-id']]);
    expect([...ids][0]).toMatch(/^evt_/);
    // A tampered body fails verification: the library really checks.
    expect(() => verifier.verify(hook.received[0].body.replace('hooked', 'forged'), hook.received[0].headers)).toThrow();
    const log = await until('the delivery to succeed', async () => {
      const { json } = await adminCall(`/tenants/${tenant}/webhooks/${webhook.id}/deliveries`);
      return json.deliveries[0]?.status === 'succeeded' ? json.deliveries : undefined;
    });
    expect(log[0]).toMatchObject({ eventId: [...ids][0], attempts: 3, lastStatus: 200, status: 'succeeded' });
    // The first retry came within 30 s (here WEBHOOK_RETRY_BASE_SECONDS=1).
    expect(hook.received[1].at - hook.received[0].at).toBeLessThan(30_000);
    // An event of another type is not sent to this endpoint.
    await scim('/Groups', { displayName: 'not for this hook' });
    await new Promise((r) => setTimeout(r, 2500));
    expect(hook.received).toHaveLength(3);
  });

  it('disables an endpoint whose receiver answers 410 Gone, and says so', async () => {
    const { hook, tenant, webhook, scim } = await tenantWithHook([410], []);
    await scim('/Users', { userName: 'gone@example.com' });
    const after = await until('the endpoint to be disabled', async () => {
      const { json } = await adminCall(`/tenants/${tenant}/webhooks/${webhook.id}`);
      return json.enabled === false ? json : undefined;
    });
    expect(after.disabledReason).toMatch(/410/);
    expect(hook.received).toHaveLength(1);
  });
});
