import type { AttrPath, Filter } from '../filter/ast';

// docs/idp-quirks.md Entra 6: Entra looks users up by their work email with a sub-attribute after a value
// filter:
//
//   GET /Users?filter=emails[type eq "work"].value eq "kim@contoso.com"
//
// RFC 7644 §3.4.2.2 allows `valuePath = attrPath "[" valFilter "]"` with nothing after the `]` in a
// filter (the `[subAttr]` suffix exists only in PATCH paths, §3.5.2), so the request is outside the
// grammar. Its meaning is plain: an element of `emails` whose type is "work" and whose value is
// "kim@contoso.com". We read it as the RFC's `emails[type eq "work" and value eq "kim@contoso.com"]`,
// so every interpreter (printer, evaluator, SQL) sees an ordinary value path. Applied in
// src/scim/filter/parser.ts (attrExpression).

/**
 * `attr[inner].sub op value`, given the parsed `attr`, `inner` and the comparison on `sub` (a path
 * relative to the element), as the equivalent `attr[inner and sub op value]`.
 */
export function valuePathWithSubAttribute(path: AttrPath, inner: Filter, comparison: Filter): Filter {
  return { kind: 'valuePath', path, filter: { kind: 'and', left: inner, right: comparison } };
}
