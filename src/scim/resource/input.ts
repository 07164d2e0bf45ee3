import { isObject } from '../../util/fields';
import { invalidSyntax, invalidValue, mutability } from '../errors';
import { resolveAttribute, type ResourceTypeInfo } from '../schema/registry';
import type { AttributeDef } from '../schema/types';
import { coerceValue } from './coerce';
import { sameValue } from '../patch/equality';
import { referenceTarget } from '../schema/storage';


export type Document = Record<string, unknown>;

export interface MemberInput {
  value: string;
  type?: string;
  display?: string;
}

export interface ResourceInput {
  /** Core attributes at top level, extension attributes under their schema URN (docs/storage.md). */
  data: Document;
  /** A User's cleartext password, to be hashed and never stored or returned as given. */
  password?: string;
  /** A Group's members when the input names them (they live in the memberships table). */
  members?: MemberInput[];
}

/**
 * Reads a POST or PUT body into a stored document: names case-insensitive (RFC 7643 §2.1), values
 * coerced to their declared types, readOnly attributes ignored (RFC 7643 §2.2), unknown attributes
 * and unknown schema URNs (which IdPs add, docs/idp-quirks.md Entra 8) dropped, required ones checked.
 */
export function readResourceInput(rt: ResourceTypeInfo, body: unknown): ResourceInput {
  if (!isObject(body)) throw invalidSyntax('The request body must be a JSON object.');
  const data: Document = {};
  let password: string | undefined;
  let members: MemberInput[] | undefined;

  for (const [key, raw] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') {
      if (raw !== undefined && raw !== null && !(Array.isArray(raw) && raw.every((s) => typeof s === 'string'))) {
        throw invalidValue("'schemas' must be an array of schema URNs.");
      }
      continue;
    }
    const extension = rt.extensions.find((s) => s.id.toLowerCase() === key.toLowerCase());
    if (extension) {
      if (raw === null || raw === undefined) continue;
      if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidValue(`'${extension.id}' must be an object.`);
      for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
        assign(rt, data, `${extension.id}:${name}`, value);
      }
      continue;
    }
    const resolved = resolveAttribute(rt, key);
    const stored = resolved && !resolved.extension && !resolved.subAttribute ? resolved.attribute.name : undefined;
    if (stored !== undefined && stored === rt.storage.password) {
      const value = coerceValue(resolved!.attribute, raw, stored);
      if (value !== undefined) password = value as string;
      continue;
    }
    if (stored !== undefined && rt.storage.membership?.role === 'group' && stored === rt.storage.membership.attribute) {
      members = readMembers(resolved!.attribute, raw, stored);
      continue;
    }
    assign(rt, data, key, raw);
  }
  checkRequired(rt, data);
  return { data, password, members };
}

/** Places one (possibly dotted or URN-qualified) attribute into the document, coerced. */
function assign(rt: ResourceTypeInfo, data: Document, path: string, raw: unknown): void {
  const resolved = resolveAttribute(rt, path);
  if (!resolved || resolved.schema === '') {
    // Unknown names are dropped; id and meta are readOnly and externalId is handled below.
    if (resolved?.attribute.name === 'externalId') setValue(data, ['externalId'], coerceValue(resolved.attribute, raw, 'externalId'));
    return;
  }
  const { attribute, subAttribute, extension, schema } = resolved;
  if (attribute.mutability === 'readOnly' || subAttribute?.mutability === 'readOnly') return;
  const base = extension ? [schema, attribute.name] : [attribute.name];
  if (subAttribute) {
    if (attribute.multiValued) return; // "emails.value" as a body key has no single target
    setValue(data, [...base, subAttribute.name], coerceValue(subAttribute, raw, `${attribute.name}.${subAttribute.name}`));
  } else {
    const value = coerceValue(attribute, raw, attribute.name);
    const current = getValue(data, base);
    // `name` and `name.givenName` may both appear: merge rather than overwrite.
    if (isObject(current) && isObject(value)) setValue(data, base, { ...current, ...value });
    else setValue(data, base, value);
  }
}

/**
 * A Group's members from a POST/PUT body or a PATCH value. Each needs a `value`, the member's id
 * (RFC 7643 §4.2), else 400 invalidValue; a member listed twice is one member; `"$ref": null` is
 * unassigned (RFC 7643 §2.5, docs/idp-quirks.md Entra 5) and dropped by coerceValue.
 */
export function readMembers(def: AttributeDef, raw: unknown, where: string = def.name): MemberInput[] {
  const list = (coerceValue(def, raw, where) ?? []) as Record<string, unknown>[];
  const unique = new Map<string, MemberInput>();
  list.forEach((m, i) => {
    const value = memberId(m, `${where}[${i}]`);
    const type = typeof m.type === 'string' ? m.type : undefined;
    const display = typeof m.display === 'string' ? m.display : undefined;
    unique.set(value, { value, ...(type !== undefined ? { type } : {}), ...(display !== undefined ? { display } : {}) });
  });
  return [...unique.values()];
}

/** The id in a member element (`{"value":"<id>"}`); 400 invalidValue when it has none. */
export function memberId(m: unknown, where: string): string {
  const value = isObject(m) ? m.value : undefined;
  if (typeof value !== 'string' || value === '') throw invalidValue(`${where}.value (the member's id) is required.`);
  return value;
}

/**
 * True for a string of nothing but white space. A required attribute (RFC 7643 §2.2 "required")
 * given as "" or "   " has no value in any useful sense (an empty userName cannot identify anyone),
 * so it counts as missing: 400 invalidValue, "a required value was missing" (RFC 7644 §3.12).
 */
export function isBlankString(value: unknown): boolean {
  return typeof value === 'string' && value.trim() === '';
}

function checkRequired(rt: ResourceTypeInfo, data: Document): void {
  // readOnly attributes are the server's to set (RFC 7643 §2.2), so `required` does not bind the client.
  const missing = (attributes: AttributeDef[], owner: Document, prefix: string) => {
    for (const attribute of attributes) {
      const value = owner[attribute.name];
      if (attribute.mutability === 'readOnly') continue;
      if (attribute.required && (value === undefined || isBlankString(value))) {
        throw invalidValue(`Attribute '${prefix}${attribute.name}' is required${value === undefined ? '' : ' and cannot be blank'}.`);
      }
      // A present complex value needs its required sub-attributes, in every element.
      if (attribute.type !== 'complex' || value === undefined) continue;
      for (const element of Array.isArray(value) ? value : [value]) {
        if (isObject(element)) missing(attribute.subAttributes ?? [], element, `${prefix}${attribute.name}.`);
      }
    }
  };
  missing(rt.core.attributes, data, '');
  for (const extension of rt.extensions) {
    const owner = data[extension.id];
    // RFC 7643 §6 schemaExtensions.required: "a resource of this type MUST include this schema extension".
    const required = rt.schemaExtensions.some((e) => e.schema === extension.id && e.required);
    if (required && !isObject(owner)) throw invalidValue(`Schema extension '${extension.id}' is required for ${rt.name}.`);
    // Its required attributes bind whenever the extension is present.
    if (isObject(owner)) missing(extension.attributes, owner, `${extension.id}:`);
  }
}

/**
 * RFC 7643 §2.2 immutable: may be set once, then never changed. Applies to PUT and PATCH results,
 * to attributes and to the sub-attributes of a singular complex one. Values compare as SCIM does
 * (key order and caseExact=false case aside); a reference's `$ref` is the server's, not compared.
 */
export function checkImmutable(rt: ResourceTypeInfo, before: Document, after: Document): void {
  const schemas = [
    { attributes: rt.core.attributes, prefix: [] as string[] },
    ...rt.extensions.map((s) => ({ attributes: s.attributes, prefix: [s.id] })),
  ];
  const refuse = (name: string) => {
    throw mutability(`Attribute '${name}' is immutable and cannot be changed.`);
  };
  for (const { attributes, prefix } of schemas) {
    for (const attribute of attributes) {
      const path = [...prefix, attribute.name];
      const old = comparable(attribute, getValue(before, path));
      if (attribute.mutability === 'immutable') {
        if (old !== undefined && !sameValue(attribute, old, comparable(attribute, getValue(after, path)))) refuse(attribute.name);
        continue;
      }
      if (attribute.type !== 'complex' || attribute.multiValued || !isObject(old)) continue;
      const now = getValue(after, path);
      for (const sub of attribute.subAttributes ?? []) {
        if (sub.mutability !== 'immutable' || old[sub.name] === undefined) continue;
        if (!sameValue(sub, old[sub.name], isObject(now) ? now[sub.name] : undefined)) refuse(`${attribute.name}.${sub.name}`);
      }
    }
  }
}

/** A value without the `$ref`s the server computes for references (scim/resource/references.ts). */
function comparable(attribute: AttributeDef, value: unknown): unknown {
  if (value === undefined || !referenceTarget(attribute)) return value;
  const strip = (item: unknown) => (isObject(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => k !== '$ref')) : item);
  return Array.isArray(value) ? value.map(strip) : strip(value);
}

export function getValue(doc: Document, path: string[]): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Sets (or, for undefined, removes) a value, creating and pruning parent objects as needed. */
export function setValue(doc: Document, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (value === undefined) delete doc[head];
    else doc[head] = value;
    return;
  }
  const child = isObject(doc[head]) ? (doc[head] as Document) : {};
  setValue(child, rest, value);
  if (Object.keys(child).length === 0) delete doc[head];
  else doc[head] = child;
}
