import { invalidPath, mutability, ScimError } from '../errors';
import type { Filter } from '../filter/ast';
import { parsePath } from '../filter/parser';
import { printAttrPath } from '../filter/printer';
import { collectionOf } from '../filter/resolve';
import { checkFilter } from '../filter/validate';
import { resolveWithExtensionFallback } from '../quirks/entra-unqualified-extension-path';
import { findAttribute, type ResolvedAttribute, type ResourceTypeInfo } from '../schema/registry';
import type { AttributeDef, SchemaDef } from '../schema/types';

/** Where an operation points (RFC 7644 §3.5.2: PATH = attrPath / valuePath [subAttr]). */
export type Target =
  /** A path that is a schema URN: the attributes of that schema as a whole. */
  | { kind: 'schema'; label: string; schema: SchemaDef }
  /** `schemas`: derived by the server from the attributes present (RFC 7643 §3), so writes to it are ignored. */
  | { kind: 'ignored'; label: string }
  | AttributeTarget;

export interface AttributeTarget {
  kind: 'attribute';
  /** The path as the client wrote it, for error details. */
  label: string;
  attribute: AttributeDef;
  /** `name.givenName`, or the `.value` after a value filter. */
  subAttribute?: AttributeDef;
  /** The value filter of `emails[type eq "work"]`. */
  filter?: Filter;
  /** Keys from the document root to the attribute (extension URN first when it lives in one). */
  location: string[];
  /** Where the value lives outside the document: a Group's members table, a User's password hash. */
  store: 'document' | 'members' | 'password';
}

/** Resolves an operation's `path`. Unknown or malformed paths are 400 invalidPath (RFC 7644 §3.5.2). */
export function resolvePath(rt: ResourceTypeInfo, text: string): Target {
  const special = specialTarget(rt, text);
  if (special) return special;
  const parsed = parsePath(text);
  const found = resolveWithExtensionFallback(rt, printAttrPath(parsed.path));
  if (!found) throw invalidPath(`Unknown attribute '${printAttrPath(parsed.path)}' in path '${text}'.`);
  if (parsed.kind === 'attrPath') return attributeTarget(rt, text, found);

  const { attribute } = found;
  // RFC 7644 §3.4.2.2 valuePath: a value filter selects elements of a multi-valued attribute.
  if (found.subAttribute || !attribute.multiValued) {
    throw invalidPath(`'${text}': a value filter needs a multi-valued attribute.`);
  }
  checkValueFilter(rt, attribute, parsed.filter, text);
  let subAttribute: AttributeDef | undefined;
  if (parsed.subAttr !== undefined) {
    subAttribute = findAttribute(attribute.subAttributes, parsed.subAttr);
    if (!subAttribute) throw invalidPath(`Unknown sub-attribute '${parsed.subAttr}' of '${attribute.name}' in path '${text}'.`);
  }
  return { ...attributeTarget(rt, text, found), subAttribute, filter: parsed.filter };
}

/** Resolves a key of a path-less value (an attribute path without filters); undefined when unknown. */
export function resolvePathlessKey(rt: ResourceTypeInfo, key: string): Target | undefined {
  const special = specialTarget(rt, key);
  if (special) return special;
  const found = resolveWithExtensionFallback(rt, key);
  return found ? attributeTarget(rt, key, found) : undefined;
}

/**
 * RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability readOnly" (id, meta,
 * a User's groups, manager.displayName). Immutable attributes are checked on the result (apply.ts).
 */
export function checkWritable(target: AttributeTarget): void {
  const readOnly = target.attribute.mutability === 'readOnly' || target.subAttribute?.mutability === 'readOnly';
  if (readOnly) throw mutability(`Attribute '${target.label}' is readOnly.`);
}

function specialTarget(rt: ResourceTypeInfo, text: string): Target | undefined {
  const lower = text.toLowerCase();
  const schema = [rt.core, ...rt.extensions].find((s) => s.id.toLowerCase() === lower);
  if (schema) return { kind: 'schema', label: text, schema };
  if (lower === 'schemas') return { kind: 'ignored', label: text };
  return undefined;
}

function attributeTarget(rt: ResourceTypeInfo, label: string, found: ResolvedAttribute): AttributeTarget {
  const { attribute, subAttribute, extension, schema } = found;
  const core = !extension && schema === rt.core.id;
  // Kept outside the document (schema/storage.ts): a Group's members, a User's password (hashed).
  const membership = rt.storage.membership;
  const store = core && membership?.role === 'group' && attribute.name === membership.attribute
    ? 'members'
    : core && attribute.name === rt.storage.password
      ? 'password'
      : 'document';
  const location = extension ? [schema, attribute.name] : [attribute.name];
  return { kind: 'attribute', label, attribute, subAttribute, location, store };
}

/** Checks the filter's names and literals against the attribute's sub-attributes; faults are invalidPath. */
function checkValueFilter(rt: ResourceTypeInfo, attribute: AttributeDef, filter: Filter, text: string): void {
  try {
    checkFilter(rt, filter, collectionOf(rt, attribute));
  } catch (error) {
    // RFC 7644 §3.12: a bad path is invalidPath, whatever part of it is wrong.
    if (error instanceof ScimError && error.scimType === 'invalidFilter') throw invalidPath(`In path '${text}': ${error.detail}`);
    throw error;
  }
}
