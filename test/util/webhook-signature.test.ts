import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../../src/service/delivery';
import { deliveryHeaders, newWebhookSecret, signDelivery } from '../../src/util/webhook-signature';

describe('webhook signatures (Standard Webhooks)', () => {
  it('are accepted by the standardwebhooks library, with one secret or two (a rotation)', async () => {
    const secret = newWebhookSecret();
    const previous = newWebhookSecret();
    const body = JSON.stringify({ type: 'user.created', id: 'evt_1' });
    const timestamp = Math.floor(Date.now() / 1000);
    for (const secrets of [[secret], [secret, previous]]) {
      const headers = await deliveryHeaders(secrets, 'evt_1', timestamp, body);
      for (const s of secrets) expect(new Webhook(s).verify(body, headers)).toEqual(JSON.parse(body));
    }
    expect(() => new Webhook(newWebhookSecret()).verify(body, { 'webhook-id': 'evt_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': 'v1,AAAA' })).toThrow();
  });

  it('sign id.timestamp.body', async () => {
    const secret = newWebhookSecret();
    const a = await signDelivery(secret, 'evt_1', 1, 'x');
    expect(a).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(await signDelivery(secret, 'evt_1', 2, 'x')).not.toBe(a);
    expect(await signDelivery(secret, 'evt_2', 1, 'x')).not.toBe(a);
  });
});

describe('retry backoff', () => {
  it('retries first within the base, then doubles, capped at 12 hours, with jitter', () => {
    for (const r of [0, 0.5, 0.999]) {
      const first = retryDelaySeconds(1, 30, () => r);
      expect(first).toBeGreaterThanOrEqual(15);
      expect(first).toBeLessThanOrEqual(30);
    }
    expect(retryDelaySeconds(2, 30, () => 1)).toBe(60);
    expect(retryDelaySeconds(30, 30, () => 1)).toBe(43_200);
    expect(retryDelaySeconds(30, 30, () => 0)).toBe(21_600);
    // At least 3 days of attempts fit in Queues' message lifetime: the schedule's sum.
    let total = 0;
    let attempts = 0;
    while (total < 3 * 86_400) total += retryDelaySeconds(++attempts, 30, () => 0);
    expect(attempts).toBeLessThan(30);
  });
});
