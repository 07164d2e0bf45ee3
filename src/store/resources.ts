import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { memberships, resourceCounts, resources } from '../db/schema';
import type { StoredResource } from '../scim/resource/output';
import { combined, mapRead, rowsRead, type Executor, type Query, type Read } from './executor';
import { segmentsAfter, type AcrossPlan, type CursorPosition, type ListPlan } from './list';
import { chunks, fromRow, literal, resourceColumns, type ResourceRow } from './rows';
import type { UniqueRow } from './unique';
import type { ValueRow } from './values';

/**
 * A lastModified that moves forward even when the row's own is already at or past `now` (writes
 * from several isolates within a millisecond), so a `meta.lastModified gt` sync never misses it.
 */
function after(now: string): SQL {
  return sql`max(strftime('%Y-%m-%dT%H:%M:%fZ', ${resources.lastModified}, '+0.001 seconds'), ${now})`;
}

/** Everything a write stores for one resource (docs/storage.md). */
export interface ResourceWrite {
  id: string;
  externalId: string | null;
  userNameKey: string | null;
  displayNameKey: string | null;
  lastModified: string;
  data: string;
  folded: string;
  /** undefined keeps the stored hash (a PUT without a password does not erase it). */
  passwordHash?: string;
  /** Rows for `resource_values` (store/values.ts). */
  values: ValueRow[];
  /** Rows for `resource_unique` (store/unique.ts). */
  unique: UniqueRow[];
}

export type KeyedResource = StoredResource & { sortKey: string | number | null };

/** A row read with an `extra` column (store/memberships.ts membersJson, groupsJson): its JSON text. */
export type ResourceWithExtra = StoredResource & { extra?: string | null };

type ExtraRow = ResourceRow & { extra?: string | null };
const withExtra = (row: ExtraRow): ResourceWithExtra => ({ ...fromRow(row), ...(row.extra !== undefined ? { extra: row.extra } : {}) });
const columnsWith = (extra: SQL | undefined) => (extra ? sql`${resourceColumns}, ${extra} AS extra` : sql`${resourceColumns}`);

/**
 * `columns` (and the membership column `extra`) of the page `page` selects: the page is chosen
 * first, in a subquery named as the table, so `extra` (correlated on "resources"."id") is computed
 * for the page's own rows only, never for rows a sort or an offset passes over.
 */
function pageThenExtra(page: SQL, columns: SQL, extra: SQL | undefined, orderBy: SQL): SQL {
  return sql`SELECT ${columns}${extra ? sql`, ${extra} AS extra` : sql``} FROM (${page}) AS ${resources} ORDER BY ${orderBy}`;
}

/**
 * `extra`, except on a row at one of `versions` (a 304's: RFC 9110 §13.1.2), where it is NULL and
 * reads nothing. The versions are integers, written as literals (no bound parameter); past a few,
 * the shortcut is not worth a long statement.
 */
export function unlessVersion(extra: SQL, versions: number[]): SQL {
  const named = [...new Set(versions)].filter(Number.isSafeInteger);
  if (named.length === 0 || named.length > 8) return extra;
  return sql`(CASE WHEN ${resources.version} IN (${sql.raw(named.join(', '))}) THEN NULL ELSE ${extra} END)`;
}

/** Resource rows of one tenant: every statement here is scoped by tenant_id and resource type. */
export class ResourceStore {
  constructor(
    private readonly exec: Executor,
    readonly tenantId: string,
  ) {}

  private key(type: string, id: string): SQL {
    return and(eq(resources.tenantId, this.tenantId), eq(resources.resourceType, type), eq(resources.id, id))!;
  }

  /** One resource; `extra` an SQL expression over its row read with it (its members or groups). */
  getRead(type: string, id: string, extra?: SQL): Read<ResourceWithExtra | undefined> {
    return rowsRead((rows: ExtraRow[]) => (rows[0] ? withExtra(rows[0]) : undefined), sql`SELECT ${columnsWith(extra)} FROM ${resources} WHERE ${this.key(type, id)}`);
  }

  async get(type: string, id: string): Promise<StoredResource | undefined> {
    const [row] = await this.exec.read(this.getRead(type, id));
    return row;
  }

  insertStatement(type: string, row: ResourceWrite, created: string): Query {
    return this.exec.orm.insert(resources).values({
      tenantId: this.tenantId,
      resourceType: type,
      id: row.id,
      userNameKey: row.userNameKey,
      displayNameKey: row.displayNameKey,
      externalId: row.externalId,
      created,
      lastModified: row.lastModified,
      version: 1,
      passwordHash: row.passwordHash ?? null,
      data: row.data,
      folded: row.folded,
    });
  }

  /**
   * Replaces a row if its version is still `expectedVersion`: a compare-and-swap in SQL
   * (RFC 7644 §3.14), so a concurrent writer is detected rather than overwritten.
   */
  updateStatement(type: string, row: ResourceWrite, expectedVersion: number): Query {
    return this.exec.orm
      .update(resources)
      .set({
        userNameKey: row.userNameKey,
        displayNameKey: row.displayNameKey,
        externalId: row.externalId,
        lastModified: row.lastModified,
        version: expectedVersion + 1,
        data: row.data,
        folded: row.folded,
        ...(row.passwordHash !== undefined ? { passwordHash: row.passwordHash } : {}),
      })
      .where(and(this.key(type, row.id), eq(resources.version, expectedVersion)));
  }

  /**
   * Bumps version and lastModified without a compare-and-swap: for membership-only changes, which
   * commute (concurrent member adds must all land, RFC 7644 §3.5.2 says nothing may be lost).
   */
  touchStatement(type: string, id: string, lastModified: string): Query {
    return this.exec.orm
      .update(resources)
      .set({ version: sql`${resources.version} + 1`, lastModified: after(lastModified) })
      .where(this.key(type, id));
  }

  /**
   * Moves version and lastModified of the groups a resource belongs to (its deletion changes their
   * `members`; RFC 7644 §3.14: the version changes whenever the resource does); `types` the group
   * types. A member's own side of a membership change is moved by migration 0008's triggers.
   */
  bumpGroupsOfStatement(types: string[], memberId: string, lastModified: string): Query {
    return this.bump(
      types,
      sql`${resources.id} IN (SELECT ${memberships.groupId} FROM ${memberships} WHERE ${memberships.tenantId} = ${this.tenantId} AND ${memberships.memberId} = ${memberId})`,
      lastModified,
    );
  }

  private bump(types: string[], which: SQL, lastModified: string): Query {
    return this.exec.orm
      .update(resources)
      .set({ version: sql`${resources.version} + 1`, lastModified: after(lastModified) })
      .where(and(eq(resources.tenantId, this.tenantId), inArray(resources.resourceType, types), which));
  }

  /** With `expectedVersion`, deletes only that version (If-Match as a compare-and-swap, RFC 7644 §3.14). */
  deleteStatement(type: string, id: string, expectedVersion?: number): Query {
    const where = expectedVersion === undefined ? this.key(type, id) : and(this.key(type, id), eq(resources.version, expectedVersion));
    return this.exec.orm.delete(resources).where(where);
  }

  /** One index page (RFC 7644 §3.4.2.4): `limit` rows from `offset` in the plan's order. */
  pageRead(type: string, plan: ListPlan, limit: number, offset: number, extra?: SQL): Read<ResourceWithExtra[]> {
    return rowsRead((rows: ExtraRow[]) => rows.map(withExtra), this.selection(type, plan.where, plan.orderBy, limit, offset, resourceColumns, extra));
  }

  private selection(type: string, where: SQL | undefined, orderBy: SQL, limit: number, offset: number, columns: SQL, extra?: SQL): SQL {
    const filter = and(eq(resources.tenantId, this.tenantId), eq(resources.resourceType, type), where);
    return pageThenExtra(sql`SELECT * FROM ${resources} WHERE ${filter} ORDER BY ${orderBy} LIMIT ${limit} OFFSET ${offset}`, columns, extra, orderBy);
  }

  /**
   * Up to `limit` rows after a keyset position (RFC 9865 cursors), with each row's sort key: the
   * plan's segments (store/list.ts segmentsAfter; at most two, with and without a key), each an
   * index range of at most `limit` rows, read in one round trip and joined in order.
   */
  pageAfterRead(type: string, plan: ListPlan, position: CursorPosition | undefined, limit: number, extra?: SQL): Read<(KeyedResource & ResourceWithExtra)[]> {
    const segments = limit === 0 ? [] : segmentsAfter(plan, position);
    const reads = segments.map((segment) =>
      rowsRead(
        (rows: (ExtraRow & { sortKey?: string | number | null })[]) => rows.map((row) => ({ ...withExtra(row), sortKey: row.sortKey ?? null })),
        this.selection(type, segment.where, segment.orderBy, limit, 0, sql`${resourceColumns}, ${plan.sortKey} AS sortKey`, extra),
      ),
    );
    return mapRead(combined(reads), (parts) => parts.flat().slice(0, limit));
  }

  /**
   * How many resources of `type` match the plan: without a filter one row of `resource_counts`
   * (kept by triggers, migration 0006); with one, a count that uses the filter's index if it has one.
   */
  countRead(type: string, plan?: ListPlan): Read<number> {
    const n = (rows: { n: number }[]) => rows[0]?.n ?? 0;
    if (plan?.where === undefined) {
      return rowsRead(n, sql`SELECT ${resourceCounts.n} AS n FROM ${resourceCounts}
        WHERE ${resourceCounts.tenantId} = ${this.tenantId} AND ${resourceCounts.resourceType} = ${type}`);
    }
    const filter = and(eq(resources.tenantId, this.tenantId), eq(resources.resourceType, type), plan.where);
    return rowsRead(n, sql`SELECT count(*) AS n FROM ${resources} WHERE ${filter}`);
  }

  /** The type's count and its changes so far (inserts plus deletes), from resource_counts: one row. */
  tallyRead(type: string): Read<{ n: number; changes: number }> {
    return rowsRead(
      (rows: { n: number; changes: number }[]) => rows[0] ?? { n: 0, changes: 0 },
      sql`SELECT ${resourceCounts.n} AS n, ${resourceCounts.changes} AS changes FROM ${resourceCounts}
        WHERE ${resourceCounts.tenantId} = ${this.tenantId} AND ${resourceCounts.resourceType} = ${type}`,
    );
  }

  /** `limit` rows after `lastId` in id order: a keyset page, an index range of O(limit) rows. */
  pageAfterIdRead(type: string, lastId: string, limit: number, extra?: SQL): Read<ResourceWithExtra[]> {
    return rowsRead(
      (rows: ExtraRow[]) => rows.map(withExtra),
      this.selection(type, sql`${resources.id} > ${lastId}`, sql`${resources.id} ASC`, limit, 0, resourceColumns, extra),
    );
  }

  async count(type: string, plan?: ListPlan): Promise<number> {
    const [n] = await this.exec.read(this.countRead(type, plan));
    return n;
  }

  /**
   * Rows of any resource type matching a root search (RFC 7644 §3.4.3), in one ordered query, with
   * the number of all matches as a window (each match read once; undefined for an empty page) and
   * `extra` (a per-type CASE over the membership columns) beside each row.
   */
  acrossRead(plan: AcrossPlan, limit: number, offset: number, extra?: SQL): Read<{ rows: (ResourceWithExtra & { resourceType: string })[]; total?: number }> {
    return rowsRead(
      (rows: (ExtraRow & { resourceType: string; total: number })[]) => ({ rows: rows.map((row) => ({ ...withExtra(row), resourceType: row.resourceType })), total: rows[0]?.total }),
      pageThenExtra(
        sql`SELECT *, count(*) OVER () AS total FROM ${resources} WHERE ${resources.tenantId} = ${this.tenantId} AND (${plan.where})
          ORDER BY ${plan.orderBy} LIMIT ${limit} OFFSET ${offset}`,
        sql`${resourceColumns}, ${resources.resourceType} AS resourceType, total`,
        extra,
        plan.orderBy,
      ),
    );
  }

  async countAcross(plan: AcrossPlan): Promise<number> {
    const row = await this.exec.first<{ n: number }>(sql`SELECT count(*) AS n FROM ${resources}
      WHERE ${resources.tenantId} = ${this.tenantId} AND (${plan.where})`);
    return row?.n ?? 0;
  }

  /** `byType` chosen by the row's resource type: one column for a statement over several types. */
  perType(byType: [string, SQL][]): SQL | undefined {
    if (byType.length === 0) return undefined;
    return sql`(CASE ${resources.resourceType} ${sql.join(byType.map(([type, expr]) => sql`WHEN ${literal(type)} THEN ${expr}`), sql` `)} END)`;
  }
}

/** D1 reports a unique index violation in the error message; RFC 7644 §3.3 maps it to 409. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed/i.test(error.message);
}

/** Which stored column a unique violation is about (`userName`), or undefined for `resource_unique`. */
export function violatedColumn(error: unknown): 'userName' | undefined {
  return error instanceof Error && /resources\.user_name_key/.test(error.message) ? 'userName' : undefined;
}
