import type { AttributeDef } from '../schema/types';

// docs/idp-quirks.md Entra 7 (first shape): a singular complex attribute arrives wrapped in an array.
//
//   {"op":"Add","path":"manager","value":[{"$ref":"…","value":"<id>"}]}
//
// `manager` is singular (RFC 7643 §4.3: multiValued false), so by the RFC an array is the wrong type.
// A one-element array for a singular complex attribute is read as its element; longer arrays stay
// 400 invalidValue, as there is no telling which element was meant. Applied in
// src/scim/resource/coerce.ts (coerceValue), so POST/PUT bodies and PATCH values read it alike.

/** True when `value` is a one-element array given for the singular complex attribute `def`. */
export function isWrappedSingularComplex(def: AttributeDef, value: unknown): value is [unknown] {
  return !def.multiValued && def.type === 'complex' && Array.isArray(value) && value.length === 1;
}
