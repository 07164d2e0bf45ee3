import { and, eq } from 'drizzle-orm';
import { resourceValues } from '../db/schema';
import { getValue } from '../scim/resource/input';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import type { StorageDef } from '../scim/schema/storage';
import type { Executor, Query } from './executor';
import { chunks } from './rows';

// `resource_values` (docs/storage.md): copies of the values a resource type's storage declaration
// indexes (schema/storage.ts), one row per value, so `eq` on them is an index search.

export interface ValueRow {
  attribute: string;
  value: string;
}

/** An index that answers `eq` on the value at `segments` (the full path to the compared value). */
export type IndexProbe =
  | { table: 'values'; key: string }
  | { table: 'unique'; key: string; scope: string };

function sameSegments(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** The index, if any, that holds the values at `segments` of `rt` (value indexes, then unique keys). */
export function indexProbe(rt: ResourceTypeInfo, segments: string[]): IndexProbe | undefined {
  const v = rt.storage.valueIndexes.find((i) => sameSegments(i.sub === undefined ? i.segments : [...i.segments, i.sub], segments));
  if (v) return { table: 'values', key: v.key };
  const u = rt.storage.uniqueKeys.find((k) => sameSegments(k.segments, segments));
  return u ? { table: 'unique', key: u.key, scope: u.scope === 'global' ? '' : rt.name } : undefined;
}

/** Every string value at `segments` + `sub`: through arrays (multi-valued) and objects (complex). */
export function valuesAt(doc: Record<string, unknown>, segments: string[], sub: string | undefined): string[] {
  const at = getValue(doc, segments);
  const items = Array.isArray(at) ? at : at === undefined ? [] : [at];
  const out: string[] = [];
  for (const item of items) {
    const value = sub === undefined ? item : item && typeof item === 'object' ? (item as Record<string, unknown>)[sub] : undefined;
    if (typeof value === 'string') out.push(value);
  }
  return out;
}

/** The rows to index for a resource, from its folded document (so values are already case-folded). */
export function valueRows(storage: StorageDef, folded: Record<string, unknown>): ValueRow[] {
  const rows = new Map<string, ValueRow>();
  for (const index of storage.valueIndexes) {
    for (const value of valuesAt(folded, index.segments, index.sub)) rows.set(`${index.key}\u0000${value}`, { attribute: index.key, value });
  }
  return [...rows.values()];
}

// 5 bound parameters per row: 19 rows stay under D1's 100-parameter cap.
const ROWS_PER_INSERT = 19;

export class ValueStore {
  constructor(
    private readonly exec: Executor,
    private readonly tenantId: string,
  ) {}

  insertStatements(type: string, resourceId: string, rows: ValueRow[]): Query[] {
    return chunks(rows, ROWS_PER_INSERT).map((part) =>
      this.exec.orm
        .insert(resourceValues)
        .values(part.map((r) => ({ tenantId: this.tenantId, resourceType: type, attribute: r.attribute, value: r.value, resourceId })))
        .onConflictDoNothing(),
    );
  }

  forgetStatement(resourceId: string): Query {
    return this.exec.orm.delete(resourceValues).where(and(eq(resourceValues.tenantId, this.tenantId), eq(resourceValues.resourceId, resourceId)));
  }

  /** A resource's rows after a write: O(its values), whatever the tenant's size. */
  replaceStatements(type: string, resourceId: string, rows: ValueRow[]): Query[] {
    return [this.forgetStatement(resourceId), ...this.insertStatements(type, resourceId, rows)];
  }
}
