import { Hono } from 'hono';
import { adminRoutes } from './routes/admin';
import { bulkRoutes } from './routes/bulk';
import { discoveryRoutes } from './routes/discovery';
import { meRoutes } from './routes/me';
import { resourceRoutes } from './routes/resources';
import { searchRoutes } from './routes/search';
import { requireScopeFor, scimAuth } from './http/auth';
import { handleError } from './http/errors';
import { rateLimit } from './http/rate-limit';
import { loadRegistry, requestContext, scimBase } from './http/middleware';
import { methodNotAllowed } from './http/not-allowed';
import { notFound } from './scim/errors';
import { openApiDocument, openApiPage } from './scim/openapi';
import { optionalTenantRegistry } from './http/middleware';
import type { AppEnv } from './env';

const scim = new Hono<AppEnv>({ strict: false });
scim.use('*', scimBase, scimAuth, rateLimit, requireScopeFor, loadRegistry);
scim.route('/', discoveryRoutes);
scim.route('/', meRoutes);
// Registered before the resource routes, which would otherwise claim these paths as endpoints.
scim.all('/Me', methodNotAllowed(['GET', 'PUT', 'PATCH', 'DELETE']));
for (const path of ['/ServiceProviderConfig', '/ServiceProviderConfiguration', '/ResourceTypes', '/ResourceTypes/:name', '/Schemas', '/Schemas/:urn']) {
  scim.all(path, methodNotAllowed(['GET']));
}
scim.route('/', bulkRoutes);
scim.all('/Bulk', methodNotAllowed(['POST']));
scim.route('/', searchRoutes);
scim.all('/.search', methodNotAllowed(['POST']));
// Before the resource routes, which would read ".search" as a resource id.
scim.all('/:endpoint/.search', methodNotAllowed(['POST'], true));
scim.route('/', resourceRoutes);
scim.all('/:endpoint', methodNotAllowed(['GET', 'POST'], true));
scim.all('/:endpoint/:id', methodNotAllowed(['GET', 'PUT', 'PATCH', 'DELETE'], true));

export const app = new Hono<AppEnv>({ strict: false });
app.use('*', requestContext);
app.route('/scim/v2', scim);
// Per-tenant base URLs (a seed system's form): the same API, the tenant checked against the token.
app.route('/t/:tenant/scim/v2', scim);
app.route('/admin', adminRoutes);
app.get('/healthz', (c) => c.json({ ok: true }));
// The API description for third-party tools (no token needed: it describes, it holds no data).
// With a tenant's token, it describes that tenant's declared types too.
app.get('/openapi.json', async (c) => {
  const document = openApiDocument(await optionalTenantRegistry(c), `${new URL(c.req.url).origin}/scim/v2`);
  // Tenant-specific when a token is sent: no shared cache may hand it to another caller.
  if (c.req.header('Authorization')) c.header('Cache-Control', 'private, no-store');
  c.header('Vary', 'Authorization');
  return c.json(document);
});
app.get('/docs', (c) => c.html(openApiPage('/openapi.json')));
app.notFound((c) => {
  throw notFound(`No route for ${c.req.method} ${c.req.path}.`);
});
app.onError(handleError);
