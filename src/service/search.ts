import { LIST_RESPONSE_SCHEMA } from '../scim/discovery';
import { invalidValue, ScimError } from '../scim/errors';
import type { Filter } from '../scim/filter/ast';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import type { Document } from '../scim/resource/input';
import type { ScimContext } from './context';
import { filterFor, listResources, pageOf, type ListQuery } from './list';

/**
 * RFC 7644 §3.4.3 search at the server root: every resource type, concatenated in registry order
 * (Users, then Groups), with one startIndex/count window over the whole. A filter naming attributes
 * a type lacks matches nothing of that type; one no type understands is 400 invalidFilter.
 */
export async function searchAll(ctx: ScimContext, types: ResourceTypeInfo[], query: ListQuery) {
  if (query.cursor !== undefined) throw invalidValue('Cursor paging is offered per resource type (/Users, /Groups), not at the root.');
  const applicable: { rt: ResourceTypeInfo; filter?: Filter }[] = [];
  let firstError: ScimError | undefined;
  for (const rt of types) {
    try {
      applicable.push({ rt, filter: filterFor(rt, query.filter) });
    } catch (error) {
      if (!(error instanceof ScimError)) throw error;
      firstError ??= error;
    }
  }
  if (applicable.length === 0 && firstError) throw firstError;

  const { startIndex, count } = pageOf(query, ctx.limits.defaultPageSize, ctx.limits.maxPageSize);
  let skip = startIndex - 1;
  let room = count;
  let total = 0;
  const resources: Document[] = [];
  for (const { rt, filter } of applicable) {
    // Ask each type for the slice of the global window that falls inside it.
    const part = await listResources(ctx, rt, { ...query, startIndex: skip + 1, count: room }, filter);
    total += part.totalResults;
    resources.push(...part.Resources);
    room -= part.Resources.length;
    skip = Math.max(0, skip - part.totalResults);
  }
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults: total, itemsPerPage: resources.length, startIndex, Resources: resources };
}
