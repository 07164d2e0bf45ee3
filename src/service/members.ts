import { invalidValue } from '../scim/errors';
import type { MemberInput } from '../scim/resource/input';
import type { ResourceTypeInfo, SchemaRegistry } from '../scim/schema/registry';
import type { Query } from '../store/executor';
import { isRefusedJoin, type NewMember } from '../store/memberships';
import type { ScimContext } from './context';

// Members joining a group are checked by the database in the write's own batch (they exist in the
// tenant as member types; no cycle forms), so a membership write costs no read of its members.
// Only a refused write reads, to say which member was wrong.

/** The types that can be members of `rt` (its storage declaration); none when it is no group type. */
export function memberTypesOf(rt: ResourceTypeInfo): string[] {
  return rt.storage.membership?.role === 'group' ? rt.storage.membership.memberTypes : [];
}

/** The group types that can list a resource of `rt` as a member. */
export function groupTypesOf(registry: SchemaRegistry, rt: ResourceTypeInfo): string[] {
  return registry.resourceTypes.filter((g) => memberTypesOf(g).includes(rt.name)).map((g) => g.name);
}

/** True when groups of `rt` can hold groups of their own type (nesting, and so cycles). */
const nests = (rt: ResourceTypeInfo) => memberTypesOf(rt).includes(rt.name);

/** The members given, once each (the last spelling of a repeated id wins), never the group itself. */
export function membersGiven(groupId: string, inputs: MemberInput[]): NewMember[] {
  const unique = new Map<string, MemberInput>();
  for (const m of inputs) unique.set(m.value, m);
  if (unique.has(groupId)) throw invalidValue('A group cannot be a member of itself.');
  // The member's real type is decided by its row when it is inserted (RFC 7643 §7 lets a server
  // ignore values outside canonicalValues; test clients send random labels): the id decides.
  return [...unique.values()].map((m) => ({ value: m.value, ...(m.display !== undefined ? { display: m.display } : {}) }));
}

/**
 * How a membership write keeps groups acyclic: `check` normally, decided by the database in the
 * batch; `none` for a group that is nobody's member (a new one); or, for a group found holding a
 * cycle stored before the rule existed (which can still be replaced with its members, as IdPs do),
 * the groups that may not join it: its ancestors that are not already its members, checked here.
 */
export type CycleRule = 'check' | 'none' | { mayNotJoin: Set<string> };

/**
 * The statements that check members joining `groupId` inside the write's batch: each exists in the
 * tenant as a member type (400 invalidValue otherwise, named by explainRefusal), and — when the type
 * nests — the group does not become its own ancestor, decided by the database so that two concurrent
 * nestings (B into A, A into B) cannot both commit (MembershipStore.joiningStatements).
 */
export function joiningGuards(ctx: ScimContext, rt: ResourceTypeInfo, groupId: string, joining: NewMember[], cycles: CycleRule): Query[] {
  if (joining.length === 0) return [];
  if (typeof cycles === 'object') {
    const cyclic = joining.find((m) => cycles.mayNotJoin.has(m.value));
    if (cyclic) throw invalidValue(`Adding group '${cyclic.value}' as a member would create a cycle.`);
  }
  return ctx.memberships.joiningStatements(groupId, joining.map((m) => m.value), nests(rt) && cycles === 'check' ? rt.name : undefined);
}

/** Why joiningGuards refused a write: the 400 to answer, or a stored cycle (retry under `retryWith`). */
export type Refusal = { error: unknown } | { retryWith: CycleRule };

/**
 * For a batch refused by joiningGuards (only then is anything read): the member that does not
 * exist; or a group that already held a cycle before this write (`retryWith` its rule); or the cycle this
 * write would close — said to be a concurrent nesting's doing when the group's version moved since
 * `readVersion`, the version this write was built from.
 */
export async function explainRefusal(ctx: ScimContext, rt: ResourceTypeInfo, groupId: string, members: NewMember[], readVersion: number | undefined, error: unknown): Promise<Refusal> {
  if (!isRefusedJoin(error)) return { error };
  const [found, ancestors, now, current] = await ctx.exec.read(
    ctx.references.existingRead(members.map((m) => m.value), memberTypesOf(rt)),
    ctx.memberships.ancestorsRead(groupId),
    ctx.resources.getRead(rt.name, groupId),
    ctx.memberships.membersOfRead([groupId]),
  );
  const missing = members.find((m) => !found.has(m.value));
  if (missing) return { error: invalidValue(`Member '${missing.value}' does not exist.`) };
  if (ancestors.has(groupId)) {
    const already = new Set((current.get(groupId) ?? []).map((m) => m.value));
    return { retryWith: { mayNotJoin: new Set([...ancestors].filter((id) => !already.has(id))) } };
  }
  if (now && readVersion !== undefined && now.version !== readVersion) {
    return { error: invalidValue('Adding this group as a member would create a cycle (a concurrent change nested it the other way).') };
  }
  const cyclic = members.find((m) => ancestors.has(m.value));
  return { error: invalidValue(`Adding group '${cyclic?.value ?? members[0]?.value}' as a member would create a cycle.`) };
}

/**
 * Replaces a group's whole membership (PUT, or PATCH replace on members) by its difference from
 * the stored one, decided in SQL with nothing read first: only members leaving or joining are
 * written and get a new version (their `groups` changed, moved by the membership triggers); those
 * who stay are left alone. A member added or removed concurrently is kept as that request left it:
 * as if it had run after this one.
 */
export function replaceMembership(ctx: ScimContext, rt: ResourceTypeInfo, groupId: string, members: NewMember[], cycles: CycleRule): Query[] {
  const types = memberTypesOf(rt);
  const wanted = members.map((m) => m.value);
  return [
    ctx.memberships.deleteAllExceptStatement(groupId, wanted),
    ...ctx.memberships.insertStatements(groupId, rt.name, members, types),
    // Every wanted member is checked, staying ones too: O(members), as the replacement itself.
    ...joiningGuards(ctx, rt, groupId, members, cycles),
  ];
}
