import { forgetCachedToken, issueToken, kvExpiration, metadataKey, tokenKey, type IssueOptions, type TokenMetadata, type TokenRecord, revokedKey } from './tokens';
import { markRevoked } from './revocation';

/** Token metadata as the admin API shows it: never the token, never its hash. */
export type TokenView = Omit<TokenMetadata, 'hash'>;

export function toView(metadata: TokenMetadata): TokenView {
  const { hash: _hash, ...view } = metadata;
  return view;
}

export async function listTokens(kv: KVNamespace, tenantId: string): Promise<TokenMetadata[]> {
  const out: TokenMetadata[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: metadataKey(tenantId, ''), cursor });
    const values = await Promise.all(
      page.keys.map(async (k) => {
        const metadata = await kv.get<TokenMetadata>(k.name, 'json');
        const lastUsed = metadata ? await kv.get(lastUsedKey(tenantId, metadata.id)) : null;
        return metadata && lastUsed ? { ...metadata, lastUsed } : metadata;
      }),
    );
    for (const v of values) if (v) out.push(v);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out.sort((a, b) => a.created.localeCompare(b.created));
}

export async function getToken(kv: KVNamespace, tenantId: string, id: string): Promise<TokenMetadata | undefined> {
  return (await kv.get<TokenMetadata>(metadataKey(tenantId, id), 'json')) ?? undefined;
}

/** Revokes at once: KV entries deleted, and a marker in this location's cache (see docs/tokens.md). */
/** How long a revoked token's tombstone stays: as long as the provisioning log keeps entries and more. */
const REVOKED_TOMBSTONE_SECONDS = 30 * 86_400;

export async function revokeToken(kv: KVNamespace, metadata: TokenMetadata): Promise<void> {
  await markRevoked(metadata.hash);
  forgetCachedToken(metadata.hash);
  // A tombstone (no secret in it) lets the provisioning log say "revoked" rather than "unknown".
  await kv.put(revokedKey(metadata.hash), '1', { expirationTtl: REVOKED_TOMBSTONE_SECONDS });
  await kv.delete(tokenKey(metadata.hash));
  await kv.delete(metadataKey(metadata.tenantId, metadata.id));
  await kv.delete(lastUsedKey(metadata.tenantId, metadata.id));
}

/**
 * Rotation with overlap: the new token works at once; the old one keeps working for `graceSeconds`
 * (0 = stops now), then stops — so an IdP's stored secret can be swapped without downtime.
 */
export async function rotateToken(
  kv: KVNamespace,
  old: TokenMetadata,
  graceSeconds: number,
  now = Date.now(),
): Promise<{ token: string; metadata: TokenMetadata }> {
  const options: IssueOptions = {
    tenantId: old.tenantId,
    label: old.label,
    scopes: old.scopes,
    expires: old.expires,
    subject: old.subject,
    shard: old.shard,
  };
  const fresh = await issueToken(kv, options, now);
  if (graceSeconds <= 0) {
    await revokeToken(kv, old);
  } else {
    const graceEnd = new Date(now + graceSeconds * 1000).toISOString();
    const expires = old.expires && old.expires < graceEnd ? old.expires : graceEnd;
    const record: TokenRecord = { ...stripMetadata(old), expires };
    await kv.put(tokenKey(old.hash), JSON.stringify(record), kvExpiration(expires, now));
    // This isolate sees the grace end at once; others within TOKEN_CACHE_MS (docs/tokens.md).
    forgetCachedToken(old.hash);
    await kv.put(metadataKey(old.tenantId, old.id), JSON.stringify({ ...old, expires, rotatedTo: fresh.metadata.id }), kvExpiration(expires, now));
  }
  return fresh;
}

function stripMetadata(m: TokenMetadata): TokenRecord {
  const { hash: _h, hint: _hint, lastUsed: _l, rotatedTo: _r, ...record } = m;
  return record;
}

export async function revokeAllTokens(kv: KVNamespace, tenantId: string): Promise<number> {
  const tokens = await listTokens(kv, tenantId);
  for (const t of tokens) await revokeToken(kv, t);
  return tokens.length;
}

/**
 * Points every token of a tenant at its new data database (a move's flip, service/move.ts): the
 * record authentication reads, and the metadata. Other locations see it within KV's bound; until
 * then their writes reach the old database, which refuses them (its row names the new one).
 */
export async function reassignTokens(kv: KVNamespace, tenantId: string, shard: string, now = Date.now()): Promise<number> {
  const tokens = await listTokens(kv, tenantId);
  for (const { hash, hint, lastUsed, rotatedTo, ...record } of tokens) {
    const moved: TokenRecord = { ...record, shard };
    await kv.put(tokenKey(hash), JSON.stringify(moved), kvExpiration(record.expires, now));
    await kv.put(metadataKey(tenantId, record.id), JSON.stringify({ ...moved, hash, hint, ...(lastUsed ? { lastUsed } : {}), ...(rotatedTo ? { rotatedTo } : {}) }), kvExpiration(record.expires, now));
    forgetCachedToken(hash);
  }
  return tokens.length;
}

/** Records last use at most once per interval per isolate: KV allows one write per second per key. */
const LAST_USED_INTERVAL_MS = 5 * 60_000;
/** An orphaned last-use entry (its token revoked meanwhile) disappears on its own. */
const LAST_USED_TTL_SECONDS = 400 * 86_400;
const lastWritten = new Map<string, number>();

function lastUsedKey(tenantId: string, id: string): string {
  return `tokenlast:${tenantId}:${id}`;
}

/**
 * Last use lives under its own key, written blind: rewriting the metadata record here could
 * resurrect a token revoked meanwhile in the listing, or undo a rotation's expiry.
 */
export async function recordLastUse(kv: KVNamespace, record: TokenRecord, now = Date.now()): Promise<void> {
  const previous = lastWritten.get(record.id);
  if (previous !== undefined && now - previous < LAST_USED_INTERVAL_MS) return;
  lastWritten.set(record.id, now);
  await kv.put(lastUsedKey(record.tenantId, record.id), new Date(now).toISOString(), { expirationTtl: LAST_USED_TTL_SECONDS });
}
