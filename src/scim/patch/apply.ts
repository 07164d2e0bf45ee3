import { isObject } from '../../util/fields';
import { invalidPath, invalidValue, mutability, noTarget, ScimError } from '../errors';
import type { OpName } from '../quirks/entra-capitalised-ops';
import { memberIdsFromFilter } from '../quirks/entra-member-removal';
import { pathlessEntries } from '../quirks/entra-dotted-pathless-keys';
import { checkPathlessId } from '../quirks/okta-id-in-rename';
import { coerceValue } from '../resource/coerce';
import { checkImmutable, getValue, isBlankString, setValue, type Document, type MemberInput } from '../resource/input';
import type { ResourceTypeInfo } from '../schema/registry';
import { readPatchBody, type Operation } from './body';
import { canonicalJson } from './equality';
import { applyMembersOp, MemberLedger, type MembershipDelta } from './members';
import { checkWritable, resolvePath, resolvePathlessKey, type AttributeTarget, type Target } from './target';
import { addAttribute, removeAttribute, replaceAttribute, type DocState } from './values';

export interface PatchResult {
  /** The new document. */
  data: Document;
  /** A new cleartext password (User), for the caller to hash. */
  password?: string;
  /** Groups only; empty for Users. */
  members: MembershipDelta;
  /** False when the operations changed nothing (the caller can skip the write). */
  changed: boolean;
}

interface State extends DocState {
  id: string;
  password?: string;
  members: MemberLedger;
}

/**
 * Applies a PatchOp body (RFC 7644 §3.5.2) to a resource. Operations apply in order to a copy; the
 * first failure throws a ScimError and nothing escapes ("If one of the operations fails, the original
 * resource SHALL be restored"): the result exists only when every operation succeeded.
 */
export function applyPatch(
  rt: ResourceTypeInfo,
  current: { id: string; data: Document; members?: MemberInput[] },
  body: unknown,
): PatchResult {
  const operations = readPatchBody(body);
  const state: State = { rt, data: structuredClone(current.data), id: current.id, members: new MemberLedger(current.members) };
  operations.forEach((operation, i) => {
    try {
      applyOperation(state, operation);
    } catch (error) {
      if (error instanceof ScimError) throw error.within(`Operations[${i}]: `);
      throw error;
    }
  });
  checkImmutable(rt, current.data, state.data);
  checkRequiredKept(rt, current.data, state.data);
  const members = state.members.delta();
  const changed =
    canonicalJson(current.data) !== canonicalJson(state.data) ||
    state.password !== undefined ||
    members.replaceAll !== undefined ||
    members.add.length > 0 ||
    members.remove.length > 0;
  return { data: state.data, ...(state.password !== undefined ? { password: state.password } : {}), members, changed };
}

/**
 * True when an operation selects members by something other than their ids (`members[type eq "Group"]`,
 * `members[display sw "A"]`): only then must the caller load the group's members and pass them as
 * `current.members`. `members[value eq "id"]` (and `or`s of those) and value lists name the ids.
 * A malformed body answers false; applyPatch then reports the fault.
 */
export function needsCurrentMembers(rt: ResourceTypeInfo, body: unknown): boolean {
  let operations: Operation[];
  try {
    operations = readPatchBody(body);
  } catch {
    return false;
  }
  return operations.some((o) => {
    if (o.op !== 'remove' || o.path === undefined) return false;
    try {
      const t = resolvePath(rt, o.path);
      return t.kind === 'attribute' && t.store === 'members' && t.filter !== undefined && !t.subAttribute && !memberIdsFromFilter(t.filter);
    } catch {
      return false;
    }
  });
}

function applyOperation(s: State, o: Operation): void {
  if (o.path === undefined) {
    // RFC 7644 §3.5.2.2: "If path is unspecified, the operation fails with ... noTarget".
    if (o.op === 'remove') throw noTarget('A remove operation needs a path.');
    return applyPathless(s, o.op, o.value);
  }
  applyToTarget(s, o.op, resolvePath(s.rt, o.path), o.value, o.hasValue);
}

/**
 * RFC 7644 §3.5.2.1 / §3.5.2.3 without a path: "the target location is assumed to be the resource
 * itself" and the value holds the attributes to add or replace, each as if named by a path.
 */
function applyPathless(s: State, op: OpName, value: unknown): void {
  for (const entry of pathlessEntries(s.rt, value)) {
    const target = resolvePathlessKey(s.rt, entry.path);
    // Decision: unknown names are ignored, as in POST and PUT bodies (resource/input.ts); IdPs send
    // attributes of schemas this server does not declare.
    if (!target) continue;
    if (target.kind === 'attribute' && target.location.length === 1 && target.attribute.mutability === 'readOnly') {
      const name = target.attribute.name;
      // RFC 7643 §3.1: clients echo `meta` from a GET; it is the server's and is ignored on input.
      if (name === 'meta') continue;
      // docs/idp-quirks.md Okta 4 (quirks/okta-id-in-rename.ts).
      if (name === 'id') {
        checkPathlessId(entry.value, s.id);
        continue;
      }
    }
    applyToTarget(s, op, target, entry.value, true);
  }
}

function applyToTarget(s: State, op: OpName, t: Target, value: unknown, hasValue: boolean): void {
  switch (t.kind) {
    case 'ignored':
      return;
    case 'schema':
      return applyToSchema(s, op, t.schema.id, t.label, value);
    case 'attribute':
      if (t.store === 'members') return applyMembersOp(s.members, s.rt, t, op, value, hasValue);
      checkWritable(t);
      if (t.store === 'password') return setPassword(s, op, t, value);
      if (op === 'add') return addAttribute(s, t, value);
      if (op === 'replace') return replaceAttribute(s, t, value);
      return removeAttribute(s, t, value);
    default: {
      const unreachable: never = t;
      return unreachable;
    }
  }
}

/** A path that is a schema URN: its value is an object of that schema's attributes (RFC 7643 §3.3). */
function applyToSchema(s: State, op: OpName, urn: string, label: string, value: unknown): void {
  const core = urn === s.rt.core.id;
  if (op === 'remove' || (op === 'replace' && value === null)) {
    if (core) throw invalidPath(`'${label}' is the core schema; remove its attributes one by one.`);
    // Every attribute of the extension becomes unassigned; required ones are checked on the result.
    return setValue(s.data, [urn], undefined);
  }
  if (value === null) return;
  if (!isObject(value)) throw invalidValue(`The value for '${label}' must be an object of its attributes.`);
  applyPathless(s, op, { [urn]: value });
}

/** `password` is writeOnly (RFC 7643 §4.1.1): kept out of the document and handed to the caller to hash. */
function setPassword(s: State, op: OpName, t: AttributeTarget, value: unknown): void {
  const password = op === 'remove' ? undefined : coerceValue(t.attribute, value, t.label);
  if (password === undefined && op === 'add') return; // adding "unassigned" adds nothing
  // Decision: a password cannot be made unassigned through PATCH (the result has no "clear" signal).
  if (typeof password !== 'string') throw mutability(`'${t.label}' can be replaced but not removed.`);
  s.password = password;
}

/**
 * RFC 7644 §3.5.2.2: "If an attribute is removed or becomes unassigned and is defined as a required
 * attribute ..., the server SHALL return ... mutability". Checked on the result, whatever op did it.
 * A required attribute set to a blank string ("", "   ") was given a value that cannot stand for it:
 * 400 invalidValue, as in POST and PUT (resource/input.ts isBlankString; RFC 7644 §3.12).
 */
function checkRequiredKept(rt: ResourceTypeInfo, before: Document, after: Document): void {
  // RFC 7643 §6: a required schema extension stays on the resource.
  for (const ext of rt.schemaExtensions) {
    if (ext.required && getValue(before, [ext.schema]) !== undefined && getValue(after, [ext.schema]) === undefined) {
      throw mutability(`Schema extension '${ext.schema}' is required and cannot be removed.`);
    }
  }
  const schemas = [{ attributes: rt.core.attributes, prefix: [] as string[] }, ...rt.extensions.map((x) => ({ attributes: x.attributes, prefix: [x.id] }))];
  for (const { attributes, prefix } of schemas) {
    for (const a of attributes) {
      if (!a.required) continue;
      const path = [...prefix, a.name];
      const value = getValue(after, path);
      if (isBlankString(value)) throw invalidValue(`Attribute '${a.name}' is required and cannot be blank.`);
      if (getValue(before, path) !== undefined && value === undefined) {
        throw mutability(`Attribute '${a.name}' is required and cannot be removed.`);
      }
    }
  }
}
