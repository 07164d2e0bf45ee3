import { base64url, sha256Hex } from '../util/encoding';

// The console's session (README "Console"): a cookie holding an expiry and a random nonce, signed
// with a key derived from ADMIN_TOKEN, so no session is stored and rotating ADMIN_TOKEN signs every
// session out. The CSRF token of its forms is an HMAC of the nonce: only a page of this session has it.

export const SESSION_COOKIE = 'scim_console';
export const SESSION_SECONDS = 3600;

async function key(adminToken: string): Promise<CryptoKey> {
  const raw = new TextEncoder().encode(await sha256Hex(`scim-console-session:${adminToken}`));
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

async function mac(adminToken: string, text: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', await key(adminToken), new TextEncoder().encode(text))));
}

export interface Session {
  nonce: string;
  expires: number;
}

/** A new session's cookie value. */
export async function newSession(adminToken: string, now = Date.now()): Promise<string> {
  const body = `${now + SESSION_SECONDS * 1000}.${base64url(crypto.getRandomValues(new Uint8Array(18)))}`;
  return `${body}.${await mac(adminToken, body)}`;
}

/** The session a cookie value stands for, if it is one of ours and has not expired. */
export async function sessionOf(adminToken: string, value: string | undefined, now = Date.now()): Promise<Session | undefined> {
  const parts = value?.split('.');
  if (!parts || parts.length !== 3) return undefined;
  const [expires, nonce, signature] = parts as [string, string, string];
  const expected = await mac(adminToken, `${expires}.${nonce}`);
  const a = new TextEncoder().encode(expected);
  const b = new TextEncoder().encode(signature);
  if (a.length !== b.length || !crypto.subtle.timingSafeEqual(a, b)) return undefined;
  if (!(Number(expires) > now)) return undefined;
  return { nonce, expires: Number(expires) };
}

/** The CSRF token every form of this session carries. */
export async function csrfToken(adminToken: string, session: Session): Promise<string> {
  return mac(adminToken, `csrf:${session.nonce}`);
}

export async function csrfValid(adminToken: string, session: Session, given: unknown): Promise<boolean> {
  if (typeof given !== 'string') return false;
  const a = new TextEncoder().encode(await csrfToken(adminToken, session));
  const b = new TextEncoder().encode(given);
  return a.length === b.length && crypto.subtle.timingSafeEqual(a, b);
}

// Failed sign-ins, per client address and isolate: 5 a minute, then 429 until the minute is over.
const failures = new Map<string, { count: number; since: number }>();
export const MAX_FAILED_SIGN_INS = 5;

export function signInBlocked(client: string, now = Date.now()): boolean {
  const f = failures.get(client);
  return f !== undefined && now - f.since < 60_000 && f.count >= MAX_FAILED_SIGN_INS;
}

export function recordFailedSignIn(client: string, now = Date.now()): void {
  const f = failures.get(client);
  if (!f || now - f.since >= 60_000) failures.set(client, { count: 1, since: now });
  else f.count++;
  if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
}
