import { applyPatch, needsCurrentMembers } from '../scim/patch';
import type { MemberInput } from '../scim/resource/input';
import type { NewMember } from '../store/memberships';
import type { StoredResource } from '../scim/resource/output';
import { namesVersion, type Preconditions } from '../scim/preconditions';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import { assertChanged, type Query } from '../store/executor';
import { rowFor } from '../store/write-row';
import type { ScimContext } from './context';
import { joiningGuards, membersGiven, memberTypesOf, replaceMembership } from './members';
import { memberEvents, updatedEvents } from './events';
import { resolveReferences } from './references';
import { responseRead, updateRow, updateWithRetry, writeResult, type PlannedWrite, type RenderedResource } from './resources';
import type { Selection } from '../scim/projection';

/**
 * PATCH (RFC 7644 §3.5.2): the pure engine computes the new document and a membership delta; all of
 * it is written in one D1 batch, so every operation applies or none does. Membership changes cost
 * O(changed members) rows, never O(group size): the member list is read only when a remove filters
 * members by something other than their id.
 */
export async function patchResource(
  ctx: ScimContext,
  rt: ResourceTypeInfo,
  id: string,
  body: unknown,
  conditions: Preconditions = {},
  /** The response's attributes; undefined when no body is wanted (Bulk, or a 204). */
  selection?: Selection,
): Promise<{ row: StoredResource; result: RenderedResource }> {
  const { row, then: extras } = await updateWithRetry(ctx, rt, id, conditions, async (current, lastModified, cycles): Promise<PlannedWrite | undefined> => {
    let members: MemberInput[] | undefined;
    const isGroup = rt.storage.membership?.role === 'group';
    const types = memberTypesOf(rt);
    if (isGroup && needsCurrentMembers(rt, body)) {
      members = (await ctx.memberships.membersOf([id])).get(id);
    }
    const result = applyPatch(rt, { id, data: current.data, members }, body);
    if (!result.changed) return undefined;

    const delta = result.members;
    let memberChange: Parameters<typeof memberEvents>[3] | undefined;
    const membership: Query[] = [];
    let joining: NewMember[] = [];
    if (delta.replaceAll) {
      joining = membersGiven(id, delta.replaceAll);
      membership.push(...replaceMembership(ctx, rt, id, joining, cycles));
      memberChange = { wanted: joining.map((m) => m.value) };
    } else {
      // Members joining or leaving see their `groups` change (RFC 7643 §4.1.2): the membership
      // statements' triggers move their versions, O(k) (a rename's, every member's: migration 0008).
      if (delta.remove.length > 0) membership.push(...ctx.memberships.deleteStatements(id, delta.remove));
      if (delta.add.length > 0) {
        joining = membersGiven(id, delta.add);
        membership.push(...ctx.memberships.insertStatements(id, rt.name, joining, types), ...joiningGuards(ctx, rt, id, joining, cycles));
      }
      if (membership.length > 0) memberChange = { adding: joining.map((m) => m.value), removing: delta.remove };
    }

    const dataChanged = JSON.stringify(result.data) !== JSON.stringify(current.data) || result.password !== undefined;
    if (!dataChanged && !namesVersion(conditions)) {
      // Membership only: commutes with concurrent member changes, so no compare-and-swap to lose;
      // assertChanged still rolls everything back if the group was deleted meanwhile.
      const events = memberChange ? memberEvents(ctx, rt, current, memberChange, false) : [];
      return {
        statements: [ctx.resources.touchStatement(rt.name, id, lastModified), assertChanged(), ...events, ...membership],
        data: current.data,
        commutative: true,
        joining,
      };
    }
    const guards = await resolveReferences(ctx, rt, result.data);
    const write = await rowFor(rt, id, result.data, lastModified, result.password);
    const updated = updatedEvents(ctx, rt, current, result.data, result.password !== undefined, lastModified);
    const after = { ...current, data: result.data };
    const events = [...updated, ...(memberChange ? memberEvents(ctx, rt, after, memberChange, updated.length > 0) : [])];
    return { statements: [...guards, ...updateRow(ctx, rt, write, current), ...events, ...membership], data: result.data, write, joining };
  }, responseRead(ctx, rt, id, selection));
  return { row, result: writeResult(ctx, rt, row, selection, extras) };
}
