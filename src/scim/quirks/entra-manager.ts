import { ENTERPRISE_USER_SCHEMA } from '../schema/user';
import type { ResourceTypeInfo } from '../schema/registry';
import type { AttributeDef } from '../schema/types';

// docs/idp-quirks.md Entra 7: the manager arrives in two shapes.
//
//   {"op":"Add","path":"manager","value":[{"$ref":"…","value":"<id>"}]}
//   {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"<id>"}
//
// `manager` is a singular complex attribute (RFC 7643 §4.3), so the first shape wraps it in an array
// and the second gives the bare id. Each shape has its own module, called from
// src/scim/resource/coerce.ts: ./entra-wrapped-singular-complex.ts (the array is its element) and
// ./entra-bare-complex-value.ts (the bare id is its `value`). The unqualified path is resolved by
// ./entra-unqualified-extension-path.ts.
//
// What is left here: RFC 7644 §3.5.2.1 merges the sub-attributes of an `add` into a complex attribute,
// which for a manager would keep the old manager's `$ref` (and displayName) next to the new `value`.
// A manager is one reference, so setting it replaces the whole attribute. Applied in
// src/scim/patch/values.ts (addAttribute / replaceAttribute).

/** True when writing `attribute` replaces it whole instead of merging sub-attributes. */
export function replacesWholesale(rt: ResourceTypeInfo, attribute: AttributeDef): boolean {
  const enterprise = rt.extensions.find((s) => s.id === ENTERPRISE_USER_SCHEMA);
  return enterprise !== undefined && enterprise.attributes.includes(attribute) && attribute.name === 'manager';
}
