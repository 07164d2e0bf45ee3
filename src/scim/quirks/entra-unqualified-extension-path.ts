import { resolveAttribute, type ResolvedAttribute, type ResourceTypeInfo } from '../schema/registry';

// docs/idp-quirks.md Entra 7: the enterprise `manager` arrives with an unqualified path:
//
//   {"op":"Add","path":"manager","value":[{"$ref":"…","value":"<id>"}]}
//
// RFC 7644 §3.10 says an unqualified name belongs to the core schema; `manager` is declared only by
// the enterprise extension (RFC 7643 §4.3). When a name is unknown in the core schema (and the common
// attributes) we look it up in the resource type's extensions, in declaration order, and use the first
// that declares it. Core names always win, so this never changes the meaning of a valid path.
// Applied in src/scim/patch/target.ts: resolvePath (paths) and resolvePathlessKey (keys of path-less values).

/** Resolves `[urn:]attr[.sub]` like resolveAttribute, then falls back to the extensions. */
export function resolveWithExtensionFallback(rt: ResourceTypeInfo, path: string): ResolvedAttribute | undefined {
  const found = resolveAttribute(rt, path);
  if (found || /^urn:/i.test(path)) return found;
  for (const extension of rt.extensions) {
    const inExtension = resolveAttribute(rt, `${extension.id}:${path}`);
    if (inExtension) return inExtension;
  }
  return undefined;
}
