import type { Bindings } from '../env';
import { recordRequests, type LogEntry } from '../service/request-log';
import { CONTROL } from '../store/shards';
import { backgroundExecutor, tenantPlacement } from './composition-root';

// The provisioning log queue's consumer (src/index.ts `queue`): entries to their tenants' databases.

/**
 * Log entries written on their tenants' databases (the directory says which), a batch per database,
 * then acknowledged. A tenant being moved gets its entries later (retried after a minute), on the
 * database it is on by then: written now, they would land on the source after its log was copied.
 */
export async function recordOnShards(env: Bindings, messages: readonly Message<LogEntry>[]): Promise<void> {
  const placed = new Map<string, string | undefined>();
  const byShard = new Map<string, Message<LogEntry>[]>();
  for (const message of messages) {
    const tenantId = message.body.tenantId;
    if (!placed.has(tenantId)) {
      // One directory read per tenant and batch. An unknown tenant's entries go to the control
      // database, whose check drops them.
      const placement = await tenantPlacement(env, tenantId);
      placed.set(tenantId, placement?.moving ? undefined : (placement?.shard ?? CONTROL));
    }
    const shard = placed.get(tenantId);
    if (shard === undefined) message.retry({ delaySeconds: 60 });
    else byShard.set(shard, [...(byShard.get(shard) ?? []), message]);
  }
  for (const [shard, logged] of byShard) {
    await recordRequests(backgroundExecutor(env, shard), logged.map((m) => m.body));
    for (const m of logged) m.ack();
  }
}
