import { Hono } from 'hono';
import { z } from 'zod';
import { ALL_SCOPES, issueToken } from '../auth/tokens';
import { adminAuth, adminError } from '../http/admin-auth';
import { Executor } from '../store/executor';
import { TenantStore } from '../store/tenants';
import type { AppEnv } from '../env';
import type { Context } from 'hono';
import { zValidator } from '@hono/zod-validator';

/** The admin API (README "Admin API"): tenants and their tokens. JSON in, JSON out. */
export const adminRoutes = new Hono<AppEnv>();
adminRoutes.use('*', adminAuth);

const tenantId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _, at most 64');
const newTenant = z.object({ id: tenantId, name: z.string().min(1).max(200).optional() });
const newToken = z.object({
  label: z.string().min(1).max(200),
  scopes: z.array(z.enum(ALL_SCOPES as ['scim:read', 'scim:write'])).min(1).optional(),
  expiresInDays: z.number().positive().max(3650).optional(),
  subject: z.string().min(1).max(200).optional(),
});

function body<T extends z.ZodType>(schema: T) {
  return zValidator('json', schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      return adminError(400, 'invalid_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
  });
}

function tenants(c: Context<AppEnv>): TenantStore {
  return new TenantStore(new Executor(c.env.DB, c.var.meter));
}

adminRoutes.post('/tenants', body(newTenant), async (c) => {
  const input = c.req.valid('json');
  const tenant = { id: input.id, name: input.name ?? input.id, created: new Date().toISOString() };
  if (!(await tenants(c).create(tenant))) return adminError(409, 'conflict', `Tenant '${input.id}' already exists.`);
  return c.json(tenant, 201);
});

adminRoutes.post('/tenants/:tenant/tokens', body(newToken), async (c) => {
  const tenant = await tenants(c).get(c.req.param('tenant'));
  if (!tenant) return adminError(404, 'not_found', `Tenant '${c.req.param('tenant')}' not found.`);
  const input = c.req.valid('json');
  const expires = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000).toISOString() : undefined;
  const { token, metadata } = await issueToken(c.env.TOKENS, {
    tenantId: tenant.id,
    label: input.label,
    scopes: input.scopes,
    expires,
    subject: input.subject,
  });
  // The only time the token is shown: it is stored as a hash from here on.
  const { hash: _hash, ...shown } = metadata;
  return c.json({ ...shown, token }, 201);
});
