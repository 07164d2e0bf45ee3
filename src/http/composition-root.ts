import type { Context } from 'hono';
import { lookupToken } from '../auth/tokens';
import { eventsEnabled, limits } from '../config';
import { defaultRegistry } from '../scim/schema/builtins';
import type { SchemaRegistry } from '../scim/schema/registry';
import type { AdminContext } from '../service/admin';
import { ScimContext } from '../service/context';
import { cursorSecret } from '../service/cursor';
import type { DeliveryDeps } from '../service/delivery';
import type { FeedDeps } from '../service/feed';
import { tenantRegistry, type TenantRegistry } from '../service/registry';
import { Executor } from '../store/executor';
import type { AppEnv, Bindings } from '../env';
import { QueryMeter } from '../store/meter';
import { presentedToken } from './auth';

// The composition root: where a request's services are built from its bindings. Routes and
// middleware ask here; nothing else constructs an executor or a context.

/** D1 for work outside a request (the cron handler), its rows counted by a meter of its own. */
export function backgroundExecutor(env: Bindings): Executor {
  return new Executor(env.DB, new QueryMeter());
}

/** D1 for this request, its rows counted by the request's meter (the X-D1-* headers). */
const executorOf = (c: Context<AppEnv>) => new Executor(c.env.DB, c.get('meter'));

/** The SCIM operations' context: the token's tenant, its registry, this request's base URL and limits. */
export function scimContextOf(c: Context<AppEnv>): ScimContext {
  let secret: Promise<string> | undefined;
  const lazySecret = () => (secret ??= cursorSecret(c.env));
  const registry = { registry: c.get('registry'), version: c.get('declarationsVersion') };
  const { token } = c.var;
  const actor = eventsEnabled(c.env) ? { type: 'token' as const, tokenId: token.id, tokenLabel: token.label, requestId: c.get('requestId') } : undefined;
  return new ScimContext(executorOf(c), token.tenantId, registry, c.get('baseUrl'), limits(c.env), lazySecret, actor);
}

/** The admin API's context. */
export function adminContextOf(c: Context<AppEnv>): AdminContext {
  return {
    exec: executorOf(c),
    kv: c.env.TOKENS,
    cursorSecret: () => cursorSecret(c.env),
    requestId: c.get('requestId'),
    eventsEnabled: eventsEnabled(c.env),
    webhooks: {
      allowLoopback: c.env.ALLOW_LOOPBACK_WEBHOOKS === 'true',
      keys: c.env,
      enqueue: async (message) => {
        await c.env.WEBHOOKS?.send(message);
      },
    },
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

/** The change feed of the tenant whose token (with `events:read`) the request carries. */
export function feedDepsOf(c: Context<AppEnv>, tenantId: string): FeedDeps {
  return { exec: executorOf(c), tenantId, secret: () => cursorSecret(c.env) };
}

/** What webhook delivery (a queue message or the cron sweep) works with. */
export function deliveryDepsOf(env: Bindings): DeliveryDeps {
  const base = Number(env.WEBHOOK_RETRY_BASE_SECONDS ?? 30);
  return {
    exec: backgroundExecutor(env),
    keys: env,
    retryBaseSeconds: Number.isFinite(base) && base > 0 ? base : 30,
    send: async (message, delaySeconds) => {
      await env.WEBHOOKS?.send(message, delaySeconds ? { delaySeconds } : undefined);
    },
  };
}
