import type { AttributeDef, SchemaDef } from './types';

// How a resource type is stored: part of its definition, internal (never shown in discovery), and
// the only place that knows which attributes have columns, value indexes or a membership table.
// Built-in types declare theirs (registry.ts); for tenant-declared schemas the rules below derive
// it from the RFC 7643 characteristics alone, so a declaration needs nothing vendor-specific.

/** `resources` columns that mirror an attribute's canonical (folded) value, behind indexes. */
export type StoredColumn = 'userName' | 'displayName';

export type Membership =
  /** The group side: this multi-valued attribute is the memberships table (a Group's `members`). */
  | { role: 'group'; attribute: string; memberTypes: string[] }
  /** The member side, derived: the groups that list the resource (a User's `groups`, RFC 7643 §4.1.2). */
  | { role: 'member'; attribute: string; groupType: string };

/** Where a value lives in the resource JSON: keys from the root (an extension's URN first). */
export type Segments = string[];

/** Values copied into `resource_values`, one row per value: `eq` on them is an index search. */
export interface ValueIndex {
  /** The attribute (singular or multi-valued complex, or multi-valued simple). */
  segments: Segments;
  /** The sub-attribute indexed; undefined for a simple multi-valued attribute. */
  sub?: string;
  /** The `resource_values.attribute` key, e.g. `emails.value`. */
  key: string;
}

/** uniqueness server/global (RFC 7643 §2.3.1) enforced by the `resource_unique` primary key. */
export interface UniqueKey {
  /** The value's location: a singular attribute, or a sub-attribute of a singular complex one. */
  segments: Segments;
  /** `resource_unique.attribute`: the schema URN and path, so one attribute is one key in every type. */
  key: string;
  /** The name to show in a 409 (`code`, `urn:…:User:customerId`). */
  label: string;
  scope: 'server' | 'global';
}

/**
 * A complex attribute with `value` and a `$ref` whose referenceTypes name resource types: `value`
 * is the id of a resource of one of those types in the same tenant (RFC 7643 §2.3.7, §4.3 manager).
 */
export interface ReferenceDef {
  segments: Segments;
  /** The sub-attribute holding the id (`value`). */
  value: string;
  types: string[];
  multiValued: boolean;
  /** The value index that finds the resources referring to an id (for deletes). */
  key: string;
  label: string;
}

export interface StorageDef {
  columns: Partial<Record<StoredColumn, string>>;
  membership?: Membership;
  /** The core attribute hashed into `password_hash` (writeOnly, never stored as given). */
  password?: string;
  valueIndexes: ValueIndex[];
  uniqueKeys: UniqueKey[];
  references: ReferenceDef[];
}

/** What a built-in type declares by hand; the rest is derived. */
export type BaseStorage = Partial<StorageDef>;

const RESOURCE_REFERENCE_EXCLUDES = new Set(['external', 'uri']);

/**
 * Storage derived from a tenant-declared schema (core when `extension` is false): unique keys for
 * every singular attribute (or singular complex sub-attribute) with uniqueness server/global, and
 * a reference plus a value index for every complex attribute whose `$ref` names resource types.
 */
export function deriveStorage(schema: SchemaDef, extension: boolean): Pick<StorageDef, 'valueIndexes' | 'uniqueKeys' | 'references'> {
  const out: Pick<StorageDef, 'valueIndexes' | 'uniqueKeys' | 'references'> = { valueIndexes: [], uniqueKeys: [], references: [] };
  const prefix = extension ? [schema.id] : [];
  const label = (path: string[]) => (extension ? `${schema.id}:${path.join('.')}` : path.join('.'));
  const key = (path: string[]) => `${schema.id}:${path.join('.')}`;
  for (const a of schema.attributes) {
    if (a.type !== 'complex') {
      if (!a.multiValued && a.uniqueness !== 'none') {
        out.uniqueKeys.push({ segments: [...prefix, a.name], key: key([a.name]), label: label([a.name]), scope: a.uniqueness });
      }
      continue;
    }
    for (const sub of a.subAttributes ?? []) {
      if (!a.multiValued && sub.uniqueness !== 'none' && sub.type !== 'complex') {
        out.uniqueKeys.push({ segments: [...prefix, a.name, sub.name], key: key([a.name, sub.name]), label: label([a.name, sub.name]), scope: sub.uniqueness });
      }
    }
    const target = referenceTarget(a);
    if (target) {
      const indexKey = key([a.name, target.value]);
      out.valueIndexes.push({ segments: [...prefix, a.name], sub: target.value, key: indexKey });
      out.references.push({ segments: [...prefix, a.name], value: target.value, types: target.types, multiValued: a.multiValued, key: indexKey, label: label([a.name]) });
    }
  }
  return out;
}

/** The resource types a complex attribute's `$ref` may point to, and its `value` sub-attribute's name. */
export function referenceTarget(a: AttributeDef): { types: string[]; value: string } | undefined {
  const subs = a.subAttributes ?? [];
  const ref = subs.find((s) => s.name === '$ref' && s.type === 'reference');
  const value = subs.find((s) => s.name.toLowerCase() === 'value' && s.type === 'string' && !s.multiValued);
  const types = (ref?.referenceTypes ?? []).filter((t) => !RESOURCE_REFERENCE_EXCLUDES.has(t));
  return value && types.length > 0 ? { types, value: value.name } : undefined;
}
