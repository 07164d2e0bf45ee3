import { findAttribute } from '../schema/registry';
import type { AttributeDef } from '../schema/types';

// docs/idp-quirks.md Entra 7 (second shape): a complex attribute arrives as a bare value.
//
//   {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"<id>"}
//
// RFC 7643 §2.3.8 makes a complex attribute's value an object of sub-attributes, and §4.3 gives the
// manager's id in its `value` sub-attribute. A string or number given for a complex attribute that has
// a `value` sub-attribute is read as that sub-attribute (`"<id>"` → `{"value":"<id>"}`); for one
// without, it stays 400 invalidValue. Applied in src/scim/resource/coerce.ts (coerceComplex), so
// POST/PUT bodies and PATCH values read it alike (and a lone `"emails":"a@b.c"` the same way).

/** `{value: raw}` (the sub-attribute's declared name) when `raw` is a bare value for complex `def`; else undefined. */
export function bareComplexValue(def: AttributeDef, raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const valueDef = findAttribute(def.subAttributes, 'value');
  return valueDef ? { [valueDef.name]: raw } : undefined;
}
