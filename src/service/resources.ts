import { notFound, preconditionFailed, ScimError, uniqueness } from '../scim/errors';
import { checkImmutable, readResourceInput } from '../scim/resource/input';
import type { Document } from '../scim/resource/input';
import { etagOf, type StoredResource } from '../scim/resource/output';
import type { Selection } from '../scim/projection';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import { assertChanged, isConflict, type Query } from '../store/executor';
import { isUniqueViolation } from '../store/resources';
import type { ScimContext } from './context';
import type { Member } from '../store/memberships';
import { resolveMembers } from './members';
import { renderResources } from './render';
import { nextTimestamp, toWrite } from './write';

export interface WriteResult {
  resource: Document;
  etag: string;
  location: string;
}

/** How many times a write re-reads and retries after losing a compare-and-swap to a concurrent writer. */
const MAX_RETRIES = 25;

export interface PlannedWrite {
  statements: Query[];
  data: Document;
  /** True when the statements do not compare versions (membership-only changes commute). */
  commutative?: boolean;
}

export async function getResource(ctx: ScimContext, rt: ResourceTypeInfo, id: string): Promise<StoredResource> {
  const row = await ctx.resources.get(rt.name, id);
  if (!row) throw notFound(`${rt.name} '${id}' not found.`);
  return row;
}

/** Location and version of a written resource, without its body. */
function unrendered(ctx: ScimContext, rt: ResourceTypeInfo, row: StoredResource): WriteResult {
  return { resource: {}, etag: etagOf(row.version), location: `${ctx.baseUrl}${rt.endpoint}/${row.id}` };
}

export async function render(ctx: ScimContext, rt: ResourceTypeInfo, row: StoredResource, selection: Selection): Promise<WriteResult> {
  const [resource] = await renderResources(rt, [row], selection, ctx.baseUrl, ctx.memberships);
  return { resource: resource!, etag: etagOf(row.version), location: `${ctx.baseUrl}${rt.endpoint}/${row.id}` };
}

function uniquenessError(rt: ResourceTypeInfo, error: unknown): unknown {
  // RFC 7644 §3.3: a duplicate of a uniqueness=server attribute is 409 uniqueness.
  return isUniqueViolation(error) ? uniqueness(`A ${rt.name} with this userName already exists.`) : error;
}

/** `selection` undefined: no body wanted (Bulk), so no membership reads for rendering. */
export async function createResource(ctx: ScimContext, rt: ResourceTypeInfo, body: unknown, selection: Selection | undefined): Promise<WriteResult> {
  const input = readResourceInput(rt, body);
  const id = crypto.randomUUID();
  const now = nextTimestamp();
  const members = input.members ? await resolveMembers(ctx, id, input.members) : [];
  const write = await toWrite(rt, id, input.data, now, input.password);
  try {
    await ctx.exec.batch([
      ctx.resources.insertStatement(rt.name, write, now),
      ...ctx.values.insertStatements(rt.name, id, write.values),
      ...ctx.memberships.insertStatements(id, members),
      // The members' `groups` now list this group (RFC 7643 §4.1.2): their versions move too.
      ...ctx.resources.bumpStatements(members.map((m) => m.value), now),
    ]);
  } catch (error) {
    throw uniquenessError(rt, error);
  }
  const row: StoredResource = { id, created: now, lastModified: now, version: 1, data: input.data };
  return selection ? render(ctx, rt, row, selection) : unrendered(ctx, rt, row);
}

/**
 * Runs a read-modify-write with optimistic concurrency: `change` builds the statements from the
 * current row; they commit only if the row's version is unchanged, else the whole step is retried
 * on fresh state (or, with If-Match, fails with 412 — RFC 7644 §3.14).
 */
export async function updateWithRetry(
  ctx: ScimContext,
  rt: ResourceTypeInfo,
  id: string,
  ifMatch: string | undefined,
  change: (current: StoredResource, lastModified: string) => Promise<PlannedWrite | undefined>,
): Promise<StoredResource> {
  for (let attempt = 0; ; attempt++) {
    const current = await getResource(ctx, rt, id);
    if (ifMatch !== undefined && !matchesEtag(ifMatch, current.version)) {
      throw stale(current.version);
    }
    const lastModified = nextTimestamp(current.lastModified);
    const planned = await change(current, lastModified);
    if (!planned) return current; // nothing to change
    try {
      await ctx.exec.batch(planned.statements);
      // A commutative write did not compare versions: read back what concurrent writers made of it.
      if (planned.commutative) return getResource(ctx, rt, id);
      return { ...current, data: planned.data, lastModified, version: current.version + 1 };
    } catch (error) {
      if (!isConflict(error)) throw uniquenessError(rt, error);
      if (ifMatch !== undefined) throw preconditionFailed('The resource was changed by a concurrent request.');
      if (attempt >= MAX_RETRIES) throw new ScimError(409, 'The resource is being changed concurrently; retry the request.');
    }
  }
}

/** RFC 7232 §3.1: If-Match holds a list of entity tags or `*`; weak comparison suffices here. */
export function matchesEtag(header: string, version: number): boolean {
  const wanted = `"${version}"`;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === wanted;
  });
}

export async function replaceResource(
  ctx: ScimContext,
  rt: ResourceTypeInfo,
  id: string,
  body: unknown,
  selection: Selection | undefined,
  ifMatch?: string,
): Promise<WriteResult> {
  const input = readResourceInput(rt, body);
  const row = await updateWithRetry(ctx, rt, id, ifMatch, async (current, lastModified) => {
    checkImmutable(rt, current.data, input.data);
    const write = await toWrite(rt, id, input.data, lastModified, input.password);
    const statements: Query[] = [
      ctx.resources.updateStatement(rt.name, write, current.version),
      assertChanged(),
      ...ctx.values.replaceStatements(rt.name, id, write.values),
    ];
    if (rt.name === 'Group') {
      // RFC 7644 §3.5.1: PUT replaces the whole resource, members included (absent means none).
      const members = await resolveMembers(ctx, id, input.members ?? []);
      statements.push(...(await replaceMembership(ctx, id, members, lastModified)));
    }
    return { statements, data: input.data };
  });
  return selection ? render(ctx, rt, row, selection) : unrendered(ctx, rt, row);
}

export async function deleteResource(ctx: ScimContext, rt: ResourceTypeInfo, id: string, ifMatch?: string): Promise<void> {
  let expected: number | undefined;
  if (ifMatch !== undefined) {
    const current = await getResource(ctx, rt, id);
    if (!matchesEtag(ifMatch, current.version)) throw stale(current.version);
    expected = current.version;
  }
  try {
    // The resource and every membership naming it, as group or member, go in one batch.
    const now = nextTimestamp();
    await ctx.exec.batch([
      ctx.resources.deleteStatement(rt.name, id, expected),
      assertChanged(),
      // Groups that listed it, and members that listed it in `groups`, change with it.
      ctx.resources.bumpGroupsOfStatement(id, now),
      ctx.resources.bumpMembersOfStatement(id, now),
      ctx.memberships.forgetStatement(id),
      ctx.values.forgetStatement(id),
    ]);
  } catch (error) {
    if (!isConflict(error)) throw error;
    if (expected !== undefined) throw preconditionFailed('The resource was changed by a concurrent request.');
    throw notFound(`${rt.name} '${id}' not found.`);
  }
}

/**
 * Replaces a group's whole membership (PUT, or PATCH replace on members) by its difference from
 * the current one: only members leaving or joining are written and get a new version (their
 * `groups` changed); those who stay are left alone. A member added or removed concurrently, after
 * the read, is kept as that request left it: the same as if it had run after this one.
 */
export async function replaceMembership(ctx: ScimContext, groupId: string, members: Member[], lastModified: string): Promise<Query[]> {
  const current = new Set(((await ctx.memberships.membersOf([groupId])).get(groupId) ?? []).map((m) => m.value));
  const wanted = new Set(members.map((m) => m.value));
  const leaving = [...current].filter((id) => !wanted.has(id));
  const joining = members.filter((m) => !current.has(m.value));
  return [
    ...ctx.resources.bumpStatements([...leaving, ...joining.map((m) => m.value)], lastModified),
    ...ctx.memberships.deleteStatements(groupId, leaving),
    ...ctx.memberships.insertStatements(groupId, joining),
  ];
}

/** RFC 7644 §3.14 / §3.12: If-Match names a version that is no longer current. */
export function stale(version: number): ScimError {
  return preconditionFailed(`Precondition failed: the resource's version is now ${etagOf(version)}.`);
}
