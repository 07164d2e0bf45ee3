// docs/idp-quirks.md Entra 1: PATCH `op` values arrive capitalised.
//
//   {"op":"Replace","path":"active","value":"False"}
//   {"op":"Add","path":"manager","value":[{"$ref":"…","value":"<id>"}]}
//   {"op":"Remove","path":"members","value":[{"value":"<id>"}]}
//
// RFC 7644 §3.5.2 spells the values "add", "remove" and "replace". A server that rejected "Replace"
// silently broke off-boarding for its users, so ops are read case-insensitively.
// Applied in src/scim/patch/body.ts, where each operation is read.

export type OpName = 'add' | 'remove' | 'replace';

const OPS: readonly OpName[] = ['add', 'remove', 'replace'];

/** The operation named by `raw`, case-insensitively; undefined when it names none. */
export function readOpName(raw: unknown): OpName | undefined {
  if (typeof raw !== 'string') return undefined;
  const lower = raw.trim().toLowerCase();
  return OPS.find((op) => op === lower);
}
