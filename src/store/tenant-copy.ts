import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { declarations, events, memberships, requestLog, resources, resourceUnique, resourceValues, tenants, webhookDeliveries, webhooks } from '../db/schema';
import type { Executor, Query } from './executor';

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

  /** Up to `limit` rows of `name` after the key `after` (the first page without), in key order. */
  async page(name: string, after: unknown[] | undefined, limit: number): Promise<Row[]> {
    const { table, keys } = TABLES[name]!;
    const key = sql.join(keys.map(ident), sql`, `);
    const past = after ? sql`AND (${key}) > (${sql.join(after.map((v) => sql`${v}`), sql`, `)})` : sql``;
    const columns = sql.join(columnsOf(name).map(ident), sql`, `);
    return this.exec.all<Row>(sql`SELECT ${columns} FROM ${table} WHERE tenant_id = ${this.tenantId} ${past} ORDER BY ${key} LIMIT ${limit}`);
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
    const { table } = TABLES[name]!;
    const columns = columnsOf(name);
    const values = sql.join(columns.map((c) => sql`json_extract(j.value, ${`$."${c.replaceAll('"', '')}"`})`), sql`, `);
    return sql`INSERT INTO ${table} (tenant_id, ${sql.join(columns.map(ident), sql`, `)})
      SELECT ${this.tenantId}, ${values} FROM json_each(${JSON.stringify(rows)}) AS j`;
  }

  /** Whether the tenant holds any resource or declaration (an import wants an empty tenant). */
  async isEmpty(): Promise<boolean> {
    const row = await this.exec.first<{ any: number }>(sql`SELECT EXISTS (SELECT 1 FROM ${resources} WHERE tenant_id = ${this.tenantId})
      OR EXISTS (SELECT 1 FROM ${declarations} WHERE tenant_id = ${this.tenantId}) AS any`);
    return !row?.any;
  }

  /** Removes up to `chunk` rows of `name`; true while more remain (a move's clean-up, its restart). */
  async deleteSome(name: string, chunk = 5000): Promise<boolean> {
    const { table, keys } = TABLES[name]!;
    const key = sql.join(keys.map(ident), sql`, `);
    const result = await this.exec.run(sql`DELETE FROM ${table} WHERE tenant_id = ${this.tenantId} AND (${key}) IN
      (SELECT ${key} FROM ${table} WHERE tenant_id = ${this.tenantId} LIMIT ${chunk})`);
    return (result.meta.changes ?? 0) >= chunk;
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

  /** Sets the tenant's state on this database (`read_only` while a move copies it; `moved` on the one it left). */
  stateStatement(state: 'active' | 'read_only' | 'moved', shard?: string): SQL {
    const placed = shard ? sql`, shard = ${shard}` : sql``;
    return sql`UPDATE ${tenants} SET state = ${state}${placed} WHERE id = ${this.tenantId}`;
  }

  /** The rows of `name` in the key range (after, last], as a page read them: a copy read back. */
  async range(name: string, after: unknown[] | undefined, last: unknown[]): Promise<Row[]> {
    const { table, keys } = TABLES[name]!;
    const key = sql.join(keys.map(ident), sql`, `);
    const tuple = (values: unknown[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
    const past = after ? sql`AND (${key}) > (${tuple(after)})` : sql``;
    const columns = sql.join(columnsOf(name).map(ident), sql`, `);
    return this.exec.all<Row>(sql`SELECT ${columns} FROM ${table} WHERE tenant_id = ${this.tenantId} ${past} AND (${key}) <= (${tuple(last)}) ORDER BY ${key}`);
  }

  /** Deletes the rows of `name` in the key range (after, last]: a page copied again replaces its first copy. */
  rangeDeleteStatement(name: string, after: unknown[] | undefined, last: unknown[]): SQL {
    const { table, keys } = TABLES[name]!;
    const key = sql.join(keys.map(ident), sql`, `);
    const tuple = (values: unknown[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
    const past = after ? sql`AND (${key}) > (${tuple(after)})` : sql``;
    return sql`DELETE FROM ${table} WHERE tenant_id = ${this.tenantId} ${past} AND (${key}) <= (${tuple(last)})`;
  }

  /** How many rows of `name` the tenant has here. */
  async count(name: string): Promise<number> {
    const row = await this.exec.first<{ n: number }>(sql`SELECT count(*) AS n FROM ${TABLES[name]!.table} WHERE tenant_id = ${this.tenantId}`);
    return row?.n ?? 0;
  }

  /** Removes the tenant's own row on this database (a data database it left). */
  async deleteTenantRow(): Promise<void> {
    await this.exec.run(sql`DELETE FROM ${tenants} WHERE id = ${this.tenantId}`);
  }
}
