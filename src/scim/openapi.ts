import { z } from 'zod';
import { bulkRequestSchema } from './bulk';
import { patchOpSchema } from './patch/body';
import { meResourceType } from './schema/builtins';
import type { ResourceTypeInfo, SchemaRegistry } from './schema/registry';
import type { AttributeDef, SchemaDef } from './schema/types';
import { searchRequestSchema } from './search-request';

// An OpenAPI 3.1 description of the SCIM API for third-party tools (a seed system offered one),
// generated from the same schema registry as /Schemas, so it cannot drift from the server.

type Json = Record<string, unknown>;

function attributeSchema(a: AttributeDef): Json {
  let item: Json;
  switch (a.type) {
    case 'boolean':
      item = { type: 'boolean' };
      break;
    case 'integer':
      item = { type: 'integer' };
      break;
    case 'decimal':
      item = { type: 'number' };
      break;
    case 'dateTime':
      item = { type: 'string', format: 'date-time' };
      break;
    case 'binary':
      item = { type: 'string', contentEncoding: 'base64' };
      break;
    case 'reference':
      item = { type: 'string', format: 'uri-reference' };
      break;
    case 'complex':
      // A property literally named "$ref" (members.$ref, manager.$ref) trips tools that read every "$ref"
      // key as a JSON reference: it is described in words instead.
      item = {
        type: 'object',
        properties: Object.fromEntries((a.subAttributes ?? []).filter((s) => s.name !== '$ref').map((s) => [s.name, attributeSchema(s)])),
        ...(a.subAttributes?.some((s) => s.name === '$ref') ? { additionalProperties: true, 'x-scim-ref': 'also "$ref": the URI of the referenced resource' } : {}),
      };
      break;
    default:
      item = { type: 'string' };
  }
  const described = {
    ...item,
    ...(a.description ? { description: a.description } : {}),
    ...(a.mutability === 'readOnly' ? { readOnly: true } : {}),
    ...(a.mutability === 'writeOnly' || a.returned === 'never' ? { writeOnly: true } : {}),
    ...(a.canonicalValues && a.canonicalValues.length > 0 && a.type === 'string' ? { examples: a.canonicalValues } : {}),
  };
  return a.multiValued ? { type: 'array', items: described, ...(a.mutability === 'readOnly' ? { readOnly: true } : {}) } : described;
}

function schemaObject(schema: SchemaDef): Json {
  return {
    type: 'object',
    description: schema.description,
    properties: Object.fromEntries(schema.attributes.map((a) => [a.name, attributeSchema(a)])),
    required: schema.attributes.filter((a) => a.required).map((a) => a.name),
  };
}

function resourceSchema(rt: ResourceTypeInfo, names: ComponentNames): Json {
  const core = schemaObject(rt.core);
  return {
    ...core,
    properties: {
      schemas: { type: 'array', items: { type: 'string' } },
      id: { type: 'string', readOnly: true },
      externalId: { type: 'string' },
      ...(core.properties as Json),
      ...Object.fromEntries(rt.extensions.map((e) => [e.id, ref(names.schema(e))])),
      meta: { type: 'object', readOnly: true },
    },
  };
}

/** OpenAPI component names allow [A-Za-z0-9._-] only ("Service Provider Configuration" → ServiceProviderConfiguration). */
const componentName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '') || 'Schema';

interface ComponentNames {
  type(rt: ResourceTypeInfo): string;
  schema(schema: SchemaDef): string;
}

/**
 * One component name per resource type and per other schema, none taken twice: a tenant's type or
 * schema may be called `Error` or share a schema's name, and must not overwrite another component.
 */
function componentNames(registry: SchemaRegistry): ComponentNames {
  const taken = new Set(Object.keys(messages));
  const unique = (wanted: string) => {
    let name = componentName(wanted);
    for (let n = 2; taken.has(name); n++) name = `${componentName(wanted)}${n}`;
    taken.add(name);
    return name;
  };
  const types = new Map(registry.resourceTypes.map((rt) => [rt, unique(rt.name)]));
  const schemas = new Map(registry.schemas.filter((s) => registry.resourceTypes.every((rt) => rt.core !== s)).map((s) => [s, unique(s.name)]));
  return { type: (rt) => types.get(rt)!, schema: (s) => schemas.get(s) ?? componentName(s.name) };
}
const ref = (name: string) => ({ $ref: `#/components/schemas/${componentName(name)}` });
const scimBody = (schema: Json) => ({ content: { 'application/scim+json': { schema }, 'application/json': { schema } } });
const ok = (description: string, schema?: Json) => ({ description, ...(schema ? { content: { 'application/scim+json': { schema } } } : {}) });
const errors = { '400': ok('Invalid request (scimType says why)', ref('Error')), '401': ok('Missing or bad token', ref('Error')), '404': ok('Not found', ref('Error')) };
const query = (name: string, description: string, type = 'string') => ({ name, in: 'query', required: false, description, schema: { type } });
const listParams = [
  query('filter', 'RFC 7644 §3.4.2.2 filter'),
  query('sortBy', 'attribute path'),
  query('sortOrder', 'ascending | descending'),
  query('startIndex', '1-based index', 'integer'),
  query('count', 'page size', 'integer'),
  query('cursor', 'RFC 9865: empty to start, then nextCursor'),
  query('attributes', 'comma-separated attribute paths'),
  query('excludedAttributes', 'comma-separated attribute paths'),
];
const selectionParams = listParams.slice(-2);
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

function resourcePaths(rt: ResourceTypeInfo, names: ComponentNames): Json {
  const tag = [rt.name];
  const resource = ref(names.type(rt));
  return {
    [rt.endpoint]: {
      get: { tags: tag, summary: `List or filter ${rt.name} resources`, parameters: listParams, responses: { '200': ok('ListResponse', ref('ListResponse')), ...errors } },
      post: { tags: tag, summary: `Create a ${rt.name}`, parameters: selectionParams, requestBody: scimBody(resource), responses: { '201': ok('Created', resource), '409': ok('uniqueness', ref('Error')), ...errors } },
    },
    [`${rt.endpoint}/.search`]: {
      post: { tags: tag, summary: `Search ${rt.name} resources`, requestBody: scimBody(ref('SearchRequest')), responses: { '200': ok('ListResponse', ref('ListResponse')), ...errors } },
    },
    [`${rt.endpoint}/{id}`]: {
      parameters: [idParam],
      get: { tags: tag, summary: `Get a ${rt.name}`, parameters: selectionParams, responses: { '200': ok(rt.name, resource), '304': ok('Not modified (If-None-Match)'), ...errors } },
      put: { tags: tag, summary: `Replace a ${rt.name}`, parameters: selectionParams, requestBody: scimBody(resource), responses: { '200': ok(rt.name, resource), '412': ok('If-Match failed', ref('Error')), ...errors } },
      patch: { tags: tag, summary: `Patch a ${rt.name}`, parameters: selectionParams, requestBody: scimBody(ref('PatchOp')), responses: { '200': ok(rt.name, resource), '204': ok('Patched'), '412': ok('If-Match failed', ref('Error')), ...errors } },
      delete: { tags: tag, summary: `Delete a ${rt.name}`, responses: { '204': ok('Deleted'), '412': ok('If-Match failed', ref('Error')), ...errors } },
    },
  };
}

/**
 * A request message's JSON Schema from the zod schema that reads it (its input side; `$schema` is
 * left off, as OpenAPI 3.1 schema objects are already JSON Schema 2020-12). Member names are read in
 * any case (RFC 7643 §2.1), which JSON Schema cannot say: the description says it.
 */
function messageSchema(schema: z.ZodType, description: string): Json {
  // 'any': a z.custom check (failOnErrors) is described by its .meta() instead.
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return { description: `${description} Member names are case-insensitive (RFC 7643 §2.1).`, ...json };
}

const messages: Json = {
  Error: { type: 'object', properties: { schemas: { type: 'array', items: { type: 'string' } }, status: { type: 'string' }, scimType: { type: 'string' }, detail: { type: 'string' } } },
  ListResponse: {
    type: 'object',
    properties: { totalResults: { type: 'integer' }, itemsPerPage: { type: 'integer' }, startIndex: { type: 'integer' }, nextCursor: { type: 'string' }, Resources: { type: 'array', items: { type: 'object' } } },
  },
  SearchRequest: messageSchema(searchRequestSchema, 'RFC 7644 §3.4.3 SearchRequest.'),
  PatchOp: messageSchema(patchOpSchema, 'RFC 7644 §3.5.2 PatchOp.'),
  BulkRequest: messageSchema(bulkRequestSchema, 'RFC 7644 §3.7 BulkRequest.'),
};

export function openApiDocument(registry: SchemaRegistry, baseUrl: string): Json {
  const me = meResourceType(registry).name;
  const names = componentNames(registry);
  const resources = Object.assign({}, ...registry.resourceTypes.map((rt) => resourcePaths(rt, names))) as Json;
  const get = (summary: string) => ({ get: { tags: ['Discovery'], summary, responses: { '200': ok(summary), ...errors } } });
  return {
    openapi: '3.1.0',
    info: { title: 'edge-scim SCIM 2.0 API', version: '2.0', description: 'RFC 7643 / RFC 7644 service provider. Authenticate with `Authorization: Bearer <token>` (or `Token <token>`).' },
    servers: [{ url: baseUrl }],
    security: [{ bearer: [] }, { basic: [] }],
    paths: {
      ...resources,
      '/.search': { post: { tags: ['Search'], summary: 'Search every resource type', requestBody: scimBody(ref('SearchRequest')), responses: { '200': ok('ListResponse', ref('ListResponse')), ...errors } } },
      '/Bulk': { post: { tags: ['Bulk'], summary: 'RFC 7644 §3.7 bulk operations', requestBody: scimBody(ref('BulkRequest')), responses: { '200': ok('BulkResponse'), '413': ok('Too many operations or too large', ref('Error')), ...errors } } },
      '/Me': {
        get: { tags: ['Me'], summary: `The ${me} the token is bound to`, responses: { '200': ok(me, ref(me)), '501': ok('Token has no subject', ref('Error')), ...errors } },
        put: { tags: ['Me'], summary: `Replace that ${me}`, requestBody: scimBody(ref(me)), responses: { '200': ok(me, ref(me)), '501': ok('Token has no subject', ref('Error')), ...errors } },
        patch: { tags: ['Me'], summary: `Patch that ${me}`, requestBody: scimBody(ref('PatchOp')), responses: { '200': ok(me, ref(me)), '501': ok('Token has no subject', ref('Error')), ...errors } },
        delete: { tags: ['Me'], summary: `Delete that ${me}`, responses: { '204': ok('Deleted'), '501': ok('Token has no subject', ref('Error')), ...errors } },
      },
      '/ServiceProviderConfig': get('Service provider configuration'),
      '/ResourceTypes': get('Resource types'),
      '/ResourceTypes/{name}': { parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }], ...get('One resource type') },
      '/Schemas': get('Schemas'),
      '/Schemas/{urn}': { parameters: [{ name: 'urn', in: 'path', required: true, schema: { type: 'string' } }], ...get('One schema') },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Also accepted as `Authorization: Token <token>`.' },
        basic: { type: 'http', scheme: 'basic', description: 'Any user name; the token as the password.' },
      },
      schemas: {
        ...Object.fromEntries(registry.resourceTypes.map((rt) => [names.type(rt), resourceSchema(rt, names)])),
        ...Object.fromEntries(registry.schemas.filter((s) => registry.resourceTypes.every((rt) => rt.core !== s)).map((s) => [names.schema(s), schemaObject(s)])),
        ...messages,
      },
    },
  };
}
