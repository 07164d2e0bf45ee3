import type { Filter } from '../filter/ast';
import { coerceValue } from '../resource/coerce';
import { findAttribute } from '../schema/registry';
import type { AttributeDef } from '../schema/types';

// docs/idp-quirks.md Entra 4: writes through a filtered path.
//
//   {"op":"Add","path":"emails[type eq \"work\"].value","value":"a@b.c"}
//
// Entra expects: if no element matches, one is created with `type: "work"`; several sub-attribute
// adds in one request build one element; sibling elements (other types) are never touched. RFC 7644
// §3.5.2.1 says "if the target location does not exist, the attribute and value are added" but does
// not say how to add through a filter (RFC errata 8097 asks exactly this). We read it as: the new
// element is the one the filter describes, so the filter must be equalities joined by `and`
// (`type eq "work"`, `type eq "work" and primary eq true`); any other filter cannot describe an
// element and an unmatched write fails with 400 noTarget.
//
// Decision for `replace`: RFC 7644 §3.5.2.3 says a value path that matches nothing is 400 noTarget.
// Entra sends `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"…"}` for users whose
// work email the server never received, and would retry and quarantine on noTarget. So a replace
// through a filtered path WITH a sub-attribute (`….value`) that matches nothing creates the element,
// as add does. A replace of whole elements (`addresses[type eq "work"]`, no sub-attribute) keeps the
// RFC's noTarget. Applied in src/scim/patch/values.ts (writeFiltered).

/**
 * The element an equality filter describes (`type eq "work"` → `{type: "work"}`), values coerced to
 * their declared types; undefined when the filter is anything else or contradicts itself.
 */
export function elementFromFilter(attribute: AttributeDef, filter: Filter): Record<string, unknown> | undefined {
  if (attribute.type !== 'complex') return undefined;
  const seed: Record<string, unknown> = {};
  const collect = (f: Filter): boolean => {
    if (f.kind === 'and') return collect(f.left) && collect(f.right);
    if (f.kind !== 'compare' || f.op !== 'eq' || f.value === null) return false;
    if (f.path.urn !== undefined || f.path.subAttr !== undefined) return false;
    const sub = findAttribute(attribute.subAttributes, f.path.name);
    if (!sub || sub.multiValued || sub.type === 'complex' || sub.mutability === 'readOnly') return false;
    const value = coerceValue(sub, f.value, `${attribute.name}.${sub.name}`);
    if (value === undefined) return false;
    if (sub.name in seed && seed[sub.name] !== value) return false;
    seed[sub.name] = value;
    return true;
  };
  return collect(filter) && Object.keys(seed).length > 0 ? seed : undefined;
}
