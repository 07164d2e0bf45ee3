import { conflict, invalidValue, notFound, ScimError, serviceUnavailable, uniqueness } from '../scim/errors';
import { etagOf, evaluate, namesVersion, type Preconditions } from '../scim/preconditions';
import { checkImmutable, readResourceInput } from '../scim/resource/input';
import type { Document } from '../scim/resource/input';
import type { StoredResource } from '../scim/resource/output';
import type { Selection } from '../scim/projection';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import { assertChanged, isConflict, type Query } from '../store/executor';
import { isMembershipCycle, type Member } from '../store/memberships';
import { isStaleDeclarations } from '../store/declarations';
import { isDanglingReference } from '../store/references';
import { markStale } from './registry';
import { isUniqueViolation, violatedColumn, type ResourceWrite } from '../store/resources';
import { rowFor } from '../store/write-row';
import type { ScimContext } from './context';
import { groupTypesOf, memberTypesOf, nestingGuard, resolveMembers } from './members';
import { clearReferencesTo, resolveReferences } from './references';
import { renderResources } from './render';
import { nextTimestamp } from './write';

/** A resource as a response carries it: its SCIM representation, ETag and Location. */
export interface RenderedResource {
  resource: Document;
  etag: string;
  location: string;
}

/** How many times a write re-reads and retries after losing a compare-and-swap to a concurrent writer. */
const MAX_RETRIES = 25;

export interface PlannedWrite {
  statements: Query[];
  data: Document;
  /** The row written, when the document changed: names the attribute of a uniqueness 409. */
  write?: ResourceWrite;
  /** True when the statements do not compare versions (membership-only changes commute). */
  commutative?: boolean;
}

async function getResource(ctx: ScimContext, rt: ResourceTypeInfo, id: string): Promise<StoredResource> {
  const row = await ctx.resources.get(rt.name, id);
  if (!row) throw notFound(`${rt.name} '${id}' not found.`);
  return row;
}

/**
 * GET of one resource (RFC 7644 §3.4.1) under its conditions: `notModified` carries the ETag of a
 * 304 (RFC 9110 §13.1.2); a failed If-Match throws 412.
 */
export async function readResource(
  ctx: ScimContext,
  rt: ResourceTypeInfo,
  id: string,
  conditions: Preconditions,
  selection: Selection,
): Promise<RenderedResource | { notModified: string }> {
  const row = await getResource(ctx, rt, id);
  if (evaluate(conditions, row.version, 'read') === 'notModified') return { notModified: etagOf(row.version) };
  return render(ctx, rt, row, selection);
}

/** Location and version of a written resource, without its body. */
function unrendered(ctx: ScimContext, rt: ResourceTypeInfo, row: StoredResource): RenderedResource {
  return { resource: {}, etag: etagOf(row.version), location: `${ctx.baseUrl}${rt.endpoint}/${row.id}` };
}

export async function render(ctx: ScimContext, rt: ResourceTypeInfo, row: StoredResource, selection: Selection): Promise<RenderedResource> {
  const [resource] = await renderResources(ctx, rt, [row], selection);
  return { resource: resource!, etag: etagOf(row.version), location: `${ctx.baseUrl}${rt.endpoint}/${row.id}` };
}

/**
 * The error a failed write batch stands for: a unique key taken is 409 uniqueness naming the
 * attribute (RFC 7644 §3.3; the database decided, so concurrent creates cannot both win); a
 * reference whose target was deleted meanwhile is 400 invalidValue.
 */
export async function writeError(ctx: ScimContext, rt: ResourceTypeInfo, write: ResourceWrite | undefined, error: unknown): Promise<unknown> {
  if (isStaleDeclarations(error)) return staleRegistry(ctx);
  if (isMembershipCycle(error)) return invalidValue('Adding this group as a member would create a cycle (a concurrent change nested it the other way).');
  if (isDanglingReference(error)) return invalidValue('A resource this one refers to was deleted meanwhile.');
  if (!write) return error;
  if (!isUniqueViolation(error)) return error;
  const column = violatedColumn(error);
  const attribute = column && rt.storage.columns[column];
  if (attribute) return uniqueness(`A ${rt.name} with this ${attribute} already exists.`);
  const taken = await ctx.unique.taken(write.id, write.unique);
  const names = taken.map((t) => t.label).join(', ') || 'a unique attribute';
  return uniqueness(`Another resource already has this value of ${names} (uniqueness ${taken[0]?.scope === '' ? 'global' : 'server'}).`);
}

/**
 * The tenant's declarations changed in another location after this request compiled its registry:
 * nothing was written. 503 with Retry-After, which IdPs retry; the next request here reads them anew.
 */
function staleRegistry(ctx: ScimContext): ScimError {
  markStale(ctx.tenantId);
  return serviceUnavailable("The tenant's schemas changed while this request ran; nothing was written. Retry.", 1);
}

/** The statements that store a new resource row with its indexes. */
function insertRow(ctx: ScimContext, rt: ResourceTypeInfo, write: ResourceWrite, now: string): Query[] {
  return [
    ctx.resources.insertStatement(rt.name, write, now),
    ...ctx.values.insertStatements(rt.name, write.id, write.values),
    ...ctx.unique.insertStatements(rt.name, write.id, write.unique),
  ];
}

/** The statements that replace a row (compare-and-swap on its version) and its indexes. */
export function updateRow(ctx: ScimContext, rt: ResourceTypeInfo, write: ResourceWrite, version: number): Query[] {
  return [
    ctx.resources.updateStatement(rt.name, write, version),
    assertChanged(),
    ...ctx.values.replaceStatements(rt.name, write.id, write.values),
    ...(rt.storage.uniqueKeys.length > 0 ? ctx.unique.replaceStatements(rt.name, write.id, write.unique) : []),
  ];
}

/** `selection` undefined: no body wanted (Bulk), so no membership reads for rendering. */
export async function createResource(ctx: ScimContext, rt: ResourceTypeInfo, body: unknown, selection: Selection | undefined): Promise<RenderedResource> {
  const input = readResourceInput(rt, body);
  const id = crypto.randomUUID();
  const now = nextTimestamp();
  const members = input.members ? await resolveMembers(ctx, rt, id, input.members) : [];
  const guards = await resolveReferences(ctx, rt, input.data);
  const write = await rowFor(rt, id, input.data, now, input.password);
  try {
    await ctx.exec.batch([
      ctx.registryGuard(),
      ...guards,
      ...insertRow(ctx, rt, write, now),
      ...ctx.memberships.insertStatements(id, members, memberTypesOf(rt)),
      // The members' `groups` now list this group (RFC 7643 §4.1.2): their versions move too.
      ...ctx.resources.bumpStatements(memberTypesOf(rt), members.map((m) => m.value), now),
    ]);
  } catch (error) {
    throw await writeError(ctx, rt, write, error);
  }
  const row: StoredResource = { id, created: now, lastModified: now, version: 1, data: input.data };
  return selection ? render(ctx, rt, row, selection) : unrendered(ctx, rt, row);
}

/**
 * Runs a read-modify-write with optimistic concurrency: `change` builds the statements from the
 * current row; they commit only if the row's version is unchanged, else the whole step is retried
 * on fresh state, its conditions evaluated again: a version named by If-Match that is no longer
 * current then fails with 412 (RFC 7644 §3.14).
 */
export async function updateWithRetry(
  ctx: ScimContext,
  rt: ResourceTypeInfo,
  id: string,
  conditions: Preconditions,
  change: (current: StoredResource, lastModified: string) => Promise<PlannedWrite | undefined>,
): Promise<StoredResource> {
  for (let attempt = 0; ; attempt++) {
    const current = await getResource(ctx, rt, id);
    evaluate(conditions, current.version, 'write', attempt > 0);
    const lastModified = nextTimestamp(current.lastModified);
    const planned = await change(current, lastModified);
    if (!planned) return current; // nothing to change
    try {
      await ctx.exec.batch([ctx.registryGuard(), ...planned.statements]);
      // A commutative write did not compare versions: read back what concurrent writers made of it.
      if (planned.commutative) return getResource(ctx, rt, id);
      return { ...current, data: planned.data, lastModified, version: current.version + 1 };
    } catch (error) {
      if (!isConflict(error)) throw await writeError(ctx, rt, planned.write, error);
      // Retried on fresh state, where the conditions are evaluated again (a stale If-Match is 412 then).
      if (attempt >= MAX_RETRIES) throw conflict('The resource is being changed concurrently; retry the request.');
    }
  }
}

export async function replaceResource(
  ctx: ScimContext,
  rt: ResourceTypeInfo,
  id: string,
  body: unknown,
  selection: Selection | undefined,
  conditions: Preconditions = {},
): Promise<RenderedResource> {
  const input = readResourceInput(rt, body);
  const row = await updateWithRetry(ctx, rt, id, conditions, async (current, lastModified) => {
    const data = structuredClone(input.data);
    checkImmutable(rt, current.data, data);
    const guards = await resolveReferences(ctx, rt, data);
    const write = await rowFor(rt, id, data, lastModified, input.password);
    const statements: Query[] = [...guards, ...updateRow(ctx, rt, write, current.version)];
    if (rt.storage.membership?.role === 'group') {
      // RFC 7644 §3.5.1: PUT replaces the whole resource, members included (absent means none).
      const members = await resolveMembers(ctx, rt, id, input.members ?? []);
      statements.push(...(await replaceMembership(ctx, rt, id, members, lastModified)));
    }
    return { statements, data, write };
  });
  return selection ? render(ctx, rt, row, selection) : unrendered(ctx, rt, row);
}

export async function deleteResource(ctx: ScimContext, rt: ResourceTypeInfo, id: string, conditions: Preconditions = {}): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    let expected: number | undefined;
    // Only a conditional delete reads first; the delete then compares that version (RFC 7644 §3.14).
    if (namesVersion(conditions)) {
      const current = await getResource(ctx, rt, id);
      evaluate(conditions, current.version, 'write', attempt > 0);
      expected = current.version;
    }
    try {
      // The resource, every membership naming it as group or member, and every reference to it go in one batch.
      const now = nextTimestamp();
      const groupTypes = groupTypesOf(ctx.registry, rt);
      const memberTypes = memberTypesOf(rt);
      await ctx.exec.batch([
        ctx.registryGuard(),
        ctx.resources.deleteStatement(rt.name, id, expected),
        assertChanged(),
        // Groups that listed it, and members that listed it in `groups`, change with it.
        ...(groupTypes.length > 0 ? [ctx.resources.bumpGroupsOfStatement(groupTypes, id, now)] : []),
        ...(memberTypes.length > 0 ? [ctx.resources.bumpMembersOfStatement(memberTypes, id, now)] : []),
        ...(groupTypes.length > 0 || memberTypes.length > 0 ? [ctx.memberships.forgetStatement(id)] : []),
        ...clearReferencesTo(ctx, rt, id, now),
        ctx.values.forgetStatement(id),
        ...(rt.storage.uniqueKeys.length > 0 ? [ctx.unique.forgetStatement(id)] : []),
      ]);
      return;
    } catch (error) {
      if (isStaleDeclarations(error)) throw staleRegistry(ctx);
      if (!isConflict(error)) throw error;
      // Unconditional: nothing was there to delete. Conditional: the version moved meanwhile, so
      // the conditions are evaluated again on the fresh row (gone: 404; If-Match stale: 412).
      if (expected === undefined) throw notFound(`${rt.name} '${id}' not found.`);
      if (attempt >= MAX_RETRIES) throw conflict('The resource is being changed concurrently; retry the request.');
    }
  }
}

/**
 * RFC 9110 §13.2.1: If-None-Match is evaluated before the request's content is looked at, so a
 * write that names the current version (or `*`) is 412 whatever its body (404 if there is none).
 * One read, for requests that carry the header; If-Match is evaluated on the write's own read.
 */
export async function checkBeforeContent(ctx: ScimContext, rt: ResourceTypeInfo, id: string, conditions: Preconditions): Promise<void> {
  if (conditions.ifNoneMatch === undefined) return;
  evaluate(conditions, (await getResource(ctx, rt, id)).version, 'write');
}

/**
 * Replaces a group's whole membership (PUT, or PATCH replace on members) by its difference from
 * the current one: only members leaving or joining are written and get a new version (their
 * `groups` changed); those who stay are left alone. A member added or removed concurrently, after
 * the read, is kept as that request left it: the same as if it had run after this one.
 */
export async function replaceMembership(ctx: ScimContext, rt: ResourceTypeInfo, groupId: string, members: Member[], lastModified: string): Promise<Query[]> {
  const current = new Set(((await ctx.memberships.membersOf([groupId])).get(groupId) ?? []).map((m) => m.value));
  const wanted = new Set(members.map((m) => m.value));
  const leaving = [...current].filter((id) => !wanted.has(id));
  const joining = members.filter((m) => !current.has(m.value));
  const noCycle = await nestingGuard(ctx, rt, groupId, joining);
  const types = memberTypesOf(rt);
  return [
    ...ctx.resources.bumpStatements(types, [...leaving, ...joining.map((m) => m.value)], lastModified),
    ...ctx.memberships.deleteStatements(groupId, leaving),
    ...ctx.memberships.insertStatements(groupId, joining, types),
    ...noCycle,
  ];
}
