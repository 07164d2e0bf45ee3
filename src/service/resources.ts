import { conflict, invalidValue, notFound, ScimError, serviceUnavailable, uniqueness } from '../scim/errors';
import { etagOf, evaluate, namesVersion, versionsNamed, type Preconditions } from '../scim/preconditions';
import { checkImmutable, readResourceInput } from '../scim/resource/input';
import type { Document } from '../scim/resource/input';
import type { StoredResource } from '../scim/resource/output';
import type { Selection } from '../scim/projection';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import { assertChanged, constantRead, isConflict, mapRead, pairRead, type Query, type Read } from '../store/executor';
import type { NewMember } from '../store/memberships';
import { guardRefusal } from '../store/declarations';
import { isDanglingReference } from '../store/references';
import { markStale } from './registry';
import { isUniqueViolation, unlessVersion, violatedColumn, type ResourceWrite } from '../store/resources';
import { changedIndexes, rowFor } from '../store/write-row';
import type { ScimContext } from './context';
import { explainRefusal, groupTypesOf, joiningGuards, membersGiven, memberTypesOf, replaceMembership, type CycleRule } from './members';
import { clearReferencesTo, explainDangling, resolveReferences } from './references';
import { createdEvents, deletedEvents, memberEvents, updatedEvents } from './events';
import { extraColumn, renderRow } from './render';
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
  /** Members the statements add, checked by the database (service/members.ts): named if refused. */
  joining?: NewMember[];
}

function existing<R extends StoredResource>(rt: ResourceTypeInfo, id: string, row: R | undefined): R {
  if (!row) throw notFound(`${rt.name} '${id}' not found.`);
  return row;
}

async function getResource(ctx: ScimContext, rt: ResourceTypeInfo, id: string): Promise<StoredResource> {
  return existing(rt, id, await ctx.resources.get(rt.name, id));
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
  // The row and its members or groups in one statement; not the members a 304 would not send.
  const named = conditions.ifNoneMatch === undefined ? [] : versionsNamed(conditions.ifNoneMatch);
  const extra = extraColumn(ctx, rt, selection);
  const column = extra === undefined || named === 'any' ? undefined : unlessVersion(extra, named);
  const [found] = await ctx.exec.read(ctx.resources.getRead(rt.name, id, column));
  const row = existing(rt, id, found);
  if (evaluate(conditions, row.version, 'read') === 'notModified') return { notModified: etagOf(row.version) };
  return rendered(ctx, rt, row, selection, row.extra);
}

/** Location and version of a written resource, without its body. */
function unrendered(ctx: ScimContext, rt: ResourceTypeInfo, row: StoredResource): RenderedResource {
  return { resource: {}, etag: etagOf(row.version), location: `${ctx.baseUrl}${rt.endpoint}/${row.id}` };
}

/** The response form of a row, with the membership column (`extra`) it was read with, if any. */
function rendered(ctx: ScimContext, rt: ResourceTypeInfo, row: StoredResource, selection: Selection, extra: string | null | undefined): RenderedResource {
  const resource = renderRow(ctx, rt, { ...row, ...(extra !== undefined ? { extra } : {}) }, selection);
  return { resource, etag: etagOf(row.version), location: `${ctx.baseUrl}${rt.endpoint}/${row.id}` };
}

/** The membership column of the written resource: `extra` read last in its write's batch. */
export type Extra = string | null | undefined;

/**
 * What a write's batch reads last, for its response: the resource's membership column as the
 * write left it, when a body is wanted and the type has one; else nothing (no statement).
 */
export function responseRead(ctx: ScimContext, rt: ResourceTypeInfo, id: string, selection: Selection | undefined): Read<Extra> {
  const column = extraColumn(ctx, rt, selection);
  return column ? mapRead(ctx.resources.getRead(rt.name, id, column), (row) => row?.extra) : constantRead(undefined);
}

/** A written row as the response carries it: rendered when a body is wanted (`selection`), else only located. */
export function writeResult(ctx: ScimContext, rt: ResourceTypeInfo, row: StoredResource, selection: Selection | undefined, extra: Extra): RenderedResource {
  return selection ? rendered(ctx, rt, row, selection, extra) : unrendered(ctx, rt, row);
}

/**
 * The error a failed write batch stands for: a unique key taken is 409 uniqueness naming the
 * attribute (RFC 7644 §3.3; the database decided, so concurrent creates cannot both win); a
 * reference whose target was deleted meanwhile is 400 invalidValue.
 */
export async function writeError(ctx: ScimContext, rt: ResourceTypeInfo, write: ResourceWrite | undefined, error: unknown): Promise<unknown> {
  const refusal = guardRefusal(error);
  if (refusal) return refusedWrite(ctx, refusal);
  if (isDanglingReference(error)) return write ? explainDangling(ctx, rt, JSON.parse(write.data) as Document) : invalidValue('A resource this one refers to was deleted meanwhile.');
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
 * The write's registry guard refused it; nothing was written. 503 with Retry-After (RFC 9110
 * §15.6.4, §10.2.3), which IdPs retry: the tenant's declarations changed in another location after
 * this request compiled its registry (the next request here reads them anew), or the tenant is
 * being moved between databases (README "Shards").
 */
function refusedWrite(ctx: ScimContext, refusal: 'stale' | 'moving'): ScimError {
  if (refusal === 'moving') return serviceUnavailable('The tenant is being moved to another database; nothing was written. Retry shortly.', 5);
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

/**
 * The statements that replace a row (compare-and-swap on its version `current.version`) and those
 * of its index rows that change from `current`'s.
 */
export function updateRow(ctx: ScimContext, rt: ResourceTypeInfo, write: ResourceWrite, current: StoredResource): Query[] {
  const changed = changedIndexes(rt, current.data, write);
  return [
    ctx.resources.updateStatement(rt.name, write, current.version),
    assertChanged(),
    ...(changed.values ? ctx.values.replaceStatements(rt.name, write.id, write.values) : []),
    ...(rt.storage.uniqueKeys.length > 0 && changed.unique ? ctx.unique.replaceStatements(rt.name, write.id, write.unique) : []),
  ];
}

/** `selection` undefined: no body wanted (Bulk), so no membership reads for rendering. */
export async function createResource(ctx: ScimContext, rt: ResourceTypeInfo, body: unknown, selection: Selection | undefined): Promise<RenderedResource> {
  const input = readResourceInput(rt, body);
  const id = crypto.randomUUID();
  const now = nextTimestamp();
  const members = input.members ? membersGiven(id, input.members) : [];
  const guards = await resolveReferences(ctx, rt, input.data);
  const write = await rowFor(rt, id, input.data, now, input.password);
  const row: StoredResource = { id, created: now, lastModified: now, version: 1, data: input.data };
  let extra: Extra;
  try {
    extra = await ctx.exec.batchThen(
      [
        ctx.registryGuard(),
        ...guards,
        ...insertRow(ctx, rt, write, now),
        ...createdEvents(ctx, rt, row),
        ...memberEvents(ctx, rt, row, { adding: members.map((m) => m.value), removing: [] }, true),
        // Each member's `groups` now lists this group: the insert's trigger moves its version too.
        ...ctx.memberships.insertStatements(id, rt.name, members, memberTypesOf(rt)),
        // After the inserts it checks. A new group is nobody's member yet: no cycle runs through it.
        ...joiningGuards(ctx, rt, id, members, 'none'),
      ],
      responseRead(ctx, rt, id, selection),
    );
  } catch (error) {
    const refusal = await explainRefusal(ctx, rt, id, members, undefined, error);
    throw await writeError(ctx, rt, write, 'error' in refusal ? refusal.error : error);
  }
  return writeResult(ctx, rt, row, selection, extra);
}

/**
 * Runs a read-modify-write with optimistic concurrency: `change` builds the statements from the
 * current row; they commit only if the row's version is unchanged, else the whole step is retried
 * on fresh state, its conditions evaluated again: a version named by If-Match that is no longer
 * current then fails with 412 (RFC 7644 §3.14).
 */
export async function updateWithRetry<T>(
  ctx: ScimContext,
  rt: ResourceTypeInfo,
  id: string,
  conditions: Preconditions,
  change: (current: StoredResource, lastModified: string, cycles: CycleRule) => Promise<PlannedWrite | undefined>,
  /** Read at the end of the write's batch, seeing what it wrote (the response's extras). */
  then: Read<T>,
): Promise<{ row: StoredResource; then: T }> {
  let cycles: CycleRule = 'check';
  for (let attempt = 0; ; attempt++) {
    const current = await getResource(ctx, rt, id);
    evaluate(conditions, current.version, 'write', attempt > 0);
    const lastModified = nextTimestamp(current.lastModified);
    const planned = await change(current, lastModified, cycles);
    // Nothing to change: nothing written, and the response's read is a round trip of its own.
    if (!planned) return { row: current, then: (await ctx.exec.read(then))[0] };
    try {
      // A commutative write compared no version: its batch reads back what it and concurrent writers left.
      const after = pairRead(planned.commutative ? ctx.resources.getRead(rt.name, id) : constantRead(undefined), then);
      const [fresh, value] = await ctx.exec.batchThen([ctx.registryGuard(), ...planned.statements], after);
      const row = planned.commutative ? existing(rt, id, fresh) : { ...current, data: planned.data, lastModified, version: current.version + 1 };
      return { row, then: value };
    } catch (error) {
      if (!isConflict(error)) {
        const refusal = await explainRefusal(ctx, rt, id, planned.joining ?? [], current.version, error);
        // A group already holding a cycle (stored before the rule) is written once more, its
        // ancestors checked here instead; refused again, the write fails.
        if ('error' in refusal || cycles !== 'check') throw await writeError(ctx, rt, planned.write, 'error' in refusal ? refusal.error : error);
        cycles = refusal.retryWith;
        continue;
      }
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
  const { row, then: extras } = await updateWithRetry(ctx, rt, id, conditions, async (current, lastModified, cycles) => {
    const data = structuredClone(input.data);
    checkImmutable(rt, current.data, data);
    const guards = await resolveReferences(ctx, rt, data);
    const write = await rowFor(rt, id, data, lastModified, input.password);
    const updated = updatedEvents(ctx, rt, current, data, input.password !== undefined, lastModified);
    const statements: Query[] = [...guards, ...updateRow(ctx, rt, write, current), ...updated];
    if (rt.storage.membership?.role !== 'group') return { statements, data, write };
    // RFC 7644 §3.5.1: PUT replaces the whole resource, members included (absent means none).
    const members = membersGiven(id, input.members ?? []);
    const after = { ...current, data };
    statements.push(...memberEvents(ctx, rt, after, { wanted: members.map((m) => m.value) }, updated.length > 0), ...replaceMembership(ctx, rt, id, members, cycles));
    return { statements, data, write, joining: members };
  }, responseRead(ctx, rt, id, selection));
  return writeResult(ctx, rt, row, selection, extras);
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
        ...deletedEvents(ctx, rt, id),
        ctx.resources.deleteStatement(rt.name, id, expected),
        assertChanged(),
        // Groups that listed it change with it; members that listed it in `groups` are moved by
        // the membership delete's trigger (migration 0008).
        ...(groupTypes.length > 0 ? [ctx.resources.bumpGroupsOfStatement(groupTypes, id, now)] : []),
        ...(groupTypes.length > 0 || memberTypes.length > 0 ? [ctx.memberships.forgetStatement(id)] : []),
        ...clearReferencesTo(ctx, rt, id, now),
        ctx.values.forgetStatement(id),
        ...(rt.storage.uniqueKeys.length > 0 ? [ctx.unique.forgetStatement(id)] : []),
      ]);
      return;
    } catch (error) {
      const refusal = guardRefusal(error);
      if (refusal) throw refusedWrite(ctx, refusal);
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
