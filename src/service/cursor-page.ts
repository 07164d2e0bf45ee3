import { listResponse } from '../scim/list-response';
import type { Filter } from '../scim/filter/ast';
import { printFilter } from '../scim/filter/printer';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import type { ListPlan } from '../store/list';
import { constantRead } from '../store/executor';
import type { ScimContext } from './context';
import { bindingOf, CURSOR_TIMEOUT_SECONDS, decodeCursor, encodeCursor } from './cursor';
import type { ListQuery } from './list';
import { extraColumn, renderRows } from './render';

/**
 * RFC 9865 cursor paging: `cursor=""` starts, `nextCursor` continues. totalResults is counted once,
 * on the first page, and carried in the (signed) cursor: counting on every page would read every
 * match each time. Pages are keyset reads (store/list.ts segmentsAfter).
 */
export async function cursorPage(ctx: ScimContext, rt: ResourceTypeInfo, query: ListQuery, filter: Filter | undefined, plan: ListPlan, count: number) {
  const binding = await bindingOf([ctx.tenantId, rt.name, filter ? printFilter(filter) : null, query.sortBy ?? null, plan.order]);
  const position = query.cursor ? await decodeCursor(await ctx.cursorSecret(), query.cursor, binding) : undefined;
  // One round trip: the page (one row beyond it says whether there is a next one) and, on the
  // first page only, the count.
  const [rows, total] = await ctx.exec.read(
    ctx.resources.pageAfterRead(rt.name, plan, position, count + 1, extraColumn(ctx, rt, query)),
    position ? constantRead(position.total) : ctx.resources.countRead(rt.name, plan),
  );
  const page = rows.slice(0, count);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > count && last ? await encodeCursor(await ctx.cursorSecret(), { key: last.sortKey, id: last.id, total }, binding, CURSOR_TIMEOUT_SECONDS) : undefined;
  return listResponse(renderRows(ctx, rt, page, query), { totalResults: total, nextCursor });
}
