import { listResponse } from '../scim/list-response';
import { invalidValue } from '../scim/errors';
import type { Filter } from '../scim/filter/ast';
import { parseFilter } from '../scim/filter/parser';
import { checkFilter } from '../scim/filter/validate';
import type { SearchQuery } from '../scim/search-request';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import { planList, type ListPlan } from '../store/list';
import type { SortOrder } from '../store/sort';
import type { ScimContext } from './context';
import { isLookup } from '../scim/filter/lookup';
import { cursorPage } from './cursor-page';
import { extraColumn, renderRows } from './render';
import { recall, remember } from './walk';
import { mapRead, pairRead, type Read, type Expression } from '../store/executor';
import type { ResourceWithExtra } from '../store/resources';

/** SQLite binds integers up to 2^63; no D1 table gets near 2^31 rows, so larger offsets mean "past the end". */
export const MAX_OFFSET = 2 ** 31 - 1;

/** A list or search query, from query parameters or a SearchRequest body (scim/search-request.ts). */
export type ListQuery = SearchQuery;

/** RFC 7644 §3.4.2.4: startIndex below 1 means 1; count below 0 means 0, above the maximum the maximum. */
export function pageOf(query: ListQuery, defaultSize: number, maxSize: number): { startIndex: number; count: number } {
  const start = query.startIndex === undefined ? 1 : Math.trunc(Number(query.startIndex));
  const count = query.count === undefined ? defaultSize : Math.trunc(Number(query.count));
  if (Number.isNaN(start) || Number.isNaN(count)) throw invalidValue('startIndex and count must be integers.');
  return { startIndex: Math.max(1, start), count: Math.min(Math.max(0, count), maxSize) };
}

/** RFC 7644 §3.4.2.3: "ascending" unless "descending" is asked for. */
export function sortOrderOf(value: string | undefined): SortOrder {
  if (value === undefined || value.toLowerCase() === 'ascending') return 'ascending';
  if (value.toLowerCase() === 'descending') return 'descending';
  throw invalidValue(`sortOrder must be "ascending" or "descending", not "${value}".`);
}

/** Parses and checks a filter against the resource type; a bad filter is 400 invalidFilter, never "everything". */
export function filterFor(rt: ResourceTypeInfo, text: string | undefined): Filter | undefined {
  if (text === undefined) return undefined;
  const filter = parseFilter(text);
  checkFilter(rt, filter);
  return filter;
}

export async function listResources(ctx: ScimContext, rt: ResourceTypeInfo, query: ListQuery, filter = filterFor(rt, query.filter)) {
  const plan = planList(rt, filter, query.sortBy, sortOrderOf(query.sortOrder), ctx.tenantId);
  const { startIndex, count } = pageOf(query, ctx.limits.defaultPageSize, ctx.limits.maxPageSize);

  if (query.cursor !== undefined) {
    if (query.startIndex !== undefined) throw invalidValue('Use either cursor or startIndex, not both (RFC 9865).');
    return cursorPage(ctx, rt, query, filter, plan, count);
  }

  const offset = Math.min(startIndex - 1, MAX_OFFSET);
  const extra = extraColumn(ctx, rt, query);
  // Unfiltered, in the default order: a sequential walk, resumed where its last page ended (walk.ts).
  if (!filter && query.sortBy === undefined && count > 0) {
    const { rows, total } = await walkPage(ctx, rt, plan, startIndex, count, extra);
    return listResponse(renderRows(ctx, rt, rows, query), { totalResults: total, startIndex });
  }
  // One round trip: the page (its members or groups a column of its rows) with its count: the
  // per-type one unfiltered, the matches' for a filter that may match many. A lookup's page shorter
  // than asked that starts inside the results ends them: its position is the exact total (RFC 7644
  // §3.4.2.4); only a lookup's full (or past-the-end) page counts, in a second round trip.
  const [page] = await ctx.exec.read(pageWithTotal(ctx, rt, plan, count, offset, extra, filter !== undefined && isLookup(filter)));
  const { rows } = page;
  const ended = rows.length < count && (rows.length > 0 || startIndex === 1);
  const total = page.total ?? (ended ? startIndex - 1 + rows.length : await ctx.resources.count(rt.name, plan));
  return listResponse(renderRows(ctx, rt, rows, query), { totalResults: total, startIndex });
}

/**
 * A page of an unfiltered walk in id order, with its exact total, in one round trip: a keyset read
 * after the remembered position when this isolate served the page before and nothing was inserted
 * or deleted since (else OFFSET, as always); either way the page RFC 7644 §3.4.2.4 defines for
 * this startIndex. Where it ends is remembered for the next page.
 */
async function walkPage(ctx: ScimContext, rt: ResourceTypeInfo, plan: ListPlan, startIndex: number, count: number, extra: Expression | undefined) {
  const offset = Math.min(startIndex - 1, MAX_OFFSET);
  const known = recall(ctx.tenantId, rt.name, startIndex);
  let [rows, tally] = await ctx.exec.read(
    known ? ctx.resources.pageAfterIdRead(rt.name, known.lastId, count, extra) : ctx.resources.pageRead(rt.name, plan, count, offset, extra),
    ctx.resources.tallyRead(rt.name),
  );
  // The walk's position moved under it (an insert or delete since): the page by OFFSET, once more.
  if (known && known.changes !== tally.changes) [rows] = await ctx.exec.read(ctx.resources.pageRead(rt.name, plan, count, offset, extra));
  const last = rows[rows.length - 1];
  if (last) remember(ctx.tenantId, rt.name, startIndex + rows.length, { lastId: last.id, changes: tally.changes });
  return { rows, total: tally.n };
}

/**
 * A page and its totalResults (RFC 7644 §3.4.2.4): without a filter the per-type count, one row;
 * with one, the count of its matches beside the page, except for a lookup (`lookup`), left to
 * the page's own length.
 */
function pageWithTotal(ctx: ScimContext, rt: ResourceTypeInfo, plan: ListPlan, count: number, offset: number, extra: Expression | undefined, lookup: boolean): Read<{ rows: ResourceWithExtra[]; total?: number }> {
  if (count === 0) return mapRead(ctx.resources.countRead(rt.name, plan), (total) => ({ rows: [], total }));
  const page = ctx.resources.pageRead(rt.name, plan, count, offset, extra);
  if (lookup) return mapRead(page, (rows) => ({ rows }));
  return mapRead(pairRead(page, ctx.resources.countRead(rt.name, plan)), ([rows, total]) => ({ rows, total }));
}
