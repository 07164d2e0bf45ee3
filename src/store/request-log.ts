import { and, desc, eq, getTableColumns, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { requestLog } from '../db/schema';
import { rowsRead, type Executor, type Query, type Read } from './executor';

// The provisioning log's table (docs/storage.md `request_log`). Every read is scoped by tenant.

export type RequestLogRow = typeof requestLog.$inferSelect;

export interface LogFilters {
  /** `[from, to)` of HTTP statuses (4xx is [400, 500)). */
  status?: [number, number];
  tokenId?: string;
  resourceId?: string;
  method?: string;
  /** Newer than this position are skipped (the previous page's last). */
  before?: { at: string; requestId: string };
}

function named(row: Record<string, unknown>): RequestLogRow {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v])) as RequestLogRow;
}

export function insertLogStatement(exec: Executor, row: RequestLogRow): Query {
  return exec.orm.insert(requestLog).values(row).onConflictDoNothing();
}

/** Newest first, `limit` rows, by the tenant's time index (or its token's, its resource's). */
export function logPageRead(exec: Executor, tenantId: string, filters: LogFilters, limit: number, withBodies: boolean): Read<RequestLogRow[]> {
  const where: (SQL | undefined)[] = [eq(requestLog.tenantId, tenantId)];
  if (filters.tokenId !== undefined) where.push(eq(requestLog.tokenId, filters.tokenId));
  if (filters.resourceId !== undefined) where.push(eq(requestLog.resourceId, filters.resourceId));
  if (filters.method !== undefined) where.push(eq(requestLog.method, filters.method));
  if (filters.status) where.push(gte(requestLog.status, filters.status[0]), lt(requestLog.status, filters.status[1]));
  if (filters.before) {
    const { at, requestId } = filters.before;
    where.push(or(lt(requestLog.at, at), and(eq(requestLog.at, at), lt(requestLog.requestId, requestId))));
  }
  const { requestBody, responseBody, ...meta } = getTableColumns(requestLog);
  const columns = withBodies ? { ...meta, requestBody, responseBody } : meta;
  const query = exec.orm.select(columns).from(requestLog).where(and(...where)).orderBy(desc(requestLog.at), desc(requestLog.requestId)).limit(limit);
  return rowsRead((rows: Record<string, unknown>[]) => rows.map(named), query);
}

export async function logEntry(exec: Executor, tenantId: string, requestId: string): Promise<RequestLogRow | undefined> {
  const row = await exec.first<Record<string, unknown>>(exec.orm.select().from(requestLog).where(and(eq(requestLog.tenantId, tenantId), eq(requestLog.requestId, requestId))));
  return row && named(row);
}

/** Deletes up to `limit` entries older than `before`, every tenant's (the hourly pruning). */
export function pruneLogStatement(before: string, limit: number): Query {
  return sql`DELETE FROM ${requestLog} WHERE (tenant_id, request_id) IN
    (SELECT tenant_id, request_id FROM ${requestLog} INDEXED BY request_log_pruning WHERE at < ${before} ORDER BY at LIMIT ${limit})`;
}
