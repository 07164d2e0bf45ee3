import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { memberships, resources } from '../db/schema';
import { combined, guard, mapRead, rowsRead, type Executor, type Query, type Read } from './executor';
import { chunks } from './rows';

const JOINING_MARKER = 'scim-joining-members';

/** A batch stopped by joiningStatements: a member does not exist, or a nesting would close a cycle. */
export function isRefusedJoin(error: unknown): boolean {
  return error instanceof Error && error.message.includes(JOINING_MARKER);
}

// Which types can be members and which type is the group come from the resource type's storage
// declaration (schema/storage.ts Membership), passed in by the caller.

export interface Member {
  value: string;
  /** The member's resource type (RFC 7643 §4.2 members.type). */
  type: string;
  display?: string;
}

/** A member about to be inserted: its type comes from its own row (insertStatements). */
export type NewMember = Omit<Member, 'type'>;

/**
 * A resource's groups as groupsJson reads them, keyed by group id: `type` (the group's type) is
 * set when read from `member_of`, which holds groups of every type; `direct` when walked (absent:
 * direct).
 */
export type GroupsJson = Record<string, { display: string | null; type?: string; direct?: number }>;

// 2 bound parameters per member (id, display) beside the group, tenant and member types: under D1's 100.
const ROWS_PER_INSERT = 40;
const IDS_PER_QUERY = 90;

/**
 * A list as a VALUES table to join: D1 counts no row for reading it, where `IN (…)` of two or more
 * values (and json_each) costs rows of its own (docs/performance.md).
 */
function valuesOf(list: string[]): SQL {
  // An empty list is a table of no rows (VALUES needs one).
  if (list.length === 0) return sql`(SELECT NULL AS column1 WHERE 0)`;
  return sql`(VALUES ${sql.join(list.map((v) => sql`(${v})`), sql`, `)})`;
}

export class MembershipStore {
  constructor(
    private readonly exec: Executor,
    private readonly tenantId: string,
  ) {}

  /**
   * Statements that insert memberships (ignoring ones that already exist): O(k) rows for k members.
   * Each row is selected from the member's own resource row, so a member that does not exist (or
   * was deleted meanwhile) is not inserted, and joiningStatements then refuses the write: no
   * membership ever names a resource that does not exist. The member's side (`member_of`, version,
   * lastModified) is kept by migration 0008's trigger, in the same statement.
   */
  insertStatements(groupId: string, groupType: string, members: NewMember[], memberTypes: string[]): Query[] {
    return chunks(members, ROWS_PER_INSERT).map((part) => {
      const given = sql.join(part.map((m) => sql`(${m.value}, ${m.display ?? null})`), sql`, `);
      return sql`INSERT OR IGNORE INTO ${memberships} (tenant_id, group_id, member_id, member_type, group_type, display)
        SELECT r.tenant_id, ${groupId}, r.id, r.resource_type, ${groupType},
               coalesce(v.column2, json_extract(r.data, '$.displayName'), json_extract(r.data, '$.userName'))
        FROM (VALUES ${given}) AS v CROSS JOIN ${valuesOf(memberTypes)} AS t
        CROSS JOIN ${resources} AS r ON r.tenant_id = ${this.tenantId} AND r.resource_type = t.column1 AND r.id = v.column1`;
    });
  }

  /**
   * Fails the batch unless every joining id exists in this tenant as a member type (RFC 7643 §4.2:
   * members are resources the service provider knows; 400 invalidValue otherwise), and — when
   * `nestingType` is given and a joining member is of that type — `groupId` is not, after the batch's
   * inserts, its own ancestor. The database decides both inside the write, with nothing read
   * first, so two concurrent nestings (B into A, A into B) cannot both commit. Cost: one key probe
   * per id, plus, only when a group joins, a walk up the member-side index
   * (O(the group's ancestors)). One statement per IDS_PER_QUERY ids (D1's 100 bound parameters).
   */
  joiningStatements(groupId: string, ids: string[], nestingType: string | undefined): Query[] {
    const unique = [...new Set(ids)];
    const cycle = sql`EXISTS (${this.ancestors(groupId)} WHERE up.group_id = ${groupId})`;
    const acyclic = nestingType === undefined ? sql`1` : sql`(coalesce(sum(j.member_type = ${nestingType}), 0) = 0 OR NOT ${cycle})`;
    // Run after the batch's inserts, which select each member from its own row: a member that does
    // not exist (as a member type) was not inserted, so every joining id is in the group exactly
    // when every one exists. Driven by the ids (CROSS JOIN keeps that order), one key probe each.
    return chunks(unique, IDS_PER_QUERY).map((part) =>
      guard(
        sql`(SELECT count(*) = ${part.length} AND ${acyclic} FROM ${valuesOf(part)} AS w CROSS JOIN ${memberships} AS j
          ON j.tenant_id = ${this.tenantId} AND j.group_id = ${groupId} AND j.member_id = w.column1)`,
        JOINING_MARKER,
      ),
    );
  }

  deleteStatements(groupId: string, memberIds: string[]): Query[] {
    return chunks(memberIds, IDS_PER_QUERY).map((part) =>
      this.exec.orm
        .delete(memberships)
        .where(and(eq(memberships.tenantId, this.tenantId), eq(memberships.groupId, groupId), inArray(memberships.memberId, part))),
    );
  }

  /** Removes every member of the group but `wanted` (a replacement of the whole membership). */
  deleteAllExceptStatement(groupId: string, wanted: string[]): Query {
    return sql`DELETE FROM ${memberships} WHERE ${memberships.tenantId} = ${this.tenantId} AND ${memberships.groupId} = ${groupId}
      AND ${memberships.memberId} NOT IN (SELECT value FROM json_each(${JSON.stringify([...new Set(wanted)])}))`;
  }

  /** Removes a deleted resource from both sides: as a group, and as a member of groups. */
  forgetStatement(resourceId: string): Query {
    return this.exec.orm
      .delete(memberships)
      .where(and(eq(memberships.tenantId, this.tenantId), or(eq(memberships.groupId, resourceId), eq(memberships.memberId, resourceId))));
  }

  /**
   * The members of the group whose id is `groupId` (a column of the outer query: a correlated
   * subquery), as a JSON array of {value, type, display} ordered by member id: read with the group's
   * own row, so a page of groups and their members cost one statement.
   */
  membersJson(groupId: SQL): SQL {
    return sql`(SELECT json_group_array(json_object('value', x.member_id, 'type', x.member_type, 'display', x.display)) FROM
      (SELECT m.member_id, m.member_type, m.display FROM ${memberships} AS m
       WHERE m.tenant_id = ${this.tenantId} AND m.group_id = ${groupId} ORDER BY m.member_id) AS x)`;
  }

  /**
   * The groups of the resource whose id is `memberId` (correlated, as membersJson), direct and
   * through nested groups (RFC 7643 §4.1.2), as a JSON object keyed by group id: {"<id>":
   * {"display", "type"?, "direct"?}} (GroupsJson). In a tenant where no group is a member of
   * another (`groupTypes` are the types that hold members), that is the row's own `member_of`: no
   * membership row is read. Else a recursive walk up the member-side index, of `groupType` groups.
   */
  groupsJson(memberId: SQL, groupType: string, groupTypes: string[]): SQL {
    // One probe of memberships_member_type per group type, made once per statement (it is not
    // correlated); no row read when nothing nests.
    const nests = sql`EXISTS (SELECT 1 FROM ${valuesOf(groupTypes)} AS t CROSS JOIN ${memberships} AS n ON n.tenant_id = ${this.tenantId} AND n.member_type = t.column1)`;
    return sql`(CASE WHEN NOT ${nests} THEN ${resources.memberOf}
      WHEN EXISTS (SELECT 1 FROM ${memberships} AS e WHERE e.tenant_id = ${this.tenantId} AND e.member_id = ${memberId})
      THEN (WITH RECURSIVE up(group_id, direct) AS (
        SELECT m.group_id, 1 FROM ${memberships} AS m WHERE m.tenant_id = ${this.tenantId} AND m.member_id = ${memberId}
        UNION
        -- CROSS JOIN keeps the walk driven by the queue, one index probe per step, never a scan.
        SELECT m.group_id, 0 FROM up CROSS JOIN ${memberships} AS m ON m.tenant_id = ${this.tenantId} AND m.member_id = up.group_id)
      SELECT json_group_object(a.group_id, json_object('display', json_extract(g.data, '$.displayName'), 'direct', a.direct)) FROM
        (SELECT group_id, max(direct) AS direct FROM up GROUP BY group_id) AS a
        CROSS JOIN ${resources} AS g ON g.tenant_id = ${this.tenantId} AND g.resource_type = ${groupType} AND g.id = a.group_id) END)`;
  }

  /**
   * `SELECT group_id FROM up`: the groups `groupId` is nested in, at any depth, by a walk up the
   * member-side index (CROSS JOIN keeps it driven by the queue, one probe a step): O(its ancestors).
   */
  private ancestors(groupId: string): SQL {
    return sql`WITH RECURSIVE up(group_id) AS (
        SELECT m.group_id FROM ${memberships} AS m WHERE m.tenant_id = ${this.tenantId} AND m.member_id = ${groupId}
        UNION SELECT m.group_id FROM up CROSS JOIN ${memberships} AS m ON m.tenant_id = ${this.tenantId} AND m.member_id = up.group_id)
      SELECT up.group_id FROM up`;
  }

  /** The groups `groupId` is nested in, at any depth (ids only). */
  ancestorsRead(groupId: string): Read<Set<string>> {
    return rowsRead(
      (rows: { group_id: string }[]) => new Set(rows.map((r) => r.group_id)),
      this.ancestors(groupId),
    );
  }

  /** Members of groups, as RFC 7643 §4.2 lists them (ordered by member id). */
  membersOfRead(groupIds: string[]): Read<Map<string, Member[]>> {
    const parts = chunks(groupIds, IDS_PER_QUERY).map((part) => inArray(memberships.groupId, part));
    const reads = parts.map((which) =>
      rowsRead((rows: { groupId: string; value: string; type: string; display: string | null }[]) => rows, sql`
        SELECT ${memberships.groupId} AS groupId, ${memberships.memberId} AS value, ${memberships.memberType} AS type,
               ${memberships.display} AS display
        FROM ${memberships}
        WHERE ${memberships.tenantId} = ${this.tenantId} AND ${which}
        ORDER BY ${memberships.memberId}`),
    );
    return mapRead(combined(reads), (lists) => {
      const out = new Map<string, Member[]>(groupIds.map((id) => [id, []]));
      for (const r of lists.flat()) {
        const list = out.get(r.groupId) ?? [];
        list.push({ value: r.value, type: r.type, ...(r.display !== null ? { display: r.display } : {}) });
        out.set(r.groupId, list);
      }
      return out;
    });
  }

  membersOf(groupIds: string[]): Promise<Map<string, Member[]>> {
    return this.exec.read(this.membersOfRead(groupIds)).then(([members]) => members);
  }

}
