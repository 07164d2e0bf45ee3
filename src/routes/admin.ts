import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { getToken, listTokens, revokeAllTokens, revokeToken, rotateToken, toView } from '../auth/lifecycle';
import { ALL_SCOPES, expiryAfterDays, issueToken } from '../auth/tokens';
import { adminAuth, adminError } from '../http/admin-auth';
import { handleError } from '../http/errors';
import { adminBody } from '../http/validate';
import { Executor } from '../store/executor';
import { ResourceStore } from '../store/resources';
import { TenantStore } from '../store/tenants';
import { AdminError } from '../service/admin-error';
import { meResourceType } from '../scim/schema/builtins';
import { forgetVersion, tenantRegistry } from '../service/registry';
import * as declared from '../service/declarations';
import type { AppEnv } from '../env';

/** The admin API (README "Admin API"): tenants and their tokens. JSON in, JSON out. */
export const adminRoutes = new Hono<AppEnv>();
adminRoutes.use('*', adminAuth);
// Admin answers are `{error, message}` even for Hono's own faults; anything else is the app's logged 500.
adminRoutes.onError((err, c) => {
  if (err instanceof AdminError) return c.json(err.toJSON(), err.status);
  return err instanceof HTTPException
    ? adminError(err.status, err.status === 400 ? 'invalid_request' : 'error', err.message || 'Request failed.')
    : handleError(err, c);
});

const tenantId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _, at most 64');
const newTenant = z.object({ id: tenantId, name: z.string().min(1).max(200).optional() });
const newToken = z.object({
  label: z.string().min(1).max(200),
  scopes: z.array(z.enum(ALL_SCOPES as ['scim:read', 'scim:write'])).min(1).optional(),
  expiresInDays: z.number().positive().max(3650).optional(),
  subject: z.string().min(1).max(200).optional(),
});

function tenants(c: Context<AppEnv>): TenantStore {
  return new TenantStore(new Executor(c.env.DB, c.var.meter));
}

adminRoutes.post('/tenants', adminBody(newTenant), async (c) => {
  const input = c.req.valid('json');
  const tenant = { id: input.id, name: input.name ?? input.id, created: new Date().toISOString() };
  if (!(await tenants(c).create(tenant))) return adminError(409, 'conflict', `Tenant '${input.id}' already exists.`);
  return c.json(tenant, 201);
});

adminRoutes.get('/tenants', async (c) => c.json({ tenants: await tenants(c).list() }));

adminRoutes.get('/tenants/:tenant', async (c) => {
  const tenant = await tenants(c).get(c.req.param('tenant'));
  if (!tenant) return unknownTenant(c);
  const tokens = await listTokens(c.env.TOKENS, tenant.id);
  return c.json({ ...tenant, tokens: tokens.length });
});

adminRoutes.delete('/tenants/:tenant', async (c) => {
  const id = c.req.param('tenant');
  if (!(await tenants(c).get(id))) return unknownTenant(c);
  // Tokens first, so the tenant's integrations stop before its data goes.
  const revoked = await revokeAllTokens(c.env.TOKENS, id);
  await tenants(c).delete(id);
  await forgetVersion(c.env.TOKENS, id);
  return c.json({ id, deleted: true, tokensRevoked: revoked });
});

function unknownTenant(c: Context<AppEnv>): Response {
  return adminError(404, 'not_found', `Tenant '${c.req.param('tenant')}' not found.`);
}

adminRoutes.get('/tenants/:tenant/tokens', async (c) => {
  if (!(await tenants(c).get(c.req.param('tenant')))) return unknownTenant(c);
  const list = await listTokens(c.env.TOKENS, c.req.param('tenant'));
  return c.json({ tokens: list.map(toView) });
});

const rotation = z.object({ graceSeconds: z.number().int().min(0).max(30 * 86_400).default(0) });

adminRoutes.post('/tenants/:tenant/tokens/:id/rotate', adminBody(rotation), async (c) => {
  const old = await getToken(c.env.TOKENS, c.req.param('tenant'), c.req.param('id'));
  if (!old) return adminError(404, 'not_found', `Token '${c.req.param('id')}' not found.`);
  const { token, metadata } = await rotateToken(c.env.TOKENS, old, c.req.valid('json').graceSeconds);
  return c.json({ ...toView(metadata), token, replaces: old.id }, 201);
});

adminRoutes.delete('/tenants/:tenant/tokens/:id', async (c) => {
  const found = await getToken(c.env.TOKENS, c.req.param('tenant'), c.req.param('id'));
  if (!found) return adminError(404, 'not_found', `Token '${c.req.param('id')}' not found.`);
  await revokeToken(c.env.TOKENS, found);
  return c.body(null, 204);
});

adminRoutes.post('/tenants/:tenant/tokens', adminBody(newToken), async (c) => {
  const tenant = await tenants(c).get(c.req.param('tenant'));
  if (!tenant) return unknownTenant(c);
  const input = c.req.valid('json');
  const exec = new Executor(c.env.DB, c.var.meter);
  const me = input.subject ? meResourceType((await tenantRegistry(c.env.TOKENS, exec, tenant.id)).registry) : undefined;
  if (me && !(await new ResourceStore(exec, tenant.id).get(me.name, input.subject!))) {
    return adminError(400, 'invalid_request', `subject: no User '${input.subject}' in tenant '${tenant.id}'.`);
  }
  const { token, metadata } = await issueToken(c.env.TOKENS, {
    tenantId: tenant.id,
    label: input.label,
    scopes: input.scopes,
    expires: expiryAfterDays(input.expiresInDays),
    subject: input.subject,
  });
  // The only time the token is shown: it is stored as a hash from here on.
  return c.json({ ...toView(metadata), token }, 201);
});

// Tenant-declared schemas (RFC 7643 §7) and resource types (§6): README "Tenant schemas and resource types".

async function declarations(c: Context<AppEnv>): Promise<declared.DeclarationContext> {
  const tenant = await tenants(c).get(c.req.param('tenant')!);
  if (!tenant) throw new AdminError(404, 'not_found', `Tenant '${c.req.param('tenant')}' not found.`);
  const origin = new URL(c.req.url).origin;
  return {
    exec: new Executor(c.env.DB, c.var.meter),
    kv: c.env.TOKENS,
    tenantId: tenant.id,
    scimBase: `${origin}/t/${encodeURIComponent(tenant.id)}/scim/v2`,
    defer: (work) => c.executionCtx.waitUntil(work),
  };
}

const anyJson = z.unknown();
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
