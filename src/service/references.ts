import { invalidValue } from '../scim/errors';
import { referenceUses } from '../scim/resource/references';
import type { Document } from '../scim/resource/input';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import type { Query } from '../store/executor';
import type { ScimContext } from './context';

/**
 * Checks the references a document makes (RFC 7643 §2.3.7): each must name a resource of one of
 * its referenceTypes in the caller's tenant, else 400 invalidValue. Sets each `$ref` to the
 * resource's location (relative; made absolute on output) and returns the statements that keep
 * the check true inside the write's batch (a concurrent delete of the target fails the write).
 */
export async function resolveReferences(ctx: ScimContext, rt: ResourceTypeInfo, data: Document): Promise<Query[]> {
  const uses = referenceUses(rt, data);
  if (uses.length === 0) return [];
  const types = [...new Set(uses.flatMap((u) => u.ref.types))];
  const found = await ctx.references.existing(uses.map((u) => u.id), types);
  for (const use of uses) {
    const type = found.get(use.id);
    const allowed = use.ref.types.map((t) => t.toLowerCase());
    if (!type || !allowed.includes(type.toLowerCase())) {
      throw invalidValue(`Attribute '${use.ref.label}' refers to ${use.ref.types.join(' or ')} '${use.id}', which does not exist.`);
    }
    use.element.$ref = `${ctx.registry.resourceType(type)!.endpoint}/${use.id}`;
  }
  return ctx.references.guardStatements(uses.map((u) => u.id), types);
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
