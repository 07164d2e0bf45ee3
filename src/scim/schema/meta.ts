import { attr, complex, type SchemaDef } from './types';

// RFC 7643 §5–§7 (and §8.7.2): the schemas that describe the discovery resources themselves,
// served by /Schemas beside the resource schemas so clients can read every representation.

const readOnly = { mutability: 'readOnly' as const };
const supported = (name: string, description: string, extra: ReturnType<typeof attr>[] = []) =>
  complex(name, [attr('supported', 'boolean', { ...readOnly, required: true }), ...extra], { ...readOnly, required: true, description });

export const serviceProviderConfigSchema: SchemaDef = {
  id: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  name: 'Service Provider Configuration',
  description: 'Schema for representing the service provider configuration',
  attributes: [
    attr('documentationUri', 'reference', { ...readOnly, description: 'An HTTP-addressable URL pointing to the service provider\'s help documentation.' }),
    supported('patch', 'A complex type that specifies PATCH configuration options.'),
    supported('bulk', 'A complex type that specifies bulk configuration options.', [
      attr('maxOperations', 'integer', { ...readOnly, required: true }),
      attr('maxPayloadSize', 'integer', { ...readOnly, required: true }),
    ]),
    supported('filter', 'A complex type that specifies FILTER options.', [attr('maxResults', 'integer', { ...readOnly, required: true })]),
    supported('changePassword', 'A complex type that specifies configuration options related to changing a password.'),
    supported('sort', 'A complex type that specifies sort result options.'),
    supported('etag', 'A complex type that specifies ETag configuration options.'),
    // RFC 9865 §4: pagination capabilities.
    complex(
      'pagination',
      [
        attr('cursor', 'boolean', readOnly),
        attr('index', 'boolean', readOnly),
        attr('defaultPaginationMethod', 'string', { ...readOnly, canonicalValues: ['cursor', 'index'] }),
        attr('defaultPageSize', 'integer', readOnly),
        attr('maxPageSize', 'integer', readOnly),
        attr('cursorTimeout', 'integer', readOnly),
      ],
      { ...readOnly, description: 'Pagination options (RFC 9865).' },
    ),
    complex(
      'authenticationSchemes',
      [
        attr('type', 'string', { ...readOnly, required: true, canonicalValues: ['oauth', 'oauth2', 'oauthbearertoken', 'httpbasic', 'httpdigest'] }),
        attr('name', 'string', { ...readOnly, required: true }),
        attr('description', 'string', { ...readOnly, required: true }),
        attr('specUri', 'reference', readOnly),
        attr('documentationUri', 'reference', readOnly),
        attr('primary', 'boolean', readOnly),
      ],
      { ...readOnly, multiValued: true, required: true, description: 'A complex type that specifies supported authentication scheme properties.' },
    ),
  ],
};

export const resourceTypeSchema: SchemaDef = {
  id: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  name: 'ResourceType',
  description: 'Specifies the schema that describes a SCIM resource type',
  attributes: [
    attr('id', 'string', { ...readOnly, description: "The resource type's server unique id." }),
    attr('name', 'string', { ...readOnly, required: true, description: 'The resource type name.' }),
    attr('description', 'string', { ...readOnly, description: "The resource type's human-readable description." }),
    attr('endpoint', 'reference', { ...readOnly, required: true, referenceTypes: ['uri'], description: "The resource type's HTTP-addressable endpoint relative to the Base URL." }),
    attr('schema', 'reference', { ...readOnly, required: true, caseExact: true, referenceTypes: ['uri'], description: "The resource type's primary/base schema URI." }),
    complex(
      'schemaExtensions',
      [
        attr('schema', 'reference', { ...readOnly, required: true, caseExact: true, referenceTypes: ['uri'] }),
        attr('required', 'boolean', { ...readOnly, required: true }),
      ],
      { ...readOnly, multiValued: true, description: "A list of URIs of the resource type's schema extensions." },
    ),
  ],
};

const attributeShape = [
  attr('name', 'string', { ...readOnly, required: true, caseExact: true }),
  attr('type', 'string', { ...readOnly, required: true, canonicalValues: ['string', 'complex', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'binary'] }),
  attr('multiValued', 'boolean', { ...readOnly, required: true }),
  attr('description', 'string', readOnly),
  attr('required', 'boolean', readOnly),
  attr('canonicalValues', 'string', { ...readOnly, multiValued: true }),
  attr('caseExact', 'boolean', readOnly),
  attr('mutability', 'string', { ...readOnly, canonicalValues: ['readOnly', 'readWrite', 'immutable', 'writeOnly'] }),
  attr('returned', 'string', { ...readOnly, canonicalValues: ['always', 'never', 'default', 'request'] }),
  attr('uniqueness', 'string', { ...readOnly, canonicalValues: ['none', 'server', 'global'] }),
  attr('referenceTypes', 'string', { ...readOnly, multiValued: true }),
];

export const schemaSchema: SchemaDef = {
  id: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  name: 'Schema',
  description: 'Specifies the schema attribute',
  attributes: [
    attr('id', 'string', { ...readOnly, required: true, description: 'The unique URI of the schema.' }),
    attr('name', 'string', { ...readOnly, description: 'The schema name.' }),
    attr('description', 'string', { ...readOnly, description: 'The schema\'s human-readable description.' }),
    complex('attributes', [...attributeShape, complex('subAttributes', attributeShape, { ...readOnly, multiValued: true })], {
      ...readOnly,
      multiValued: true,
      required: true,
      description: "A complex attribute that includes the attributes of a schema.",
    }),
  ],
};

export const discoverySchemas: SchemaDef[] = [serviceProviderConfigSchema, resourceTypeSchema, schemaSchema];
