import { sql, type SQL } from 'drizzle-orm';
import { resources } from '../db/schema';
import { invalidFilter } from '../scim/errors';
import type { Comparison, Filter, Present } from '../scim/filter/ast';
import { leafTest, resolveCollection, resolveLeaf, type Collection, type Column, type Leaf, type LeafTest } from '../scim/filter/resolve';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import type { AttributeDef } from '../scim/schema/types';
import { literal } from './rows';
import { indexProbe } from './values';

// Filter AST → SQL boolean expression over the `resources` row (RFC 7644 §3.4.2.2). The caller puts
// `resources` (unaliased) in FROM together with `tenant_id = ? AND resource_type = ?`; subqueries
// correlate on its columns. Semantics are those of src/scim/filter/evaluate.ts, checked by a property
// test. Every filter value is a bound parameter; JSON paths and aliases come from the schema only.
//
// NULL handling: every expression is true, false or NULL, and NULL means "no match". AND/OR keep that
// reading; NOT does not, so negation is always `NOT ifnull(e, 0)`. Positive tests on columns stay
// plain `col = ?` / ranges so SQLite can use the (tenant_id, resource_type, col) indexes.

/** Most parameters a compiled filter binds; D1 allows 100 per statement, the store keeps the rest. */
export const MAX_FILTER_PARAMS = 80;

/** The row's column for each mapped attribute (canonical text, as in `folded`). */
export const COLUMN_SQL: Record<Column, SQL> = {
  id: sql`${resources.id}`,
  externalId: sql`${resources.externalId}`,
  userName: sql`${resources.userNameKey}`,
  displayName: sql`${resources.displayNameKey}`,
  created: sql`${resources.created}`,
  lastModified: sql`${resources.lastModified}`,
  resourceType: sql`${resources.resourceType}`,
};
/** Columns behind (tenant_id, resource_type, col) indexes: eq, ranges and `sw` become index searches. */
const INDEXED = new Set<Column>(['id', 'externalId', 'userName', 'displayName', 'lastModified']);

/** State of one filter's compilation to SQL. */
interface Compilation {
  aliases: number;
  /**
   * The caller's tenant, when known: index probes then bind it instead of correlating with the row,
   * which lets SQLite run them once and drive the query from their result.
   */
  tenantId?: string;
  /** Parameters left for range `sw` (2 instead of 1) after every leaf has its one. */
  spare: number;
}

/** Reads a sub-attribute (or the element itself) of the current element of a collection. */
type ElementReader = (sub: string | undefined) => SQL;

interface Scope {
  collection: Collection;
  read: ElementReader;
}

/** Compiles `f` (already parsed; checked here as checkFilter does) to a WHERE fragment. */
export function compileFilter(rt: ResourceTypeInfo, f: Filter, tenantId?: string, budget = MAX_FILTER_PARAMS): SQL {
  const leaves = countLeaves(f);
  // Every leaf binds one parameter; D1 allows 100 per statement (a root search shares them by type).
  if (leaves > budget) throw invalidFilter(`The filter has ${leaves} comparisons; at most ${budget} are allowed here.`);
  return node(rt, f, { aliases: 0, spare: budget - leaves, tenantId }, undefined);
}

function node(rt: ResourceTypeInfo, f: Filter, ctx: Compilation, scope: Scope | undefined): SQL {
  switch (f.kind) {
    case 'compare':
    case 'present':
      return leaf(rt, f, ctx, scope);
    case 'and':
      return sql`(${node(rt, f.left, ctx, scope)} AND ${node(rt, f.right, ctx, scope)})`;
    case 'or':
      return sql`(${node(rt, f.left, ctx, scope)} OR ${node(rt, f.right, ctx, scope)})`;
    case 'not':
      return negate(node(rt, f.filter, ctx, scope));
    case 'valuePath': {
      const collection = resolveCollection(rt, f.path, scope?.collection);
      const scan = exists(collection, ctx, (read) => node(rt, f.filter, ctx, { collection, read }));
      if (collection.source !== 'json') return scan;
      const probe = equalities(rt, collection, f.filter)
        .map((e) => ({ segments: e.sub === undefined ? collection.segments : [...collection.segments, e.sub], value: e.value }))
        .find((e) => indexProbe(rt, e.segments));
      return withIndexProbe(rt, probe, scan, ctx);
    }
    default: {
      const unreachable: never = f;
      return unreachable;
    }
  }
}

function leaf(rt: ResourceTypeInfo, f: Comparison | Present, ctx: Compilation, scope: Scope | undefined): SQL {
  const target = resolveLeaf(rt, f.path, scope?.collection);
  const t = leafTest(target, f);
  let positive: SQL;
  const read = target.read;
  switch (read.at) {
    case 'value': {
      const column = read.column;
      const value = column ? COLUMN_SQL[column] : jsonValue(read.segments);
      const indexed = column !== undefined && INDEXED.has(column);
      positive = predicate(target, t, value, ctx, indexed);
      // Unique keys hold numbers as their text (store/unique.ts), so an integer eq probes them too.
      if (!column && t.op === 'eq' && t.operand !== undefined) positive = withIndexProbe(rt, { segments: read.segments, value: String(t.operand) }, positive, ctx);
      // Without ANALYZE statistics SQLite would rather walk the primary key to satisfy the store's
      // ORDER BY id than search this index: unlikely() marks the term selective and stays sargable.
      if (indexed && t.op !== 'pr' && t.op !== 'co' && t.op !== 'ew') positive = sql`unlikely(${positive})`;
      break;
    }
    case 'each': {
      const { collection, sub } = read;
      const scan = exists(collection, ctx, (el) => predicate(target, t, el(sub), ctx, false));
      const segments = sub === undefined ? collection.segments : [...collection.segments, sub];
      const probe = collection.source === 'json' && t.op === 'eq' && typeof t.operand === 'string' ? { segments, value: t.operand } : undefined;
      positive = withIndexProbe(rt, probe, scan, ctx);
      break;
    }
    case 'element':
      if (!scope) throw invalidFilter(`"${target.label}" is outside a value filter.`);
      positive = predicate(target, t, scope.read(read.sub), ctx, false);
      break;
    default: {
      const unreachable: never = read;
      return unreachable;
    }
  }
  return t.negated ? negate(positive) : positive;
}

function predicate(target: Leaf, t: LeafTest, x: SQL, ctx: Compilation, indexed: boolean): SQL {
  if (t.op === 'pr') return present(target.def, x);
  const v = t.operand!;
  switch (t.op) {
    case 'eq':
      return sql`${x} = ${v}`;
    case 'gt':
      return sql`${x} > ${v}`;
    case 'ge':
      return sql`${x} >= ${v}`;
    case 'lt':
      return sql`${x} < ${v}`;
    case 'le':
      return sql`${x} <= ${v}`;
    // No LIKE/GLOB: production D1 caps their patterns at 50 bytes. instr/substr count characters.
    case 'co':
      return sql`instr(${x}, ${v}) > 0`;
    case 'sw': {
      const upper = indexed && ctx.spare > 0 ? successor(v as string) : undefined;
      if (upper === undefined) return sql`instr(${x}, ${v}) = 1`;
      ctx.spare--;
      // Exactly the strings starting with v in BINARY (code point) order, and an index range.
      return sql`(${x} >= ${v} AND ${x} < ${upper})`;
    }
    case 'ew': {
      const length = [...(v as string)].length;
      if (length === 0) return sql`${x} IS NOT NULL`;
      return sql`substr(${x}, ${sql.raw(String(-length))}) = ${v}`;
    }
    default: {
      const unreachable: never = t.op;
      return unreachable;
    }
  }
}

/**
 * The `sub eq "v"` terms that every match of a value filter must satisfy (reached through `and`
 * only), so the `resource_values` index can narrow the candidates before the exact json_each check.
 */
function equalities(rt: ResourceTypeInfo, collection: Collection, f: Filter): { sub: string | undefined; value: string }[] {
  if (f.kind === 'and') return [...equalities(rt, collection, f.left), ...equalities(rt, collection, f.right)];
  if (f.kind !== 'compare' || f.op !== 'eq' || typeof f.value !== 'string') return [];
  const leafTarget = resolveLeaf(rt, f.path, collection);
  if (leafTarget.read.at !== 'element') return [];
  const t = leafTest(leafTarget, f);
  return typeof t.operand === 'string' ? [{ sub: leafTarget.read.sub, value: t.operand }] : [];
}

/**
 * Puts an index search in front of a test when the storage declaration indexes the value at
 * `segments` (`resource_values`, or `resource_unique` for unique attributes; store/values.ts):
 * the same answer, found through the index instead of reading every resource.
 */
function withIndexProbe(rt: ResourceTypeInfo, probe: { segments: string[]; value: string } | undefined, test: SQL, ctx: Compilation): SQL {
  const index = probe && ctx.spare > 0 ? indexProbe(rt, probe.segments) : undefined;
  if (!probe || !index) return test;
  // Bound to the caller's tenant (two parameters) SQLite runs the probe once; correlated (one) it still searches the index.
  const bound = ctx.tenantId !== undefined && ctx.spare >= 2;
  ctx.spare -= bound ? 2 : 1;
  const tenant = bound ? sql`${ctx.tenantId}` : sql`${resources.tenantId}`;
  const lookup =
    index.table === 'values'
      ? sql`SELECT v.resource_id FROM resource_values AS v WHERE v.tenant_id = ${tenant}
          AND v.resource_type = ${bound ? literal(rt.name) : sql`${resources.resourceType}`} AND v.attribute = ${literal(index.key)} AND v.value = ${probe.value}`
      : sql`SELECT u.resource_id FROM resource_unique AS u WHERE u.tenant_id = ${tenant}
          AND u.scope = ${literal(index.scope)} AND u.attribute = ${literal(index.key)} AND u.value = ${probe.value}`;
  return sql`(${resources.id} IN (${lookup}) AND ${test})`;
}


/** RFC 7644 §3.4.2.2 "pr": not NULL and not empty ("", {} or []). */
function present(def: AttributeDef, x: SQL): SQL {
  switch (def.type) {
    case 'boolean':
    case 'integer':
    case 'decimal':
      return sql`${x} IS NOT NULL`;
    case 'complex':
      return sql`ifnull(${x}, '{}') NOT IN ('{}', '[]')`;
    default:
      return sql`ifnull(${x}, '') <> ''`;
  }
}

function negate(e: SQL): SQL {
  return sql`NOT ifnull(${e}, 0)`;
}

/** EXISTS over the elements of a collection; `body` gets a reader for the current element. */
function exists(collection: Collection, ctx: Compilation, body: (read: ElementReader) => SQL): SQL {
  const n = ++ctx.aliases;
  switch (collection.source) {
    case 'json': {
      const j = sql.raw(`"j${n}"`);
      // Only object elements have sub-attributes; json_extract on a text element would be an error.
      const read: ElementReader = (sub) =>
        sub === undefined ? sql`${j}.value` : sql`CASE ${j}.type WHEN 'object' THEN json_extract(${j}.value, ${jsonPath([sub])}) END`;
      return sql`EXISTS (SELECT 1 FROM json_each(${resources.folded}, ${jsonPath(collection.segments)}) AS ${j} WHERE ${body(read)})`;
    }
    case 'members': {
      const m = sql.raw(`"m${n}"`);
      // member_type is a resource type name (ASCII, schema/declaration.ts): lower() equals foldCase on it.
      const cols: Record<string, SQL> = { value: sql`${m}.member_id`, type: sql`lower(${m}.member_type)`, display: sql`${m}.display` };
      return sql`EXISTS (SELECT 1 FROM memberships AS ${m} WHERE ${m}.tenant_id = ${resources.tenantId}
        AND ${m}.group_id = ${resources.id} AND ${body((sub) => cols[sub ?? 'value'])})`;
    }
    case 'groups': {
      // RFC 7643 §4.1.2: direct groups and, through nested groups, indirect ones, as the store lists them.
      const [u, v, g] = [sql.raw(`"u${n}"`), sql.raw(`"v${n}"`), sql.raw(`"g${n}"`)];
      const cols: Record<string, SQL> = {
        value: sql`${v}.group_id`,
        display: sql`${g}.display_name_key`,
        type: sql`CASE ${v}.direct WHEN 1 THEN 'direct' ELSE 'indirect' END`,
      };
      return sql`EXISTS (WITH RECURSIVE ${u}(group_id, direct) AS (
          SELECT m.group_id, 1 FROM memberships AS m WHERE m.tenant_id = ${resources.tenantId} AND m.member_id = ${resources.id}
          UNION SELECT m.group_id, 0 FROM ${u} CROSS JOIN memberships AS m ON m.tenant_id = ${resources.tenantId} AND m.member_id = ${u}.group_id)
        SELECT 1 FROM (SELECT group_id, max(direct) AS direct FROM ${u} GROUP BY group_id) AS ${v}
          JOIN resources AS ${g} ON ${g}.tenant_id = ${resources.tenantId} AND ${g}.resource_type = ${literal(collection.groupType ?? '')} AND ${g}.id = ${v}.group_id
        WHERE ${body((sub) => cols[sub ?? 'value'])})`;
    }
    default: {
      const unreachable: never = collection.source;
      return unreachable;
    }
  }
}

/** json_extract over the folded document (caseExact=false strings folded, dateTimes normalised). */
export function jsonValue(segments: string[]): SQL {
  return sql`json_extract(${resources.folded}, ${jsonPath(segments)})`;
}

/** A quoted JSON path literal, `'$."urn:…:User"."employeeNumber"'`, from schema names only. */
export function jsonPath(segments: string[]): SQL {
  for (const s of segments) if (/["\\\u0000-\u001f]/.test(s)) throw new Error(`unsupported attribute name ${JSON.stringify(s)}`);
  const path = `$${segments.map((s) => `."${s}"`).join('')}`;
  return literal(path);
}

/** The least string greater than every string starting with `prefix` (last code point + 1). */
function successor(prefix: string): string | undefined {
  const points = [...prefix];
  const last = points.pop()?.codePointAt(0);
  if (last === undefined || last >= 0x10ffff) return undefined;
  const next = last + 1 === 0xd800 ? 0xe000 : last + 1; // skip surrogates: they are not text
  return points.join('') + String.fromCodePoint(next);
}

function countLeaves(f: Filter): number {
  switch (f.kind) {
    case 'compare':
    case 'present':
      return 1;
    case 'and':
    case 'or':
      return countLeaves(f.left) + countLeaves(f.right);
    case 'not':
    case 'valuePath':
      return countLeaves(f.filter);
    default: {
      const unreachable: never = f;
      return unreachable;
    }
  }
}
