import { isObject } from '../../util/fields';
import { invalidValue } from '../errors';
import type { ResourceTypeInfo } from '../schema/registry';

// docs/idp-quirks.md Entra 3: a path-less replace with dotted keys and URN-qualified keys in one value:
//
//   {"op":"replace","value":{"name.givenName":"Kim",
//     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"7"}}
//
// RFC 7644 §3.5.2.1 and §3.5.2.3 say a path-less value holds attributes by name, with extension
// attributes under their schema URN (RFC 7643 §3.3: `{"urn:…:enterprise:2.0:User":{"employeeNumber":"7"}}`).
// Entra writes the keys as attribute paths instead. We read every key as an attribute path
// (`[urn:]attr[.sub]`, no filters), so the RFC form, the dotted form and the URN-qualified form all land
// on the same target with the same semantics as an operation with that `path`. Applied in
// src/scim/patch/apply.ts (applyPathless), each key then resolved by src/scim/patch/target.ts
// (resolvePathlessKey).

export interface PathlessEntry {
  /** An attribute path, e.g. `nickName`, `name.givenName`, `urn:…:User:employeeNumber`, or a schema URN. */
  path: string;
  value: unknown;
}

/** Flattens a path-less value into (attribute path, value) entries, in the order given. */
export function pathlessEntries(rt: ResourceTypeInfo, value: unknown): PathlessEntry[] {
  if (!isObject(value)) throw invalidValue('A path-less add or replace needs an object of attributes as its value.');
  const entries: PathlessEntry[] = [];
  for (const [key, inner] of Object.entries(value)) {
    const schema = [rt.core, ...rt.extensions].find((s) => s.id.toLowerCase() === key.toLowerCase());
    if (schema && isObject(inner)) {
      // RFC 7643 §3.3: the extension's attributes sit in an object under its URN.
      for (const [name, v] of Object.entries(inner)) entries.push({ path: `${schema.id}:${name}`, value: v });
    } else {
      entries.push({ path: key, value: inner });
    }
  }
  return entries;
}
