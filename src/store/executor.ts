import { sql, type SQL } from 'drizzle-orm';
import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { QueryMeter } from './meter';
import { literal } from './rows';

/** An SQL expression a store built (a column of a read): services pass it on, never write one. */
export type Expression = SQL;

/** Anything Drizzle can compile to SQL text and bound parameters. */
export type Query = SQL | { toSQL(): { sql: string; params: unknown[] } };

const dialect = new SQLiteSyncDialect();

function compile(query: Query): { sql: string; params: unknown[] } {
  return 'toSQL' in query ? query.toSQL() : dialect.sqlToQuery(query);
}

/**
 * A read that can share a round trip with others: its statements, and how to decode their results.
 * Stores build reads; services combine them (`Executor.read`, `Executor.batchThen`) so that what a
 * request needs arrives in one call to D1 instead of one per statement.
 */
export interface Read<T> {
  queries: Query[];
  decode(results: D1Result[]): T;
}

/** A read of one statement's rows, decoded by `decode`. */
export function rowsRead<R, T>(decode: (rows: R[]) => T, query: Query): Read<T> {
  return { queries: [query], decode: ([result]) => decode((result?.results ?? []) as R[]) };
}

/** Several reads of the same kind (chunks of a long id list) as one. */
export function combined<T>(reads: Read<T>[]): Read<T[]> {
  return {
    queries: reads.flatMap((r) => r.queries),
    decode(results) {
      let at = 0;
      return reads.map((r) => r.decode(results.slice(at, (at += r.queries.length))));
    },
  };
}

/** A read whose decoded value is mapped. */
export function mapRead<T, U>(read: Read<T>, f: (value: T) => U): Read<U> {
  return { queries: read.queries, decode: (results) => f(read.decode(results)) };
}

/** Two reads as one, decoded as a pair. */
export function pairRead<A, B>(a: Read<A>, b: Read<B>): Read<[A, B]> {
  return { queries: [...a.queries, ...b.queries], decode: (results) => [a.decode(results.slice(0, a.queries.length)), b.decode(results.slice(a.queries.length))] };
}

/** A read of nothing, decoded as `value` (costs no statement). */
export function constantRead<T>(value: T): Read<T> {
  return { queries: [], decode: () => value };
}

type Decoded<R extends readonly Read<unknown>[]> = { [K in keyof R]: R[K] extends Read<infer T> ? T : never };

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
    /** The binding name of the database (store/shards.ts): write batches check their tenant lives here. */
    readonly shard = 'DB',
  ) {
    this.orm = drizzle(db);
  }

  prepare(query: Query): D1PreparedStatement {
    const { sql, params } = compile(query);
    return this.db.prepare(sql).bind(...params);
  }

  async all<T>(query: Query): Promise<T[]> {
    this.meter.trip();
    const result = await this.prepare(query).all<T>();
    this.meter.record(result);
    return result.results;
  }

  async first<T>(query: Query): Promise<T | undefined> {
    return (await this.all<T>(query))[0];
  }

  async run(query: Query): Promise<D1Result> {
    this.meter.trip();
    const result = await this.prepare(query).run();
    this.meter.record(result);
    return result;
  }

  /** Independent reads in one round trip (a D1 batch). */
  async read<R extends readonly Read<unknown>[]>(...reads: R): Promise<Decoded<R>> {
    const results = await this.batch(reads.flatMap((r) => r.queries));
    let at = 0;
    return reads.map((r) => r.decode(results.slice(at, (at += r.queries.length)))) as Decoded<R>;
  }

  /**
   * Writes and then reads in one round trip: the reads run last in the same batch (one transaction),
   * so they see exactly what the writes left, e.g. the memberships a response renders.
   */
  async batchThen<T>(writes: Query[], after: Read<T>): Promise<T> {
    const results = await this.batch([...writes, ...after.queries]);
    return after.decode(results.slice(writes.length));
  }

  async batch(queries: Query[]): Promise<D1Result[]> {
    if (queries.length === 0) return [];
    this.meter.trip();
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
