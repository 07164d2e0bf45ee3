import { createMiddleware } from 'hono/factory';
import { Executor } from '../store/executor';
import { QueryMeter } from '../store/meter';
import { ScimContext } from '../service/context';
import { limits } from '../config';
import { cursorSecret } from '../service/cursor';
import { tenantRegistry } from '../service/registry';
import { lookupToken } from '../auth/tokens';
import { defaultRegistry } from '../scim/schema/builtins';
import type { SchemaRegistry } from '../scim/schema/registry';
import { presentedToken } from './auth';
import type { AppEnv } from '../env';
import type { Context } from 'hono';

/** Request id for logs and 500 bodies; echoes a caller's X-Request-Id when it looks sane. */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header('X-Request-Id');
  const requestId = given && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
  c.set('requestId', requestId);
  c.set('meter', new QueryMeter());
  const started = Date.now();
  await next();
  c.header('X-Request-Id', requestId);
  // D1's own cost figures for this request: deterministic, unlike time (docs/operations.md).
  c.header('X-D1-Rows-Read', String(c.var.meter.rowsRead));
  c.header('X-D1-Rows-Written', String(c.var.meter.rowsWritten));
  // Structured access log: never the token, a hash, a password or a body.
  console.log(
    JSON.stringify({
      requestId,
      tenant: c.var.token?.tenantId,
      tokenId: c.var.token?.id,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Date.now() - started,
    }),
  );
});

/**
 * SCIM base URL at the host and path that were called (meta.location must be absolute, RFC 7643
 * §3.1): `/scim/v2`, or a tenant's own base `/t/{tenant}/scim/v2` (docs/decisions.md).
 */
export const scimBase = createMiddleware<AppEnv>(async (c, next) => {
  const url = new URL(c.req.url);
  const tenant = tenantInPath(url.pathname);
  c.set('baseUrl', tenant === undefined ? `${url.origin}/scim/v2` : `${url.origin}/t/${encodeURIComponent(tenant)}/scim/v2`);
  await next();
});

/** The tenant named by a per-tenant base URL (`/t/{tenant}/scim/v2/...`), if the request used one. */
export function tenantInPath(pathname: string): string | undefined {
  const match = /^\/t\/([^/]+)\/scim\/v2(?:\/|$)/.exec(pathname);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

/** The tenant's registry (built-in types plus its declarations) for this request: `c.var.registry`. */
export const loadRegistry = createMiddleware<AppEnv>(async (c, next) => {
  const { registry, version } = await tenantRegistry(c.env.TOKENS, new Executor(c.env.DB, c.var.meter), c.var.token.tenantId);
  c.set('registry', registry);
  c.set('declarationsVersion', version);
  await next();
});

/** The registry of the tenant whose token is presented, else the built-in one (for /openapi.json). */
export async function optionalTenantRegistry(c: Context<AppEnv>): Promise<SchemaRegistry> {
  const token = presentedToken(c.req.header('Authorization'));
  const record = token ? await lookupToken(c.env.TOKENS, token) : undefined;
  return record ? (await tenantRegistry(c.env.TOKENS, new Executor(c.env.DB, c.var.meter), record.tenantId)).registry : defaultRegistry;
}

export function scimContext(c: Context<AppEnv>): ScimContext {
  let secret: Promise<string> | undefined;
  const lazySecret = () => (secret ??= cursorSecret(c.env));
  const registry = { registry: c.var.registry, version: c.var.declarationsVersion };
  return new ScimContext(new Executor(c.env.DB, c.var.meter), c.var.token.tenantId, registry, c.var.baseUrl, limits(c.env), lazySecret);
}
