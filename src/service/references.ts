import { invalidValue } from '../scim/errors';
import { referenceUses } from '../scim/resource/references';
import type { Document } from '../scim/resource/input';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import type { Query } from '../store/executor';
import type { ScimContext } from './context';

/**
 * Checks the references a document makes (RFC 7643 §2.3.7): each must name a resource of one of
 * its referenceTypes in the caller's tenant, else 400 invalidValue. Sets each `$ref` to the
 * resource's location (relative; made absolute on output) and returns the statements that check it
 * inside the write's batch (a concurrent delete of the target fails the write too). A reference of
 * one possible type needs no read first: the batch decides, and explainDangling says why it
 * refused. One that may name several types is read, to learn which it names.
 */
export async function resolveReferences(ctx: ScimContext, rt: ResourceTypeInfo, data: Document): Promise<Query[]> {
  const uses = referenceUses(rt, data);
  if (uses.length === 0) return [];
  const single = uses.map((u) => (u.ref.types.length === 1 ? ctx.registry.resourceType(u.ref.types[0]!) : undefined));
  if (single.every((t) => t !== undefined)) {
    const byType = new Map<string, string[]>();
    uses.forEach((use, i) => {
      const target = single[i]!;
      use.element.$ref = `${target.endpoint}/${use.id}`;
      byType.set(target.name, [...(byType.get(target.name) ?? []), use.id]);
    });
    return [...byType].flatMap(([type, ids]) => ctx.references.guardStatements(ids, [type]));
  }
  const types = [...new Set(uses.flatMap((u) => u.ref.types))];
  const found = await ctx.references.existing(uses.map((u) => u.id), types);
  for (const use of uses) {
    const type = found.get(use.id);
    const allowed = use.ref.types.map((t) => t.toLowerCase());
    if (!type || !allowed.includes(type.toLowerCase())) throw missingTarget(use.ref, use.id);
    use.element.$ref = `${ctx.registry.resourceType(type)!.endpoint}/${use.id}`;
  }
  return ctx.references.guardStatements(uses.map((u) => u.id), types);
}

const missingTarget = (ref: { label: string; types: string[] }, id: string) =>
  invalidValue(`Attribute '${ref.label}' refers to ${ref.types.join(' or ')} '${id}', which does not exist.`);

/**
 * For a write whose reference check failed in its batch: the reference that names nothing (read
 * now), or — all there — a target deleted while the write ran.
 */
export async function explainDangling(ctx: ScimContext, rt: ResourceTypeInfo, data: Document): Promise<unknown> {
  const uses = referenceUses(rt, data);
  const found = await ctx.references.existing(uses.map((u) => u.id), [...new Set(uses.flatMap((u) => u.ref.types))]);
  const missing = uses.find((u) => !u.ref.types.some((t) => t.toLowerCase() === found.get(u.id)?.toLowerCase()));
  return missing ? missingTarget(missing.ref, missing.id) : invalidValue('A resource this one refers to was deleted meanwhile.');
}

/** Statements clearing every reference to a resource about to be deleted (docs/decisions.md). */
export function clearReferencesTo(ctx: ScimContext, rt: ResourceTypeInfo, id: string, lastModified: string): Query[] {
  const out: Query[] = [];
  for (const referrer of ctx.registry.resourceTypes) {
    for (const ref of referrer.storage.references) {
      if (ref.types.some((t) => t.toLowerCase() === rt.name.toLowerCase())) out.push(...ctx.references.clearStatements(referrer.name, ref, id, lastModified));
    }
  }
  return out;
}
