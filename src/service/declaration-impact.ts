import type { SchemaChange } from '../scim/schema/compatibility';
import type { ResourceTypeInfo, SchemaRegistry } from '../scim/schema/registry';
import type { Query } from '../store/executor';
import type { ImpactStore, AttributeLocation, Impact } from '../store/impact';
import { adminConflict, type AdminError } from './admin-error';

// What a change of declarations would do to the resources already stored (service/declarations.ts):
// each breaking change counted on the stored rows (store/impact.ts), refused with a 409 that names
// how many break and the first ids; unique keys that appear are checked for repeats and backfilled.

export interface Broken {
  impact: Impact;
  detail: string;
}

export function conflict(message: string, impact: Impact, changes: string[]): AdminError {
  return adminConflict(message, { resources: { count: impact.count, ids: impact.ids }, changes });
}

export async function refuseBroken(broken: Broken[]): Promise<void> {
  const hit = broken.filter((b) => b.impact.count > 0);
  if (hit.length === 0) return;
  const count = Math.max(...hit.map((b) => b.impact.count));
  const ids = [...new Set(hit.flatMap((b) => b.impact.ids))].slice(0, 5);
  throw conflict(`The change would break ${count} stored resource${count === 1 ? '' : 's'} (first: ${ids.join(', ')}): ${hit.map((b) => b.detail).join(' ')}`, { count, ids }, hit.map((b) => b.detail));
}

/** Where a schema's attribute path sits in each type using the schema. */
function locations(registry: SchemaRegistry, urn: string, path: string[]): (AttributeLocation & { rt: ResourceTypeInfo; extension: boolean })[] {
  const out: (AttributeLocation & { rt: ResourceTypeInfo; extension: boolean })[] = [];
  for (const rt of registry.resourceTypes) {
    const schema = [rt.core, ...rt.extensions].find((s) => s.id === urn);
    if (!schema) continue;
    const extension = schema !== rt.core;
    const parent = schema.attributes.find((a) => a.name === path[0]);
    const segments = extension ? [urn, path[0]!] : [path[0]!];
    out.push({ rt, extension, type: rt.name, segments, sub: path[1], multiValued: parent?.multiValued ?? false });
  }
  return out;
}

export async function schemaConflicts(impact: ImpactStore, registry: SchemaRegistry, urn: string, changes: SchemaChange[]): Promise<Broken[]> {
  const out: Broken[] = [];
  for (const change of changes) {
    if (change.kind === 'madeUnique') continue; // checked on the unique keys themselves (uniqueChanges)
    for (const at of locations(registry, urn, change.path)) {
      if (change.kind === 'madeRequired') {
        if (change.path.length > 1) continue; // RFC 7643 leaves a required sub-attribute's meaning open: it binds new input only
        const required = !at.extension || at.rt.schemaExtensions.some((e) => e.schema === urn && e.required);
        out.push({ impact: await impact.lacking(at, required ? undefined : urn), detail: `${at.type}: ${change.detail}` });
      } else {
        out.push({ impact: await impact.holders(at), detail: `${at.type}: ${change.detail}` });
      }
    }
  }
  return out;
}

export async function typeConflicts(impact: ImpactStore, before: ResourceTypeInfo, after: ResourceTypeInfo): Promise<Broken[]> {
  const out: Broken[] = [];
  if (before.core.id !== after.core.id || before.endpoint !== after.endpoint) {
    out.push({ impact: await impact.all(before.name), detail: `${before.name}: its core schema or endpoint changed, which stored resources and their references depend on.` });
  }
  for (const ext of before.extensions) {
    if (after.extensions.some((e) => e.id === ext.id)) continue;
    out.push({ impact: await impact.holders({ type: before.name, segments: [ext.id], multiValued: false }), detail: `${before.name}: extension ${ext.id} was detached.` });
  }
  for (const ext of after.schemaExtensions) {
    const was = before.schemaExtensions.find((e) => e.schema === ext.schema);
    if (ext.required && !was?.required) {
      out.push({ impact: await impact.lacking({ type: before.name, segments: [ext.schema], multiValued: false }), detail: `${before.name}: extension ${ext.schema} became required.` });
    }
  }
  return out;
}

/**
 * References that appear on attributes stored resources already hold: their ids were never checked
 * and have no value index, so the change is refused while any resource holds the attribute.
 */
export async function newReferences(impact: ImpactStore, before: SchemaRegistry, after: SchemaRegistry): Promise<Broken[]> {
  const out: Broken[] = [];
  for (const rt of after.resourceTypes) {
    const old = before.resourceType(rt.name);
    if (!old) continue;
    for (const ref of rt.storage.references) {
      if (old.storage.references.some((r) => r.key === ref.key)) continue;
      out.push({
        impact: await impact.holders({ type: rt.name, segments: ref.segments, multiValued: ref.multiValued }),
        detail: `${rt.name}: ${ref.label} became a reference to ${ref.types.join(' or ')}, which its stored values were never checked against.`,
      });
    }
  }
  return out;
}

/** Unique keys that appear (checked for repeated values, then backfilled) or disappear between two registries. */
export async function uniqueChanges(impact: ImpactStore, before: SchemaRegistry, after: SchemaRegistry): Promise<Query[]> {
  const keysOf = (r: SchemaRegistry) => r.resourceTypes.flatMap((rt) => rt.storage.uniqueKeys.map((k) => ({ rt, k })));
  const old = keysOf(before);
  const fresh = keysOf(after);
  const statements: Query[] = [];
  const keys = new Set([...old, ...fresh].map((e) => e.k.key));
  for (const key of keys) {
    const was = old.filter((e) => e.k.key === key).map((e) => `${e.rt.name}/${e.k.scope}`).sort().join();
    const now = fresh.filter((e) => e.k.key === key);
    if (was === now.map((e) => `${e.rt.name}/${e.k.scope}`).sort().join()) continue;
    if (now.length === 0) {
      statements.push(impact.dropUniqueStatement(key));
      continue;
    }
    const at = now.map((e) => ({ type: e.rt.name, segments: e.k.segments, multiValued: false }));
    const groups = now[0]!.k.scope === 'global' ? [at] : at.map((a) => [a]);
    for (const group of groups) {
      const hit = await impact.collisions(group);
      if (hit.count > 0) throw conflict(`${hit.count} stored resources share a value of ${now[0]!.k.label}, which would become unique (first: ${hit.ids.join(', ')}).`, hit, []);
    }
    statements.push(...impact.backfillUniqueStatements(at, (type) => (now[0]!.k.scope === 'global' ? '' : type), key));
  }
  return statements;
}

