import { sql, type SQL } from 'drizzle-orm';
import { resources } from '../db/schema';
import { invalidValue, ScimError } from '../scim/errors';
import { parsePath } from '../scim/filter/parser';
import { resolveLeaf } from '../scim/filter/resolve';
import { findAttribute, type ResourceTypeInfo } from '../scim/schema/registry';
import { COLUMN_SQL, jsonPath, jsonValue } from './filter-sql';

// RFC 7644 §3.4.2.3 sorting. Keys come from the same columns and folded JSON as filters, so
// caseExact=false strings sort case-insensitively and dateTimes in time order. RFC 7644 names no
// error for a bad sortBy: we answer 400 invalidValue (the parameter's value is not usable).

export type SortOrder = 'ascending' | 'descending';

/**
 * The ORDER BY key for `sortBy`: a singular attribute, sub-attribute or extension attribute; for a
 * multi-valued attribute, the value of its primary element, else of its first (RFC 7644 §3.4.2.3).
 * NULL when the resource has no such value. Selecting it gives a cursor its keyset position.
 */
export function compileSortKey(rt: ResourceTypeInfo, sortBy: string): SQL {
  let leaf;
  try {
    const parsed = parsePath(sortBy);
    if (parsed.kind !== 'attrPath') throw invalidValue('sortBy takes an attribute path, not a value filter.');
    leaf = resolveLeaf(rt, parsed.path);
  } catch (error) {
    if (error instanceof ScimError) throw invalidValue(`Cannot sort by "${sortBy}": ${error.detail}`);
    throw error;
  }
  // RFC 7644 §3.4.2.3: a complex attribute must be sorted by one of its sub-attributes.
  if (leaf.def.type === 'complex') throw invalidValue(`Cannot sort by "${sortBy}": name a sub-attribute.`);
  const read = leaf.read;
  // RFC 7644 §3.4.2.3: unassigned values sort last ascending; "" is unassigned here as in filters
  // (documents stored before that rule may hold one). Columns never hold "": they stay sargable.
  switch (read.at) {
    case 'value':
      return read.column ? COLUMN_SQL[read.column] : sql`nullif(${jsonValue(read.segments)}, '')`;
    case 'each': {
      if (read.collection.source !== 'json') throw invalidValue(`Cannot sort by "${sortBy}".`);
      const hasPrimary = findAttribute(read.collection.attribute.subAttributes, 'primary') !== undefined;
      const value = read.sub === undefined ? sql`s.value` : sql`CASE s.type WHEN 'object' THEN json_extract(s.value, ${jsonPath([read.sub])}) END`;
      const primary = hasPrimary ? sql`(CASE s.type WHEN 'object' THEN json_extract(s.value, '$."primary"') END IS 1) DESC, ` : sql``;
      return sql`nullif((SELECT ${value} FROM json_each(${resources.folded}, ${jsonPath(read.collection.segments)}) AS s
        ORDER BY ${primary}s.key LIMIT 1), '')`;
    }
    case 'element':
      throw invalidValue(`Cannot sort by "${sortBy}".`);
    default: {
      const unreachable: never = read;
      return unreachable;
    }
  }
}

/**
 * The whole ORDER BY: resources without a value last when ascending and first when descending
 * (RFC 7644 §3.4.2.3), then `id` so that pages are stable.
 */
export function compileOrderBy(rt: ResourceTypeInfo, sortBy: string | undefined, order: SortOrder = 'ascending'): SQL {
  if (sortBy === undefined) return sql`${resources.id} ASC`;
  const key = compileSortKey(rt, sortBy);
  return order === 'descending'
    ? sql`${key} DESC NULLS FIRST, ${resources.id} DESC`
    : sql`${key} ASC NULLS LAST, ${resources.id} ASC`;
}
