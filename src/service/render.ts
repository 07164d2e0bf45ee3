import type { ResourceTypeInfo } from '../scim/schema/registry';
import { isSelected, project, type Selection } from '../scim/projection';
import { toScim, type StoredResource } from '../scim/resource/output';
import type { Document } from '../scim/resource/input';
import type { ScimContext } from './context';

/**
 * Renders stored rows as SCIM resources (what "render" means throughout): reading membership only when the response includes it
 * (`excludedAttributes=members` never touches the memberships table). Which attribute is a
 * membership comes from the type's storage declaration (schema/storage.ts).
 */
export async function renderResources(ctx: ScimContext, rt: ResourceTypeInfo, rows: StoredResource[], selection: Selection): Promise<Document[]> {
  const { baseUrl, registry } = ctx;
  const ids = rows.map((r) => r.id);
  const extras = new Map<string, Document>(ids.map((id) => [id, {}]));
  const membership = rt.storage.membership;
  const location = (type: string, id: string) => `${baseUrl}${registry.resourceType(type)?.endpoint ?? `/${type}`}/${id}`;
  if (membership?.role === 'group' && ids.length > 0 && isSelected(rt, selection, membership.attribute)) {
    for (const [groupId, members] of await ctx.memberships.membersOf(ids)) {
      if (members.length === 0) continue;
      extras.get(groupId)![membership.attribute] = members.map((m) => ({
        value: m.value,
        $ref: location(m.type, m.value),
        type: m.type,
        ...(m.display !== undefined ? { display: m.display } : {}),
      }));
    }
  }
  if (membership?.role === 'member' && ids.length > 0 && isSelected(rt, selection, membership.attribute)) {
    for (const g of await ctx.memberships.groupsOf(ids, membership.groupType)) {
      const extra = extras.get(g.userId)!;
      const list = (extra[membership.attribute] ??= []) as Document[];
      // RFC 7643 §4.1.2: "direct" or "indirect" (through nested groups).
      list.push({
        value: g.groupId,
        $ref: location(membership.groupType, g.groupId),
        ...(g.display !== null ? { display: g.display } : {}),
        type: g.direct ? 'direct' : 'indirect',
      });
    }
  }
  return rows.map((row) => project(rt, toScim(rt, row, baseUrl, extras.get(row.id)), selection));
}
