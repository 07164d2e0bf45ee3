import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { declarations, events, memberships, requestLog, resources, resourceUnique, resourceValues, tenants, webhookDeliveries, webhooks } from '../db/schema';
import { rowsRead, type Executor, type Query, type Read } from './executor';

// A tenant's rows, table by table, as they are stored: what export, import and a move between
// databases read and write (service/tenant-transfer.ts). Every tenant table's primary key starts
// with tenant_id, so a page is a range of that key.

interface CopiedTable {
  table: SQLiteTable;
  /** The primary key after tenant_id: pages resume after the last key read. */
  keys: string[];
}

/**
 * In the order an import inserts them: memberships before resources, so the membership triggers
 * (migration 0008) find no member row to update and every resource keeps its stored version,
 * lastModified and groups byte for byte; resource_counts follows from the resources' own trigger.
 */
const TABLES: Record<string, CopiedTable> = {
  declarations: { table: declarations, keys: ['kind', 'lookup'] },
  memberships: { table: memberships, keys: ['group_id', 'member_id'] },
  resources: { table: resources, keys: ['resource_type', 'id'] },
  resource_values: { table: resourceValues, keys: ['resource_type', 'attribute', 'value', 'resource_id'] },
  resource_unique: { table: resourceUnique, keys: ['scope', 'attribute', 'value'] },
  webhooks: { table: webhooks, keys: ['id'] },
  webhook_deliveries: { table: webhookDeliveries, keys: ['id'] },
  events: { table: events, keys: ['seq'] },
  request_log: { table: requestLog, keys: ['id'] },
};

/** The directory itself: what an export carries and an import loads. */
export const DIRECTORY_TABLES = ['declarations', 'memberships', 'resources', 'resource_values', 'resource_unique'];
/** Everything a tenant has on its database: what a move carries. */
export const ALL_TABLES = Object.keys(TABLES);
/** The order rows are removed in: resources before memberships, so the membership triggers find no member row to update. */
export const REMOVAL_ORDER = [...ALL_TABLES].reverse();

export type Row = Record<string, unknown>;

/** A table's columns other than tenant_id (the names stored, as an export writes them). */
export function columnsOf(name: string): string[] {
  return Object.values(getTableColumns(TABLES[name]!.table))
    .map((c) => c.name)
    .filter((c) => c !== 'tenant_id');
}

export function isCopiedTable(name: string): boolean {
  return Object.hasOwn(TABLES, name);
}

const ident = (name: string) => sql.raw(`"${name.replaceAll('"', '""')}"`);

export class TenantCopy {
  constructor(
    private readonly exec: Executor,
    private readonly tenantId: string,
  ) {}


  /** `tenant_id = … AND (key) > (after)` and, with `last`, `AND (key) <= (last)`: the rows of a page. */
  private keyRange(name: string, after?: unknown[], last?: unknown[]): { key: SQL; range: SQL } {
    const key = sql.join(TABLES[name]!.keys.map(ident), sql`, `);
    const tuple = (values: unknown[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
    const past = after ? sql` AND (${key}) > (${tuple(after)})` : sql``;
    const upTo = last ? sql` AND (${key}) <= (${tuple(last)})` : sql``;
    return { key, range: sql`tenant_id = ${this.tenantId}${past}${upTo}` };
  }

  private selectRows(name: string, after: unknown[] | undefined, last: unknown[] | undefined, limit?: number): SQL {
    const { key, range } = this.keyRange(name, after, last);
    const columns = sql.join(columnsOf(name).map(ident), sql`, `);
    const limited = limit === undefined ? sql`` : sql` LIMIT ${limit}`;
    return sql`SELECT ${columns} FROM ${TABLES[name]!.table} WHERE ${range} ORDER BY ${key}${limited}`;
  }

  /** Up to `limit` rows of `name` after the key `after` (the first page without), in key order: one round trip. */
  async page(name: string, after: unknown[] | undefined, limit: number): Promise<Row[]> {
    return this.exec.all<Row>(this.selectRows(name, after, undefined, limit));
  }

  /** The rows of `name` in the key range (after, last], as a page read them: a copy read back in the batch that wrote it. */
  rangeRead(name: string, after: unknown[] | undefined, last: unknown[]): Read<Row[]> {
    return rowsRead((rows: Row[]) => rows, this.selectRows(name, after, last));
  }

  /** Deletes the rows of `name` in the key range (after, last]: a page copied again replaces its first copy. */
  rangeDeleteStatement(name: string, after: unknown[] | undefined, last: unknown[]): SQL {
    return sql`DELETE FROM ${TABLES[name]!.table} WHERE ${this.keyRange(name, after, last).range}`;
  }

  /** The key of a row of `name`, to resume after it. */
  static keyOf(name: string, row: Row): unknown[] {
    return TABLES[name]!.keys.map((k) => row[k]);
  }

  /**
   * One statement inserting `rows` of `name` for this tenant: the rows travel as one JSON parameter
   * (D1 allows 100 bound parameters a statement, and a resource has a dozen columns).
   */
  insertStatement(name: string, rows: Row[]): Query {
    const columns = columnsOf(name);
    const values = sql.join(columns.map((c) => sql`json_extract(j.value, ${`$."${c.replaceAll('"', '')}"`})`), sql`, `);
    return sql`INSERT INTO ${TABLES[name]!.table} (tenant_id, ${sql.join(columns.map(ident), sql`, `)})
      SELECT ${this.tenantId}, ${values} FROM json_each(${JSON.stringify(rows)}) AS j`;
  }

  /** Whether the tenant holds any resource or declaration (an import wants an empty tenant). */
  async isEmpty(): Promise<boolean> {
    const row = await this.exec.first<{ any: number }>(sql`SELECT EXISTS (SELECT 1 FROM ${resources} WHERE tenant_id = ${this.tenantId})
      OR EXISTS (SELECT 1 FROM ${declarations} WHERE tenant_id = ${this.tenantId}) AS any`);
    return !row?.any;
  }

  /**
   * Removes up to `chunk` rows of each of `tables`, one batch (one round trip) a call; true while
   * any remain. A table's rows go only once the table before it in `tables` has none left (its
   * statement checks, after the earlier statements of the same batch ran): listed resources before
   * memberships, the membership triggers then find no member row to update. Tenant deletion, a
   * move's restart and its clean-up, and an import taken back use it.
   */
  async clearSome(tables: string[], chunk = 5000): Promise<boolean> {
    const none = (name: string) => sql`NOT EXISTS (SELECT 1 FROM ${TABLES[name]!.table} WHERE tenant_id = ${this.tenantId})`;
    const deletes = tables.map((name, i) => {
      const { key, range } = this.keyRange(name);
      const table = TABLES[name]!.table;
      const after = i > 0 ? sql` AND ${none(tables[i - 1]!)}` : sql``;
      return sql`DELETE FROM ${table} WHERE ${range} AND (${key}) IN (SELECT ${key} FROM ${table} WHERE ${range} LIMIT ${chunk})${after}`;
    });
    const left = sql`SELECT ${sql.join(tables.map((name) => sql`NOT ${none(name)}`), sql` OR `)} AS remaining`;
    const results = await this.exec.batch([...deletes, left]);
    return Boolean((results.at(-1)?.results[0] as { remaining?: number } | undefined)?.remaining);
  }

  /**
   * Per table, the tenant's row count, stored bytes (every column's length) and, where rows carry
   * one, the sum of their versions: one statement, one round trip, every row read once. A move
   * compares both databases' summaries: a row added, removed or changed after its page was copied
   * (and compared) changes a count, a length or a version.
   */
  async summary(tables: string[]): Promise<Record<string, [number, number, number]>> {
    const parts = tables.map((name) => {
      const columns = columnsOf(name);
      const bytes = sql.join(columns.map((c) => sql`coalesce(length(${ident(c)}), 0)`), sql` + `);
      const versions = columns.includes('version') ? sql`total(${ident('version')})` : sql`0`;
      return sql`(SELECT json_array(count(*), total(${bytes}), ${versions}) FROM ${TABLES[name]!.table} WHERE tenant_id = ${this.tenantId}) AS ${ident(name)}`;
    });
    const row = await this.exec.first<Record<string, string>>(sql`SELECT ${sql.join(parts, sql`, `)}`);
    return Object.fromEntries(tables.map((t) => [t, JSON.parse(row![t]!) as [number, number, number]]));
  }

  /** The tenant's declarations version on this database (0 without a row). */
  async declarationsVersion(): Promise<number> {
    const row = await this.exec.first<{ v: number }>(sql`SELECT declarations_version AS v FROM ${tenants} WHERE id = ${this.tenantId}`);
    return row?.v ?? 0;
  }

  /** Raises the tenant's declarations version to at least `version` (an import's or a move's). */
  raiseVersionStatement(version: number): SQL {
    return sql`UPDATE ${tenants} SET declarations_version = max(declarations_version, ${version}) WHERE id = ${this.tenantId}`;
  }

  /** Moves the tenant's declarations version past its own and to at least `version` (an import's), answering the new one. */
  async raiseVersionPast(version: number): Promise<number> {
    const row = await this.exec.first<{ v: number }>(sql`UPDATE ${tenants} SET declarations_version = max(declarations_version + 1, ${version})
      WHERE id = ${this.tenantId} RETURNING declarations_version AS v`);
    return row?.v ?? 0;
  }

  /** Sets the tenant's state on this database (`read_only` while a move copies it; `moved` on the one it left). */
  stateStatement(state: 'active' | 'read_only' | 'moved', shard?: string): SQL {
    const placed = shard ? sql`, shard = ${shard}` : sql``;
    return sql`UPDATE ${tenants} SET state = ${state}${placed} WHERE id = ${this.tenantId}`;
  }

  /** Removes the tenant's own row on this database (a data database it left). */
  async deleteTenantRow(): Promise<void> {
    await this.exec.run(sql`DELETE FROM ${tenants} WHERE id = ${this.tenantId}`);
  }
}
