import { and, desc, eq, getTableColumns, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { requestLog } from '../db/schema';
import { rowsRead, type Executor, type Query, type Read } from './executor';
import { camelRow } from './rows';

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


/**
 * An entry's insert, kept only when its tenant exists and was created before the request: anyone can
 * call /t/{anything}/scim/v2, and an entry still queued when its tenant was deleted must not show up
 * in a tenant created again with its id.
 */
export function insertLogStatement(exec: Executor, row: RequestLogRow): Query {
  void exec;
  const columns = Object.keys(row) as (keyof RequestLogRow)[];
  const names = sql.join(columns.map((k) => sql.identifier(getTableColumns(requestLog)[k].name)), sql`, `);
  const values = sql.join(columns.map((k) => sql`${row[k]}`), sql`, `);
  return sql`INSERT OR IGNORE INTO ${requestLog} (${names}) SELECT ${values}
    WHERE EXISTS (SELECT 1 FROM tenants WHERE id = ${row.tenantId} AND created <= ${row.at})`;
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
    where.push(or(lt(requestLog.at, at), and(eq(requestLog.at, at), lt(requestLog.id, requestId))));
  }
  const { requestBody, responseBody, ...meta } = getTableColumns(requestLog);
  const columns = withBodies ? { ...meta, requestBody, responseBody } : meta;
  const query = exec.orm.select(columns).from(requestLog).where(and(...where)).orderBy(desc(requestLog.at), desc(requestLog.id)).limit(limit);
  return rowsRead((rows: Record<string, unknown>[]) => rows.map((r) => camelRow<RequestLogRow>(r)), query);
}

/** The newest entry with this request id (a client may reuse one). */
export async function logEntry(exec: Executor, tenantId: string, requestId: string): Promise<RequestLogRow | undefined> {
  const row = await exec.first<Record<string, unknown>>(
    exec.orm.select().from(requestLog).where(and(eq(requestLog.tenantId, tenantId), eq(requestLog.requestId, requestId))).orderBy(desc(requestLog.at)).limit(1),
  );
  return row && camelRow<RequestLogRow>(row);
}

/** Deletes up to `limit` entries older than `before`, every tenant's (the hourly pruning). */
export function pruneLogStatement(before: string, limit: number): Query {
  return sql`DELETE FROM ${requestLog} WHERE (tenant_id, id) IN
    (SELECT tenant_id, id FROM ${requestLog} INDEXED BY request_log_pruning WHERE at < ${before} ORDER BY at LIMIT ${limit})`;
}

export interface TokenActivity {
  lastSuccess: string | null;
  lastFailure: string | null;
  /** Over the window: 2xx counts every status below 400 (a 304 included). */
  counts: { '2xx': number; '4xx': number; '5xx': number };
}

/**
 * Per token: its newest logged success and failure (walking its index from the newest entry), and
 * its counts since `since` (one walk of the tenant's time index over the window). One batch.
 */
export function tokenActivityRead(exec: Executor, tenantId: string, tokenIds: string[], since: string): Read<Map<string, TokenActivity>> {
  const newest = (tokenId: string, failed: boolean) =>
    sql`(SELECT at FROM ${requestLog} INDEXED BY request_log_token WHERE tenant_id = ${tenantId} AND token_id = ${tokenId} AND ${failed ? sql`status >= 400` : sql`status < 400`} ORDER BY at DESC LIMIT 1)`;
  const lasts = tokenIds.map((id) => sql`SELECT ${id} AS token_id, ${newest(id, false)} AS last_success, ${newest(id, true)} AS last_failure`);
  const counts = sql`SELECT token_id, sum(status < 400) AS ok, sum(status >= 400 AND status < 500) AS client, sum(status >= 500) AS server
    FROM ${requestLog} INDEXED BY request_log_at WHERE tenant_id = ${tenantId} AND at >= ${since} AND token_id IS NOT NULL GROUP BY token_id`;
  type Last = { token_id: string; last_success: string | null; last_failure: string | null };
  type Count = { token_id: string; ok: number; client: number; server: number };
  return {
    queries: [...lasts, counts],
    decode(results) {
      const out = new Map<string, TokenActivity>();
      for (const r of results.slice(0, lasts.length)) {
        const row = (r.results as Last[])[0];
        if (row) out.set(row.token_id, { lastSuccess: row.last_success, lastFailure: row.last_failure, counts: { '2xx': 0, '4xx': 0, '5xx': 0 } });
      }
      for (const c of (results[lasts.length]?.results ?? []) as Count[]) {
        const activity = out.get(c.token_id);
        if (activity) activity.counts = { '2xx': c.ok, '4xx': c.client, '5xx': c.server };
      }
      return out;
    },
  };
}

/** Failed authentications since `since`, by reason (the tenant's time index over the window). */
export function authFailuresRead(exec: Executor, tenantId: string, since: string): Read<{ reason: string; n: number }[]> {
  return rowsRead(
    (rows: { reason: string; n: number }[]) => rows,
    sql`SELECT auth_failure AS reason, count(*) AS n FROM ${requestLog} INDEXED BY request_log_at
      WHERE tenant_id = ${tenantId} AND at >= ${since} AND auth_failure IS NOT NULL GROUP BY auth_failure ORDER BY n DESC`,
  );
}
