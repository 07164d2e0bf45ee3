import { listResponse } from '../scim/list-response';
import { invalidValue, ScimError } from '../scim/errors';
import type { Filter } from '../scim/filter/ast';
import type { Document } from '../scim/resource/input';
import { planAcross } from '../store/list';
import type { ScimContext } from './context';
import { filterFor, pageOf, sortOrderOf, type ListQuery } from './list';
import { renderResources } from './render';

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
  const total = await ctx.resources.countAcross(plan);
  const rows = count === 0 || startIndex > total ? [] : await ctx.resources.pageAcross(plan, count, startIndex - 1);

  // Render per type (membership reads are batched per type), then restore the query's order.
  const rendered = new Map<string, Document>();
  for (const rt of types) {
    const own = rows.filter((r) => r.resourceType === rt.name);
    if (own.length === 0) continue;
    const docs = await renderResources(ctx, rt, own, query);
    own.forEach((r, i) => rendered.set(r.id, docs[i]!));
  }
  const page = rows.map((r) => rendered.get(r.id)!);
  return listResponse(page, { totalResults: total, startIndex });
}
