import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { revokeToken } from '../../src/auth/lifecycle';
import { isExpired, issueToken, KV_CACHE_TTL_SECONDS, kvExpiration, lookupToken, TOKEN_CACHE_MS, type TokenRecord } from '../../src/auth/tokens';

// Expiry is decided at an injected `now`, against real KV: no test waits for a token to expire.

const record = (expires?: string): TokenRecord => ({ id: 'id', tenantId: 't', label: 'l', scopes: ['scim:read'], created: '2024-01-01T00:00:00.000Z', ...(expires ? { expires } : {}) });
const iso = (ms: number) => new Date(ms).toISOString();

describe('isExpired', () => {
  it('is false before the expiry instant and true from it on', () => {
    const at = Date.parse('2030-06-01T12:00:00.000Z');
    expect(isExpired(record(iso(at)), at - 1)).toBe(false);
    expect(isExpired(record(iso(at)), at)).toBe(true);
    expect(isExpired(record(iso(at)), at + 1)).toBe(true);
  });

  it('is never true for a token without an expiry', () => {
    expect(isExpired(record(), Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

describe('kvExpiration', () => {
  it('lets KV drop a record 60 s after its expiry, never sooner than 120 s from now, and never without one', () => {
    const now = Date.parse('2030-06-01T12:00:00.000Z');
    expect(kvExpiration(undefined, now)).toEqual({});
    expect(kvExpiration(iso(now + 3_600_000), now)).toEqual({ expiration: now / 1000 + 3_600 + 60 });
    expect(kvExpiration(iso(now + 1_000), now)).toEqual({ expiration: now / 1000 + 120 });
    expect(kvExpiration(iso(now - 86_400_000), now)).toEqual({ expiration: now / 1000 + 120 });
  });
});

describe('issueToken and lookupToken', () => {
  it('stamps created with now and finds the token until its expiry, then no more', async () => {
    const now = Date.now();
    const tenantId = crypto.randomUUID();
    const { token, metadata } = await issueToken(env.TOKENS, { tenantId, label: 'dated', expires: iso(now + 60_000) }, now);
    expect(metadata.created).toBe(iso(now));
    expect(await lookupToken(env.TOKENS, token, now + 59_999)).toMatchObject({ id: metadata.id, tenantId, expires: iso(now + 60_000) });
    expect(await lookupToken(env.TOKENS, token, now + 60_000)).toBeUndefined();
    // On the real clock too: it was issued a moment ago and expires in a minute.
    expect(await lookupToken(env.TOKENS, token)).toMatchObject({ id: metadata.id });
  });

  it('finds a token without an expiry at any time, and nothing for an unknown token or one without the prefix', async () => {
    const { token, metadata } = await issueToken(env.TOKENS, { tenantId: crypto.randomUUID(), label: 'forever' });
    expect(metadata).not.toHaveProperty('expires');
    expect(await lookupToken(env.TOKENS, token, Date.now() + 100 * 365 * 86_400_000)).toMatchObject({ id: metadata.id });
    expect(await lookupToken(env.TOKENS, `${token.slice(0, -1)}x`)).toBeUndefined();
    expect(await lookupToken(env.TOKENS, token.slice('scim_'.length))).toBeUndefined();
  });
});

describe('the warm-isolate token cache', () => {
  it('keeps a revocation elsewhere within the 60 s docs/tokens.md promises: KV\'s edge cache plus the isolate\'s', () => {
    expect(KV_CACHE_TTL_SECONDS).toBeGreaterThanOrEqual(30); // KV refuses less
    expect(KV_CACHE_TTL_SECONDS + TOKEN_CACHE_MS / 1000).toBeLessThanOrEqual(60);
  });

  it('answers a known token without KV for TOKEN_CACHE_MS, then reads KV again', async () => {
    const now = Date.parse('2030-06-01T12:00:00.000Z');
    const { token, metadata } = await issueToken(env.TOKENS, { tenantId: 'cache-t', label: 'cache' }, now);
    expect((await lookupToken(env.TOKENS, token, now))?.id).toBe(metadata.id);
    // Another location's revocation: the key is gone from KV, but not yet seen here.
    await env.TOKENS.delete(`token:${metadata.hash}`);
    expect((await lookupToken(env.TOKENS, token, now + TOKEN_CACHE_MS - 1))?.id).toBe(metadata.id);
    expect(await lookupToken(env.TOKENS, token, now + TOKEN_CACHE_MS)).toBeUndefined();
  });

  it('never answers past the token\u2019s own expiry, whatever it cached', async () => {
    const now = Date.parse('2030-06-01T12:00:00.000Z');
    const expires = new Date(now + 10_000).toISOString();
    const { token } = await issueToken(env.TOKENS, { tenantId: 'cache-t', label: 'short', expires }, now);
    expect(await lookupToken(env.TOKENS, token, now)).toBeDefined();
    expect(await lookupToken(env.TOKENS, token, now + 10_000)).toBeUndefined();
  });

  it('sees a revocation made in this location at once', async () => {
    const now = Date.now();
    const { token, metadata } = await issueToken(env.TOKENS, { tenantId: 'cache-t', label: 'revoked' }, now);
    expect(await lookupToken(env.TOKENS, token, now)).toBeDefined();
    await revokeToken(env.TOKENS, metadata);
    expect(await lookupToken(env.TOKENS, token, now + 1)).toBeUndefined();
  });
});
