import { and, eq, sql } from 'drizzle-orm';
import { resourceUnique } from '../db/schema';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import type { UniqueKey } from '../scim/schema/storage';
import { getValue } from '../scim/resource/input';
import type { Executor, Query } from './executor';
import { chunks } from './rows';

// `resource_unique` (docs/storage.md): uniqueness server/global of declared attributes, decided by
// the table's primary key in the same batch as the write (RFC 7643 §2.3.1).

export interface UniqueRow {
  scope: string;
  attribute: string;
  value: string;
  /** For a 409's detail. */
  label: string;
}

/** The unique rows of a resource, from its folded document (caseExact=false values already folded). */
export function uniqueRows(rt: ResourceTypeInfo, folded: Record<string, unknown>): UniqueRow[] {
  const out: UniqueRow[] = [];
  for (const key of rt.storage.uniqueKeys) {
    const value = getValue(folded, key.segments);
    if (value === undefined || value === null || typeof value === 'object') continue;
    out.push({ scope: scopeOf(rt, key), attribute: key.key, value: String(value), label: key.label });
  }
  return out;
}

export function scopeOf(rt: ResourceTypeInfo, key: UniqueKey): string {
  return key.scope === 'global' ? '' : rt.name;
}

// 6 bound parameters per row.
const ROWS_PER_INSERT = 15;

export class UniqueStore {
  constructor(
    private readonly exec: Executor,
    private readonly tenantId: string,
  ) {}

  /** Plain inserts: a value another resource holds fails the whole batch (UNIQUE constraint). */
  insertStatements(type: string, resourceId: string, rows: UniqueRow[]): Query[] {
    return chunks(rows, ROWS_PER_INSERT).map((part) =>
      this.exec.orm.insert(resourceUnique).values(
        part.map((r) => ({ tenantId: this.tenantId, scope: r.scope, attribute: r.attribute, value: r.value, resourceType: type, resourceId })),
      ),
    );
  }

  forgetStatement(resourceId: string): Query {
    return this.exec.orm.delete(resourceUnique).where(and(eq(resourceUnique.tenantId, this.tenantId), eq(resourceUnique.resourceId, resourceId)));
  }

  replaceStatements(type: string, resourceId: string, rows: UniqueRow[]): Query[] {
    return [this.forgetStatement(resourceId), ...this.insertStatements(type, resourceId, rows)];
  }

  /** Which of `rows` another resource already holds: the error path of a failed write, for its 409. */
  async taken(resourceId: string, rows: UniqueRow[]): Promise<UniqueRow[]> {
    const out: UniqueRow[] = [];
    for (const part of chunks(rows, 30)) {
      const wanted = sql.join(part.map((r) => sql`(${r.scope}, ${r.attribute}, ${r.value})`), sql`, `);
      const hits = await this.exec.all<{ scope: string; attribute: string; value: string }>(sql`
        SELECT scope, attribute, value FROM ${resourceUnique}
        WHERE tenant_id = ${this.tenantId} AND resource_id <> ${resourceId} AND (scope, attribute, value) IN (VALUES ${wanted})`);
      out.push(...part.filter((r) => hits.some((h) => h.scope === r.scope && h.attribute === r.attribute && h.value === r.value)));
    }
    return out;
  }
}
