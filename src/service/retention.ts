import { eventRetentionDays, requestLogDays } from '../config';
import type { Bindings } from '../env';
import { pruneStatement } from '../store/events';
import type { Executor } from '../store/executor';
import { pruneLogStatement } from '../store/request-log';
import { pruneDeliveriesStatement } from '../store/webhooks';

// The scheduled (cron) handler's work: the change feed keeps EVENT_RETENTION_DAYS of events.

/** Rows one statement deletes: well inside D1's per-query limits (time and rows). */
export const PRUNE_CHUNK = 2000;
/** Statements per run: a backlog larger than this is left for the next run. */
const MAX_CHUNKS = 50;

/** Deletes finished webhook deliveries older than the events' retention (their log), likewise. */
export async function pruneDeliveries(exec: Executor, env: Bindings, now = Date.now()): Promise<number> {
  const before = new Date(now - eventRetentionDays(env) * 86_400_000).toISOString();
  let total = 0;
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const deleted = (await exec.run(pruneDeliveriesStatement(before, PRUNE_CHUNK))).meta.changes ?? 0;
    total += deleted;
    if (deleted < PRUNE_CHUNK) break;
  }
  return total;
}

/** Deletes provisioning-log entries older than REQUEST_LOG_DAYS (default 14), likewise. */
export async function pruneRequestLog(exec: Executor, env: Bindings, now = Date.now()): Promise<number> {
  const before = new Date(now - requestLogDays(env) * 86_400_000).toISOString();
  let total = 0;
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const deleted = (await exec.run(pruneLogStatement(before, PRUNE_CHUNK))).meta.changes ?? 0;
    total += deleted;
    if (deleted < PRUNE_CHUNK) break;
  }
  return total;
}

/** Deletes events older than the retention, a chunk per statement; returns how many. */
export async function pruneEvents(exec: Executor, env: Bindings, now = Date.now()): Promise<number> {
  const before = new Date(now - eventRetentionDays(env) * 86_400_000).toISOString();
  let total = 0;
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const result = await exec.run(pruneStatement(before, PRUNE_CHUNK));
    const deleted = result.meta.changes ?? 0;
    total += deleted;
    if (deleted < PRUNE_CHUNK) break;
  }
  return total;
}
