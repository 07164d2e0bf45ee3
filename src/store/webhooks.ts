import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { webhookDeliveries, webhooks } from '../db/schema';
import { assertChanged, rowsRead, type Executor, type Query, type Read } from './executor';
import { camelRow } from './rows';

// Webhook endpoints and their deliveries (docs/storage.md). Every statement is scoped by tenant.

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Deliveries one dispatch creates for an endpoint (and queue messages it sends): a bounded batch. */
export const DISPATCH_BATCH = 50;

export class WebhookStore {
  constructor(
    private readonly exec: Executor,
    private readonly tenantId: string,
  ) {}

  private key(id: string) {
    return and(eq(webhooks.tenantId, this.tenantId), eq(webhooks.id, id));
  }

  async insert(row: Omit<WebhookRow, 'tenantId'>): Promise<void> {
    await this.exec.run(this.exec.orm.insert(webhooks).values({ ...row, tenantId: this.tenantId }));
  }

  async list(): Promise<WebhookRow[]> {
    const rows = await this.exec.all<Record<string, unknown>>(this.exec.orm.select().from(webhooks).where(eq(webhooks.tenantId, this.tenantId)).orderBy(webhooks.created));
    return rows.map((r) => camelRow<WebhookRow>(r));
  }

  async get(id: string): Promise<WebhookRow | undefined> {
    const row = await this.exec.first<Record<string, unknown>>(this.exec.orm.select().from(webhooks).where(this.key(id)));
    return row && camelRow<WebhookRow>(row);
  }

  /** Sets `fields`; false when the endpoint does not exist. */
  async update(id: string, fields: Partial<Omit<WebhookRow, 'tenantId' | 'id'>>): Promise<boolean> {
    const result = await this.exec.run(this.exec.orm.update(webhooks).set(fields).where(this.key(id)));
    return (result.meta.changes ?? 0) > 0;
  }

  /** The endpoint and its delivery log; false when it did not exist. */
  async delete(id: string): Promise<boolean> {
    const [deleted] = await this.exec.batch([
      this.exec.orm.delete(webhooks).where(this.key(id)),
      this.exec.orm.delete(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, this.tenantId), eq(webhookDeliveries.webhookId, id))),
    ]);
    return (deleted?.meta.changes ?? 0) > 0;
  }

  /**
   * Creates a pending delivery per event and moves the endpoint's cursor to `cursor`, only if it is
   * still at `from` (two dispatchers of one tenant cannot both take the same events).
   */
  dispatchStatements(webhookId: string, from: number, cursor: number, deliveries: Omit<DeliveryRow, 'tenantId' | 'webhookId'>[]): Query[] {
    return [
      this.exec.orm.update(webhooks).set({ cursor }).where(and(this.key(webhookId), eq(webhooks.cursor, from))),
      assertChanged(),
      ...deliveries.map((d) => this.exec.orm.insert(webhookDeliveries).values({ ...d, tenantId: this.tenantId, webhookId }).onConflictDoNothing()),
    ];
  }

  deliveriesRead(webhookId: string, limit: number): Read<DeliveryRow[]> {
    return rowsRead(
      (rows: Record<string, unknown>[]) => rows.map((r) => camelRow<DeliveryRow>(r)),
      this.exec.orm
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.tenantId, this.tenantId), eq(webhookDeliveries.webhookId, webhookId)))
        .orderBy(desc(webhookDeliveries.eventSeq))
        .limit(limit),
    );
  }

  async delivery(id: string): Promise<DeliveryRow | undefined> {
    const row = await this.exec.first<Record<string, unknown>>(this.exec.orm.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, this.tenantId), eq(webhookDeliveries.id, id))));
    return row && camelRow<DeliveryRow>(row);
  }

  /**
   * Takes the attempt of a pending delivery as it was read (its attempts and due time, compared and
   * swapped), pushing its due time to `until`, so that a second message for it (a sweep's, a
   * duplicate's) finds it taken: false then.
   */
  async claim(read: Pick<DeliveryRow, 'id' | 'attempts' | 'nextAttemptAt'>, until: string): Promise<boolean> {
    const due = read.nextAttemptAt === null ? isNull(webhookDeliveries.nextAttemptAt) : eq(webhookDeliveries.nextAttemptAt, read.nextAttemptAt);
    const result = await this.exec.run(
      this.exec.orm
        .update(webhookDeliveries)
        .set({ nextAttemptAt: until })
        .where(and(eq(webhookDeliveries.tenantId, this.tenantId), eq(webhookDeliveries.id, read.id), eq(webhookDeliveries.status, 'pending'), eq(webhookDeliveries.attempts, read.attempts), due)),
    );
    return (result.meta.changes ?? 0) > 0;
  }

  async updateDelivery(id: string, fields: Partial<Omit<DeliveryRow, 'tenantId' | 'id'>>): Promise<void> {
    await this.exec.run(this.exec.orm.update(webhookDeliveries).set(fields).where(and(eq(webhookDeliveries.tenantId, this.tenantId), eq(webhookDeliveries.id, id))));
  }
}

/** Tenants with an enabled endpoint whose cursor is behind their newest event (the minute sweep). */
export async function tenantsBehind(exec: Executor): Promise<string[]> {
  const rows = await exec.all<{ tenant_id: string }>(sql`SELECT DISTINCT w.tenant_id FROM ${webhooks} AS w
    WHERE w.enabled = 1 AND w.cursor < (SELECT coalesce(max(e.seq), 0) FROM events AS e WHERE e.tenant_id = w.tenant_id)`);
  return rows.map((r) => r.tenant_id);
}

/** Pending deliveries whose attempt is overdue by `graceMs` (their queue message was lost). */
export async function overdueDeliveries(exec: Executor, before: string, limit: number): Promise<{ tenant_id: string; id: string }[]> {
  return exec.all(sql`SELECT tenant_id, id FROM ${webhookDeliveries} WHERE status = 'pending' AND next_attempt_at < ${before} ORDER BY next_attempt_at LIMIT ${limit}`);
}

/** Deletes up to `limit` finished deliveries (succeeded or failed) last updated before `before`. */
export function pruneDeliveriesStatement(before: string, limit: number): Query {
  return sql`DELETE FROM ${webhookDeliveries} WHERE rowid IN (SELECT rowid FROM ${webhookDeliveries}
    WHERE status IN ('succeeded', 'failed') AND updated < ${before} LIMIT ${limit})`;
}

/** Whether the tenant has an enabled endpoint (one probe of the primary key's tenant prefix). */
export async function hasEnabledWebhook(exec: Executor, tenantId: string): Promise<boolean> {
  const row = await exec.first(sql`SELECT 1 AS one FROM ${webhooks} WHERE tenant_id = ${tenantId} AND enabled = 1 LIMIT 1`);
  return row !== undefined;
}
