import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { resources } from '../db/schema';
import { LIST_RESPONSE_SCHEMA } from '../scim/discovery';
import type { Selection } from '../scim/projection';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import { invalidFilter } from '../scim/errors';
import type { ScimContext } from './context';
import { renderResources } from './render';

export interface ListQuery extends Selection {
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  startIndex?: string;
  count?: string;
  cursor?: string;
}

/** RFC 7644 §3.4.2.4: startIndex below 1 means 1; count below 0 means 0, above the maximum the maximum. */
export function pageOf(query: ListQuery, defaultSize: number, maxSize: number): { startIndex: number; count: number } {
  const start = query.startIndex === undefined ? 1 : Number(query.startIndex);
  const count = query.count === undefined ? defaultSize : Number(query.count);
  return { startIndex: Math.max(1, start), count: Math.min(Math.max(0, count), maxSize) };
}

export async function listResources(ctx: ScimContext, rt: ResourceTypeInfo, query: ListQuery) {
  if (query.filter !== undefined) throw invalidFilter('Filtering is not supported yet.');
  const where: SQL | undefined = undefined;
  const { startIndex, count } = pageOf(query, ctx.limits.defaultPageSize, ctx.limits.maxPageSize);
  const total = await ctx.resources.count(rt.name, where);
  const rows =
    count === 0
      ? []
      : await ctx.resources.list(rt.name, { where, orderBy: sql`${resources.id}`, limit: count, offset: startIndex - 1 });
  const page = await renderResources(rt, rows, query, ctx.baseUrl, ctx.memberships);
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    itemsPerPage: page.length,
    startIndex,
    Resources: page,
  };
}
