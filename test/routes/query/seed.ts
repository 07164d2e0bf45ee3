import { env } from 'cloudflare:workers';
import { readResourceInput, type Document } from '../../../src/scim/resource/input';
import { defaultRegistry } from '../../../src/scim/schema/builtins';
import type { ResourceTypeInfo } from '../../../src/scim/schema/registry';
import { rowFor } from '../../../src/store/write-row';

// Seeds resources straight into D1 (thousands of POSTs would take minutes), with every column
// computed by the server's own `rowFor`, so the rows are exactly what the API would have stored.

export const UserType = defaultRegistry.resourceType('User')!;
export const GroupType = defaultRegistry.resourceType('Group')!;

export interface Seed {
  id: string;
  data: Document;
  /** ISO-8601; also lastModified. */
  created: string;
}

// 11 bound parameters per resource row: 9 rows per INSERT stays under D1's 100-parameter cap.
const RESOURCE_COLUMNS = 11;
const RESOURCES_PER_INSERT = 9;
// 5 per membership row: 19 rows per INSERT.
const MEMBERSHIPS_PER_INSERT = 19;
const STATEMENTS_PER_BATCH = 500;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function runBatches(statements: D1PreparedStatement[]): Promise<void> {
  for (const part of chunks(statements, STATEMENTS_PER_BATCH)) await env.DB.batch(part);
}

/** A seed from a POST body, read as the API reads it (src/scim/resource/input.ts), created at `created`. */
export function seedOf(rt: ResourceTypeInfo, body: Record<string, unknown>, created: string): Seed {
  return { id: crypto.randomUUID(), created, data: readResourceInput(rt, body).data };
}

export async function seedResources(tenant: string, rt: ResourceTypeInfo, seeds: Seed[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (const part of chunks(seeds, RESOURCES_PER_INSERT)) {
    const params: unknown[] = [];
    for (const s of part) {
      const w = await rowFor(rt, s.id, s.data, s.created);
      // The value index rows the store writes beside each resource (src/store/values.ts).
      for (const v of w.values) {
        statements.push(
          env.DB.prepare('INSERT INTO resource_values (tenant_id, resource_type, attribute, value, resource_id) VALUES (?, ?, ?, ?, ?)').bind(tenant, rt.name, v.attribute, v.value, w.id),
        );
      }
      // And its unique keys (src/store/unique.ts).
      for (const u of w.unique) {
        statements.push(
          env.DB.prepare('INSERT INTO resource_unique (tenant_id, scope, attribute, value, resource_type, resource_id) VALUES (?, ?, ?, ?, ?, ?)').bind(tenant, u.scope, u.attribute, u.value, rt.name, w.id),
        );
      }
      params.push(tenant, rt.name, w.id, w.userNameKey, w.displayNameKey, w.externalId, s.created, w.lastModified, 1, w.data, w.folded);
    }
    const row = `(${Array(RESOURCE_COLUMNS).fill('?').join(', ')})`;
    statements.push(
      env.DB.prepare(
        `INSERT INTO resources (tenant_id, resource_type, id, user_name_key, display_name_key, external_id,
           created, last_modified, version, data, folded) VALUES ${part.map(() => row).join(', ')}`,
      ).bind(...params),
    );
  }
  await runBatches(statements);
}

export async function seedMemberships(tenant: string, groupId: string, members: { id: string; display?: string }[]): Promise<void> {
  const statements = chunks(members, MEMBERSHIPS_PER_INSERT).map((part) =>
    env.DB.prepare(
      `INSERT INTO memberships (tenant_id, group_id, member_id, member_type, group_type, display) VALUES ${part.map(() => "(?, ?, ?, ?, 'Group', ?)").join(', ')}`,
    ).bind(...part.flatMap((m) => [tenant, groupId, m.id, 'User', m.display ?? null])),
  );
  await runBatches(statements);
}

/** `user00000` … : fixed-width numbers, so userName order is numeric order. */
export const userNameOf = (i: number) => `user${String(i).padStart(5, '0')}`;

/** n Users numbered from 0, one second apart from `base`, with externalId and employeeNumber. */
export function userSeeds(n: number, base = Date.parse('2024-01-01T00:00:00Z')): Seed[] {
  return Array.from({ length: n }, (_, i) => ({
    id: crypto.randomUUID(),
    created: new Date(base + i * 1000).toISOString(),
    data: {
      userName: userNameOf(i),
      externalId: `ext-${i}`,
      displayName: `User ${i}`,
      name: { givenName: `Given${i}`, familyName: `Family${i}` },
      active: i % 2 === 0,
      emails: [{ value: `${userNameOf(i)}@example.com`, type: 'work', primary: true }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: String(100000 + i) },
    },
  }));
}
