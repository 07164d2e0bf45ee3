// Reading JSON objects whose member names are case-insensitive (RFC 7643 §2.1).

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `obj` with its member names spelled as in `names` (case-insensitively). Two members whose names
 * fold to the same one are ambiguous: `onDuplicate` is called with that name (it may throw; if it
 * returns, the first spelling is kept). Built with own properties only, so a member named
 * `__proto__` stays a member.
 */
export function canonicalFields(obj: Record<string, unknown>, names: string[], onDuplicate: (name: string) => void): Record<string, unknown> {
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(obj)) {
    const name = byLower.get(key.toLowerCase()) ?? key;
    if (out.has(name)) onDuplicate(name);
    else out.set(name, value);
  }
  return Object.fromEntries(out);
}
