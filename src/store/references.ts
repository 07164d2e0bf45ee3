import { inArray, sql, type SQL } from 'drizzle-orm';
import { resources, resourceValues } from '../db/schema';
import { foldCase } from '../scim/fold';
import type { ReferenceDef } from '../scim/schema/storage';
import { guard, rowsRead, type Executor, type Query, type Read } from './executor';
import { jsonPath } from './filter-sql';
import { chunks, literal } from './rows';

// References between resources (schema/storage.ts ReferenceDef): checked before a write, guarded
// inside its batch (a referenced resource deleted meanwhile fails the batch), and cleared from the
// referrers when the referenced resource is deleted (docs/decisions.md), so none ever dangles.

const DANGLING_MARKER = 'scim-dangling-reference';

export function isDanglingReference(error: unknown): boolean {
  return error instanceof Error && error.message.includes(DANGLING_MARKER);
}

export class ReferenceStore {
  constructor(
    private readonly exec: Executor,
    private readonly tenantId: string,
  ) {}

  /**
   * The resource type of each of `ids` that exists in this tenant as one of `types` (references to
   * check, members to explain): one primary-key search per id and type, driven by the ids, which one
   * JSON parameter holds.
   */
  existingRead(ids: string[], types: string[]): Read<Map<string, string>> {
    return rowsRead(
      (rows: { id: string; type: string }[]) => new Map(rows.map((r) => [r.id, r.type])),
      sql`SELECT r.id AS id, r.resource_type AS type FROM json_each(${JSON.stringify([...new Set(ids)])}) AS w
        CROSS JOIN ${resources} AS r ON r.tenant_id = ${this.tenantId} AND ${inArray(sql`r.resource_type`, types)} AND r.id = w.value`,
    );
  }

  async existing(ids: string[], types: string[]): Promise<Map<string, string>> {
    return (await this.exec.read(this.existingRead(ids, types)))[0];
  }

  /** Fails the batch if any of `ids` no longer exists as one of `types` (a concurrent delete). */
  guardStatements(ids: string[], types: string[]): Query[] {
    return chunks([...new Set(ids)], 90 - types.length).map((part) =>
      guard(
        sql`(SELECT count(*) FROM ${resources} WHERE ${resources.tenantId} = ${this.tenantId}
          AND ${inArray(resources.resourceType, types)} AND ${inArray(resources.id, part)}) = ${part.length}`,
        DANGLING_MARKER,
      ),
    );
  }

  /**
   * Clears every reference to `id` held by `type`'s attribute `ref`: the attribute (singular) or the
   * element (multi-valued) is removed, in `data` and `folded`, and the referrer's version moves. Found
   * through the value index, O(referrers). Then the index rows go.
   */
  clearStatements(type: string, ref: ReferenceDef, id: string, lastModified: string): Query[] {
    const path = jsonPath(ref.segments);
    const key = literal(ref.key);
    const folded = foldCase(id);
    const referrers = sql`SELECT v.resource_id FROM ${resourceValues} AS v WHERE v.tenant_id = ${this.tenantId}
      AND v.resource_type = ${type} AND v.attribute = ${key} AND v.value = ${folded}`;
    const valuePath = jsonPath([ref.value]);
    const without = (column: SQL, value: string) =>
      ref.multiValued
        ? sql`CASE WHEN (SELECT count(*) FROM json_each(${column}, ${path}) AS e WHERE json_extract(e.value, ${valuePath}) IS NOT ${value}) = 0
            THEN json_remove(${column}, ${path})
            ELSE json_set(${column}, ${path}, (SELECT json_group_array(json(e.value)) FROM json_each(${column}, ${path}) AS e
              WHERE json_extract(e.value, ${valuePath}) IS NOT ${value})) END`
        : sql`json_remove(${column}, ${path})`;
    return [
      sql`UPDATE ${resources} SET data = ${without(sql`data`, id)}, folded = ${without(sql`folded`, folded)},
          version = version + 1, last_modified = max(strftime('%Y-%m-%dT%H:%M:%fZ', last_modified, '+0.001 seconds'), ${lastModified})
        WHERE tenant_id = ${this.tenantId} AND resource_type = ${type} AND id IN (${referrers})`,
      sql`DELETE FROM ${resourceValues} WHERE tenant_id = ${this.tenantId} AND resource_type = ${type} AND attribute = ${key} AND value = ${folded}`,
    ];
  }
}
