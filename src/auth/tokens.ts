// Tokens live in KV only as SHA-256 hashes (docs/storage.md lists the key prefixes). Every decision
// that depends on the clock takes `now` (milliseconds since the epoch) as its last parameter,
// defaulting to the real clock, so tests decide expiry and grace ends without waiting.
import { base64url, sha256Hex } from '../util/encoding';
import { isRevokedHere } from './revocation';

/** `events:read` reads the tenant's change feed (GET /events); never given unless asked for. */
export const SCOPES = ['scim:read', 'scim:write', 'events:read'] as const;
export type Scope = (typeof SCOPES)[number];
/** A new token's scopes when none are named: an IdP's (read and write the directory). */
export const DEFAULT_SCOPES: Scope[] = ['scim:read', 'scim:write'];
export const TOKEN_PREFIX = 'scim_';

/** What KV holds under `token:<sha256>`: enough to authorise a request, nothing secret. */
export interface TokenRecord {
  id: string;
  tenantId: string;
  label: string;
  scopes: Scope[];
  created: string;
  /** ISO time after which the token no longer works (expiry, or the end of a rotation grace). */
  expires?: string;
  /** User id that /Me stands for with this token (RFC 7644 §3.11). */
  subject?: string;
  /**
   * The tenant's data database (store/shards.ts), so that a request needs no directory lookup;
   * absent on records from before shards (DB). A move rewrites it (service/move.ts).
   */
  shard?: string;
}

/** What KV holds under `tokenmeta:<tenant>:<id>`: listing metadata plus the hash, for rotate/revoke. */
export interface TokenMetadata extends TokenRecord {
  hash: string;
  /** First characters and last four of the token, to recognise it in a list. */
  hint: string;
  lastUsed?: string;
  /** Set on a token being rotated out: the id of its successor. */
  rotatedTo?: string;
}

export function tokenKey(hash: string): string {
  return `token:${hash}`;
}

export function metadataKey(tenantId: string, id: string): string {
  return `tokenmeta:${tenantId}:${id}`;
}

/** 256 random bits with a recognisable prefix (secret scanners can match `scim_`). */
export function generateToken(): string {
  return TOKEN_PREFIX + base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The expiry of a token minted now that lives `days` days; undefined (never expires) without one. */
export function expiryAfterDays(days: number | undefined, now = Date.now()): string | undefined {
  return days ? new Date(now + days * 86_400_000).toISOString() : undefined;
}

export function isExpired(record: TokenRecord, now = Date.now()): boolean {
  return record.expires !== undefined && Date.parse(record.expires) <= now;
}

/** KV expiration (seconds since epoch) so expired records disappear on their own; KV needs ≥ 60 s ahead. */
export function kvExpiration(expires: string | undefined, now = Date.now()): { expiration?: number } {
  if (!expires) return {};
  const seconds = Math.ceil(Date.parse(expires) / 1000) + 60;
  return { expiration: Math.max(seconds, Math.ceil(now / 1000) + 120) };
}

export interface IssueOptions {
  tenantId: string;
  label: string;
  scopes?: Scope[];
  expires?: string;
  subject?: string;
  shard?: string;
  id?: string;
}

/** Mints a token, stores its hash and metadata, and returns the clear token (shown once). */
export async function issueToken(kv: KVNamespace, options: IssueOptions, now = Date.now()): Promise<{ token: string; metadata: TokenMetadata }> {
  const token = generateToken();
  const hash = await sha256Hex(token);
  const record: TokenRecord = {
    id: options.id ?? crypto.randomUUID(),
    tenantId: options.tenantId,
    label: options.label,
    scopes: options.scopes ?? DEFAULT_SCOPES,
    created: new Date(now).toISOString(),
    ...(options.expires ? { expires: options.expires } : {}),
    ...(options.subject ? { subject: options.subject } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
  };
  const metadata: TokenMetadata = { ...record, hash, hint: `${token.slice(0, 8)}…${token.slice(-4)}` };
  await kv.put(tokenKey(hash), JSON.stringify(record), kvExpiration(record.expires, now));
  await kv.put(metadataKey(record.tenantId, record.id), JSON.stringify(metadata), kvExpiration(record.expires, now));
  return { token, metadata };
}

/**
 * How long a warm isolate answers a known token without reading KV. It adds to KV's own edge cache,
 * which the record is read with for its shortest allowed time (KV_CACHE_TTL_SECONDS, KV's minimum;
 * its default is 60): together at most 60 s, the bound docs/tokens.md gives a revocation in other
 * locations. Never past the token's own expiry.
 */
export const TOKEN_CACHE_MS = 30_000;
export const KV_CACHE_TTL_SECONDS = 30;
const MAX_CACHED_TOKENS = 10_000;
const cachedHere = new Map<string, { record: TokenRecord; until: number }>();

/** Drops a token from this isolate's cache (its record was changed here: rotated, revoked). */
export function forgetCachedToken(hash: string): void {
  cachedHere.delete(hash);
}

/**
 * Looks a presented token up by its hash; undefined when unknown, revoked or expired. A revocation
 * made in this location is seen at once (auth/revocation.ts marker, checked on every lookup); a
 * known token is answered from this isolate's memory for TOKEN_CACHE_MS, so a warm isolate reads
 * no KV on the hot path.
 */
export async function lookupToken(kv: KVNamespace, token: string, now = Date.now()): Promise<TokenRecord | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const hash = await sha256Hex(token);
  const hit = cachedHere.get(hash);
  const [record, revoked] = await Promise.all([
    hit && now < hit.until ? hit.record : kv.get<TokenRecord>(tokenKey(hash), { type: 'json', cacheTtl: KV_CACHE_TTL_SECONDS }),
    isRevokedHere(hash),
  ]);
  if (!record || revoked) {
    cachedHere.delete(hash);
    return undefined;
  }
  if (isExpired(record, now)) return undefined;
  if (!hit || now >= hit.until) remember(hash, record, now);
  return record;
}

/** Why a request was not authenticated, as the provisioning log records it. */
export type AuthFailure = 'missing' | 'unknown' | 'expired' | 'revoked' | 'wrong_tenant' | 'insufficient_scope';

/** KV tombstone of a revoked token (auth/lifecycle.ts revokeToken): a refusal can say "revoked". */
export function revokedKey(hash: string): string {
  return `revoked:${hash}`;
}

/** For a token lookupToken refused: expired, revoked, or unknown. Reads KV only on this failure path. */
export async function refusalOf(kv: KVNamespace, token: string, now = Date.now()): Promise<'unknown' | 'expired' | 'revoked'> {
  if (!token.startsWith(TOKEN_PREFIX)) return 'unknown';
  const hash = await sha256Hex(token);
  if (await isRevokedHere(hash)) return 'revoked';
  const [record, tombstone] = await Promise.all([kv.get<TokenRecord>(tokenKey(hash), 'json'), kv.get(revokedKey(hash))]);
  if (tombstone !== null) return 'revoked';
  return record && isExpired(record, now) ? 'expired' : 'unknown';
}

function remember(hash: string, record: TokenRecord, now: number): void {
  if (cachedHere.size >= MAX_CACHED_TOKENS) cachedHere.delete(cachedHere.keys().next().value!);
  const expiry = record.expires === undefined ? Infinity : Date.parse(record.expires);
  cachedHere.set(hash, { record, until: Math.min(now + TOKEN_CACHE_MS, expiry) });
}
