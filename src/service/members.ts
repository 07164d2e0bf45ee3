import { invalidValue } from '../scim/errors';
import type { MemberInput } from '../scim/resource/input';
import type { Member } from '../store/memberships';
import type { ScimContext } from './context';

/**
 * Checks members to be added to `groupId`: each must exist in the caller's tenant (400 invalidValue
 * otherwise), and a nested group must not create a cycle (a group containing itself, at any depth).
 */
export async function resolveMembers(ctx: ScimContext, groupId: string, inputs: MemberInput[]): Promise<Member[]> {
  const unique = new Map<string, MemberInput>();
  for (const m of inputs) unique.set(m.value, m);
  if (unique.size === 0) return [];
  const found = await ctx.memberships.existing([...unique.keys()]);
  const members: Member[] = [];
  for (const input of unique.values()) {
    const hit = found.get(input.value);
    if (!hit) throw invalidValue(`Member '${input.value}' does not exist.`);
    // The member's real type wins over the label sent (RFC 7643 §7 lets a server ignore values
    // outside canonicalValues; test clients send random labels): the id decides what it is.
    members.push({ value: input.value, type: hit.type, display: input.display ?? hit.display ?? undefined });
  }
  const nested = members.filter((m) => m.type === 'Group').map((m) => m.value);
  if (nested.length > 0) {
    if (nested.includes(groupId)) throw invalidValue('A group cannot be a member of itself.');
    const ancestors = new Set((await ctx.memberships.groupsOf([groupId])).map((g) => g.groupId));
    const cyclic = nested.find((id) => ancestors.has(id));
    if (cyclic) throw invalidValue(`Adding group '${cyclic}' as a member would create a cycle.`);
  }
  return members;
}
