import { listResponse } from '../scim/list-response';
import { invalidValue } from '../scim/errors';
import type { Filter } from '../scim/filter/ast';
import { parseFilter } from '../scim/filter/parser';
import { checkFilter } from '../scim/filter/validate';
import type { SearchQuery } from '../scim/search-request';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import { planList } from '../store/list';
import type { SortOrder } from '../store/sort';
import type { ScimContext } from './context';
import { cursorPage } from './cursor-page';
import { renderResources } from './render';

/** SQLite binds integers up to 2^63; no D1 table gets near 2^31 rows, so larger offsets mean "past the end". */
const MAX_OFFSET = 2 ** 31 - 1;

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

  const rows = count === 0 ? [] : await ctx.resources.page(rt.name, plan, count, Math.min(startIndex - 1, MAX_OFFSET));
  // A short page that starts inside the results ends them: its position gives the exact total
  // without counting (RFC 7644 §3.4.2.4 totalResults), which saves reading every match again.
  const total = rows.length < count && (rows.length > 0 || startIndex === 1) ? startIndex - 1 + rows.length : await ctx.resources.count(rt.name, plan);
  return listResponse(await renderResources(ctx, rt, rows, query), { totalResults: total, startIndex });
}
