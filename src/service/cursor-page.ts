import { and, sql, type SQL } from 'drizzle-orm';
import { resources } from '../db/schema';
import { listResponse } from '../scim/list-response';
import type { Filter } from '../scim/filter/ast';
import { printFilter } from '../scim/filter/printer';
import { resolveAttribute, type ResourceTypeInfo } from '../scim/schema/registry';
import type { SortOrder } from '../store/sort';
import type { ScimContext } from './context';
import { bindingOf, CURSOR_TIMEOUT_SECONDS, decodeCursor, encodeCursor, type CursorPosition } from './cursor';
import type { ListQuery } from './list';
import { renderResources } from './render';

interface Segment {
  where?: SQL;
  orderBy: SQL;
}

/** Sort keys that no row lacks (id, required core attributes, meta times): no NULL segment to read. */
function keyNeverNull(rt: ResourceTypeInfo, sortBy: string | undefined): boolean {
  if (sortBy === undefined || /^meta\.(created|lastModified)$/i.test(sortBy)) return true;
  const r = resolveAttribute(rt, sortBy);
  return r !== undefined && !r.subAttribute && (r.attribute.name === 'id' || (r.attribute.required && r.schema === rt.core.id));
}

/**
 * The rows after `position` in (key, id) order, as segments read in turn: rows with a key as an
 * index range (`key >= k AND …`), and the rows without one, which sort last ascending and first
 * descending (RFC 7644 §3.4.2.3). Each segment is sargable, so a deep page reads about a page.
 */
function segments(key: SQL, position: CursorPosition | undefined, order: SortOrder, neverNull: boolean): Segment[] {
  const id = resources.id;
  const keyed = order === 'ascending' ? sql`${key} ASC, ${id} ASC` : sql`${key} DESC, ${id} DESC`;
  const nulls = (where: SQL): Segment[] => (neverNull ? [] : [{ where, orderBy: order === 'ascending' ? sql`${id} ASC` : sql`${id} DESC` }]);
  if (!position) {
    return order === 'ascending'
      ? [{ where: sql`${key} IS NOT NULL`, orderBy: keyed }, ...nulls(sql`${key} IS NULL`)]
      : [...nulls(sql`${key} IS NULL`), { where: sql`${key} IS NOT NULL`, orderBy: keyed }];
  }
  const { key: k, id: last } = position;
  if (order === 'ascending') {
    if (k === null) return nulls(sql`${key} IS NULL AND ${id} > ${last}`);
    return [{ where: sql`${key} >= ${k} AND (${key} > ${k} OR ${id} > ${last})`, orderBy: keyed }, ...nulls(sql`${key} IS NULL`)];
  }
  if (k === null) return [...nulls(sql`${key} IS NULL AND ${id} < ${last}`), { where: sql`${key} IS NOT NULL`, orderBy: keyed }];
  return [{ where: sql`${key} <= ${k} AND (${key} < ${k} OR ${id} < ${last})`, orderBy: keyed }];
}

/**
 * RFC 9865 cursor paging: `cursor=""` starts, `nextCursor` continues. totalResults is counted once,
 * on the first page, and carried in the (signed) cursor: counting on every page would read every
 * match each time.
 */
export async function cursorPage(
  ctx: ScimContext,
  rt: ResourceTypeInfo,
  query: ListQuery,
  plan: { filter?: Filter; where?: SQL; sortKey: SQL; order: SortOrder; count: number },
) {
  const { filter, where, sortKey, order, count } = plan;
  const binding = await bindingOf([ctx.tenantId, rt.name, filter ? printFilter(filter) : null, query.sortBy ?? null, order]);
  const position = query.cursor ? await decodeCursor(await ctx.cursorSecret(), query.cursor, binding) : undefined;
  const total = position ? position.total : await ctx.resources.count(rt.name, where);

  const rows: Awaited<ReturnType<typeof ctx.resources.list>> = [];
  for (const segment of count === 0 ? [] : segments(sortKey, position, order, keyNeverNull(rt, query.sortBy))) {
    const need = count + 1 - rows.length;
    if (need <= 0) break;
    rows.push(...(await ctx.resources.list(rt.name, { where: and(where, segment.where), orderBy: segment.orderBy, limit: need, offset: 0, sortKey })));
  }
  const page = rows.slice(0, count);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > count && last ? await encodeCursor(await ctx.cursorSecret(), { key: last.sortKey ?? null, id: last.id, total }, binding, CURSOR_TIMEOUT_SECONDS) : undefined;
  return listResponse(await renderResources(rt, page, query, ctx.baseUrl, ctx.memberships), { totalResults: total, nextCursor });
}
