import { and, sql, type SQL } from 'drizzle-orm';
import { resources } from '../db/schema';
import { ScimError } from '../scim/errors';
import type { Filter } from '../scim/filter/ast';
import { resolveAttribute, type ResourceTypeInfo } from '../scim/schema/registry';
import { compileFilter, MAX_FILTER_PARAMS } from './filter-sql';
import { literal } from './rows';
import { compileOrderBy, compileSortKey, type SortOrder } from './sort';

// Query plans: a filter, a sort and an order compiled to SQL once, then run by ResourceStore as an
// index page, a count, a keyset (cursor) page or a root search. Services hold plans, never SQL.

export interface CursorPosition {
  /** Sort key of the last row returned (null when it had none). */
  key: string | number | null;
  /** id of the last row returned. */
  id: string;
}

export interface ListPlan {
  where?: SQL;
  orderBy: SQL;
  sortKey: SQL;
  order: SortOrder;
  /** The sort key is never NULL (id, required core attributes, meta times): no NULL segment to read. */
  neverNull: boolean;
}

export interface AcrossPlan {
  where: SQL;
  orderBy: SQL;
}

/** Compiles a (checked) filter and sort for one type; bad sortBy is 400 invalidValue, bad filters invalidFilter. */
export function planList(rt: ResourceTypeInfo, filter: Filter | undefined, sortBy: string | undefined, order: SortOrder, tenantId: string): ListPlan {
  return {
    where: filter ? compileFilter(rt, filter, tenantId) : undefined,
    orderBy: compileOrderBy(rt, sortBy, order),
    sortKey: sortBy ? compileSortKey(rt, sortBy) : sql`${resources.id}`,
    order,
    neverNull: keyNeverNull(rt, sortBy),
  };
}

function keyNeverNull(rt: ResourceTypeInfo, sortBy: string | undefined): boolean {
  if (sortBy === undefined || /^meta\.(created|lastModified)$/i.test(sortBy)) return true;
  const r = resolveAttribute(rt, sortBy);
  return r !== undefined && !r.subAttribute && (r.attribute.name === 'id' || (r.attribute.required && r.schema === rt.core.id));
}

export interface Segment {
  where?: SQL;
  orderBy: SQL;
}

/**
 * The rows after `position` in (key, id) order, as segments read in turn: rows with a key as an
 * index range (`key >= k AND …`), and the rows without one, which sort last ascending and first
 * descending (RFC 7644 §3.4.2.3). Each segment is sargable, so a deep page reads about a page.
 */
export function segmentsAfter(plan: ListPlan, position: CursorPosition | undefined): Segment[] {
  const { sortKey: key, order, neverNull } = plan;
  const id = resources.id;
  const keyed = order === 'ascending' ? sql`${key} ASC, ${id} ASC` : sql`${key} DESC, ${id} DESC`;
  const nulls = (where: SQL): Segment[] => (neverNull ? [] : [{ where, orderBy: order === 'ascending' ? sql`${id} ASC` : sql`${id} DESC` }]);
  const within = (s: Segment[]) => s.map((seg) => ({ ...seg, where: and(plan.where, seg.where) }));
  if (!position) {
    return within(
      order === 'ascending'
        ? [{ where: sql`${key} IS NOT NULL`, orderBy: keyed }, ...nulls(sql`${key} IS NULL`)]
        : [...nulls(sql`${key} IS NULL`), { where: sql`${key} IS NOT NULL`, orderBy: keyed }],
    );
  }
  const { key: k, id: last } = position;
  if (order === 'ascending') {
    if (k === null) return within(nulls(sql`${key} IS NULL AND ${id} > ${last}`));
    return within([{ where: sql`${key} >= ${k} AND (${key} > ${k} OR ${id} > ${last})`, orderBy: keyed }, ...nulls(sql`${key} IS NULL`)]);
  }
  if (k === null) return within([...nulls(sql`${key} IS NULL AND ${id} < ${last}`), { where: sql`${key} IS NOT NULL`, orderBy: keyed }]);
  return within([{ where: sql`${key} <= ${k} AND (${key} < ${k} OR ${id} < ${last})`, orderBy: keyed }]);
}

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
 * RFC 7644 §3.4.3 search at the server root: every resource type in ONE statement, so sorting and
 * the startIndex/count window apply to the whole result. `parts` are the types whose filter parsed;
 * a type whose filter (or sort key) does not apply matches nothing (resp. sorts with the missing).
 */
export function planAcross(types: ResourceTypeInfo[], parts: { rt: ResourceTypeInfo; filter?: Filter }[], sortBy: string | undefined, order: SortOrder, tenantId: string): AcrossPlan {
  // One statement holds every type's filter: they share D1's 100 bound parameters, beside the
  // tenant and LIMIT/OFFSET. Type names are written as literals (schema names, never input).
  const budget = Math.floor(MAX_FILTER_PARAMS / Math.max(1, parts.length));
  const where = sql.join(
    parts.map(({ rt, filter }) => {
      const own = sql`${resources.resourceType} = ${literal(rt.name)}`;
      return filter ? sql`(${own} AND ${compileFilter(rt, filter, tenantId, budget)})` : sql`(${own})`;
    }),
    sql` OR `,
  );
  // Without sortBy: types in registry order (Users, Groups, then declared types), each by id.
  const typeRank = sql`(CASE ${resources.resourceType} ${sql.join(types.map((rt, i) => sql`WHEN ${literal(rt.name)} THEN ${sql.raw(String(i))}`), sql` `)} END)`;
  if (sortBy === undefined) return { where, orderBy: sql`${typeRank} ASC, ${resources.id} ASC` };
  const keys = types.map((rt) => ({ rt, key: attempt(() => compileSortKey(rt, sortBy)) }));
  const valid = keys.filter((k): k is { rt: ResourceTypeInfo; key: SQL } => !(k.key instanceof ScimError));
  if (valid.length === 0) throw keys[0]!.key as ScimError;
  const key = sql`(CASE ${resources.resourceType} ${sql.join(valid.map(({ rt, key: k }) => sql`WHEN ${literal(rt.name)} THEN ${k}`), sql` `)} END)`;
  const orderBy = order === 'descending' ? sql`${key} DESC NULLS FIRST, ${resources.id} DESC` : sql`${key} ASC NULLS LAST, ${resources.id} ASC`;
  return { where, orderBy };
}
