import { sql, type SQL } from 'drizzle-orm';
import { resources } from '../db/schema';
import { listResponse } from '../scim/list-response';
import { invalidValue, ScimError } from '../scim/errors';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import type { Document } from '../scim/resource/input';
import { compileFilter, MAX_FILTER_PARAMS } from '../store/filter-sql';
import { compileSortKey } from '../store/sort';
import type { ScimContext } from './context';
import { filterFor, pageOf, sortOrderOf, type ListQuery } from './list';
import { renderResources } from './render';

/** A per-type piece of the root query, or the error that makes the type inapplicable. */
function attempt<T>(make: () => T): T | ScimError {
  try {
    return make();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
}

/**
 * RFC 7644 §3.4.3 search at the server root: every resource type in ONE query, so sorting and the
 * startIndex/count window apply to the whole result, not type by type. A filter naming attributes a
 * type lacks matches nothing of that type; a filter (or sortBy) no type understands is a 400.
 */
export async function searchAll(ctx: ScimContext, types: ResourceTypeInfo[], query: ListQuery) {
  if (query.cursor !== undefined) throw invalidValue('Cursor paging is offered per resource type (/Users, /Groups), not at the root.');
  const order = sortOrderOf(query.sortOrder);
  const parts = types.map((rt) => ({ rt, filter: attempt(() => filterFor(rt, query.filter)) }));
  const usable = parts.filter((p) => !(p.filter instanceof ScimError));
  if (usable.length === 0) throw parts[0]!.filter as ScimError;
  // One statement holds every type's filter: they share D1's 100 bound parameters, beside the
  // tenant, the type names (up to three per type) and LIMIT/OFFSET.
  const budget = Math.floor((MAX_FILTER_PARAMS - 3 * types.length) / usable.length);
  const where = sql.join(
    usable.map(({ rt, filter }) => {
      const own = sql`${resources.resourceType} = ${rt.name}`;
      return filter ? sql`(${own} AND ${compileFilter(rt, filter as Exclude<typeof filter, ScimError>, ctx.tenantId, budget)})` : sql`(${own})`;
    }),
    sql` OR `,
  );

  // Without sortBy: types in registry order (Users, then Groups), each by id.
  const typeRank = sql`(CASE ${resources.resourceType} ${sql.join(types.map((rt, i) => sql`WHEN ${rt.name} THEN ${i}`), sql` `)} END)`;
  let orderBy = sql`${typeRank} ASC, ${resources.id} ASC`;
  if (query.sortBy !== undefined) {
    const keys = types.map((rt) => ({ rt, key: attempt(() => compileSortKey(rt, query.sortBy!)) }));
    const valid = keys.filter((k): k is { rt: ResourceTypeInfo; key: SQL } => !(k.key instanceof ScimError));
    if (valid.length === 0) throw keys[0]!.key as ScimError;
    // A type without the attribute has no value for it: it sorts with the missing values.
    const key = sql`(CASE ${resources.resourceType} ${sql.join(valid.map(({ rt, key: k }) => sql`WHEN ${rt.name} THEN ${k}`), sql` `)} END)`;
    orderBy = order === 'descending' ? sql`${key} DESC NULLS FIRST, ${resources.id} DESC` : sql`${key} ASC NULLS LAST, ${resources.id} ASC`;
  }

  const { startIndex, count } = pageOf(query, ctx.limits.defaultPageSize, ctx.limits.maxPageSize);
  const total = await ctx.resources.countAcross(where);
  const rows = count === 0 || startIndex > total ? [] : await ctx.resources.listAcross(where, { orderBy, limit: count, offset: startIndex - 1 });

  // Render per type (membership reads are batched per type), then restore the query's order.
  const rendered = new Map<string, Document>();
  for (const rt of types) {
    const own = rows.filter((r) => r.resourceType === rt.name);
    if (own.length === 0) continue;
    const docs = await renderResources(rt, own, query, ctx.baseUrl, ctx.memberships);
    own.forEach((r, i) => rendered.set(r.id, docs[i]!));
  }
  const page = rows.map((r) => rendered.get(r.id)!);
  return listResponse(page, { totalResults: total, startIndex });
}
