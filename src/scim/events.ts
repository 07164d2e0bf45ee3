import type { Document } from './resource/input';
import type { ResourceTypeInfo } from './schema/registry';

// The change feed's vocabulary (issue 13, README "Change feed"): pure, no storage.

export type ResourceEventKind = 'created' | 'updated' | 'deleted';

/** `user.created`, `group.member_added`, `organization.deleted`: the type name lower-cased. */
export function eventType(resourceType: string, kind: ResourceEventKind | 'member_added' | 'member_removed'): string {
  return `${resourceType.toLowerCase()}.${kind}`;
}

const TYPE_PATTERN = /^[a-z0-9_-]+\.(\*|[a-z_]+)$/;

/**
 * A `types` filter (`user.*,group.member_added`): each an event type or `<resource>.*`. Undefined or
 * empty means every type; anything else malformed is an error message (the caller answers 400).
 */
export function parseEventTypes(text: string | undefined): string[] | { error: string } {
  if (text === undefined || text.trim() === '') return [];
  const types = text.split(',').map((t) => t.trim().toLowerCase());
  const bad = types.find((t) => !TYPE_PATTERN.test(t));
  if (bad !== undefined) return { error: `'${bad}' is not an event type: use e.g. user.created, group.member_added or user.*.` };
  if (types.length > 20) return { error: 'At most 20 event types may be given.' };
  return [...new Set(types)];
}

/** True when `type` is selected by `patterns` (as parseEventTypes returns them; none selects all). */
export function matchesTypes(type: string, patterns: string[]): boolean {
  return patterns.length === 0 || patterns.some((p) => (p.endsWith('.*') ? type.startsWith(p.slice(0, -1)) : type === p));
}

/**
 * The attribute paths whose values differ between two stored documents of `rt`: core attributes by
 * name, extension attributes as `<schema URN>:<name>` (RFC 7644 §3.10 attribute notation). A
 * password set is `password`, never its value.
 */
export function changedPaths(rt: ResourceTypeInfo, before: Document, after: Document, passwordSet = false): string[] {
  const extensions = new Set(rt.extensions.map((e) => e.id));
  const out = new Set<string>();
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (extensions.has(key)) {
      const b = (before[key] ?? {}) as Document;
      const a = (after[key] ?? {}) as Document;
      for (const name of new Set([...Object.keys(b), ...Object.keys(a)])) if (differs(b[name], a[name])) out.add(`${key}:${name}`);
    } else if (differs(before[key], after[key])) {
      out.add(key);
    }
  }
  if (passwordSet) out.add('password');
  return [...out].sort();
}
