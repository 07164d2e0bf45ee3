import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { memberships, resources } from '../db/schema';
import type { StoredResource } from '../scim/resource/output';
import type { Executor, Query } from './executor';
import { MEMBER_TYPES } from './memberships';
import { chunks, fromRow, resourceColumns, type ResourceRow } from './rows';
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
}

export interface ListPage {
  where?: SQL;
  orderBy: SQL;
  limit: number;
  offset: number;
  /** Also select this expression as `sortKey` (a cursor's keyset position). */
  sortKey?: SQL;
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

  async get(type: string, id: string): Promise<StoredResource | undefined> {
    const row = await this.exec.first<ResourceRow>(sql`SELECT ${resourceColumns} FROM ${resources} WHERE ${this.key(type, id)}`);
    return row ? fromRow(row) : undefined;
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
   * Moves version and lastModified of resources whose representation changed through another one:
   * a user's `groups` when a group gains or loses it, or is renamed (RFC 7644 §3.14: the version
   * changes whenever the resource does). O(ids).
   */
  bumpStatements(ids: string[], lastModified: string): Query[] {
    return chunks([...new Set(ids)], 90).map((part) => this.bump(inArray(resources.id, part), lastModified));
  }

  /**
   * The same for the `ids` about to join (`joining`) or leave a group: only those whose membership
   * really changes, so re-adding a member or removing a non-member moves nobody's version. Run
   * before the membership statements.
   */
  bumpMembershipChangeStatements(groupId: string, ids: string[], joining: boolean, lastModified: string): Query[] {
    return chunks([...new Set(ids)], 45).map((part) => {
      const members = sql`SELECT ${memberships.memberId} FROM ${memberships} WHERE ${memberships.tenantId} = ${this.tenantId}
        AND ${memberships.groupId} = ${groupId} AND ${inArray(memberships.memberId, part)}`;
      return this.bump(joining ? sql`${inArray(resources.id, part)} AND ${resources.id} NOT IN (${members})` : sql`${resources.id} IN (${members})`, lastModified);
    });
  }

  /** The same for every member of a group (its rename, replacement or deletion). */
  bumpMembersOfStatement(groupId: string, lastModified: string): Query {
    return this.bump(
      sql`${resources.id} IN (SELECT ${memberships.memberId} FROM ${memberships} WHERE ${memberships.tenantId} = ${this.tenantId} AND ${memberships.groupId} = ${groupId})`,
      lastModified,
    );
  }

  /** The same for every group a resource belongs to (the resource's deletion). */
  bumpGroupsOfStatement(memberId: string, lastModified: string): Query {
    return this.bump(
      sql`${resources.id} IN (SELECT ${memberships.groupId} FROM ${memberships} WHERE ${memberships.tenantId} = ${this.tenantId} AND ${memberships.memberId} = ${memberId})`,
      lastModified,
    );
  }

  private bump(which: SQL, lastModified: string): Query {
    return this.exec.orm
      .update(resources)
      .set({ version: sql`${resources.version} + 1`, lastModified: after(lastModified) })
      .where(and(eq(resources.tenantId, this.tenantId), inArray(resources.resourceType, [...MEMBER_TYPES]), which));
  }

  /** With `expectedVersion`, deletes only that version (If-Match as a compare-and-swap, RFC 7644 §3.14). */
  deleteStatement(type: string, id: string, expectedVersion?: number): Query {
    const where = expectedVersion === undefined ? this.key(type, id) : and(this.key(type, id), eq(resources.version, expectedVersion));
    return this.exec.orm.delete(resources).where(where);
  }

  async list(type: string, page: ListPage): Promise<(StoredResource & { sortKey?: string | number | null })[]> {
    const where = and(eq(resources.tenantId, this.tenantId), eq(resources.resourceType, type), page.where);
    const key = page.sortKey ? sql`, ${page.sortKey} AS sortKey` : sql``;
    const rows = await this.exec.all<ResourceRow & { sortKey?: string | number | null }>(sql`
      SELECT ${resourceColumns}${key} FROM ${resources} WHERE ${where}
      ORDER BY ${page.orderBy} LIMIT ${page.limit} OFFSET ${page.offset}`);
    return rows.map((row) => ({ ...fromRow(row), ...(page.sortKey ? { sortKey: row.sortKey ?? null } : {}) }));
  }

  /** Rows of any resource type matching `where` (root search, RFC 7644 §3.4.3), in one ordered query. */
  async listAcross(where: SQL, page: Omit<ListPage, 'where'>): Promise<(StoredResource & { resourceType: string })[]> {
    const rows = await this.exec.all<ResourceRow & { resourceType: string }>(sql`
      SELECT ${resourceColumns}, ${resources.resourceType} AS resourceType FROM ${resources}
      WHERE ${resources.tenantId} = ${this.tenantId} AND (${where})
      ORDER BY ${page.orderBy} LIMIT ${page.limit} OFFSET ${page.offset}`);
    return rows.map((row) => ({ ...fromRow(row), resourceType: row.resourceType }));
  }

  async countAcross(where: SQL): Promise<number> {
    const row = await this.exec.first<{ n: number }>(sql`SELECT count(*) AS n FROM ${resources}
      WHERE ${resources.tenantId} = ${this.tenantId} AND (${where})`);
    return row?.n ?? 0;
  }

  async count(type: string, where?: SQL): Promise<number> {
    const filter = and(eq(resources.tenantId, this.tenantId), eq(resources.resourceType, type), where);
    const row = await this.exec.first<{ n: number }>(sql`SELECT count(*) AS n FROM ${resources} WHERE ${filter}`);
    return row?.n ?? 0;
  }
}

/** D1 reports a unique index violation in the error message; RFC 7644 §3.3 maps it to 409. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed/i.test(error.message);
}
