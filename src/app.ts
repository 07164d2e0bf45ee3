import { Hono } from 'hono';
import { adminRoutes } from './routes/admin';
import { bulkRoutes } from './routes/bulk';
import { consoleRoutes } from './routes/console';
import { discoveryRoutes } from './routes/discovery';
import { eventRoutes } from './routes/events';
import { resourceRoutes } from './routes/resources';
import { searchRoutes } from './routes/search';
import { allowedMethods } from './http/allowed-methods';
import { requireScopeFor, scimAuth } from './http/auth';
import { optionalTenantRegistry } from './http/composition-root';
import { handleError } from './http/errors';
import { accessLog, kickWebhooks, loadRegistry, requestIds, scimBase, withinScim } from './http/middleware';
import { rateLimit } from './http/rate-limit';
import { provisioningLog } from './http/request-log';
import { notFound } from './scim/errors';
import { openApiDocument } from './scim/openapi';
import type { AppEnv } from './env';

const scim = new Hono<AppEnv>({ strict: false });
scim.use('*', provisioningLog, scimBase, scimAuth, kickWebhooks, rateLimit, requireScopeFor, loadRegistry, allowedMethods(scim, withinScim));
scim.route('/', discoveryRoutes);
scim.route('/', bulkRoutes);
// Before the resource routes, whose `/:endpoint/:id` would otherwise read ".search" as an id.
scim.route('/', searchRoutes);
scim.route('/', resourceRoutes);

export const app = new Hono<AppEnv>({ strict: false });
app.use('*', requestIds, accessLog);
app.route('/scim/v2', scim);
// Per-tenant base URLs (a seed system's form): the same API, the tenant checked against the token.
app.route('/t/:tenant/scim/v2', scim);
app.route('/admin', adminRoutes);
app.route('/events', eventRoutes);
app.route('/console', consoleRoutes);
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
// The API reference is static assets at /docs/ (scripts/docs-assets.mjs); the asset layer serves it
// before the Worker, which only sees /docs when it has no assets in front (a bare test runtime).
app.get('/docs', (c) => c.redirect('/docs/', 301));
app.notFound((c) => {
  throw notFound(`No route for ${c.req.method} ${c.req.path}.`);
});
app.onError(handleError);
