import { sql, type SQL } from 'drizzle-orm';
import { events, memberships, resources } from '../db/schema';
import { rowsRead, type Executor, type Query, type Read } from './executor';
import { chunks, literal } from './rows';

// The change feed's table (docs/storage.md `events`). Appends are statements for the write's own
// batch, placed by the caller: an event commits with its change or not at all. Each takes the
// tenant's largest seq (one probe of the primary key's last entry) plus its position: D1 runs one
// write batch at a time, so seqs are consecutive per tenant, never reused or skipped.

/** Who made a change: a token (with the request) or the admin API. */
export type Actor = { type: 'token'; tokenId: string; tokenLabel: string; requestId: string } | { type: 'admin'; requestId: string };

/** An event about to be appended for a resource that exists after the batch's write. */
export interface EventDraft {
  type: string;
  changed: string[];
  /**
   * The resource as a GET returns it (JSON), without members or groups. For member events (a
   * commutative write, whose version the database decides) meta.version and lastModified are set
   * from the row in SQL.
   */
  data: string;
}

export interface StoredEvent {
  seq: number;
  id: string;
  type: string;
  resourceType: string;
  resourceId: string;
  version: number | null;
  occurredAt: string;
  actor: string;
  changed: string;
  data: string;
  member: string | null;
}

const COLUMNS = sql`tenant_id, seq, id, type, resource_type, resource_id, version, occurred_at, actor, changed, data, member`;
/** D1 allows 100 bound parameters a statement: the member ids of one, beside its dozen others. */
/** A new event id: `evt_` and 32 hex digits, unique (it is also the webhook-id of its deliveries). */
const newId = () => `evt_${crypto.randomUUID().replaceAll('-', '')}`;
export const IDS_PER_STATEMENT = 60;


export class EventStore {
  constructor(
    private readonly exec: Executor,
    private readonly tenantId: string,
    private readonly actor: Actor,
    private readonly now: () => string,
  ) {}

  /**
   * The tenant's newest event as a one-row table `b`: its seq (0 before the first) and time. One
   * probe of the primary key's last entry. An event's time is never before the one it follows, so
   * time order is seq order and pruning by time removes a prefix of the feed, never a hole.
   */
  private get base(): SQL {
    // SQLite's bare column beside a lone max(): occurred_at is the newest event's (one row read).
    return sql`(SELECT coalesce(max(seq), 0) AS seq, max(coalesce(occurred_at, ''), ${this.now()}) AS at FROM ${events} WHERE tenant_id = ${this.tenantId}) AS b`;
  }

  /** The resource row `r` the event describes, as the batch left it. */
  private row(type: string, id: string): SQL {
    // Bound, not literal: the statement's text is then the same for every resource, and prepared once.
    return sql`${resources} AS r WHERE r.tenant_id = ${this.tenantId} AND r.resource_type = ${type} AND r.id = ${id}`;
  }

  private withMeta(data: string): SQL {
    return sql`json_set(${data}, '$.meta.version', 'W/"' || r.version || '"', '$.meta.lastModified', r.last_modified)`;
  }

  /**
   * `*.created` or `*.updated` of a resource the batch writes at `version` (a create's 1, a
   * compare-and-swap's next): its data is final as given, nothing is read of the row. Run after
   * the write; if the write is refused, the batch takes the event back with it.
   */
  appendStatement(type: string, id: string, draft: EventDraft, version: number): Query {
    return sql`INSERT INTO ${events} (${COLUMNS})
      SELECT ${this.tenantId}, b.seq + 1, ${newId()}, ${draft.type}, ${type}, ${id}, ${version}, b.at, ${JSON.stringify(this.actor)},
             ${JSON.stringify(draft.changed)}, ${draft.data}, NULL
      FROM ${this.base}`;
  }

  /**
   * `tenant.created` or `tenant.deleted`, by the admin API: the first and last word of a tenant's
   * feed (a deleted tenant's events stay for their retention; its resources go at once).
   */
  appendTenantStatement(type: 'tenant.created' | 'tenant.deleted'): Query {
    return sql`INSERT INTO ${events} (${COLUMNS})
      SELECT ${this.tenantId}, b.seq + 1, ${newId()}, ${type}, 'Tenant', ${this.tenantId}, NULL, b.at, ${JSON.stringify(this.actor)}, '[]',
             ${JSON.stringify({ id: this.tenantId })}, NULL
      FROM ${this.base}`;
  }

  /**
   * Deletes up to `limit` of the tenant's events before its newest: a tenant id created again
   * starts its feed at its `tenant.created`, never showing an earlier tenant's events. True while
   * more remain.
   */
  async forgetEarlier(limit = 5000): Promise<boolean> {
    const result = await this.exec.run(sql`DELETE FROM ${events} WHERE (tenant_id, seq) IN (SELECT tenant_id, seq FROM ${events}
      WHERE tenant_id = ${this.tenantId} AND seq < (SELECT max(seq) FROM ${events} WHERE tenant_id = ${this.tenantId}) ORDER BY seq LIMIT ${limit})`);
    return (result.meta.changes ?? 0) >= limit;
  }

  /**
   * `*.deleted` of a resource about to be deleted: run before the delete, it reads what the data
   * names (id, externalId, the identifying attribute `identifying`) from the row itself.
   */
  appendDeletedStatement(type: string, id: string, eventType: string, identifying: string | undefined): Query {
    const named = identifying ? sql`, ${identifying}, json_extract(r.data, ${`$.${identifying}`})` : sql``;
    return sql`INSERT INTO ${events} (${COLUMNS})
      SELECT ${this.tenantId}, b.seq + 1, ${newId()}, ${eventType}, ${type}, ${id}, r.version, b.at, ${JSON.stringify(this.actor)}, '[]',
             json_object('id', r.id, 'externalId', r.external_id${named}), NULL
      FROM ${this.base} CROSS JOIN ${this.row(type, id)}`;
  }

  /**
   * One `<group>.member_added` per id of `adding` not yet a member, one `<group>.member_removed` per
   * id of `removing` that is (or, for a replacement, `wanted`: every member not wanted leaves, every
   * wanted one not a member joins), then — only when at least one was appended — `updated` (the
   * group's own event, `changed` ["members"]). Run after the group's own version moved and before
   * the membership statements, so they see the membership as it was: O(changed members) rows,
   * whatever the group's size.
   */
  appendMemberStatements(
    groupType: string,
    groupId: string,
    change: { adding: string[]; removing: string[] } | { wanted: string[] },
    /** The member events' type names and the group's data they carry. */
    each: { added: string; removed: string; data: string },
    updated: EventDraft | undefined,
  ): Query[] {
    // In the membership probes, tenant and group as literals (escaped), and each part's ids once, in
    // a CTE: the probes are referenced several times and cost no bound parameter (D1 allows 100).
    const [tenant, group] = [literal(this.tenantId), literal(groupId)];
    const isMember = (id: SQL) => sql`EXISTS (SELECT 1 FROM ${memberships} AS m WHERE m.tenant_id = ${tenant} AND m.group_id = ${group} AND m.member_id = ${id})`;
    // A candidate (kind 0 joins, 1 leaves) is an event when the membership is not, resp. is, there.
    const happens = (row: string) => sql`(CASE ${sql.raw(row)}.column1 WHEN 0 THEN NOT ${isMember(sql.raw(`${row}.column2`))} ELSE ${isMember(sql.raw(`${row}.column2`))} END)`;
    const prefix = `${newId()}_`;
    const typeOf = sql`CASE x.kind WHEN 0 THEN ${each.added} WHEN 1 THEN ${each.removed} ELSE ${updated?.type ?? ''} END`;
    const insert = (rows: SQL, index: number) => sql`INSERT INTO ${events} (${COLUMNS})
      SELECT ${this.tenantId}, b.seq + x.n, ${`${prefix}${index}_`} || x.n, ${typeOf}, ${groupType}, ${groupId}, r.version, b.at, ${JSON.stringify(this.actor)},
             CASE x.kind WHEN 2 THEN ${JSON.stringify(updated?.changed ?? [])} ELSE '["members"]' END,
             ${this.withMeta(each.data)}, CASE x.kind WHEN 2 THEN NULL ELSE json_object('value', x.value) END
      FROM ${this.base} CROSS JOIN (${rows}) AS x CROSS JOIN ${this.row(groupType, groupId)}`;

    if ('wanted' in change) {
      // A replacement: O(the group's members) as the replacement itself, numbered by a window.
      const wanted = JSON.stringify([...new Set(change.wanted)]);
      const moves = sql`SELECT 1 AS kind, m.member_id AS value FROM ${memberships} AS m
          WHERE m.tenant_id = ${this.tenantId} AND m.group_id = ${groupId} AND m.member_id NOT IN (SELECT value FROM json_each(${wanted}))
        UNION ALL SELECT 0, w.value FROM json_each(${wanted}) AS w WHERE NOT ${isMember(sql`w.value`)}`;
      const numbered = sql`SELECT kind, value, row_number() OVER (ORDER BY kind DESC, value) AS n FROM (${moves})`;
      const rows = updated
        ? sql`${numbered} UNION ALL SELECT 2, NULL, (SELECT count(*) FROM (${moves})) + 1 WHERE EXISTS (${moves})`
        : numbered;
      return [insert(rows, 0)];
    }

    const candidates = [...[...new Set(change.adding)].map((id) => [0, id] as const), ...[...new Set(change.removing)].map((id) => [1, id] as const)];
    const parts = chunks(candidates, IDS_PER_STATEMENT);
    return parts.map((part, index) => {
      // NOT MATERIALIZED: each use reads the VALUES again, which D1 counts as no row (a materialized
      // copy would be read, and counted, at every use).
      const list = sql`c(column1, column2) AS NOT MATERIALIZED (VALUES ${sql.join(part.map(([kind, id]) => sql`(${sql.raw(String(kind))}, ${id})`), sql`, `)})`;
      const values = sql`c`;
      // Numbered by position among this part's events: a count over the VALUES, whose probes of
      // memberships read no row for a member that is not there (the usual join).
      const rows = sql`SELECT v.column1 AS kind, v.column2 AS value,
          (SELECT count(*) FROM ${values} AS w WHERE ${happens('w')} AND (w.column1, w.column2) <= (v.column1, v.column2)) AS n
        FROM ${values} AS v WHERE ${happens('v')}`;
      if (!updated || index < parts.length - 1) return sql`WITH ${list} ${insert(rows, index)}`;
      // The group's own event, last: when this part appended one, or an earlier part of this write did.
      const earlier = sql`EXISTS (SELECT 1 FROM ${events} AS e WHERE e.tenant_id = ${tenant}
        AND e.seq = (SELECT max(seq) FROM ${events} WHERE tenant_id = ${tenant}) AND substr(e.id, 1, ${sql.raw(String(prefix.length))}) = ${literal(prefix)})`;
      return sql`WITH ${list} ${insert(sql`${rows} UNION ALL SELECT 2, NULL, (SELECT count(*) FROM ${values} AS w WHERE ${happens('w')}) + 1
        WHERE EXISTS (SELECT 1 FROM ${values} AS w WHERE ${happens('w')}) OR ${earlier}`, index)}`;
    });
  }
}

/** A tenant's events after `after` in seq order, at most `limit`, of the given types (`*` suffixes allowed). */
export function feedPageRead(tenantId: string, after: number, limit: number, types: string[]): Read<StoredEvent[]> {
  const typed = types.length === 0 ? sql`1` : sql.join(types.map((t) => (t.endsWith('.*') ? sql`(type >= ${t.slice(0, -1)} AND type < ${`${t.slice(0, -2)}/`})` : sql`type = ${t}`)), sql` OR `);
  return rowsRead((rows: StoredEvent[]) => rows, sql`
    SELECT seq, id, type, resource_type AS resourceType, resource_id AS resourceId, version, occurred_at AS occurredAt, actor, changed, data, member
    FROM ${events} WHERE tenant_id = ${tenantId} AND seq > ${after} AND (${typed}) ORDER BY seq LIMIT ${limit}`);
}

/** A tenant's oldest retained and newest seq (0 and 0 before any event). */
export function feedBoundsRead(tenantId: string): Read<{ oldest: number; newest: number }> {
  return rowsRead(
    (rows: { oldest: number | null; newest: number | null }[]) => ({ oldest: rows[0]?.oldest ?? 0, newest: rows[0]?.newest ?? 0 }),
    sql`SELECT (SELECT min(seq) FROM ${events} WHERE tenant_id = ${tenantId}) AS oldest, (SELECT max(seq) FROM ${events} WHERE tenant_id = ${tenantId}) AS newest`,
  );
}

/**
 * Deletes up to `limit` events older than `before`, of every tenant, never a tenant's newest (its
 * largest seq is where the next append counts from). One statement: within D1's limits per call.
 */
export function pruneStatement(before: string, limit: number): Query {
  return sql`DELETE FROM ${events} WHERE (tenant_id, seq) IN (
      SELECT o.tenant_id, o.seq FROM ${events} AS o INDEXED BY events_occurred_at
      WHERE o.occurred_at < ${before} AND o.seq < (SELECT max(n.seq) FROM ${events} AS n WHERE n.tenant_id = o.tenant_id)
      ORDER BY o.occurred_at LIMIT ${limit})`;
}
