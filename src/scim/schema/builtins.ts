import { GROUP_SCHEMA, groupSchema } from './group';
import { discoverySchemas } from './meta';
import { SchemaRegistry, type ResourceTypeEntry, type ResourceTypeInfo } from './registry';
import type { ResourceTypeDef, SchemaDef } from './types';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, enterpriseUserSchema, userSchema } from './user';

// The built-in resource types, with their storage declared by hand (docs/storage.md), and the
// registry a tenant sees: these plus its own declarations. Nothing else names User or Group.

/** The schemas every tenant has; the discovery schemas too (RFC 7643 §8.7.2). */
export const BUILT_IN_SCHEMAS: SchemaDef[] = [userSchema, enterpriseUserSchema, groupSchema, ...discoverySchemas];

export const BUILT_IN_TYPES: ResourceTypeEntry[] = [
  {
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
    storage: {
      // userName's column is also its uniqueness key (a unique index, docs/storage.md).
      columns: { userName: 'userName', displayName: 'displayName' },
      membership: { role: 'member', attribute: 'groups', groupType: 'Group' },
      password: 'password',
      // Entra matches users on emails[type eq "work"].value (docs/idp-quirks.md Entra 6).
      valueIndexes: [{ segments: ['emails'], sub: 'value', key: 'emails.value' }],
    },
  },
  {
    name: 'Group',
    endpoint: '/Groups',
    description: 'Group',
    schema: GROUP_SCHEMA,
    schemaExtensions: [],
    storage: {
      columns: { displayName: 'displayName' },
      membership: { role: 'group', attribute: 'members', memberTypes: ['User', 'Group'] },
    },
  },
];

/** The registry of a tenant without declarations. */
export const defaultRegistry = new SchemaRegistry(BUILT_IN_SCHEMAS, BUILT_IN_TYPES);

export function isBuiltInType(name: string): boolean {
  return BUILT_IN_TYPES.some((t) => t.name.toLowerCase() === name.toLowerCase());
}

export function builtInType(name: string): ResourceTypeEntry | undefined {
  return BUILT_IN_TYPES.find((t) => t.name.toLowerCase() === name.toLowerCase());
}

export interface Declarations {
  schemas: SchemaDef[];
  resourceTypes: ResourceTypeDef[];
}

/**
 * A tenant's registry: the built-in types, then its declared ones. A declaration named User or
 * Group attaches extensions to the built-in type (its core schema, endpoint and storage stay).
 */
export function registryWith(declarations: Declarations): SchemaRegistry {
  if (declarations.schemas.length === 0 && declarations.resourceTypes.length === 0) return defaultRegistry;
  const declared = (name: string) => declarations.resourceTypes.find((d) => d.name.toLowerCase() === name.toLowerCase());
  const types: ResourceTypeEntry[] = BUILT_IN_TYPES.map((base) => {
    const layer = declared(base.name);
    if (!layer) return base;
    const extensions = [...base.schemaExtensions];
    for (const ext of layer.schemaExtensions) {
      const same = extensions.findIndex((e) => e.schema.toLowerCase() === ext.schema.toLowerCase());
      if (same >= 0) extensions[same] = ext;
      else extensions.push(ext);
    }
    return { ...base, description: layer.description || base.description, schemaExtensions: extensions };
  });
  for (const d of declarations.resourceTypes) if (!isBuiltInType(d.name)) types.push(d);
  return new SchemaRegistry([...BUILT_IN_SCHEMAS, ...declarations.schemas], types, new Set(declarations.schemas.map((s) => s.id)));
}

/** RFC 7644 §3.11: the type `/Me` stands for (a token's `subject` is a User id). */
export function meResourceType(registry: SchemaRegistry): ResourceTypeInfo {
  return registry.resourceType('User')!;
}
