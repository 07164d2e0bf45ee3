import { commonAttributes } from './common';
import { deriveStorage, type BaseStorage, type StorageDef } from './storage';
import type { AttributeDef, ResourceTypeDef, SchemaDef } from './types';

/** An attribute name resolved against a resource type: where it lives and how it behaves. */
export interface ResolvedAttribute {
  /** URN of the schema that declares it; '' for the common attributes (id, externalId, meta). */
  schema: string;
  /** True when the value sits under the extension's URN key in the resource JSON. */
  extension: boolean;
  attribute: AttributeDef;
  subAttribute?: AttributeDef;
}

export interface ResourceTypeInfo extends ResourceTypeDef {
  core: SchemaDef;
  extensions: SchemaDef[];
  /** How it is stored (schema/storage.ts): internal, never part of discovery. */
  storage: StorageDef;
}

/** A resource type as the registry is given it: the RFC representation plus hand-declared storage. */
export interface ResourceTypeEntry extends ResourceTypeDef {
  storage?: BaseStorage;
}

/**
 * The schemas and resource types one request sees: the built-in ones, and a tenant's declarations
 * layered on (schema/builtins.ts). `derived` names the schemas whose storage is derived from their
 * characteristics (tenant declarations); built-in schemas declare theirs by hand.
 */
export class SchemaRegistry {
  readonly schemas: SchemaDef[];
  readonly resourceTypes: ResourceTypeInfo[];

  constructor(schemas: SchemaDef[], resourceTypes: ResourceTypeEntry[], derived: ReadonlySet<string> = new Set()) {
    this.schemas = schemas;
    this.resourceTypes = resourceTypes.flatMap(({ storage: base, ...rt }) => {
      const core = this.schema(rt.schema);
      const extensions = rt.schemaExtensions.map((ext) => this.schema(ext.schema));
      // The admin API never stores a type without its schemas; should one slip through, the type is
      // left out rather than every request of the tenant failing.
      if (!core || extensions.some((e) => e === undefined)) return [];
      const storage: StorageDef = { columns: {}, valueIndexes: [], uniqueKeys: [], references: [], ...base };
      for (const [schema, extension] of [[core, false], ...extensions.map((e) => [e!, true])] as [SchemaDef, boolean][]) {
        if (!derived.has(schema.id)) continue;
        const more = deriveStorage(schema, extension);
        storage.valueIndexes = [...storage.valueIndexes, ...more.valueIndexes];
        storage.uniqueKeys = [...storage.uniqueKeys, ...more.uniqueKeys];
        storage.references = [...storage.references, ...more.references];
      }
      return [{ ...rt, core, extensions: extensions as SchemaDef[], storage }];
    });
  }

  schema(urn: string): SchemaDef | undefined {
    const wanted = urn.toLowerCase();
    return this.schemas.find((s) => s.id.toLowerCase() === wanted);
  }

  resourceType(name: string): ResourceTypeInfo | undefined {
    const wanted = name.toLowerCase();
    return this.resourceTypes.find((rt) => rt.name.toLowerCase() === wanted);
  }

  /** The resource type whose endpoint is `/${segment}`, case-insensitively. */
  byEndpoint(segment: string): ResourceTypeInfo | undefined {
    const wanted = `/${segment}`.toLowerCase();
    return this.resourceTypes.find((rt) => rt.endpoint.toLowerCase() === wanted);
  }

}

/** The schema URN (core or extension of `rt`) that `path` starts with, if any; longest match wins. */
export function schemaPrefix(rt: ResourceTypeInfo, path: string): SchemaDef | undefined {
  const lower = path.toLowerCase();
  let best: SchemaDef | undefined;
  for (const schema of [rt.core, ...rt.extensions]) {
    const urn = schema.id.toLowerCase();
    if ((lower === urn || lower.startsWith(`${urn}:`)) && (!best || urn.length > best.id.length)) best = schema;
  }
  return best;
}

export function findAttribute(list: readonly AttributeDef[] | undefined, name: string): AttributeDef | undefined {
  const wanted = name.toLowerCase();
  return list?.find((a) => a.name.toLowerCase() === wanted);
}

/**
 * Resolves `[urn ":"] attr ["." subAttr]` (RFC 7644 §3.10), names case-insensitive (RFC 7643 §2.1).
 * Returns undefined when the name is not declared for the resource type.
 */
export function resolveAttribute(rt: ResourceTypeInfo, path: string): ResolvedAttribute | undefined {
  let rest = path;
  let schema: SchemaDef | undefined;
  if (/^urn:/i.test(path)) {
    schema = schemaPrefix(rt, path);
    if (!schema || path.length <= schema.id.length + 1) return undefined;
    rest = path.slice(schema.id.length + 1);
  }
  const dot = rest.indexOf('.');
  const name = dot < 0 ? rest : rest.slice(0, dot);
  const subName = dot < 0 ? undefined : rest.slice(dot + 1);

  let attribute: AttributeDef | undefined;
  let owner = '';
  if (!schema || schema === rt.core) {
    attribute = findAttribute(commonAttributes, name);
    if (!attribute) {
      attribute = findAttribute(rt.core.attributes, name);
      owner = rt.core.id;
    }
  } else {
    attribute = findAttribute(schema.attributes, name);
    owner = schema.id;
  }
  if (!attribute) return undefined;
  const extension = owner !== '' && owner !== rt.core.id;
  if (subName === undefined) return { schema: owner, extension, attribute };
  const subAttribute = findAttribute(attribute.subAttributes, subName);
  return subAttribute ? { schema: owner, extension, attribute, subAttribute } : undefined;
}
