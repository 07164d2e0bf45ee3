// Reading a tenant's own Schema (RFC 7643 §7) and ResourceType (RFC 7643 §6) declarations into the
// definitions every layer reads. Strict where resources are lenient: a declaration is written once by an
// administrator, and whatever it lets through, storage, filters and PATCH must then honour.
// The first rule broken is reported with an RFC 6901 pointer into the submitted body.

import { attr, complex, type AttributeDef, type AttributeType, type Mutability, type ResourceTypeDef } from './types';
import type { Returned, SchemaDef, Uniqueness } from './types';

export class DeclarationError extends Error {
  /** `pointer` is an RFC 6901 JSON pointer into the submitted body; "" for the body itself. */
  constructor(message: string, readonly pointer: string) {
    super(message);
    this.name = 'DeclarationError';
  }
}

export interface KnownTypes {
  /** Resource type names (built-in and declared) a `referenceTypes` entry may name. */
  resourceTypes: string[];
}

export interface KnownDeclarations {
  /** URNs that exist for this tenant (built-in and declared). */
  schemas: string[];
  /** Every other resource type of the tenant (built-in and declared), not the one being declared. */
  otherTypes: { name: string; endpoint: string }[];
  /** Set when the type is a built-in one (User, Group): its core schema and endpoint cannot change. */
  builtIn?: { schema: string; endpoint: string };
}

/** Paths the server routes itself (RFC 7644 §3.2, §3.7, §3.11, §3.4.3, §4), closed to declared types. */
export const RESERVED_ENDPOINTS: string[] = [
  '/Users', '/Groups', '/Me', '/Bulk', '/.search',
  '/Schemas', '/ResourceTypes', '/ServiceProviderConfig', '/ServiceProviderConfiguration',
];

type Json = Record<string, unknown>;

const SCHEMA_KEYS = ['schemas', 'id', 'name', 'description', 'attributes', 'meta'];
const ATTRIBUTE_KEYS = [
  'name', 'type', 'multiValued', 'description', 'required', 'canonicalValues', 'caseExact',
  'mutability', 'returned', 'uniqueness', 'referenceTypes', 'subAttributes',
];
const RESOURCE_TYPE_KEYS = ['schemas', 'id', 'name', 'description', 'endpoint', 'schema', 'schemaExtensions', 'meta'];
const EXTENSION_KEYS = ['schema', 'required'];

const TYPES: AttributeType[] = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'complex', 'binary'];
const MUTABILITY: Mutability[] = ['readOnly', 'readWrite', 'immutable', 'writeOnly'];
const RETURNED: Returned[] = ['always', 'never', 'default', 'request'];
const UNIQUENESS: Uniqueness[] = ['none', 'server', 'global'];

const ATTRNAME = /^[A-Za-z][A-Za-z0-9_-]*$/; // RFC 7643 §2.1: ATTRNAME = ALPHA *( "-" / "_" / DIGIT / ALPHA )
// RFC 8141 NSS characters, less "/", "?" and "#" (a URN is a path segment of /Schemas/{urn}), no controls.
const URN = /^urn:[a-z0-9][a-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*%']+$/i;
const RESERVED_URN = 'urn:ietf:params:scim:'; // RFC 7643 §10.2: the IANA-registered SCIM namespace, not a tenant's
const COMMON_NAMES = ['id', 'externalid', 'meta', 'schemas']; // RFC 7643 §3.1, §3: outside any schema
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const ENDPOINT = /^\/[A-Za-z][A-Za-z0-9_-]{0,63}$/;
// Decision: meta.resourceType of the discovery resources (RFC 7643 §5-§7) is closed to declared types too.
const RESERVED_TYPE_NAMES = ['schema', 'resourcetype', 'serviceproviderconfig'];
// Decision: xsd:dateTime (RFC 7643 §2.3.5) in its ISO 8601 form, not whatever Date.parse guesses at.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
// caseExact means something only for values compared as text (RFC 7643 §2.2); discovery shows it only there.
const TEXT_TYPES: AttributeType[] = ['string', 'reference', 'binary'];

/** RFC 6901 §3: a reference token with `~` and `/` escaped. */
function at(pointer: string, token: string | number): string {
  return `${pointer}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function fail(message: string, pointer: string): never {
  throw new DeclarationError(message, pointer);
}

function object(value: unknown, pointer: string, what: string, allowed: string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be a JSON object.`, pointer);
  const obj = value as Json;
  // Member names are matched exactly, as the RFC writes them; vendor characteristics are refused.
  const unknown = Object.keys(obj).find((key) => !allowed.includes(key));
  if (unknown !== undefined) fail(`"${unknown}" is not one of ${allowed.join(', ')}.`, at(pointer, unknown));
  return obj;
}

const member = (obj: Json, key: string): unknown => (Object.hasOwn(obj, key) ? obj[key] : undefined);

function text(obj: Json, key: string, pointer: string, fallback: string): string {
  const value = member(obj, key);
  if (value === undefined) return fallback;
  return typeof value === 'string' ? value : fail(`"${key}" must be a string.`, at(pointer, key));
}

function flag(obj: Json, key: string, pointer: string): boolean {
  const value = member(obj, key);
  if (value === undefined) return false;
  return typeof value === 'boolean' ? value : fail(`"${key}" must be true or false.`, at(pointer, key));
}

function choice<T extends string>(obj: Json, key: string, pointer: string, values: T[], fallback?: T): T {
  const value = member(obj, key);
  if (value === undefined && fallback !== undefined) return fallback;
  if (values.includes(value as T)) return value as T;
  return fail(`"${key}" must be one of ${values.join(', ')}.`, at(pointer, key));
}

function list(obj: Json, key: string, pointer: string, nonEmpty: boolean): unknown[] {
  const value = member(obj, key);
  if (!Array.isArray(value) || (nonEmpty && value.length === 0)) {
    fail(`"${key}" must be ${nonEmpty ? 'a non-empty' : 'an'} array.`, at(pointer, key));
  }
  return value as unknown[];
}

/** RFC 7643 §7: a Schema resource, `urn` being the id it is declared under. */
export function readSchemaDeclaration(body: unknown, urn: string, ctx: KnownTypes): SchemaDef {
  const obj = object(body, '', 'A schema declaration', SCHEMA_KEYS);
  const id = member(obj, 'id');
  if (typeof id !== 'string') return fail('"id" is required: the schema URN.', '/id');
  if (!URN.test(id) || /["\\]/.test(id)) fail(`"${id}" is not a URN (urn:<namespace>:<name>).`, '/id');
  if (id.toLowerCase().startsWith(RESERVED_URN)) fail(`${RESERVED_URN} is reserved for IANA-registered schemas.`, '/id');
  if (id.toLowerCase() !== urn.toLowerCase()) fail(`"id" is "${id}" but the schema is declared as "${urn}".`, '/id');
  const fallbackName = id.split(':').filter(Boolean).pop() ?? id;
  const name = text(obj, 'name', '', fallbackName);
  const description = text(obj, 'description', '', '');
  const attributes = readAttributes(list(obj, 'attributes', '', false), '/attributes', ctx, true);
  return { id, name, description, attributes };
}

function readAttributes(items: unknown[], pointer: string, ctx: KnownTypes, topLevel: boolean, parentMultiValued = false): AttributeDef[] {
  const seen = new Set<string>();
  const out: AttributeDef[] = [];
  items.forEach((item, i) => {
    // RFC 7643 §3.1: a schema MAY list id, externalId and meta (as /Schemas does here); the server's
    // own definitions of them take precedence, so a listed one is passed over.
    if (topLevel && isCommonListing(item)) return;
    out.push(readAttribute(item, at(pointer, i), ctx, topLevel, seen, parentMultiValued));
  });
  return out;
}

const LISTABLE_COMMON = ['id', 'externalid', 'meta'];

function isCommonListing(item: unknown): boolean {
  const name = item && typeof item === 'object' && !Array.isArray(item) ? (item as Json).name : undefined;
  return typeof name === 'string' && LISTABLE_COMMON.includes(name.toLowerCase());
}

function readName(obj: Json, pointer: string, topLevel: boolean, seen: Set<string>): string {
  const name = member(obj, 'name');
  const where = at(pointer, 'name');
  if (typeof name !== 'string') return fail('"name" is required and must be a string.', where);
  // RFC 7643 §2.1 ATTRNAME; "$ref" is the one sub-attribute name outside it (§2.4).
  if (!ATTRNAME.test(name) && (topLevel || name !== '$ref')) fail(`"${name}" is not a letter, then letters, digits, - or _.`, where);
  if (topLevel && COMMON_NAMES.includes(name.toLowerCase())) fail(`"${name}" is common to every resource, in no schema.`, where);
  // RFC 7643 §2.1: attribute names are case-insensitive, so "Title" and "title" are one attribute.
  if (seen.has(name.toLowerCase())) fail(`"${name}" is declared twice (attribute names are case-insensitive).`, where);
  seen.add(name.toLowerCase());
  return name;
}

function readAttribute(item: unknown, pointer: string, ctx: KnownTypes, topLevel: boolean, seen: Set<string>, parentMultiValued: boolean): AttributeDef {
  const obj = object(item, pointer, 'An attribute', ATTRIBUTE_KEYS); // RFC 7643 §7: the characteristics, no others
  const name = readName(obj, pointer, topLevel, seen);
  const type = choice(obj, 'type', pointer, TYPES);
  // RFC 7643 §2.3.8: "A complex attribute MUST NOT contain sub-attributes that have sub-attributes".
  if (!topLevel && type === 'complex') fail(`Sub-attribute "${name}" cannot be complex.`, at(pointer, 'type'));
  const multiValued = flag(obj, 'multiValued', pointer);
  const required = flag(obj, 'required', pointer);
  const caseExact = flag(obj, 'caseExact', pointer);
  const description = text(obj, 'description', pointer, '');
  const mutability = choice(obj, 'mutability', pointer, MUTABILITY, 'readWrite');
  // RFC 7643 §2.2: writeOnly values "SHALL NOT be returned", so `returned` defaults to, and must be, "never".
  const returned = choice(obj, 'returned', pointer, RETURNED, mutability === 'writeOnly' ? 'never' : 'default');
  if (mutability === 'writeOnly' && returned !== 'never') fail('A writeOnly attribute is returned "never".', at(pointer, 'returned'));
  // Decision: a writeOnly value is stored only as a salted hash (a secret), so it is one text value of the resource.
  if (mutability === 'writeOnly' && (!topLevel || multiValued || !TEXT_TYPES.includes(type))) {
    fail('writeOnly is for a singular string, reference or binary attribute (its value is kept only as a hash).', at(pointer, 'mutability'));
  }
  const uniqueness = choice(obj, 'uniqueness', pointer, UNIQUENESS, 'none');
  // Decision: uniqueness compares single values (RFC 7643 §2.2); a complex value or a boolean cannot be unique.
  if (uniqueness !== 'none' && (type === 'complex' || type === 'boolean')) {
    fail(`A ${type} attribute cannot be unique.`, at(pointer, 'uniqueness'));
  }
  // Decision: RFC 7643 does not say whether each value or the whole set of a multi-valued attribute is
  // unique; rather than advertise what is not enforced, only singular values can be unique.
  if (uniqueness !== 'none' && (multiValued || parentMultiValued)) {
    fail('Only a singular value can be unique (not a multi-valued attribute or a sub-attribute of one).', at(pointer, 'uniqueness'));
  }
  const canonicalValues = readCanonicalValues(obj, pointer, type);
  const referenceTypes = readReferenceTypes(obj, pointer, type, ctx);
  const options = {
    multiValued,
    description,
    required,
    caseExact: TEXT_TYPES.includes(type) && caseExact,
    mutability,
    returned,
    uniqueness,
    ...(canonicalValues ? { canonicalValues } : {}),
    ...(referenceTypes ? { referenceTypes } : {}),
  };
  if (type !== 'complex') {
    if (member(obj, 'subAttributes') !== undefined) fail(`"${name}" is ${type}, not complex.`, at(pointer, 'subAttributes'));
    return attr(name, type, options);
  }
  // RFC 7643 §2.3.8, §7: a complex attribute is made of its sub-attributes, so it declares at least one.
  const subAttributes = readAttributes(list(obj, 'subAttributes', pointer, true), at(pointer, 'subAttributes'), ctx, false, multiValued);
  return complex(name, subAttributes, options);
}

function fitsType(type: AttributeType, value: unknown): boolean {
  switch (type) {
    case 'string':
    case 'reference':
    case 'binary':
      return typeof value === 'string';
    case 'dateTime':
      return typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
    case 'integer':
      return Number.isInteger(value);
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'complex':
      return false;
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

function readCanonicalValues(obj: Json, pointer: string, type: AttributeType): (string | number | boolean)[] | undefined {
  if (member(obj, 'canonicalValues') === undefined) return undefined;
  if (type === 'complex') fail('A complex attribute has no canonical values.', at(pointer, 'canonicalValues'));
  const values = list(obj, 'canonicalValues', pointer, false);
  const where = at(pointer, 'canonicalValues');
  values.forEach((value, j) => {
    // RFC 7643 §7: canonical values are values of the attribute, so of its type.
    if (!fitsType(type, value)) fail(`Canonical value ${JSON.stringify(value)} is not a ${type}.`, at(where, j));
    if (values.indexOf(value) !== j) fail(`Canonical value ${JSON.stringify(value)} is listed twice.`, at(where, j));
  });
  // Decision: an empty list says nothing (discovery omits it), so it is not kept. Values keep their JSON type,
  // as AttributeDef.canonicalValues allows.
  return values.length > 0 ? (values as (string | number | boolean)[]) : undefined;
}

function readReferenceTypes(obj: Json, pointer: string, type: AttributeType, ctx: KnownTypes): string[] | undefined {
  if (member(obj, 'referenceTypes') === undefined) return type === 'reference' ? ['external'] : undefined;
  if (type !== 'reference') fail(`A ${type} attribute has no reference types.`, at(pointer, 'referenceTypes'));
  // Decision: a reference that may name nothing is a mistake, so the list may not be empty.
  const values = list(obj, 'referenceTypes', pointer, true);
  const where = at(pointer, 'referenceTypes');
  const out: string[] = [];
  values.forEach((value, j) => {
    // RFC 7643 §7: a resource type name, "external" (any URI outside the server) or "uri" (any URI).
    const wanted = typeof value === 'string' ? value.toLowerCase() : undefined;
    const known = wanted === 'external' || wanted === 'uri' ? wanted : ctx.resourceTypes.find((t) => t.toLowerCase() === wanted);
    if (known === undefined) fail(`${JSON.stringify(value)} is not external, uri or a resource type.`, at(where, j));
    if (out.includes(known)) fail(`Reference type "${known}" is listed twice.`, at(where, j));
    out.push(known);
  });
  return out;
}

/** RFC 7643 §6: a ResourceType resource, `name` being the name it is declared under. */
export function readResourceTypeDeclaration(body: unknown, name: string, ctx: KnownDeclarations): ResourceTypeDef {
  const obj = object(body, '', 'A resource type declaration', RESOURCE_TYPE_KEYS);
  const given = member(obj, 'name');
  if (given !== name) fail(`"name" must be "${name}", the name it is declared under.`, '/name');
  if (!TYPE_NAME.test(name)) fail(`"${name}" is not a letter, then up to 63 letters, digits, - or _.`, '/name');
  const lower = name.toLowerCase();
  if (ctx.otherTypes.some((t) => t.name.toLowerCase() === lower)) fail(`A resource type "${name}" exists already.`, '/name');
  if (!ctx.builtIn && RESERVED_TYPE_NAMES.includes(lower)) fail(`"${name}" is a discovery resource type.`, '/name');
  // RFC 7643 §6: a resource type's id is its name.
  if (member(obj, 'id') !== undefined && member(obj, 'id') !== name) fail(`"id" must be "${name}".`, '/id');
  const endpoint = readEndpoint(obj, ctx);
  const schema = readCoreSchema(obj, ctx);
  const schemaExtensions = readExtensions(obj, schema, ctx);
  const description = text(obj, 'description', '', '');
  return { name, endpoint, description, schema, schemaExtensions };
}

function readEndpoint(obj: Json, ctx: KnownDeclarations): string {
  const endpoint = member(obj, 'endpoint');
  if (typeof endpoint !== 'string' || !ENDPOINT.test(endpoint)) fail('"endpoint" must be "/" and a type-like name.', '/endpoint');
  const path = endpoint;
  if (ctx.builtIn) {
    if (path !== ctx.builtIn.endpoint) fail(`A built-in resource type keeps its endpoint, ${ctx.builtIn.endpoint}.`, '/endpoint');
    return path;
  }
  const lower = path.toLowerCase();
  if (RESERVED_ENDPOINTS.some((e) => e.toLowerCase() === lower)) fail(`${path} is an endpoint of the server's own.`, '/endpoint');
  const taken = ctx.otherTypes.find((t) => t.endpoint.toLowerCase() === lower);
  if (taken) fail(`"${path}" is already the endpoint of ${taken.name}.`, '/endpoint');
  return path;
}

function findSchema(ctx: KnownDeclarations, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase(); // schema URNs compare case-insensitively, as everywhere in the registry
  return ctx.schemas.find((s) => s.toLowerCase() === lower);
}

function readCoreSchema(obj: Json, ctx: KnownDeclarations): string {
  const value = member(obj, 'schema');
  if (ctx.builtIn) {
    const fixed = ctx.builtIn.schema;
    const same = typeof value === 'string' && value.toLowerCase() === fixed.toLowerCase();
    if (!same) fail(`A built-in resource type keeps its schema, ${fixed}.`, '/schema');
    return fixed;
  }
  const schema = findSchema(ctx, value);
  return schema ?? fail(`"schema" must be the URN of an existing schema.`, '/schema');
}

function readExtensions(obj: Json, core: string, ctx: KnownDeclarations): ResourceTypeDef['schemaExtensions'] {
  if (member(obj, 'schemaExtensions') === undefined) return [];
  const items = list(obj, 'schemaExtensions', '', false);
  const out: ResourceTypeDef['schemaExtensions'] = [];
  items.forEach((item, i) => {
    const pointer = at('/schemaExtensions', i);
    const ext = object(item, pointer, 'A schema extension', EXTENSION_KEYS);
    const schema = findSchema(ctx, member(ext, 'schema'));
    const where = at(pointer, 'schema');
    if (schema === undefined) fail('"schema" must be the URN of an existing schema.', where);
    if (schema.toLowerCase() === core.toLowerCase()) fail('The core schema cannot also be an extension.', where);
    if (out.some((e) => e.schema === schema)) fail(`"${schema}" is listed twice.`, where);
    out.push({ schema, required: flag(ext, 'required', pointer) });
  });
  return out;
}
