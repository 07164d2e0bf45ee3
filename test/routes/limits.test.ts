import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { app } from '../../src/app';
import { body, newTenant } from '../helpers';

describe('rate limit', () => {
  it('answers 429 with Retry-After once a token exceeds RATE_LIMIT_PER_MINUTE', async () => {
    const scim = await newTenant();
    const limited = { ...env, RATE_LIMIT_PER_MINUTE: '3' };
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      const ctx = createExecutionContext();
      last = await app.request('http://scim.test/scim/v2/Users', { headers: { Authorization: `Bearer ${scim.token}` } }, limited, ctx);
      await waitOnExecutionContext(ctx);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(last!.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await body(last!)).toMatchObject({ status: '429', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
  });

  it('is off by default', async () => {
    const scim = await newTenant();
    const results = await Promise.all(Array.from({ length: 20 }, () => scim.get('/ServiceProviderConfig')));
    expect(results.every((r) => r.status === 200)).toBe(true);
  });
});

describe('logging', () => {
  it('writes one structured line per request and never the token, admin secret or password', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    const errors = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    try {
      const scim = await newTenant();
      await scim.post('/Users', { userName: 'logged', password: 'Sup3r-Secret-Pw' });
      await scim.get('/Users?filter=userName%20eq%20%22logged%22');
      const text = lines.join('\n');
      expect(text).not.toContain(scim.token);
      expect(text).not.toContain(env.ADMIN_TOKEN!);
      expect(text).not.toContain('Sup3r-Secret-Pw');
      const access = lines.map((l) => JSON.parse(l)).find((l) => l.method === 'POST' && l.path === '/scim/v2/Users');
      expect(access).toMatchObject({ tenant: scim.tenant, status: 201 });
      expect(access).toHaveProperty('requestId');
      expect(access).toHaveProperty('tokenId');
      expect(access).toHaveProperty('durationMs');
    } finally {
      spy.mockRestore();
      errors.mockRestore();
    }
  });
});
