import { eventRetentionDays, requestLogDays } from '../config';
import type { Bindings } from '../env';
import { pruneStatement } from '../store/events';
import type { Executor, Query } from '../store/executor';
import { pruneLogStatement } from '../store/request-log';
import { pruneDeliveriesStatement } from '../store/webhooks';

// The scheduled (cron) handler's pruning: the change feed and the webhook delivery log keep
// EVENT_RETENTION_DAYS, the provisioning log REQUEST_LOG_DAYS.

/** Rows one statement deletes: well inside D1's per-query limits (time and rows). */
export const PRUNE_CHUNK = 2000;
/** Statements per run: a backlog larger than this is left for the next run. */
const MAX_CHUNKS = 50;

/** Runs `statement(before, PRUNE_CHUNK)` until a chunk comes back short; returns the rows deleted. */
async function pruneOlderThan(exec: Executor, days: number, now: number, statement: (before: string, limit: number) => Query): Promise<number> {
  const before = new Date(now - days * 86_400_000).toISOString();
  let total = 0;
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const deleted = (await exec.run(statement(before, PRUNE_CHUNK))).meta.changes ?? 0;
    total += deleted;
    if (deleted < PRUNE_CHUNK) break;
  }
  return total;
}

/** Events older than the retention, never a tenant's newest (store/events.ts). */
export const pruneEvents = (exec: Executor, env: Bindings, now = Date.now()) => pruneOlderThan(exec, eventRetentionDays(env), now, pruneStatement);

/** Finished webhook deliveries older than the events' retention. */
export const pruneDeliveries = (exec: Executor, env: Bindings, now = Date.now()) => pruneOlderThan(exec, eventRetentionDays(env), now, pruneDeliveriesStatement);

/** Provisioning-log entries older than REQUEST_LOG_DAYS (default 14). */
export const pruneRequestLog = (exec: Executor, env: Bindings, now = Date.now()) => pruneOlderThan(exec, requestLogDays(env), now, pruneLogStatement);
