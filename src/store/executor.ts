import { sql, type SQL } from 'drizzle-orm';
import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { QueryMeter } from './meter';
import { literal } from './rows';

/** Anything Drizzle can compile to SQL text and bound parameters. */
export type Query = SQL | { toSQL(): { sql: string; params: unknown[] } };

const dialect = new SQLiteSyncDialect();

function compile(query: Query): { sql: string; params: unknown[] } {
  return 'toSQL' in query ? query.toSQL() : dialect.sqlToQuery(query);
}

/**
 * Runs Drizzle-built queries on D1 and records D1's `meta.rows_read` / `rows_written`, which Drizzle's
 * own result mapping drops. `batch` is atomic: D1 rolls the whole batch back if one statement fails.
 */
export class Executor {
  /** Drizzle query builder over the same database; build with it, execute through this class. */
  readonly orm: DrizzleD1Database;

  constructor(
    private readonly db: D1Database,
    private readonly meter: QueryMeter,
  ) {
    this.orm = drizzle(db);
  }

  prepare(query: Query): D1PreparedStatement {
    const { sql, params } = compile(query);
    return this.db.prepare(sql).bind(...params);
  }

  async all<T>(query: Query): Promise<T[]> {
    const result = await this.prepare(query).all<T>();
    this.meter.record(result);
    return result.results;
  }

  async first<T>(query: Query): Promise<T | undefined> {
    return (await this.all<T>(query))[0];
  }

  async run(query: Query): Promise<D1Result> {
    const result = await this.prepare(query).run();
    this.meter.record(result);
    return result;
  }

  async batch(queries: Query[]): Promise<D1Result[]> {
    if (queries.length === 0) return [];
    const results = await this.db.batch(queries.map((q) => this.prepare(q)));
    for (const r of results) this.meter.record(r);
    return results;
  }
}

/**
 * A statement that fails when the previous write in the same batch changed no row, so D1 rolls the
 * whole batch back: how a compare-and-swap guards the statements that follow it.
 */
export const CONFLICT_MARKER = 'scim-version-conflict';
export function assertChanged(): SQL {
  return sql`SELECT json(CASE WHEN changes() > 0 THEN '1' ELSE ${CONFLICT_MARKER} END)`;
}

export function isConflict(error: unknown): boolean {
  return error instanceof Error && /malformed JSON/i.test(error.message);
}

/**
 * A statement that fails the batch, and so rolls it back, unless `condition` holds; the error names
 * `marker` (a fixed identifier, never input), so the caller can tell which guard stopped it.
 */
export function guard(condition: SQL, marker: string): SQL {
  // The JSON path is '$' (harmless) when the condition holds, else a bad path whose error quotes the marker.
  return sql`SELECT json_extract('{}', CASE WHEN ${condition} THEN '$' ELSE ${literal(marker)} END)`;
}
