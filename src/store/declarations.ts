import { and, eq, sql } from 'drizzle-orm';
import { declarations, tenants } from '../db/schema';
import type { ResourceTypeDef, SchemaDef } from '../scim/schema/types';
import { assertChanged, type Executor, type Query } from './executor';
import { literal } from './rows';

const STALE_MARKER = 'scim-stale-declarations';
const MOVING_MARKER = 'scim-tenant-moving';

/**
 * Why a write batch's registry guard (`currentStatement`) refused it: `stale`, the declarations
 * changed since the registry was compiled; `moving`, the tenant is read-only or gone from this
 * database (service/move.ts). Undefined for any other failure.
 */
export function guardRefusal(error: unknown): 'stale' | 'moving' | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.message.includes(MOVING_MARKER)) return 'moving';
  return error.message.includes(STALE_MARKER) ? 'stale' : undefined;
}

// A tenant's declared schemas and resource types (docs/storage.md `declarations`), and the version
// counter on its `tenants` row that every change moves (the key of each isolate's compiled registry).

export type DeclarationKind = 'schema' | 'resourceType';

export interface Stored<T> {
  body: T;
  version: number;
  created: string;
  lastModified: string;
}

export interface TenantDeclarations {
  /** tenants.declarations_version when read; 0 when the tenant has never declared anything. */
  version: number;
  schemas: Stored<SchemaDef>[];
  resourceTypes: Stored<ResourceTypeDef>[];
}

interface Row {
  kind: DeclarationKind;
  body: string;
  version: number;
  created: string;
  lastModified: string;
}

export class DeclarationStore {
  constructor(
    private readonly exec: Executor,
    private readonly tenantId: string,
  ) {}

  /** Everything the tenant declared, with the version it was read at: one round trip. */
  async load(): Promise<TenantDeclarations> {
    const [version, rows] = await this.exec.batch([
      sql`SELECT ${tenants.declarationsVersion} AS version FROM ${tenants} WHERE ${tenants.id} = ${this.tenantId}`,
      sql`SELECT ${declarations.kind} AS kind, ${declarations.body} AS body, ${declarations.version} AS version,
            ${declarations.created} AS created, ${declarations.lastModified} AS lastModified
          FROM ${declarations} WHERE ${declarations.tenantId} = ${this.tenantId} ORDER BY ${declarations.created}, ${declarations.lookup}`,
    ]);
    const all = (rows!.results as Row[]).map((r) => ({ kind: r.kind, body: JSON.parse(r.body), version: r.version, created: r.created, lastModified: r.lastModified }));
    return {
      version: ((version!.results[0] as { version?: number } | undefined)?.version ?? 0) as number,
      schemas: all.filter((d) => d.kind === 'schema') as Stored<SchemaDef>[],
      resourceTypes: all.filter((d) => d.kind === 'resourceType') as Stored<ResourceTypeDef>[],
    };
  }

  /**
   * Inserts or replaces one declaration (its own version moves) and moves the tenant's version, if
   * it is still `expected` (the version the change was checked against): a compare-and-swap, so two
   * concurrent changes cannot both commit unchecked against each other.
   */
  putStatements(kind: DeclarationKind, lookup: string, body: unknown, now: string, expected: number): Query[] {
    const text = JSON.stringify(body);
    return [
      sql`INSERT INTO ${declarations} (tenant_id, kind, lookup, body, version, created, last_modified)
          VALUES (${this.tenantId}, ${kind}, ${lookup.toLowerCase()}, ${text}, 1, ${now}, ${now})
          ON CONFLICT (tenant_id, kind, lookup) DO UPDATE SET body = excluded.body, version = ${declarations.version} + 1, last_modified = excluded.last_modified`,
      ...this.bumpStatements(expected),
    ];
  }

  deleteStatements(kind: DeclarationKind, lookup: string, expected: number): Query[] {
    return [
      this.exec.orm
        .delete(declarations)
        .where(and(eq(declarations.tenantId, this.tenantId), eq(declarations.kind, kind), eq(declarations.lookup, lookup.toLowerCase()))),
      ...this.bumpStatements(expected),
    ];
  }

  /**
   * Fails the batch unless the tenant's declarations are still at `version`: a write built from a
   * registry another location has changed meanwhile must not commit (its unique keys, references or
   * attributes could be the old ones).
   */
  currentStatement(version: number): Query {
    // One probe of the tenant's row on this database, which also says whether the tenant lives and
    // is writable here: a move makes it read-only, then names the database it went to.
    return sql`SELECT json_extract('{}', coalesce((SELECT CASE
        WHEN ${tenants.state} <> 'active' OR ${tenants.shard} <> ${this.exec.shard} THEN ${literal(MOVING_MARKER)}
        WHEN ${tenants.declarationsVersion} = ${version} THEN '$' ELSE ${literal(STALE_MARKER)} END
      FROM ${tenants} WHERE ${tenants.id} = ${this.tenantId}), ${literal(STALE_MARKER)}))`;
  }

  /** The tenant's version after the batch: read it last in the same batch. */
  versionStatement(): Query {
    return sql`SELECT ${tenants.declarationsVersion} AS version FROM ${tenants} WHERE ${tenants.id} = ${this.tenantId}`;
  }

  private bumpStatements(expected: number): Query[] {
    // Never below the clock (ms), so a tenant deleted and created again never repeats an old version
    // that an isolate elsewhere still has compiled.
    return [
      sql`UPDATE ${tenants} SET declarations_version = max(declarations_version + 1, ${Date.now()})
        WHERE ${tenants.id} = ${this.tenantId} AND ${tenants.declarationsVersion} = ${expected} AND ${tenants.state} = 'active' AND ${tenants.shard} = ${this.exec.shard}`,
      assertChanged(),
    ];
  }
}
