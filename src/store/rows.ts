import { sql, type SQL } from 'drizzle-orm';
import type { StoredResource } from '../scim/resource/output';
import { resources } from '../db/schema';

/** The columns every resource read selects, aliased to StoredResource's field names. */
export const resourceColumns = sql`${resources.id} AS id,
  ${resources.created} AS created, ${resources.lastModified} AS lastModified,
  ${resources.version} AS version, ${resources.data} AS data`;

export interface ResourceRow {
  id: string;
  created: string;
  lastModified: string;
  version: number;
  data: string;
}

export function fromRow(row: ResourceRow): StoredResource {
  return {
    id: row.id,
    created: row.created,
    lastModified: row.lastModified,
    version: row.version,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

/**
 * A name from a schema or declaration (an attribute key, a resource type, a JSON path; never request
 * input) written into the statement as an SQL string literal: it costs none of D1's 100 parameters.
 */
export function literal(text: string): SQL {
  return sql.raw(`'${text.replaceAll("'", "''")}'`);
}

/** D1 allows 100 bound parameters per statement: split long lists. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The id of the resource row an outer query reads: what correlated membership columns refer to. */
export const resourceIdColumn = sql`${resources.id}`;

/** A row as D1 returns it (snake_case column names) with the schema's camelCase names. */
export function camelRow<T>(row: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v])) as T;
}
