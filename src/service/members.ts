import { invalidValue } from '../scim/errors';
import type { MemberInput } from '../scim/resource/input';
import type { ResourceTypeInfo, SchemaRegistry } from '../scim/schema/registry';
import type { Query } from '../store/executor';
import type { Member } from '../store/memberships';
import type { ScimContext } from './context';

/** The types that can be members of `rt` (its storage declaration); none when it is no group type. */
export function memberTypesOf(rt: ResourceTypeInfo): string[] {
  return rt.storage.membership?.role === 'group' ? rt.storage.membership.memberTypes : [];
}

/** The group types that can list a resource of `rt` as a member. */
export function groupTypesOf(registry: SchemaRegistry, rt: ResourceTypeInfo): string[] {
  return registry.resourceTypes.filter((g) => memberTypesOf(g).includes(rt.name)).map((g) => g.name);
}

/**
 * Checks members to be added to `groupId` (of type `rt`): each must exist in the caller's tenant as
 * one of the member types (400 invalidValue otherwise), and a nested group must not create a cycle
 * (a group containing itself, at any depth).
 */
export async function resolveMembers(ctx: ScimContext, rt: ResourceTypeInfo, groupId: string, inputs: MemberInput[]): Promise<Member[]> {
  const unique = new Map<string, MemberInput>();
  for (const m of inputs) unique.set(m.value, m);
  if (unique.size === 0) return [];
  const found = await ctx.memberships.existing([...unique.keys()], memberTypesOf(rt));
  const members: Member[] = [];
  for (const input of unique.values()) {
    const hit = found.get(input.value);
    if (!hit) throw invalidValue(`Member '${input.value}' does not exist.`);
    // The member's real type wins over the label sent (RFC 7643 §7 lets a server ignore values
    // outside canonicalValues; test clients send random labels): the id decides what it is.
    members.push({ value: input.value, type: hit.type, display: input.display ?? hit.display ?? undefined });
  }
  if (members.some((m) => m.value === groupId)) throw invalidValue('A group cannot be a member of itself.');
  return members;
}

/**
 * The no-cycle rule for nested groups about to join `groupId`: those among its ancestors are
 * refused now, with a clear message; the statement returned goes into the write's batch, where the
 * database decides under concurrency (MembershipStore.acyclicStatement). Only joining members are
 * checked, so a group already holding a cycle (made before the rule) can be replaced with its members.
 */
export async function nestingGuard(ctx: ScimContext, rt: ResourceTypeInfo, groupId: string, joining: Member[]): Promise<Query[]> {
  // A member of the group's own type is a nested group.
  const nested = joining.filter((m) => m.type === rt.name).map((m) => m.value);
  if (nested.length === 0) return [];
  const ancestors = new Set((await ctx.memberships.groupsOf([groupId], rt.name)).map((g) => g.groupId));
  const cyclic = nested.find((id) => ancestors.has(id));
  if (cyclic) throw invalidValue(`Adding group '${cyclic}' as a member would create a cycle.`);
  return [ctx.memberships.acyclicStatement(groupId)];
}
