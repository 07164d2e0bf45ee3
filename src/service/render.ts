import type { Expression } from '../store/executor';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import { isSelected, project, type Selection } from '../scim/projection';
import { toScim, type StoredResource } from '../scim/resource/output';
import type { Document } from '../scim/resource/input';
import { resourceIdColumn } from '../store/rows';
import type { GroupsJson } from '../store/memberships';
import type { ResourceWithExtra } from '../store/resources';
import type { ScimContext } from './context';

// Rendering: stored rows as SCIM resources (what "render" means throughout). The attributes kept
// outside the document (a group's members, a user's groups) are read as a column of the rows'
// own statement (store/memberships.ts membersJson, groupsJson), so rows and their memberships
// cost one statement and no second round trip.

interface MemberJson {
  value: string;
  type: string;
  display: string | null;
}

/**
 * The SQL column holding the membership attribute of each row read, when the response includes it
 * (never for `excludedAttributes=members`, which then touches no membership row). Which attribute
 * is a membership comes from the type's storage declaration (schema/storage.ts).
 */
export function extraColumn(ctx: ScimContext, rt: ResourceTypeInfo, selection: Selection | undefined): Expression | undefined {
  const membership = rt.storage.membership;
  if (!membership || !selection || !isSelected(rt, selection, membership.attribute)) return undefined;
  if (membership.role === 'group') return ctx.memberships.membersJson(resourceIdColumn);
  const groupTypes = ctx.registry.resourceTypes.filter((g) => g.storage.membership?.role === 'group').map((g) => g.name);
  return ctx.memberships.groupsJson(resourceIdColumn, membership.groupType, groupTypes);
}

/** The membership attribute of a row read with extraColumn, as RFC 7643 §4.1.2 and §4.2 list it. */
function extrasOf(ctx: ScimContext, rt: ResourceTypeInfo, row: ResourceWithExtra): Document {
  const membership = rt.storage.membership;
  if (!membership || row.extra === undefined || row.extra === null) return {};
  const { baseUrl, registry } = ctx;
  const location = (type: string, id: string) => `${baseUrl}${registry.resourceType(type)?.endpoint ?? `/${type}`}/${id}`;
  if (membership.role === 'group') {
    const members = JSON.parse(row.extra) as MemberJson[];
    if (members.length === 0) return {};
    return {
      [membership.attribute]: members.map((m) => ({ value: m.value, $ref: location(m.type, m.value), type: m.type, ...(m.display !== null ? { display: m.display } : {}) })),
    };
  }
  // Groups of `groupType` only (member_of holds every type's), ordered by id as a walk lists them.
  const groups = Object.entries(JSON.parse(row.extra) as GroupsJson)
    .filter(([, g]) => g.type === undefined || g.type === membership.groupType)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (groups.length === 0) return {};
  return {
    // RFC 7643 §4.1.2: "direct" or "indirect" (through nested groups).
    [membership.attribute]: groups.map(([value, g]) => ({
      value,
      $ref: location(membership.groupType, value),
      ...(g.display !== null ? { display: g.display } : {}),
      type: g.direct === 0 ? 'indirect' : 'direct',
    })),
  };
}

/** Stored rows as SCIM resources, projected by `selection`, with the extras they were read with. */
export function renderRows(ctx: ScimContext, rt: ResourceTypeInfo, rows: ResourceWithExtra[], selection: Selection): Document[] {
  return rows.map((row) => project(rt, toScim(rt, row, ctx.baseUrl, extrasOf(ctx, rt, row)), selection));
}

/** One row (read with or without extras) as a SCIM resource. */
export function renderRow(ctx: ScimContext, rt: ResourceTypeInfo, row: StoredResource & { extra?: string | null }, selection: Selection): Document {
  return renderRows(ctx, rt, [row], selection)[0]!;
}
