import { eventsEnabled } from '../config';
import { createMiddleware } from 'hono/factory';
import { requestId } from 'hono/request-id';
import { QueryMeter } from '../store/meter';
import type { AppEnv } from '../env';
import { wantsDispatch } from '../service/delivery';
import { backgroundExecutor, registryOf } from './composition-root';

/**
 * Request id for logs and 500 bodies (Hono's request-id): a caller's X-Request-Id is echoed when it
 * is short and plain (letters, digits, `_`, `-`, `=`), else one is made.
 */
export const requestIds = requestId({ limitLength: 64 });

/** D1's cost of the request in headers, and one structured access log line per request. */
export const accessLog = createMiddleware<AppEnv>(async (c, next) => {
  c.set('meter', new QueryMeter());
  const started = Date.now();
  await next();
  // D1's own cost figures for this request: deterministic, unlike time (docs/operations.md).
  c.header('X-D1-Rows-Read', String(c.get('meter').rowsRead));
  c.header('X-D1-Rows-Written', String(c.get('meter').rowsWritten));
  c.header('X-D1-Round-Trips', String(c.get('meter').roundTrips));
  // Never the token, a hash, a password or a body.
  console.log(
    JSON.stringify({
      requestId: c.get('requestId'),
      tenant: c.get('token')?.tenantId,
      tokenId: c.get('token')?.id,
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

const SCIM_BASE = /^(?:\/t\/([^/]+))?\/scim\/v2(?=\/|$)/;

/** The tenant named by a per-tenant base URL (`/t/{tenant}/scim/v2/...`), if the request used one. */
export function tenantInPath(pathname: string): string | undefined {
  const tenant = SCIM_BASE.exec(pathname)?.[1];
  if (tenant === undefined) return undefined;
  try {
    return decodeURIComponent(tenant);
  } catch {
    return tenant; // not valid percent-encoding: no tenant is named so, and the token decides (401)
  }
}

/** The path within the SCIM API, under either base URL (`/t/acme/scim/v2/Users` → `/Users`). */
export function withinScim(pathname: string): string {
  return pathname.replace(SCIM_BASE, '');
}

/** The tenant's registry (built-in types plus its declarations) for this request: `c.get('registry')`. */
export const loadRegistry = createMiddleware<AppEnv>(async (c, next) => {
  const { registry, version } = await registryOf(c, c.get('token').tenantId);
  c.set('registry', registry);
  c.set('declarationsVersion', version);
  await next();
});

/** Methods that change nothing (RFC 9110 §9.2.1 safe methods the API serves). */
export const READS = new Set(['GET', 'HEAD']);

/**
 * After a SCIM write that succeeded, asks the webhook queue to dispatch the tenant's new events
 * (off the response path). The minute sweep dispatches anything this misses.
 */
export const kickWebhooks = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const queue = c.env.WEBHOOKS;
  if (!queue || READS.has(c.req.method) || c.res.status >= 400 || !eventsEnabled(c.env) || !c.get('token')) return;
  const { tenantId: tenant, shard } = c.get('token');
  c.executionCtx.waitUntil(
    (async () => {
      if (await wantsDispatch(backgroundExecutor(c.env, shard), tenant)) await queue.send({ kind: 'dispatch', tenant });
    })().catch(() => undefined),
  );
});
