import { signed, verified } from './cursor';
import { adminNotFound, badCursor, invalidRequest } from './admin-error';
import type { AdminContext } from './admin';
import { insertLogStatement, logEntry, logPageRead, type LogFilters, type RequestLogRow } from '../store/request-log';
import type { Executor } from '../store/executor';

// The provisioning log (README "Provisioning log"): every SCIM request of a tenant, as the
// middleware (http/request-log.ts) records it after the response, read back by the admin API.

export type LogEntry = RequestLogRow;

/** Entries in one batch: the log queue's consumer writes up to a hundred per D1 call. */
export async function recordRequests(exec: Executor, entries: LogEntry[]): Promise<void> {
  await exec.batch(entries.map((e) => insertLogStatement(exec, e)));
}

export interface LogQuery {
  status?: string;
  token?: string;
  resource?: string;
  method?: string;
  after?: string;
  limit?: string;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** `4xx` → [400, 500); `409` → [409, 410). */
export function statusRange(text: string): [number, number] {
  const cls = /^([1-5])xx$/i.exec(text);
  if (cls) return [Number(cls[1]) * 100, Number(cls[1]) * 100 + 100];
  if (/^[1-5]\d\d$/.test(text)) return [Number(text), Number(text) + 1];
  throw invalidRequest(`status must be 2xx, 4xx, 5xx or a status code such as 409, not '${text}'.`);
}

function view(row: RequestLogRow, withBodies: boolean) {
  const { tenantId, id, requestBody, responseBody, ...meta } = row;
  void tenantId;
  void id;
  return withBodies ? { ...meta, requestBody, responseBody } : meta;
}

/** Newest first, filtered; `nextCursor` pages on (null at the end). */
export async function listRequests(ctx: AdminContext, tenantId: string, query: LogQuery) {
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw invalidRequest('limit must be an integer from 1 to 200.');
  const filters: LogFilters = {};
  if (query.status !== undefined) filters.status = statusRange(query.status);
  if (query.token !== undefined) filters.tokenId = query.token;
  if (query.resource !== undefined) filters.resourceId = query.resource;
  if (query.method !== undefined) {
    const method = query.method.toUpperCase();
    if (!METHODS.has(method)) throw invalidRequest(`method must be one of ${[...METHODS].join(', ')}.`);
    filters.method = method;
  }
  const secret = await ctx.cursorSecret();
  if (query.after !== undefined && query.after !== '') {
    const text = await verified(secret, query.after);
    const position = text === undefined ? undefined : (JSON.parse(text) as { t?: string; at?: string; id?: string });
    if (!position || position.t !== tenantId || typeof position.at !== 'string' || typeof position.id !== 'string') throw badCursor('The cursor is not one this server issued for this tenant.');
    filters.before = { at: position.at, requestId: position.id };
  }
  const [rows] = await ctx.exec.read(logPageRead(ctx.exec, tenantId, filters, limit + 1, false));
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? await signed(secret, JSON.stringify({ t: tenantId, at: last.at, id: last.id })) : null;
  return { requests: page.map((r) => view(r, false)), nextCursor };
}

export async function requestDetail(ctx: AdminContext, tenantId: string, requestId: string) {
  const row = await logEntry(ctx.exec, tenantId, requestId);
  if (!row) throw adminNotFound(`No logged request '${requestId}' for tenant '${tenantId}'.`);
  return view(row, true);
}
