import type { Context } from 'hono';
import { lookupToken } from '../auth/tokens';
import { limits } from '../config';
import { defaultRegistry } from '../scim/schema/builtins';
import type { SchemaRegistry } from '../scim/schema/registry';
import type { AdminContext } from '../service/admin';
import { ScimContext } from '../service/context';
import { cursorSecret } from '../service/cursor';
import { tenantRegistry, type TenantRegistry } from '../service/registry';
import { Executor } from '../store/executor';
import type { AppEnv } from '../env';
import { presentedToken } from './auth';

// The composition root: where a request's services are built from its bindings. Routes and
// middleware ask here; nothing else constructs an executor or a context.

/** D1 for this request, its rows counted by the request's meter (the X-D1-* headers). */
const executorOf = (c: Context<AppEnv>) => new Executor(c.env.DB, c.var.meter);

/** The SCIM operations' context: the token's tenant, its registry, this request's base URL and limits. */
export function scimContextOf(c: Context<AppEnv>): ScimContext {
  let secret: Promise<string> | undefined;
  const lazySecret = () => (secret ??= cursorSecret(c.env));
  const registry = { registry: c.var.registry, version: c.var.declarationsVersion };
  return new ScimContext(executorOf(c), c.var.token.tenantId, registry, c.var.baseUrl, limits(c.env), lazySecret);
}

/** The admin API's context. */
export function adminContextOf(c: Context<AppEnv>): AdminContext {
  return {
    exec: executorOf(c),
    kv: c.env.TOKENS,
    origin: new URL(c.req.url).origin,
    defer: (work) => c.executionCtx.waitUntil(work),
  };
}

/** A tenant's compiled registry (service/registry.ts), read with this request's meter. */
export function registryOf(c: Context<AppEnv>, tenantId: string): Promise<TenantRegistry> {
  return tenantRegistry(c.env.TOKENS, executorOf(c), tenantId);
}

/** The registry of the tenant whose token is presented, else the built-in one (for /openapi.json). */
export async function optionalTenantRegistry(c: Context<AppEnv>): Promise<SchemaRegistry> {
  const token = presentedToken(c.req.header('Authorization'));
  const record = token ? await lookupToken(c.env.TOKENS, token) : undefined;
  return record ? (await registryOf(c, record.tenantId)).registry : defaultRegistry;
}
