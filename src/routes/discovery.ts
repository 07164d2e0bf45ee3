import { Hono, type Context } from 'hono';
import { notFound } from '../scim/errors';
import { listResponse, resourceTypeResource, schemaResource, serviceProviderConfig } from '../scim/discovery';
import { defaultRegistry } from '../scim/schema/registry';
import { limits } from '../config';
import { CURSOR_TIMEOUT_SECONDS } from '../service/cursor-config';
import type { AppEnv } from '../env';
import { scimJson } from '../http/respond';

/** RFC 7644 §4 discovery endpoints; each item is also served by id. */
export const discoveryRoutes = new Hono<AppEnv>();
const registry = defaultRegistry;

const spc = (c: Context<AppEnv>) =>
  scimJson(c, serviceProviderConfig(c.var.baseUrl, limits(c.env), CURSOR_TIMEOUT_SECONDS));

discoveryRoutes.get('/ServiceProviderConfig', spc);
// The pre-RFC name, still requested by older clients.
discoveryRoutes.get('/ServiceProviderConfiguration', spc);

discoveryRoutes.get('/ResourceTypes', (c) =>
  scimJson(c, listResponse(registry.resourceTypes.map((rt) => resourceTypeResource(rt, c.var.baseUrl)))),
);
discoveryRoutes.get('/ResourceTypes/:name', (c) => {
  const rt = registry.resourceType(c.req.param('name'));
  if (!rt) throw notFound(`Resource type '${c.req.param('name')}' not found.`);
  return scimJson(c, resourceTypeResource(rt, c.var.baseUrl));
});

discoveryRoutes.get('/Schemas', (c) =>
  scimJson(c, listResponse(registry.schemas.map((s) => schemaResource(s, c.var.baseUrl)))),
);
discoveryRoutes.get('/Schemas/:urn', (c) => {
  const schema = registry.schema(c.req.param('urn'));
  if (!schema) throw notFound(`Schema '${c.req.param('urn')}' not found.`);
  return scimJson(c, schemaResource(schema, c.var.baseUrl));
});
