import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { adminAuth } from '../http/admin-auth';
import { newTenant, newToken, rotation, tenantMove } from '../http/admin-schemas';
import { adminBodyLimit } from '../http/body';
import { adminContextOf } from '../http/composition-root';
import { adminBody } from '../http/validate';
import * as admin from '../service/admin';
import * as declared from '../service/declarations';
import * as hooks from '../service/webhooks';
import * as log from '../service/request-log';
import { moveStatus, moveTenant, refuseDuringMove, rollbackMove } from '../service/move';
import type { AppEnv } from '../env';

/** The admin API (README "Admin API"): tenants and their tokens. JSON in, JSON out; errors are AdminErrors. */
export const adminRoutes = new Hono<AppEnv>();
adminRoutes.use('*', adminAuth);
// An import streams an export of any size (read a line at a time); every other body is capped.
const IMPORT_PATH = /^\/admin\/tenants\/[^/]+\/import$/;
adminRoutes.use('*', (c, next) => (c.req.method === 'POST' && IMPORT_PATH.test(c.req.path) ? next() : adminBodyLimit(c, next)));

const anyJson = z.unknown();

// Changes of a tenant's data, and its deletion, wait for a move under way to finish (service/move.ts refuseDuringMove).
for (const path of ['/tenants/:tenant', '/tenants/:tenant/webhooks/*', '/tenants/:tenant/schemas/*', '/tenants/:tenant/resource-types/*', '/tenants/:tenant/import']) {
  adminRoutes.use(path, async (c, next) => {
    if (c.req.method !== 'GET') await refuseDuringMove((await adminContextOf(c)).control, c.req.param('tenant')!);
    return next();
  });
}

const tenant = (c: Context<AppEnv>) => c.req.param('tenant')!;

adminRoutes.post('/tenants', adminBody(newTenant), async (c) => c.json(await admin.createTenant(await adminContextOf(c), c.req.valid('json')), 201));
adminRoutes.get('/tenants', async (c) => c.json({ tenants: await admin.listTenants(await adminContextOf(c)) }));
adminRoutes.get('/shards', async (c) => c.json(await admin.listShards(await adminContextOf(c))));
adminRoutes.get('/tenants/:tenant/export', async (c) =>
  c.body(await admin.exportTenant(await adminContextOf(c), tenant(c)), 200, {
    'Content-Type': 'application/x-ndjson',
    'Content-Disposition': `attachment; filename="${tenant(c).replace(/[^A-Za-z0-9._-]/g, '_')}.ndjson"`,
  }),
);
// A move answers 202 while it has more to do (call again to resume), 200 once done (README "Shards").
adminRoutes.post('/tenants/:tenant/move', adminBody(tenantMove), async (c) => {
  const deps = admin.moveDepsOf(await adminContextOf(c));
  const body = c.req.valid('json');
  const status = 'to' in body ? await moveTenant(deps, tenant(c), body.to) : await rollbackMove(deps, tenant(c));
  return c.json(status, status.state === 'done' || status.state === 'failed' ? 200 : 202);
});
adminRoutes.get('/tenants/:tenant/move', async (c) => c.json(await moveStatus(admin.moveDepsOf(await adminContextOf(c)), tenant(c))));
adminRoutes.post('/tenants/:tenant/import', async (c) => c.json(await admin.importTenant(await adminContextOf(c), tenant(c), c.req.raw.body)));
adminRoutes.get('/tenants/:tenant', async (c) => c.json(await admin.describeTenant(await adminContextOf(c), tenant(c))));
adminRoutes.delete('/tenants/:tenant', async (c) => c.json(await admin.deleteTenant(await adminContextOf(c), tenant(c))));

// The provisioning log (README "Provisioning log").
adminRoutes.get('/tenants/:tenant/requests', async (c) => {
  await admin.existingTenant(await adminContextOf(c), tenant(c));
  return c.json(await log.listRequests(await adminContextOf(c), tenant(c), c.req.query()));
});
adminRoutes.get('/tenants/:tenant/requests/:requestId', async (c) => c.json(await log.requestDetail(await adminContextOf(c), tenant(c), c.req.param('requestId'))));

// The change feed (README "Change feed").
adminRoutes.get('/tenants/:tenant/events', async (c) => c.json(await admin.eventsOf(await adminContextOf(c), tenant(c), c.req.query())));

// Webhooks (README "Webhooks").
const anyObject = z.record(z.string(), z.unknown());
const webhookId = (c: Context<AppEnv>) => c.req.param('id')!;
adminRoutes.post('/tenants/:tenant/webhooks', adminBody(anyObject), async (c) => {
  await admin.existingTenant(await adminContextOf(c), tenant(c));
  return c.json(await hooks.createWebhook(await adminContextOf(c), tenant(c), c.req.valid('json')), 201);
});
adminRoutes.get('/tenants/:tenant/webhooks', async (c) => c.json({ webhooks: await hooks.listWebhooks(await adminContextOf(c), tenant(c)) }));
adminRoutes.get('/tenants/:tenant/webhooks/:id', async (c) => c.json(await hooks.getWebhook(await adminContextOf(c), tenant(c), webhookId(c))));
adminRoutes.patch('/tenants/:tenant/webhooks/:id', adminBody(anyObject), async (c) => c.json(await hooks.updateWebhook(await adminContextOf(c), tenant(c), webhookId(c), c.req.valid('json'))));
adminRoutes.delete('/tenants/:tenant/webhooks/:id', async (c) => {
  await hooks.deleteWebhook(await adminContextOf(c), tenant(c), webhookId(c));
  return c.body(null, 204);
});
adminRoutes.post('/tenants/:tenant/webhooks/:id/rotate-secret', adminBody(rotation), async (c) =>
  c.json(await hooks.rotateWebhookSecret(await adminContextOf(c), tenant(c), webhookId(c), c.req.valid('json').graceSeconds), 201),
);
adminRoutes.get('/tenants/:tenant/webhooks/:id/deliveries', async (c) => c.json({ deliveries: await hooks.deliveriesOf(await adminContextOf(c), tenant(c), webhookId(c)) }));
adminRoutes.post('/tenants/:tenant/webhooks/:id/deliveries/:delivery/retry', async (c) =>
  c.json(await hooks.retryDelivery(await adminContextOf(c), tenant(c), webhookId(c), c.req.param('delivery')), 202),
);

adminRoutes.get('/tenants/:tenant/tokens', async (c) => c.json({ tokens: await admin.tokensOf(await adminContextOf(c), tenant(c)) }));
adminRoutes.post('/tenants/:tenant/tokens', adminBody(newToken), async (c) =>
  c.json(await admin.mintToken(await adminContextOf(c), tenant(c), c.req.valid('json')), 201),
);
adminRoutes.post('/tenants/:tenant/tokens/:id/rotate', adminBody(rotation), async (c) =>
  c.json(await admin.rotate(await adminContextOf(c), tenant(c), c.req.param('id'), c.req.valid('json').graceSeconds), 201),
);
adminRoutes.delete('/tenants/:tenant/tokens/:id', async (c) => {
  await admin.revoke(await adminContextOf(c), tenant(c), c.req.param('id'));
  return c.body(null, 204);
});

// Tenant-declared schemas (RFC 7643 §7) and resource types (§6): README "Tenant schemas and resource types".

const declarations = async (c: Context<AppEnv>) => admin.declarationsOf(await adminContextOf(c), tenant(c));
const dryRun = (c: Context<AppEnv>) => /^(true|1)$/i.test(c.req.query('dryRun') ?? '');

adminRoutes.get('/tenants/:tenant/schemas', async (c) => c.json(await declared.listSchemas(await declarations(c))));
adminRoutes.get('/tenants/:tenant/schemas/:urn', async (c) => c.json(await declared.getSchema(await declarations(c), c.req.param('urn'))));
adminRoutes.put('/tenants/:tenant/schemas/:urn', adminBody(anyJson), async (c) => {
  const result = await declared.putSchema(await declarations(c), c.req.param('urn'), c.req.valid('json'), dryRun(c));
  return c.json(result.body, result.status);
});
adminRoutes.delete('/tenants/:tenant/schemas/:urn', async (c) => {
  await declared.deleteSchema(await declarations(c), c.req.param('urn'));
  return c.body(null, 204);
});

adminRoutes.get('/tenants/:tenant/resource-types', async (c) => c.json(await declared.listResourceTypes(await declarations(c))));
adminRoutes.get('/tenants/:tenant/resource-types/:name', async (c) => c.json(await declared.getResourceType(await declarations(c), c.req.param('name'))));
adminRoutes.put('/tenants/:tenant/resource-types/:name', adminBody(anyJson), async (c) => {
  const result = await declared.putResourceType(await declarations(c), c.req.param('name'), c.req.valid('json'), dryRun(c));
  return c.json(result.body, result.status);
});
adminRoutes.delete('/tenants/:tenant/resource-types/:name', async (c) => {
  await declared.deleteResourceType(await declarations(c), c.req.param('name'));
  return c.body(null, 204);
});
