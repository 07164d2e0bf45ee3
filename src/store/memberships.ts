import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { memberships, resources } from '../db/schema';
import { guard, type Executor, type Query } from './executor';

const CYCLE_MARKER = 'scim-membership-cycle';

export function isMembershipCycle(error: unknown): boolean {
  return error instanceof Error && error.message.includes(CYCLE_MARKER);
}
import { chunks } from './rows';

// Which types can be members and which type is the group come from the resource type's storage
// declaration (schema/storage.ts Membership), passed in by the caller.

export interface Member {
  value: string;
  /** The member's resource type (RFC 7643 §4.2 members.type). */
  type: string;
  display?: string;
}


export interface GroupRef {
  userId: string;
  groupId: string;
  display: string | null;
  direct: boolean;
}

// 2 bound parameters per member (id, display) beside the group, tenant and member types: under D1's 100.
const ROWS_PER_INSERT = 40;
const IDS_PER_QUERY = 90;

export class MembershipStore {
  constructor(
    private readonly exec: Executor,
    private readonly tenantId: string,
  ) {}

  /**
   * Statements that insert memberships (ignoring ones that already exist): O(k) rows for k members.
   * Each row is selected from the member's own resource row, so a member deleted after it was
   * checked is simply not inserted: no membership ever names a resource that does not exist.
   */
  insertStatements(groupId: string, members: Member[], memberTypes: string[]): Query[] {
    return chunks(members, ROWS_PER_INSERT).map((part) => {
      const given = sql.join(part.map((m) => sql`(${m.value}, ${m.display ?? null})`), sql`, `);
      return sql`INSERT OR IGNORE INTO ${memberships} (tenant_id, group_id, member_id, member_type, display)
        SELECT r.tenant_id, ${groupId}, r.id, r.resource_type,
               coalesce(v.column2, json_extract(r.data, '$.displayName'), json_extract(r.data, '$.userName'))
        FROM (VALUES ${given}) AS v
        CROSS JOIN ${resources} AS r ON r.tenant_id = ${this.tenantId} AND ${inArray(sql`r.resource_type`, memberTypes)} AND r.id = v.column1`;
    });
  }

  /**
   * Fails the batch if, after its inserts, `groupId` is its own ancestor: the no-cycle invariant
   * decided by the database, so two concurrent nestings (B into A, A into B) cannot both commit.
   * A walk up the member-side index: O(the group's ancestors), whatever the groups' sizes.
   */
  acyclicStatement(groupId: string): Query {
    return guard(
      sql`NOT EXISTS (WITH RECURSIVE up(group_id) AS (
          SELECT m.group_id FROM ${memberships} AS m WHERE m.tenant_id = ${this.tenantId} AND m.member_id = ${groupId}
          UNION SELECT m.group_id FROM up CROSS JOIN ${memberships} AS m ON m.tenant_id = ${this.tenantId} AND m.member_id = up.group_id)
        SELECT 1 FROM up WHERE up.group_id = ${groupId})`,
      CYCLE_MARKER,
    );
  }

  deleteStatements(groupId: string, memberIds: string[]): Query[] {
    return chunks(memberIds, IDS_PER_QUERY).map((part) =>
      this.exec.orm
        .delete(memberships)
        .where(and(eq(memberships.tenantId, this.tenantId), eq(memberships.groupId, groupId), inArray(memberships.memberId, part))),
    );
  }

  /** Removes a deleted resource from both sides: as a group, and as a member of groups. */
  forgetStatement(resourceId: string): Query {
    return this.exec.orm
      .delete(memberships)
      .where(and(eq(memberships.tenantId, this.tenantId), or(eq(memberships.groupId, resourceId), eq(memberships.memberId, resourceId))));
  }

  async membersOf(groupIds: string[]): Promise<Map<string, Member[]>> {
    const out = new Map<string, Member[]>(groupIds.map((id) => [id, []]));
    for (const part of chunks(groupIds, IDS_PER_QUERY)) {
      const rows = await this.exec.all<{ groupId: string; value: string; type: string; display: string | null }>(sql`
        SELECT ${memberships.groupId} AS groupId, ${memberships.memberId} AS value, ${memberships.memberType} AS type,
               ${memberships.display} AS display
        FROM ${memberships}
        WHERE ${memberships.tenantId} = ${this.tenantId} AND ${inArray(memberships.groupId, part)}
        ORDER BY ${memberships.memberId}`);
      for (const r of rows) out.get(r.groupId)!.push({ value: r.value, type: r.type, ...(r.display !== null ? { display: r.display } : {}) });
    }
    return out;
  }

  /**
   * A user's groups, direct and through nested groups (RFC 7643 §4.1.2), for a page of users at
   * once: a recursive walk up the member-side index.
   */
  async groupsOf(userIds: string[], groupType: string): Promise<GroupRef[]> {
    const out: GroupRef[] = [];
    for (const part of chunks(userIds, IDS_PER_QUERY)) {
      const rows = await this.exec.all<{ userId: string; groupId: string; direct: number; display: string | null }>(sql`
        WITH RECURSIVE up(user_id, group_id, direct) AS (
          SELECT ${memberships.memberId}, ${memberships.groupId}, 1 FROM ${memberships}
          WHERE ${memberships.tenantId} = ${this.tenantId} AND ${inArray(memberships.memberId, part)}
          UNION
          -- CROSS JOIN keeps the walk driven by the queue, one index probe per step, never a scan.
          SELECT up.user_id, m.group_id, 0 FROM up CROSS JOIN memberships m
            ON m.tenant_id = ${this.tenantId} AND m.member_id = up.group_id
        )
        SELECT a.user_id AS userId, a.group_id AS groupId, a.direct AS direct,
               json_extract(r.data, '$.displayName') AS display
        FROM (SELECT user_id, group_id, max(direct) AS direct FROM up GROUP BY user_id, group_id) AS a
        CROSS JOIN ${resources} r
          ON r.tenant_id = ${this.tenantId} AND r.resource_type = ${groupType} AND r.id = a.group_id
        ORDER BY a.user_id, a.group_id`);
      for (const r of rows) out.push({ userId: r.userId, groupId: r.groupId, display: r.display, direct: r.direct === 1 });
    }
    return out;
  }

  /** Which of `ids` exist in this tenant as one of `types`, with a display name for each. */
  async existing(ids: string[], types: string[]): Promise<Map<string, { type: string; display: string | null }>> {
    const out = new Map<string, { type: string; display: string | null }>();
    for (const part of chunks([...new Set(ids)], IDS_PER_QUERY - types.length)) {
      const rows = await this.exec.all<{ id: string; type: string; display: string | null }>(sql`
        SELECT ${resources.id} AS id, ${resources.resourceType} AS type,
               coalesce(json_extract(${resources.data}, '$.displayName'), json_extract(${resources.data}, '$.userName')) AS display
        FROM ${resources}
        WHERE ${resources.tenantId} = ${this.tenantId} AND ${inArray(resources.resourceType, types)}
          AND ${inArray(resources.id, part)}`);
      for (const r of rows) out.set(r.id, { type: r.type, display: r.display });
    }
    return out;
  }
}
