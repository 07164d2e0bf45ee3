import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { forbidden, notFound } from '../scim/errors';
import { resourceTypeResource, schemaResource, serviceProviderConfig } from '../scim/discovery';
import { listResponse } from '../scim/list-response';
import { limits } from '../config';
import { CURSOR_TIMEOUT_SECONDS } from '../service/cursor';
import type { AppEnv } from '../env';
import { scimJson } from '../http/respond';

/** RFC 7644 §4 discovery endpoints; each item is also served by id. */
export const discoveryRoutes = new Hono<AppEnv>();

/**
 * RFC 7644 §4: "If a 'filter' is provided, the service provider SHOULD respond with HTTP status code
 * 403 (Forbidden) to ensure that clients cannot incorrectly assume that any matching conditions
 * specified in a filter are true." Any `filter` parameter counts, even an empty one.
 */
const refuseFilter = createMiddleware<AppEnv>(async (c, next) => {
  if (Object.keys(c.req.queries()).some((name) => name.toLowerCase() === 'filter')) {
    throw forbidden("Discovery endpoints cannot be filtered (RFC 7644 §4); request them without 'filter'.");
  }
  await next();
});

/** True when the schema is a resource type's core schema (not an extension or a discovery schema). */
const isCore = (c: Context<AppEnv>, urn: string) => c.get('registry').resourceTypes.some((rt) => rt.core.id === urn);

const spc = (c: Context<AppEnv>) =>
  scimJson(c, serviceProviderConfig(c.get('baseUrl'), limits(c.env), CURSOR_TIMEOUT_SECONDS));

discoveryRoutes.get('/ServiceProviderConfig', refuseFilter, spc);
// The pre-RFC name, still requested by older clients.
discoveryRoutes.get('/ServiceProviderConfiguration', refuseFilter, spc);

discoveryRoutes.get('/ResourceTypes', refuseFilter, (c) =>
  scimJson(c, listResponse(c.get('registry').resourceTypes.map((rt) => resourceTypeResource(rt, c.get('baseUrl'))), { startIndex: 1 })),
);
discoveryRoutes.get('/ResourceTypes/:name', (c) => {
  const rt = c.get('registry').resourceType(c.req.param('name'));
  if (!rt) throw notFound(`Resource type '${c.req.param('name')}' not found.`);
  return scimJson(c, resourceTypeResource(rt, c.get('baseUrl')));
});

discoveryRoutes.get('/Schemas', refuseFilter, (c) =>
  scimJson(c, listResponse(c.get('registry').schemas.map((s) => schemaResource(s, c.get('baseUrl'), isCore(c, s.id))), { startIndex: 1 })),
);
discoveryRoutes.get('/Schemas/:urn', (c) => {
  const schema = c.get('registry').schema(c.req.param('urn'));
  if (!schema) throw notFound(`Schema '${c.req.param('urn')}' not found.`);
  return scimJson(c, schemaResource(schema, c.get('baseUrl'), isCore(c, schema.id)));
});
