import { sql, type SQL } from 'drizzle-orm';
import { resources } from '../db/schema';
import { LIST_RESPONSE_SCHEMA } from '../scim/discovery';
import { invalidValue } from '../scim/errors';
import type { Filter } from '../scim/filter/ast';
import { parseFilter } from '../scim/filter/parser';
import { printFilter } from '../scim/filter/printer';
import { checkFilter } from '../scim/filter/validate';
import type { Selection } from '../scim/projection';
import { resolveAttribute, type ResourceTypeInfo } from '../scim/schema/registry';
import { compileFilter } from '../store/filter-sql';
import { compileOrderBy, compileSortKey, type SortOrder } from '../store/sort';
import type { ScimContext } from './context';
import { bindingOf, decodeCursor, encodeCursor, type CursorPosition } from './cursor';
import { CURSOR_TIMEOUT_SECONDS } from './cursor-config';
import { renderResources } from './render';

export interface ListQuery extends Selection {
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  startIndex?: string | number;
  count?: string | number;
  /** RFC 9865: absent = index paging; "" = first cursor page; otherwise a nextCursor value. */
  cursor?: string;
}

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

/** Sort keys that no row lacks (id, required core columns, meta times): their keyset needs no NULL branch. */
function keyNeverNull(rt: ResourceTypeInfo, sortBy: string | undefined): boolean {
  if (sortBy === undefined || /^meta\.(created|lastModified)$/i.test(sortBy)) return true;
  const r = resolveAttribute(rt, sortBy);
  return r !== undefined && !r.subAttribute && (r.attribute.name === 'id' || (r.attribute.required && r.schema === rt.core.id));
}

/**
 * Keyset condition for the rows after `position` in (sort key, id) order; NULL keys sort last
 * ascending. Written as `key >= k AND (…)` so the key's index serves it as a range: a deep page
 * reads about what the first one does.
 */
function after(key: SQL, position: CursorPosition, order: SortOrder, neverNull: boolean): SQL {
  const id = resources.id;
  if (neverNull && position.key !== null) {
    return order === 'ascending'
      ? sql`(${key} >= ${position.key} AND (${key} > ${position.key} OR ${id} > ${position.id}))`
      : sql`(${key} <= ${position.key} AND (${key} < ${position.key} OR ${id} < ${position.id}))`;
  }
  if (order === 'ascending') {
    return position.key === null
      ? sql`(${key} IS NULL AND ${id} > ${position.id})`
      : sql`(${key} > ${position.key} OR (${key} = ${position.key} AND ${id} > ${position.id}) OR ${key} IS NULL)`;
  }
  return position.key === null
    ? sql`((${key} IS NULL AND ${id} < ${position.id}) OR ${key} IS NOT NULL)`
    : sql`(${key} < ${position.key} OR (${key} = ${position.key} AND ${id} < ${position.id}))`;
}

export async function listResources(ctx: ScimContext, rt: ResourceTypeInfo, query: ListQuery, filter = filterFor(rt, query.filter)) {
  const order = sortOrderOf(query.sortOrder);
  const where = filter ? compileFilter(rt, filter) : undefined;
  const orderBy = compileOrderBy(rt, query.sortBy, order);
  const sortKey = query.sortBy ? compileSortKey(rt, query.sortBy) : sql`${resources.id}`;
  const { startIndex, count } = pageOf(query, ctx.limits.defaultPageSize, ctx.limits.maxPageSize);

  if (query.cursor !== undefined) {
    if (query.startIndex !== undefined) throw invalidValue('Use either cursor or startIndex, not both (RFC 9865).');
    const binding = await bindingOf([ctx.tenantId, rt.name, filter ? printFilter(filter) : null, query.sortBy ?? null, order]);
    const position = query.cursor === '' ? undefined : await decodeCursor(ctx.cursorSecret, query.cursor, binding);
    const condition = position ? after(sortKey, position, order, keyNeverNull(rt, query.sortBy)) : undefined;
    // totalResults is counted once, on the first page, and carried in the cursor: counting again on
    // every page would cost the whole result set each time (docs/decisions.md).
    const total = position ? position.total : await ctx.resources.count(rt.name, where);
    const rows = count === 0 ? [] : await ctx.resources.list(rt.name, { where: combine(where, condition), orderBy, limit: count + 1, offset: 0, sortKey });
    const more = rows.length > count;
    const page = rows.slice(0, count);
    const last = page[page.length - 1];
    const nextCursor = more && last ? await encodeCursor(ctx.cursorSecret, { key: last.sortKey ?? null, id: last.id, total }, binding, CURSOR_TIMEOUT_SECONDS) : undefined;
    return {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: total,
      itemsPerPage: page.length,
      ...(nextCursor ? { nextCursor } : {}),
      Resources: await renderResources(rt, page, query, ctx.baseUrl, ctx.memberships),
    };
  }

  const total = await ctx.resources.count(rt.name, where);
  // Past the end there is nothing to read (and an offset beyond SQLite's integers is never bound).
  const rows = count === 0 || startIndex > total ? [] : await ctx.resources.list(rt.name, { where, orderBy, limit: count, offset: startIndex - 1 });
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    itemsPerPage: rows.length,
    startIndex,
    Resources: await renderResources(rt, rows, query, ctx.baseUrl, ctx.memberships),
  };
}

function combine(a: SQL | undefined, b: SQL | undefined): SQL | undefined {
  if (a && b) return sql`(${a}) AND ${b}`;
  return a ?? b;
}
