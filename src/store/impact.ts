import { sql, type SQL } from 'drizzle-orm';
import { resources, resourceUnique } from '../db/schema';
import type { Executor, Query } from './executor';
import { jsonPath } from './filter-sql';

// What stored resources a change of declaration would break (service/declarations.ts), and the
// backfill of unique keys when an attribute becomes unique. Each check is one round trip (a count
// and a sample of ids, batched) over the tenant's resources of the affected type: O(resources),
// run only by an administrator's change, never by a SCIM request.

/** Where an attribute (or a sub-attribute of it) sits in the stored document. */
export interface AttributeLocation {
  type: string;
  /** Keys to the attribute: [name] for a core attribute, [urn, name] for an extension's. */
  segments: string[];
  /** Set for a sub-attribute; `multiValued` tells whether its parent is an array. */
  sub?: string;
  multiValued: boolean;
}

export interface Impact {
  count: number;
  ids: string[];
}

const SAMPLE = 5;

function holding(at: AttributeLocation, column: SQL = sql`data`): SQL {
  const path = jsonPath(at.segments);
  if (at.sub === undefined) return sql`json_type(${column}, ${path}) IS NOT NULL`;
  if (!at.multiValued) return sql`json_type(${column}, ${jsonPath([...at.segments, at.sub])}) IS NOT NULL`;
  return sql`EXISTS (SELECT 1 FROM json_each(${column}, ${path}) AS e WHERE e.type = 'object' AND json_type(e.value, ${jsonPath([at.sub])}) IS NOT NULL)`;
}

export class ImpactStore {
  constructor(
    private readonly exec: Executor,
    private readonly tenantId: string,
  ) {}

  private async measure(type: string, where: SQL): Promise<Impact> {
    const scope = sql`${resources.tenantId} = ${this.tenantId} AND ${resources.resourceType} = ${type}`;
    const [count, sample] = await this.exec.batch([
      sql`SELECT count(*) AS n FROM ${resources} WHERE ${scope} AND ${where}`,
      sql`SELECT ${resources.id} AS id FROM ${resources} WHERE ${scope} AND ${where} ORDER BY ${resources.id} LIMIT ${SAMPLE}`,
    ]);
    return { count: (count!.results[0] as { n: number }).n, ids: (sample!.results as { id: string }[]).map((r) => r.id) };
  }

  /** Resources that hold a value of the attribute (for a removal or a change of its type). */
  holders(at: AttributeLocation): Promise<Impact> {
    return this.measure(at.type, holding(at));
  }

  /** Resources of a type at all (a type deleted, its core schema or endpoint changed). */
  all(type: string): Promise<Impact> {
    return this.measure(type, sql`1`);
  }

  /** Resources that lack the attribute (made required); `within` limits them to those holding an extension. */
  lacking(at: AttributeLocation, within?: string): Promise<Impact> {
    const inside = within === undefined ? sql`1` : sql`json_type(data, ${jsonPath([within])}) IS NOT NULL`;
    return this.measure(at.type, sql`${inside} AND NOT (${holding(at)})`);
  }

  /** Values held by more than one resource across `at` (made unique), as the folded copies compare. */
  async collisions(at: AttributeLocation[]): Promise<Impact> {
    const parts = at.map((a) => sql`SELECT id, json_extract(folded, ${jsonPath(a.sub ? [...a.segments, a.sub] : a.segments)}) AS v
      FROM ${resources} WHERE ${resources.tenantId} = ${this.tenantId} AND ${resources.resourceType} = ${a.type}`);
    const all = sql.join(parts, sql` UNION ALL `);
    const rows = await this.exec.all<{ n: number; ids: string }>(sql`SELECT count(*) AS n, group_concat(id) AS ids FROM (${all})
      WHERE v IS NOT NULL GROUP BY v HAVING count(*) > 1 ORDER BY min(id) LIMIT 50`);
    return { count: rows.reduce((sum, r) => sum + r.n, 0), ids: rows.flatMap((r) => r.ids.split(',')).slice(0, SAMPLE) };
  }

  /** The unique keys of the stored values of a newly unique attribute (store/unique.ts rows). */
  backfillUniqueStatements(at: AttributeLocation[], scope: (type: string) => string, key: string): Query[] {
    return [
      sql`DELETE FROM ${resourceUnique} WHERE tenant_id = ${this.tenantId} AND attribute = ${key}`,
      ...at.map(
        (a) => sql`INSERT INTO ${resourceUnique} (tenant_id, scope, attribute, value, resource_type, resource_id)
          SELECT tenant_id, ${scope(a.type)}, ${key}, CAST(json_extract(folded, ${jsonPath(a.segments)}) AS TEXT), resource_type, id
          FROM ${resources} WHERE ${resources.tenantId} = ${this.tenantId} AND ${resources.resourceType} = ${a.type}
            AND json_type(folded, ${jsonPath(a.segments)}) NOT IN ('null', 'object', 'array')`,
      ),
    ];
  }

  /** Forgets the unique keys of an attribute that is unique no more. */
  dropUniqueStatement(key: string): Query {
    return sql`DELETE FROM ${resourceUnique} WHERE tenant_id = ${this.tenantId} AND attribute = ${key}`;
  }
}
