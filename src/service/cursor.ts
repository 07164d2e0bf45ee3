import { expiredCursor, invalidCursor } from '../scim/errors';
import { base64url, fromBase64url, sha256Hex } from '../util/encoding';

/** How long a paging cursor stays valid (RFC 9865 cursorTimeout), in seconds. */
export const CURSOR_TIMEOUT_SECONDS = 3600;

/**
 * RFC 9865 cursors: opaque, tamper-evident (HMAC-SHA-256), bound to the tenant and the query, and
 * expiring after `cursorTimeout`. The payload is a keyset position (last sort key and id), so a page
 * costs what it returns, not what came before it.
 */
export interface CursorPosition {
  /** Sort key of the last row returned (null when it had none). */
  key: string | number | null;
  /** id of the last row returned. */
  id: string;
  /** totalResults as counted for the first page. */
  total: number;
}

interface Payload extends CursorPosition {
  /** Hash of what the cursor is bound to (tenant, resource type, filter, sortBy, sortOrder). */
  q: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

export async function bindingOf(parts: unknown[]): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(parts)));
  return base64url(new Uint8Array(digest).slice(0, 16));
}

export async function encodeCursor(secret: string, position: CursorPosition, binding: string, ttlSeconds: number, now = Date.now()): Promise<string> {
  const payload: Payload = { ...position, q: binding, exp: Math.floor(now / 1000) + ttlSeconds };
  const body = new TextEncoder().encode(JSON.stringify(payload));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), body));
  return `${base64url(body)}.${base64url(mac)}`;
}

export async function decodeCursor(secret: string, cursor: string, binding: string, now = Date.now()): Promise<CursorPosition> {
  const [body, mac, extra] = cursor.split('.');
  if (!body || !mac || extra !== undefined) throw invalidCursor('The cursor is not one this server issued.');
  let bodyBytes: Uint8Array;
  let macBytes: Uint8Array;
  try {
    bodyBytes = fromBase64url(body);
    macBytes = fromBase64url(mac);
  } catch {
    throw invalidCursor('The cursor is not one this server issued.');
  }
  if (!(await crypto.subtle.verify('HMAC', await hmacKey(secret), macBytes, bodyBytes))) {
    throw invalidCursor('The cursor is not one this server issued, or it was altered.');
  }
  const payload = JSON.parse(new TextDecoder().decode(bodyBytes)) as Payload;
  // RFC 9865: a cursor is only valid for the query (and tenant) that produced it.
  if (payload.q !== binding) throw invalidCursor('The cursor belongs to a different query.');
  if (payload.exp < now / 1000) throw expiredCursor('The cursor has expired; start again without one.');
  return { key: payload.key, id: payload.id, total: payload.total };
}

/** `text` with its HMAC-SHA-256 under `secret`: `<base64url text>.<base64url mac>` (the change feed's cursors). */
export async function signed(secret: string, text: string): Promise<string> {
  const body = new TextEncoder().encode(text);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), body));
  return `${base64url(body)}.${base64url(mac)}`;
}

/** The text `signed` made, or undefined when `token` is not one, or was altered. */
export async function verified(secret: string, token: string): Promise<string | undefined> {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return undefined;
  try {
    const bodyBytes = fromBase64url(body);
    if (!(await crypto.subtle.verify('HMAC', await hmacKey(secret), fromBase64url(mac), bodyBytes))) return undefined;
    return new TextDecoder().decode(bodyBytes);
  } catch {
    return undefined;
  }
}

const SECRET_KEY = 'config:cursor-secret';

/**
 * The HMAC secret: CURSOR_SECRET if set; else derived from ADMIN_TOKEN (the same in every location,
 * and rotating ADMIN_TOKEN merely expires open cursors); else, with neither, generated once into KV.
 * Called only when a request pages with a cursor.
 */
export async function cursorSecret(env: { CURSOR_SECRET?: string; ADMIN_TOKEN?: string; TOKENS: KVNamespace }): Promise<string> {
  if (env.CURSOR_SECRET) return env.CURSOR_SECRET;
  if (env.ADMIN_TOKEN) return sha256Hex(`scim-cursor-hmac:${env.ADMIN_TOKEN}`);
  const stored = await env.TOKENS.get(SECRET_KEY, { cacheTtl: 3600 });
  if (stored) return stored;
  const fresh = base64url(crypto.getRandomValues(new Uint8Array(32)));
  await env.TOKENS.put(SECRET_KEY, fresh);
  // Two locations may race to create it: cursors then work where they were issued (docs/storage.md).
  return (await env.TOKENS.get(SECRET_KEY)) ?? fresh;
}
