// RFC 7643 §2 / §7: attribute characteristics, declared once and read by every layer
// (discovery, validation, coercion, projection, filter and PATCH path resolution).

export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'binary'
  | 'reference'
  | 'complex';

export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDef {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: (string | number | boolean)[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

export interface ResourceTypeDef {
  /** Resource type name, e.g. "User"; also the value of meta.resourceType. */
  name: string;
  /** Endpoint path relative to the SCIM base, e.g. "/Users". */
  endpoint: string;
  description: string;
  /** URN of the core schema. */
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
}

type AttrOptions = Partial<Omit<AttributeDef, 'name' | 'type'>>;

/** Builds an attribute with the RFC 7643 §2.2 defaults for every characteristic not given. */
export function attr(name: string, type: AttributeType, options: AttrOptions = {}): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description: '',
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...(type === 'reference' && !options.referenceTypes ? { referenceTypes: ['external'] } : {}),
    ...options,
  };
}

export function complex(name: string, subAttributes: AttributeDef[], options: AttrOptions = {}): AttributeDef {
  return attr(name, 'complex', { ...options, subAttributes });
}
