import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getToken, listTokens, recordLastUse, rotateToken } from '../../src/auth/lifecycle';
import { issueToken, lookupToken } from '../../src/auth/tokens';

// Rotation and last use are decided at an injected `now`, against real KV: no test waits for a
// grace period to end.

const iso = (ms: number) => new Date(ms).toISOString();

async function issued(expires?: string, now = Date.now()) {
  return issueToken(env.TOKENS, { tenantId: crypto.randomUUID(), label: 'rotating', ...(expires ? { expires } : {}) }, now);
}

describe('rotateToken', () => {
  it('keeps the old token working until the grace period ends, then only the new one', async () => {
    const now = Date.now();
    const old = await issued(undefined, now);
    const fresh = await rotateToken(env.TOKENS, old.metadata, 30, now);
    expect(fresh.metadata.created).toBe(iso(now));
    expect(await lookupToken(env.TOKENS, old.token, now)).toMatchObject({ id: old.metadata.id });
    expect(await lookupToken(env.TOKENS, old.token, now + 29_999)).toMatchObject({ id: old.metadata.id });
    expect(await lookupToken(env.TOKENS, old.token, now + 30_000)).toBeUndefined();
    expect(await lookupToken(env.TOKENS, fresh.token, now + 30_000)).toMatchObject({ id: fresh.metadata.id });
    expect(await lookupToken(env.TOKENS, fresh.token, now + 365 * 86_400_000)).toMatchObject({ id: fresh.metadata.id });
    // The listing shows the old token's grace end and its successor.
    expect(await getToken(env.TOKENS, old.metadata.tenantId, old.metadata.id)).toMatchObject({ expires: iso(now + 30_000), rotatedTo: fresh.metadata.id });
  });

  it('ends the grace period at the old token\'s own expiry when that comes first, and gives the new token that expiry', async () => {
    const now = Date.now();
    const old = await issued(iso(now + 10_000), now);
    const fresh = await rotateToken(env.TOKENS, old.metadata, 60, now);
    expect(await lookupToken(env.TOKENS, old.token, now + 9_999)).toBeDefined();
    expect(await lookupToken(env.TOKENS, old.token, now + 10_000)).toBeUndefined();
    expect(fresh.metadata.expires).toBe(iso(now + 10_000));
  });

  it('with a grace period of 0 revokes the old token at once', async () => {
    const now = Date.now();
    const old = await issued(undefined, now);
    const fresh = await rotateToken(env.TOKENS, old.metadata, 0, now);
    expect(await lookupToken(env.TOKENS, old.token, now)).toBeUndefined();
    expect(await getToken(env.TOKENS, old.metadata.tenantId, old.metadata.id)).toBeUndefined();
    expect(await lookupToken(env.TOKENS, fresh.token, now)).toMatchObject({ id: fresh.metadata.id });
  });
});

describe('recordLastUse', () => {
  it('records now as the last use, shown in the listing, at most once per five minutes', async () => {
    const now = Date.now();
    const { metadata } = await issued(undefined, now);
    const lastUsed = async () => (await listTokens(env.TOKENS, metadata.tenantId))[0]!.lastUsed;
    expect(await lastUsed()).toBeUndefined();
    await recordLastUse(env.TOKENS, metadata, now);
    expect(await lastUsed()).toBe(iso(now));
    await recordLastUse(env.TOKENS, metadata, now + 299_999);
    expect(await lastUsed()).toBe(iso(now));
    await recordLastUse(env.TOKENS, metadata, now + 300_000);
    expect(await lastUsed()).toBe(iso(now + 300_000));
  });
});
