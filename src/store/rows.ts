import { sql } from 'drizzle-orm';
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

/** D1 allows 100 bound parameters per statement: split long lists. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
