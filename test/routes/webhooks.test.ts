import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { admin, newTenant } from '../helpers';

// The webhook endpoints' admin API (README "Webhooks"). Delivery to a real receiver, signatures
// and retries: test/scripts/webhooks.test.mjs (wrangler dev and its queue).

async function json(res: Response): Promise<any> {
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

async function until<T>(check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('webhook endpoints', () => {
  it('creates (secret shown once), lists, reads, changes and deletes an endpoint', async () => {
    const { tenant } = await newTenant();
    const created = await admin(`/tenants/${tenant}/webhooks`, 'POST', { url: 'https://receiver.example/scim', types: ['user.*', 'group.member_added'], description: 'app' });
    expect(created.status).toBe(201);
    const hook = await json(created);
    expect(hook).toMatchObject({ url: 'https://receiver.example/scim', types: ['user.*', 'group.member_added'], description: 'app', enabled: true });
    expect(hook.id).toMatch(/^wh_/);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const listed = await json(await admin(`/tenants/${tenant}/webhooks`));
    expect(listed.webhooks.map((w: any) => w.id)).toEqual([hook.id]);
    expect(JSON.stringify(listed)).not.toContain(hook.secret);
    // Stored encrypted, never in clear.
    const stored = await env.DB.prepare('SELECT secret FROM webhooks WHERE tenant_id = ?').bind(tenant).first<{ secret: string }>();
    expect(stored!.secret).not.toContain(hook.secret.slice(6));
    const changed = await json(await admin(`/tenants/${tenant}/webhooks/${hook.id}`, 'PATCH', { enabled: false, types: ['user.deleted'] }));
    expect(changed).toMatchObject({ enabled: false, types: ['user.deleted'], disabledReason: 'disabled by an operator' });
    expect((await json(await admin(`/tenants/${tenant}/webhooks/${hook.id}`, 'PATCH', { enabled: true }))).disabledReason).toBeNull();
    expect((await admin(`/tenants/${tenant}/webhooks/${hook.id}`, 'DELETE')).status).toBe(204);
    expect((await admin(`/tenants/${tenant}/webhooks/${hook.id}`)).status).toBe(404);
  });

  it('refuses what it cannot deliver to: http, loopback without ALLOW_LOOPBACK_WEBHOOKS, bad types', async () => {
    const { tenant } = await newTenant();
    const refused = ['http://receiver.example/', 'https://127.0.0.1:9/', 'https://127.0.0.2/', 'http://localhost:8080/', 'https://10.0.0.1/', 'https://169.254.169.254/latest', 'https://0.0.0.0/', 'https://[::ffff:127.0.0.1]/', 'https://[fd00::1]/', 'https://user:pw@receiver.example/', 'not a url'];
    for (const body of [...refused.map((url) => ({ url })), { url: 'https://receiver.example/', types: ['nope'] }, {}]) {
      const res = await admin(`/tenants/${tenant}/webhooks`, 'POST', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
    }
    expect((await admin('/tenants/no-such-tenant/webhooks', 'POST', { url: 'https://receiver.example/' })).status).toBe(404);
  });

  it('rotates the secret: a new one, and the previous one signs beside it for the grace period', async () => {
    const { tenant } = await newTenant();
    const hook = await json(await admin(`/tenants/${tenant}/webhooks`, 'POST', { url: 'https://receiver.example/' }));
    const rotated = await json(await admin(`/tenants/${tenant}/webhooks/${hook.id}/rotate-secret`, 'POST', { graceSeconds: 3600 }));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(hook.secret);
    expect(Date.parse(rotated.previousSecretValidUntil)).toBeGreaterThan(Date.now());
    expect((await json(await admin(`/tenants/${tenant}/webhooks/${hook.id}`))).previousSecretValidUntil).toBe(rotated.previousSecretValidUntil);
  });

  it('queues a delivery for each new event of its types, and logs a failed attempt with its next retry', async () => {
    const scim = await newTenant();
    await scim.createUser('before-the-hook'); // an endpoint gets what happens after it exists
    const hook = await json(await admin(`/tenants/${scim.tenant}/webhooks`, 'POST', { url: 'https://receiver.invalid/scim', types: ['user.created'] }));
    await scim.createUser('after-the-hook');
    await scim.createGroup('not a user event');
    const deliveries = await until(async () => {
      const log = await json(await admin(`/tenants/${scim.tenant}/webhooks/${hook.id}/deliveries`));
      return log.deliveries[0]?.attempts >= 1 ? log.deliveries : undefined;
    });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
    expect(deliveries[0].lastError).toMatch(/could not connect|HTTP/);
    const next = Date.parse(deliveries[0].nextRetry) - Date.now();
    expect(next).toBeGreaterThan(0);
    expect(next).toBeLessThanOrEqual(30_000);
    // A retry by hand is queued at once.
    const retried = await admin(`/tenants/${scim.tenant}/webhooks/${hook.id}/deliveries/${deliveries[0].id}/retry`, 'POST');
    expect(retried.status).toBe(202);
    await until(async () => ((await json(await admin(`/tenants/${scim.tenant}/webhooks/${hook.id}/deliveries`))).deliveries[0].attempts >= 2 ? true : undefined));
  });

  it('disables an endpoint failing for 5 days without a success, and says so in its GET', async () => {
    const scim = await newTenant();
    const hook = await json(await admin(`/tenants/${scim.tenant}/webhooks`, 'POST', { url: 'https://receiver.invalid/scim' }));
    // It has been failing since six days ago; the next failed attempt disables it.
    await env.DB.prepare('UPDATE webhooks SET failing_since = ? WHERE tenant_id = ? AND id = ?').bind(new Date(Date.now() - 6 * 86_400_000).toISOString(), scim.tenant, hook.id).run();
    await scim.createUser('one-more-event');
    const after = await until(async () => {
      const now = await json(await admin(`/tenants/${scim.tenant}/webhooks/${hook.id}`));
      return now.enabled === false ? now : undefined;
    });
    expect(after.disabledReason).toBe('failing for 5 days');
    const [delivery] = (await json(await admin(`/tenants/${scim.tenant}/webhooks/${hook.id}/deliveries`))).deliveries;
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, nextRetry: null });
  });
});
