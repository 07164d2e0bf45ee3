import { invalidFilter } from '../errors';
import { normaliseDateTime, foldCase } from '../fold';
import { findAttribute, resolveAttribute, type ResolvedAttribute, type ResourceTypeInfo } from '../schema/registry';
import type { AttributeDef } from '../schema/types';
import type { AttrPath, CompareOperator, Comparison, Present } from './ast';
import { printAttrPath } from './printer';

// Where a filter's attribute path points and how its values compare: the one resolution shared by
// the validator, the in-memory evaluator and the SQL compiler, so the three cannot drift apart.

/** Resource columns that hold an attribute's canonical (folded / normalised) value. */
export type Column = 'id' | 'externalId' | 'userName' | 'displayName' | 'created' | 'lastModified' | 'resourceType';

/** A multi-valued attribute whose elements a filter ranges over. */
export interface Collection {
  attribute: AttributeDef;
  /** Keys from the document root to the array (extension URN first when it lives in one). */
  segments: string[];
  /** json: the document; members/groups: the memberships table (Groups' members, Users' groups). */
  source: 'json' | 'members' | 'groups';
  /** For `groups`: the resource type of the groups (schema/storage.ts Membership). */
  groupType?: string;
}

export type Read =
  /** A singular value at `segments` in the document, mirrored by `column` when set. */
  | { at: 'value'; segments: string[]; column?: Column }
  /** Any element of a collection (RFC 7644 §3.4.2.2: multi-valued matches if any value matches). */
  | { at: 'each'; collection: Collection; sub?: string }
  /** The current element inside a value filter `attr[...]`. */
  | { at: 'element'; sub?: string };

export interface Leaf {
  label: string;
  /** The definition whose type and caseExact govern comparison. */
  def: AttributeDef;
  read: Read;
}

/** A leaf reduced to a positive test and a negation (`ne` is NOT eq; `eq null` is NOT pr). */
export interface LeafTest {
  negated: boolean;
  op: Exclude<CompareOperator, 'ne'> | 'pr';
  /** Canonical operand: folded string, normalised dateTime, number, or 1/0 for booleans. */
  operand?: string | number;
}

const SUBSTRING = new Set<CompareOperator>(['co', 'sw', 'ew']);

export function resolveLeaf(rt: ResourceTypeInfo, path: AttrPath, scope?: Collection): Leaf {
  if (scope) return elementLeaf(scope, path);
  const label = printAttrPath(path);
  const found = lookup(rt, label);
  const { attribute } = found;
  // RFC 7644 §3.4.2.2: a complex attribute named alone means its "value" sub-attribute (emails → emails.value).
  const sub = found.subAttribute ?? (attribute.type === 'complex' ? findAttribute(attribute.subAttributes, 'value') : undefined);
  if (sub) filterable(sub, label);
  const base = found.extension ? [found.schema, attribute.name] : [attribute.name];
  if (attribute.multiValued) {
    const collection = collectionFor(rt, attribute, base);
    return { label, def: effectiveDef(collection, sub ?? attribute, label), read: { at: 'each', collection, sub: sub?.name } };
  }
  const segments = sub ? [...base, sub.name] : base;
  const column = columnFor(rt, found, sub);
  if (found.schema === '' && !column) throw invalidFilter(`Attribute "${label}" cannot be used in a filter.`);
  return { label, def: sub ?? attribute, read: { at: 'value', segments, column } };
}

/** The collection a value filter `attr[...]` ranges over. */
export function resolveCollection(rt: ResourceTypeInfo, path: AttrPath, scope?: Collection): Collection {
  const label = printAttrPath(path);
  if (scope) throw invalidFilter(`Value filters cannot nest: "${label}[…]" inside "${scope.attribute.name}[…]".`);
  const found = lookup(rt, label);
  if (found.subAttribute || !found.attribute.multiValued) {
    throw invalidFilter(`"${label}[…]" needs a multi-valued attribute (RFC 7644 §3.4.2.2 valuePath).`);
  }
  const base = found.extension ? [found.schema, found.attribute.name] : [found.attribute.name];
  return collectionFor(rt, found.attribute, base);
}

/** The collection of a multi-valued attribute of `rt` (for matchesElement). */
export function collectionOf(rt: ResourceTypeInfo, attribute: AttributeDef): Collection {
  const ext = rt.extensions.find((s) => s.attributes.includes(attribute));
  return collectionFor(rt, attribute, ext ? [ext.id, attribute.name] : [attribute.name]);
}

/** Checks a comparison or presence leaf against its attribute type and reduces it to a LeafTest. */
export function leafTest(leaf: Leaf, f: Comparison | Present): LeafTest {
  if (f.kind === 'present') return { negated: false, op: 'pr' };
  const { def, label } = leaf;
  const { op, value } = f;
  // Beyond the RFC, which leaves null undefined: `eq null` means absent, `ne null` present.
  if (value === null) {
    if (op === 'eq' || op === 'ne') return { negated: op === 'eq', op: 'pr' };
    throw invalidFilter(`"${label} ${op} null" is not supported; only eq and ne take null.`);
  }
  const negated = op === 'ne';
  const positive = negated ? 'eq' : (op as LeafTest['op']);
  const reject = (why: string) => invalidFilter(`"${label} ${op}" ${why}.`);
  // RFC 7644 §3.4.2.2: gt/ge/lt/le are undefined for boolean and binary; co/sw/ew apply to text.
  switch (def.type) {
    case 'complex':
      throw reject('compares a complex attribute; name one of its sub-attributes');
    case 'boolean':
      if (op !== 'eq' && op !== 'ne') throw reject('is not defined for a boolean attribute');
      if (typeof value !== 'boolean') throw reject('needs true or false');
      return { negated, op: positive, operand: value ? 1 : 0 };
    case 'integer':
    case 'decimal':
      if (SUBSTRING.has(op)) throw reject('is not defined for a number attribute');
      if (typeof value !== 'number') throw reject('needs a number');
      return { negated, op: positive, operand: value };
    case 'dateTime': {
      if (SUBSTRING.has(op)) throw reject('is not defined for a dateTime attribute');
      const normalised = typeof value === 'string' ? normaliseDateTime(value) : undefined;
      if (normalised === undefined) throw reject('needs an xsd:dateTime string such as "2024-01-31T12:00:00Z"');
      return { negated, op: positive, operand: normalised };
    }
    case 'binary':
      // Substrings and order of base64 text say nothing about the bytes: eq and ne only.
      if (op !== 'eq' && op !== 'ne') throw reject('is not defined for a binary attribute');
      if (typeof value !== 'string') throw reject('needs a string');
      return { negated, op: positive, operand: value };
    case 'string':
    case 'reference':
      if (typeof value !== 'string') throw reject('needs a "quoted string"');
      return { negated, op: positive, operand: def.caseExact ? value : foldCase(value) };
    default: {
      const unreachable: never = def.type;
      return unreachable;
    }
  }
}

function lookup(rt: ResourceTypeInfo, label: string): ResolvedAttribute {
  const found = resolveAttribute(rt, label);
  if (!found) throw invalidFilter(`Unknown attribute "${label}" for resource type ${rt.name}.`);
  filterable(found.attribute, label);
  return found;
}

/** RFC 7643 §7: a never-returned or write-only attribute (password) must not be probed by filters. */
function filterable(def: AttributeDef, label: string): void {
  if (def.returned === 'never' || def.mutability === 'writeOnly') {
    throw invalidFilter(`Attribute "${label}" cannot be used in a filter.`);
  }
}

function elementLeaf(scope: Collection, path: AttrPath): Leaf {
  const label = `${scope.attribute.name}[${printAttrPath(path)}]`;
  if (path.urn !== undefined || path.subAttr !== undefined) {
    throw invalidFilter(`Inside "${scope.attribute.name}[…]" name a sub-attribute of it, not "${printAttrPath(path)}".`);
  }
  const subs = scope.attribute.subAttributes;
  if (!subs) {
    // A simple multi-valued attribute: "value" is the element itself (RFC 7644 §3.5.2.2 uses the same name).
    if (path.name.toLowerCase() !== 'value') throw invalidFilter(`Unknown attribute "${label}".`);
    return { label, def: scope.attribute, read: { at: 'element' } };
  }
  const sub = findAttribute(subs, path.name);
  if (!sub) throw invalidFilter(`Unknown attribute "${label}".`);
  filterable(sub, label);
  return { label, def: effectiveDef(scope, sub, label), read: { at: 'element', sub: sub.name } };
}

function collectionFor(rt: ResourceTypeInfo, attribute: AttributeDef, segments: string[]): Collection {
  // The storage declaration says which attribute is the memberships table (schema/storage.ts).
  const membership = rt.storage.membership;
  if (segments.length === 1 && membership?.attribute === attribute.name && rt.core.attributes.includes(attribute)) {
    return membership.role === 'group'
      ? { attribute, segments, source: 'members' }
      : { attribute, segments, source: 'groups', groupType: membership.groupType };
  }
  return { attribute, segments, source: 'json' };
}

/** Per-source adjustments: what the memberships table can and cannot answer. */
function effectiveDef(collection: Collection, def: AttributeDef, label: string): AttributeDef {
  if (collection.source === 'json') return def;
  // $ref is derived from the request's base URL, never stored.
  if (def.name === '$ref' || def === collection.attribute) throw invalidFilter(`Attribute "${label}" cannot be used in a filter.`);
  // memberships.display is the text the client sent, and SQLite cannot fold non-ASCII case: members.display
  // compares case-exactly (documented in grammar.md). groups.display uses the group's folded displayName.
  if (collection.source === 'members' && def.name === 'display') return { ...def, caseExact: true };
  return def;
}

function columnFor(rt: ResourceTypeInfo, found: ResolvedAttribute, sub: AttributeDef | undefined): Column | undefined {
  const name = found.attribute.name;
  if (found.schema === '') {
    if (name === 'id' || name === 'externalId') return name;
    if (name === 'meta' && sub && ['created', 'lastModified', 'resourceType'].includes(sub.name)) return sub.name as Column;
    return undefined;
  }
  if (found.extension || sub) return undefined;
  const columns = rt.storage.columns;
  return (Object.keys(columns) as (keyof typeof columns)[]).find((column) => columns[column] === name);
}
