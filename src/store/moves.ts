import { sql } from 'drizzle-orm';
import { tenantMoves } from '../db/schema';
import type { Executor } from './executor';

// The control database's record of tenant moves (service/move.ts; docs/storage.md `tenant_moves`).

export type MoveRow = typeof tenantMoves.$inferSelect;

const COLUMNS = sql.raw(`tenant_id AS tenantId, source, target, state, copying_table AS copyingTable, copied_up_to AS copiedUpTo,
  progress, cleanup_after AS cleanupAfter, cleaned, error, started, updated`);

export class MoveStore {
  constructor(private readonly exec: Executor) {}

  async get(tenantId: string): Promise<MoveRow | undefined> {
    // Through the executor (a builder awaited directly would bypass the request's meter).
    return this.exec.first<MoveRow>(sql`SELECT ${COLUMNS} FROM ${tenantMoves} WHERE tenant_id = ${tenantId}`);
  }

  async save(row: MoveRow): Promise<void> {
    await this.exec.run(this.exec.orm.insert(tenantMoves).values(row).onConflictDoUpdate({ target: tenantMoves.tenantId, set: { ...row } }));
  }

  /** Moves done whose rows on the source may now be deleted. */
  async dueCleanups(now: string): Promise<MoveRow[]> {
    return this.exec.all<MoveRow>(sql`SELECT ${COLUMNS} FROM ${tenantMoves} WHERE state = 'done' AND cleaned = 0 AND cleanup_after <= ${now} LIMIT 10`);
  }

  /** Moves under way whose last step is older than `before`: their caller went away. */
  async stalled(before: string): Promise<MoveRow[]> {
    return this.exec.all<MoveRow>(sql`SELECT ${COLUMNS} FROM ${tenantMoves} WHERE state IN ('copying', 'verifying', 'flipping') AND updated < ${before} LIMIT 10`);
  }
}
