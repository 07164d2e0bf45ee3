import { invalidValue } from '../errors';
import type { Filter } from '../filter/ast';
import { coerceValue } from '../resource/coerce';
import type { AttributeDef } from '../schema/types';

// docs/idp-quirks.md Entra 5: member removal arrives in two shapes.
//
//   {"op":"Remove","path":"members","value":[{"value":"<id>"}]}
//   {"op":"remove","path":"members[value eq \"<id>\"]"}
//
// and member adds may carry `"$ref": null` (null is "unassigned", RFC 7643 §2.5: coerce.ts drops it).
//
// The second shape is RFC 7644 §3.5.2.2. The first is not: the RFC's `remove` has no value, and a
// remove of `members` without a filter removes every member. Taking the RFC literally would empty the
// group each time Entra removes one user, so a remove whose path is a multi-valued attribute and whose
// value lists elements removes those elements only (for members: by id). Okta's group push sends
// several `members[value eq "…"]` removes, and some clients join ids with `or`; such filters name the
// ids outright, so they are applied without reading the group's current members (which may be
// large: the membership change then costs O(k), ARCHITECTURE.md). Applied in src/scim/patch/members.ts
// and src/scim/patch/values.ts (removeAttribute).

/**
 * The member ids a filter names when it is `value eq "<id>"` or an `or` of such; undefined for any
 * other filter (which then has to be evaluated against the current members).
 */
export function memberIdsFromFilter(filter: Filter): string[] | undefined {
  if (filter.kind === 'or') {
    const left = memberIdsFromFilter(filter.left);
    const right = left && memberIdsFromFilter(filter.right);
    return left && right ? [...left, ...right] : undefined;
  }
  const isValueEq =
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    typeof filter.value === 'string' &&
    filter.path.urn === undefined &&
    filter.path.subAttr === undefined &&
    filter.path.name.toLowerCase() === 'value';
  return isValueEq ? [filter.value as string] : undefined;
}

/**
 * The elements listed in the value of a `remove` on a multi-valued attribute, coerced; undefined when
 * the operation has no value (then the whole attribute is removed, RFC 7644 §3.5.2.2).
 */
export function elementsToRemove(attribute: AttributeDef, raw: unknown, where: string): unknown[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (Array.isArray(raw) && raw.length === 0) return [];
  const list = coerceValue(attribute, raw, where) as unknown[] | undefined;
  // A value that coerces to nothing ([] or [{}]) names no element: refuse rather than remove all.
  if (!list) throw invalidValue(`The value of a remove on '${where}' must list the values to remove.`);
  return list;
}
