import type { Expression } from '../store/executor';
import { listResponse } from '../scim/list-response';
import { invalidValue, ScimError } from '../scim/errors';
import type { Filter } from '../scim/filter/ast';
import type { Document } from '../scim/resource/input';
import { planAcross } from '../store/list';
import type { ScimContext } from './context';
import { filterFor, MAX_OFFSET, pageOf, sortOrderOf, type ListQuery } from './list';
import { extraColumn, renderRow } from './render';

/**
 * RFC 7644 §3.4.3 search at the server root: every resource type of the tenant in ONE query, so
 * sorting and the startIndex/count window apply to the whole result, not type by type. A filter
 * naming attributes a type lacks matches nothing of that type; a filter (or sortBy) no type
 * understands is a 400.
 */
export async function searchAll(ctx: ScimContext, query: ListQuery) {
  if (query.cursor !== undefined) throw invalidValue('Cursor paging is offered per resource type (/Users, /Groups), not at the root.');
  const types = ctx.registry.resourceTypes;
  const parts = types.map((rt) => {
    try {
      return { rt, filter: filterFor(rt, query.filter) as Filter | undefined };
    } catch (error) {
      if (error instanceof ScimError) return { rt, error };
      throw error;
    }
  });
  const usable = parts.filter((p): p is { rt: (typeof types)[number]; filter: Filter | undefined } => !('error' in p));
  if (usable.length === 0) throw (parts[0] as { error: ScimError }).error;
  const plan = planAcross(types, usable, query.sortBy, sortOrderOf(query.sortOrder), ctx.tenantId);

  const { startIndex, count } = pageOf(query, ctx.limits.defaultPageSize, ctx.limits.maxPageSize);
  // One round trip: the page with its total, each row's members or groups (per its type) beside it.
  const extra = ctx.resources.perType(types.flatMap((rt) => {
    const column = extraColumn(ctx, rt, query);
    return column ? [[rt.name, column] as [string, Expression]] : [];
  }));
  const page = count === 0 ? { rows: [], total: undefined } : (await ctx.exec.read(ctx.resources.acrossRead(plan, count, Math.min(startIndex - 1, MAX_OFFSET), extra)))[0];
  // An empty page (count=0, or past the end) has no window to count: a second round trip, rarely.
  const total = page.total ?? (await ctx.resources.countAcross(plan));
  const byName = new Map(types.map((rt) => [rt.name, rt]));
  const resources: Document[] = page.rows.map((row) => renderRow(ctx, byName.get(row.resourceType)!, row, query));
  return listResponse(resources, { totalResults: total, startIndex });
}
