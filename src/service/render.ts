import type { ResourceTypeInfo } from '../scim/schema/registry';
import { isSelected, project, type Selection } from '../scim/projection';
import { toScim, type StoredResource } from '../scim/resource/output';
import type { Document } from '../scim/resource/input';
import type { MembershipStore } from '../store/memberships';

/**
 * Turns stored rows into SCIM resources, reading membership only when the response includes it
 * (`excludedAttributes=members` never touches the memberships table).
 */
export async function renderResources(
  rt: ResourceTypeInfo,
  rows: StoredResource[],
  selection: Selection,
  baseUrl: string,
  memberships: MembershipStore,
): Promise<Document[]> {
  const ids = rows.map((r) => r.id);
  const extras = new Map<string, Document>(ids.map((id) => [id, {}]));
  if (rt.name === 'Group' && isSelected(rt, selection, 'members') && ids.length > 0) {
    for (const [groupId, members] of await memberships.membersOf(ids)) {
      if (members.length === 0) continue;
      extras.get(groupId)!.members = members.map((m) => ({
        value: m.value,
        $ref: `${baseUrl}/${m.type === 'Group' ? 'Groups' : 'Users'}/${m.value}`,
        type: m.type,
        ...(m.display !== undefined ? { display: m.display } : {}),
      }));
    }
  }
  if (rt.name === 'User' && isSelected(rt, selection, 'groups') && ids.length > 0) {
    for (const g of await memberships.groupsOf(ids)) {
      const extra = extras.get(g.userId)!;
      const list = (extra.groups ??= []) as Document[];
      // RFC 7643 §4.1.2: "direct" or "indirect" (through nested groups).
      list.push({
        value: g.groupId,
        $ref: `${baseUrl}/Groups/${g.groupId}`,
        ...(g.display !== null ? { display: g.display } : {}),
        type: g.direct ? 'direct' : 'indirect',
      });
    }
  }
  return rows.map((row) => project(rt, toScim(rt, row, baseUrl, extras.get(row.id)), selection));
}
