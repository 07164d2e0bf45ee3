import { changedPaths, eventType } from '../scim/events';
import type { Document } from '../scim/resource/input';
import type { StoredResource } from '../scim/resource/output';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import type { Query } from '../store/executor';
import type { ScimContext } from './context';
import { renderRow } from './render';

// What each write appends to the change feed (store/events.ts), as statements of its own batch.
// With EVENTS_ENABLED=false there are none. Event data is the resource as a GET returns it by
// default (returned "never" attributes such as password left out, RFC 7643 §2.4), without its
// members or groups: membership changes are events of their own, one per member.

/** The resource as the event carries it; meta.version and meta.lastModified are set from the row in SQL. */
function eventData(ctx: ScimContext, rt: ResourceTypeInfo, row: StoredResource): string {
  const doc = renderRow(ctx, rt, row, {});
  const membership = rt.storage.membership?.attribute;
  if (membership) delete doc[membership];
  return JSON.stringify(doc);
}

/** `<type>.created`, after the insert. */
export function createdEvents(ctx: ScimContext, rt: ResourceTypeInfo, row: StoredResource): Query[] {
  if (!ctx.events) return [];
  const changed = changedPaths(rt, {}, row.data);
  return [ctx.events.appendStatement(rt.name, row.id, { type: eventType(rt.name, 'created'), changed, data: eventData(ctx, rt, row) }, row.version)];
}

/**
 * `<type>.updated` for a data change, written by compare-and-swap at `lastModified` (so its next
 * version is known): after the update; nothing when no attribute changed.
 */
export function updatedEvents(ctx: ScimContext, rt: ResourceTypeInfo, before: StoredResource, after: Document, passwordSet: boolean, lastModified: string): Query[] {
  if (!ctx.events) return [];
  const changed = changedPaths(rt, before.data, after, passwordSet);
  if (changed.length === 0) return [];
  const row = { ...before, data: after, version: before.version + 1, lastModified };
  return [ctx.events.appendStatement(rt.name, before.id, { type: eventType(rt.name, 'updated'), changed, data: eventData(ctx, rt, row) }, row.version)];
}

/** `<type>.deleted`, before the delete: its data is the id, externalId and identifying attribute. */
export function deletedEvents(ctx: ScimContext, rt: ResourceTypeInfo, id: string): Query[] {
  if (!ctx.events) return [];
  const identifying = rt.storage.columns.userName ?? rt.storage.columns.displayName;
  return [ctx.events.appendDeletedStatement(rt.name, id, eventType(rt.name, 'deleted'), identifying)];
}

/**
 * One member event per member joining or leaving the group, then `<group>.updated` (changed
 * `members`) when any did and the group's data did not change too (`dataChanged`: its own update
 * event says so). After the group's version moved, before the membership statements.
 */
export function memberEvents(
  ctx: ScimContext,
  rt: ResourceTypeInfo,
  group: StoredResource,
  change: { adding: string[]; removing: string[] } | { wanted: string[] },
  dataChanged: boolean,
): Query[] {
  if (!ctx.events || rt.storage.membership?.role !== 'group') return [];
  const data = eventData(ctx, rt, group);
  const each = { added: eventType(rt.name, 'member_added'), removed: eventType(rt.name, 'member_removed'), data };
  const updated = dataChanged ? undefined : { type: eventType(rt.name, 'updated'), changed: [rt.storage.membership.attribute], data };
  return ctx.events.appendMemberStatements(rt.name, group.id, change, each, updated);
}
