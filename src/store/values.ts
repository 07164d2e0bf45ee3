import { and, eq } from 'drizzle-orm';
import { resourceValues } from '../db/schema';
import type { Executor, Query } from './executor';
import { chunks } from './rows';

/**
 * Multi-valued sub-attributes kept in `resource_values` (docs/storage.md), per resource type. Only
 * what IdPs look resources up by: Entra matches users on `emails[type eq "work"].value`.
 */
export const VALUE_INDEXES: Record<string, { attribute: string; sub: string }[]> = {
  User: [{ attribute: 'emails', sub: 'value' }],
};

export interface ValueRow {
  attribute: string;
  value: string;
}

/** The `resource_values` key for `attribute.sub` of a type, if that pair is indexed. */
export function valueIndexKey(type: string, attribute: string, sub: string | undefined): string | undefined {
  const hit = VALUE_INDEXES[type]?.find((v) => v.attribute === attribute && v.sub === (sub ?? 'value'));
  return hit ? `${hit.attribute}.${hit.sub}` : undefined;
}

/** The rows to index for a resource, from its folded document (so values are already case-folded). */
export function valueRows(type: string, folded: Record<string, unknown>): ValueRow[] {
  const rows = new Map<string, ValueRow>();
  for (const { attribute, sub } of VALUE_INDEXES[type] ?? []) {
    const items = folded[attribute];
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      const value = item && typeof item === 'object' ? (item as Record<string, unknown>)[sub] : undefined;
      if (typeof value === 'string') rows.set(`${attribute}.${sub}\u0000${value}`, { attribute: `${attribute}.${sub}`, value });
    }
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
