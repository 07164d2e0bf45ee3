// What the provisioning log keeps of a request or response body (README "Provisioning log"):
// never a password or a write-only value (RFC 7643 §2.2 `writeOnly`, returned "never"), however it
// is sent: as an attribute, inside an extension, or as a PATCH operation's path and value. Pure.

export const REDACTED = '[redacted]';
/** Bodies are cut to this many characters (after redaction) in the log. */
export const MAX_LOGGED_BODY = 16_384;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The last name in an attribute path: `password`, `urn:…:User:secret` → `secret`, `name.givenName` → `givenName`. */
function leafName(path: string): string {
  const withoutFilter = path.trim().replace(/\[[^\]]*\]/g, '');
  const afterUrn = withoutFilter.includes(':') ? withoutFilter.slice(withoutFilter.lastIndexOf(':') + 1) : withoutFilter;
  return afterUrn.split('.').pop()!.toLowerCase();
}

function redactValue(value: Json, secret: Set<string>): Json {
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secret));
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  // A PATCH operation naming a secret attribute: its value goes, whatever its shape. Member names
  // in any case, as the PATCH reader accepts them (RFC 7644 §3.5.2 names are case-insensitive).
  const path = Object.entries(value).find(([k]) => k.toLowerCase() === 'path')?.[1];
  const namesSecret = typeof path === 'string' && secret.has(leafName(path));
  for (const [key, v] of Object.entries(value)) {
    if (secret.has(leafName(key)) || (namesSecret && key.toLowerCase() === 'value')) out[key] = REDACTED;
    else out[key] = redactValue(v, secret);
  }
  return out;
}

/**
 * The body as logged: JSON with every `password` and every name in `writeOnly` (lower-case
 * attribute names) replaced by "[redacted]", cut to MAX_LOGGED_BODY characters. A body that is not
 * JSON is not kept (it may hold anything): only its length is.
 */
export function redactBody(text: string | undefined, writeOnly: Iterable<string> = []): string | null {
  if (text === undefined || text === '') return null;
  const secret = new Set(['password', ...[...writeOnly].map((n) => n.toLowerCase())]);
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    return `[${text.length} characters, not JSON: not kept]`;
  }
  const out = JSON.stringify(redactValue(parsed, secret));
  return out.length > MAX_LOGGED_BODY ? `${out.slice(0, MAX_LOGGED_BODY)}…[cut at ${MAX_LOGGED_BODY} of ${out.length} characters]` : out;
}

/** A query string as logged: any `scim_…` token a misconfigured client put in it is replaced. */
export function redactQuery(query: string): string {
  return query.replace(/scim_[A-Za-z0-9_-]+/g, REDACTED).slice(0, 2000);
}
