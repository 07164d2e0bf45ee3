import { isObject } from '../../util/fields';
import { foldCase, normaliseDateTime } from '../fold';
import type { ResourceTypeInfo } from '../schema/registry';
import type { AttributeDef } from '../schema/types';
import type { Comparison, Filter, Present } from './ast';
import { collectionOf, leafTest, resolveCollection, resolveLeaf, type Collection, type LeafTest } from './resolve';

// The in-memory interpreter. Its semantics are exactly those of src/store/filter-sql.ts (a property
// test checks it): values are read as SQLite would see them in the `folded` document, compared with
// SQLite's rules (NULL never matches; numbers sort before text; text in code-point order).

type SqlValue = string | number | null;

interface Scope {
  collection: Collection;
  element: unknown;
}

/** True when `resource` (SCIM JSON, canonical attribute names) matches `f`. Throws invalidFilter like checkFilter. */
export function matchesFilter(rt: ResourceTypeInfo, resource: Record<string, unknown>, f: Filter): boolean {
  return test(rt, resource, f, undefined);
}

/** Evaluates a value filter (`emails[type eq "work"]`) against one element of multi-valued `attribute`. */
export function matchesElement(rt: ResourceTypeInfo, attribute: AttributeDef, element: unknown, f: Filter): boolean {
  return test(rt, {}, f, { collection: collectionOf(rt, attribute), element });
}

function test(rt: ResourceTypeInfo, doc: Record<string, unknown>, f: Filter, scope: Scope | undefined): boolean {
  switch (f.kind) {
    case 'compare':
    case 'present':
      return leaf(rt, doc, f, scope);
    case 'and':
      return test(rt, doc, f.left, scope) && test(rt, doc, f.right, scope);
    case 'or':
      return test(rt, doc, f.left, scope) || test(rt, doc, f.right, scope);
    case 'not':
      return !test(rt, doc, f.filter, scope);
    case 'valuePath': {
      const collection = resolveCollection(rt, f.path, scope?.collection);
      return elements(doc, collection.segments).some((element) => test(rt, doc, f.filter, { collection, element }));
    }
    default: {
      const unreachable: never = f;
      return unreachable;
    }
  }
}

function leaf(rt: ResourceTypeInfo, doc: Record<string, unknown>, f: Comparison | Present, scope: Scope | undefined): boolean {
  const target = resolveLeaf(rt, f.path, scope?.collection);
  const t = leafTest(target, f);
  const holds = (raw: unknown) => positive(target.def, t, raw);
  const read = target.read;
  let result: boolean;
  switch (read.at) {
    case 'value':
      result = holds(at(doc, read.segments));
      break;
    case 'each':
      result = elements(doc, read.collection.segments).some((e) => holds(subOf(e, read.sub)));
      break;
    case 'element':
      result = holds(subOf(scope?.element, read.sub));
      break;
    default: {
      const unreachable: never = read;
      return unreachable;
    }
  }
  return t.negated ? !result : result;
}

/** The positive test on one raw value (pr, eq, co, sw, ew, gt, ge, lt, le). */
function positive(def: AttributeDef, t: LeafTest, raw: unknown): boolean {
  if (t.op === 'pr') return isPresent(raw);
  const value = sqlValue(def, raw);
  const operand = t.operand!;
  if (value === null) return false;
  switch (t.op) {
    case 'eq':
      return compare(value, operand) === 0;
    case 'gt':
      return compare(value, operand) > 0;
    case 'ge':
      return compare(value, operand) >= 0;
    case 'lt':
      return compare(value, operand) < 0;
    case 'le':
      return compare(value, operand) <= 0;
    // Substring tests on text; "" is contained in, starts and ends every present string.
    case 'co':
      return typeof value === 'string' && value.includes(operand as string);
    case 'sw':
      return typeof value === 'string' && value.startsWith(operand as string);
    case 'ew':
      return typeof value === 'string' && value.endsWith(operand as string);
    default: {
      const unreachable: never = t.op;
      return unreachable;
    }
  }
}

/** RFC 7644 §3.4.2.2 "pr": present and non-empty: not null, "", [] or {}. */
export function isPresent(raw: unknown): boolean {
  if (raw === undefined || raw === null || raw === '') return false;
  if (Array.isArray(raw)) return raw.length > 0;
  if (typeof raw === 'object') return Object.keys(raw).length > 0;
  return true;
}

/** The value as json_extract returns it from the folded document: booleans 1/0, strings folded per def. */
function sqlValue(def: AttributeDef, raw: unknown): SqlValue {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') return JSON.stringify(raw);
  if (def.type === 'dateTime') return normaliseDateTime(raw) ?? raw;
  if ((def.type === 'string' || def.type === 'reference') && !def.caseExact) return foldCase(raw);
  return raw;
}

/** SQLite's order for non-NULL values: numbers before text; text by code point (BINARY on UTF-8). */
export function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' || typeof b === 'number') {
    if (typeof a !== 'number') return 1;
    if (typeof b !== 'number') return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return compareCodePoints(a, b);
}

/** JavaScript's `<` on strings is UTF-16 order, which differs from code point order past U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length === b.length ? 0 : i < a.length ? 1 : -1;
}

/** json_extract(doc, '$."a"."b"'): missing keys and non-objects on the way give undefined. */
function at(doc: unknown, segments: string[]): unknown {
  let current = doc;
  for (const key of segments) current = isObject(current) ? current[key] : undefined;
  return current;
}

/** A sub-attribute of an element; SQL reads it only from object elements. */
function subOf(element: unknown, sub: string | undefined): unknown {
  if (sub === undefined) return element;
  return isObject(element) ? element[sub] : undefined;
}

/** The rows json_each yields: array items, object member values, or the one scalar. */
function elements(doc: unknown, segments: string[]): unknown[] {
  const value = at(doc, segments);
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  return isObject(value) ? Object.values(value) : [value];
}
