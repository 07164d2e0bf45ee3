import type { Limits } from '../config';
import { capabilities } from './capabilities';
import type { ResourceTypeInfo } from './schema/registry';
import type { AttributeDef, SchemaDef } from './schema/types';
import { commonAttributes } from './schema/common';

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** RFC 7643 §5, with RFC 9865 `pagination`; every figure is the one the server enforces. */
export function serviceProviderConfig(baseUrl: string, limits: Limits, cursorTimeoutSeconds: number) {
  return {
    schemas: [SPC_SCHEMA],
    documentationUri: 'https://github.com/edge-scim/edge-scim#readme',
    patch: { supported: capabilities.patch },
    bulk: { supported: capabilities.bulk, maxOperations: limits.maxBulkOperations, maxPayloadSize: limits.maxPayloadBytes },
    filter: { supported: capabilities.filter, maxResults: limits.maxPageSize },
    changePassword: { supported: capabilities.changePassword },
    sort: { supported: capabilities.sort },
    etag: { supported: capabilities.etag },
    pagination: {
      cursor: capabilities.cursorPagination,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: limits.defaultPageSize,
      maxPageSize: limits.maxPageSize,
      ...(capabilities.cursorPagination ? { cursorTimeout: cursorTimeoutSeconds } : {}),
    },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'Authorization: Bearer <token> (or Authorization: Token <token>), minted through the admin API.',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
      {
        type: 'httpbasic',
        name: 'HTTP Basic',
        description: 'For clients limited to Basic authentication: any user name, the token as the password.',
        specUri: 'https://www.rfc-editor.org/rfc/rfc7617',
        primary: false,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypeResource(rt: ResourceTypeInfo, baseUrl: string) {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: rt.name,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema,
    schemaExtensions: rt.schemaExtensions,
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${rt.name}` },
  };
}

function describeAttribute(a: AttributeDef): Record<string, unknown> {
  return {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    description: a.description,
    required: a.required,
    ...(a.type === 'string' || a.type === 'reference' || a.type === 'binary' ? { caseExact: a.caseExact } : {}),
    ...(a.canonicalValues && a.canonicalValues.length > 0 ? { canonicalValues: a.canonicalValues } : {}),
    ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
    mutability: a.mutability,
    returned: a.returned,
    uniqueness: a.uniqueness,
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(describeAttribute) } : {}),
  };
}

/**
 * RFC 7643 §7: a schema as a resource. `listCommon` for a resource type's core schema: RFC 7643 §3.1
 * lets it list id, externalId and meta, and Entra ID's validator wants every mapped attribute listed
 * (docs/idp-quirks.md Entra 10).
 */
export function schemaResource(schema: SchemaDef, baseUrl: string, listCommon = false) {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: [...(listCommon ? commonAttributes : []), ...schema.attributes].map(describeAttribute),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}
