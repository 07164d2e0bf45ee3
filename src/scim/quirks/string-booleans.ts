// docs/idp-quirks.md Entra 2: booleans arrive as strings.
//
//   {"op":"Replace","path":"active","value":"False"}
//
// RFC 7643 §2.3.2 says a boolean is the JSON literal true or false. We accept "True"/"False" in any
// case for attributes declared boolean (and only those: a string attribute keeps the text "False").
// Applied in src/scim/resource/coerce.ts (coerceSingle, case 'boolean'), which every input path uses:
// POST/PUT bodies, PATCH values (src/scim/patch/*) and PATCH filter seeds. The replay test is in
// test/scim/quirks/replay.test.ts.

/** The boolean a string spells ("True", "false", any case); undefined for anything else. */
export function stringBoolean(value: unknown): boolean | undefined {
  if (typeof value !== 'string' || !/^(true|false)$/i.test(value)) return undefined;
  return value.toLowerCase() === 'true';
}
