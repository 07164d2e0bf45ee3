import { eq, sql } from 'drizzle-orm';
import { resourceCounts, tenantMoves, tenants } from '../db/schema';
import { rowsRead, type Read, type Executor } from './executor';
import { REMOVAL_ORDER, TenantCopy } from './tenant-copy';

export interface Tenant {
  id: string;
  name: string;
  created: string;
  /** Its data database (store/shards.ts). */
  shard: string;
}

const COLUMNS = sql`${tenants.id} AS id, ${tenants.name} AS name, ${tenants.created} AS created, ${tenants.shard} AS shard`;

export class TenantStore {
  constructor(private readonly exec: Executor) {}

  async get(id: string): Promise<Tenant | undefined> {
    return this.exec.first<Tenant>(sql`SELECT ${COLUMNS} FROM ${tenants} WHERE ${eq(tenants.id, id)}`);
  }

  /** Where the tenant lives and whether a move of it is under way: one read of the directory. */
  async placement(id: string): Promise<{ shard: string; moving: boolean } | undefined> {
    const row = await this.exec.first<{ shard: string; moving: number }>(sql`SELECT ${tenants.shard} AS shard,
        EXISTS (SELECT 1 FROM ${tenantMoves} AS m WHERE m.tenant_id = ${tenants.id} AND m.state IN ('copying', 'verifying', 'flipping')) AS moving
      FROM ${tenants} WHERE ${eq(tenants.id, id)}`);
    return row ? { shard: row.shard, moving: Boolean(row.moving) } : undefined;
  }

  async list(): Promise<Tenant[]> {
    return this.exec.all<Tenant>(sql`SELECT ${COLUMNS} FROM ${tenants} ORDER BY ${tenants.id}`);
  }

  /** Tenants per shard (the control database's directory; placement counts them). */
  async countsByShard(): Promise<Map<string, number>> {
    const rows = await this.exec.all<{ shard: string; n: number }>(sql`SELECT ${tenants.shard} AS shard, count(*) AS n FROM ${tenants} GROUP BY ${tenants.shard}`);
    return new Map(rows.map((r) => [r.shard, r.n]));
  }

  /** Inserts the tenant; false when the id is taken. */
  async create(tenant: Tenant): Promise<boolean> {
    const result = await this.exec.run(this.exec.orm.insert(tenants).values(tenant).onConflictDoNothing());
    return (result.meta.changes ?? 0) > 0;
  }

  /**
   * The tenant's own row on its data database (when that is not the control database): what write
   * batches check there (its declarations version, its state). A row left by an earlier tenant of
   * the same id takes the new one's name and time; its version only grows.
   */
  async createDataRow(tenant: Tenant, state: 'active' | 'read_only' = 'active'): Promise<void> {
    await this.exec.run(sql`INSERT INTO ${tenants} (id, name, created, shard, state) VALUES (${tenant.id}, ${tenant.name}, ${tenant.created}, ${tenant.shard}, ${state})
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, created = excluded.created, shard = excluded.shard, state = excluded.state`);
  }

  /** Removes the tenant's directory row only (its data lives on another database). */
  async deleteRow(id: string): Promise<boolean> {
    const removed = await this.exec.run(this.exec.orm.delete(tenants).where(eq(tenants.id, id)));
    return (removed.meta.changes ?? 0) > 0;
  }

  /**
   * Deletes a tenant and everything it owns, in chunks so no single statement runs long on a big
   * tenant (docs/operations.md gives the rate). The tenant row goes last: if the call is cut off,
   * running it again finishes the job. (Its tokens are revoked before this, so nothing new arrives.)
   */
  async delete(id: string, chunk = 5000): Promise<boolean> {
    // resource_counts stays (n back to 0 by its trigger): its `changes` must never count again from 0
    // for a tenant id created anew, or a walk position remembered for the old tenant could pass.
    // Its events stay too, for their retention (the feed ends with tenant.deleted).
    const copy = new TenantCopy(this.exec, id);
    while (await copy.clearSome(REMOVAL_ORDER.filter((table) => table !== 'events'), chunk));
    const removed = await this.exec.run(this.exec.orm.delete(tenants).where(eq(tenants.id, id)));
    return (removed.meta.changes ?? 0) > 0;
  }
}

/** The tenant's resource counts per type (resource_counts: one row a type). */
export function resourceCountsRead(exec: Executor, tenantId: string): Read<{ resourceType: string; n: number }[]> {
  return rowsRead(
    (rows: { resourceType: string; n: number }[]) => rows,
    exec.orm.select({ resourceType: resourceCounts.resourceType, n: resourceCounts.n }).from(resourceCounts).where(eq(resourceCounts.tenantId, tenantId)).orderBy(resourceCounts.resourceType),
  );
}
