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
import type { MoveDeps } from '../service/move';
import { tenantRegistry, type TenantRegistry } from '../service/registry';
import { Executor } from '../store/executor';
import type { AppEnv, Bindings } from '../env';
import { QueryMeter } from '../store/meter';
import { allShards, CONTROL, placementShards, shardDatabase } from '../store/shards';
import { TenantStore } from '../store/tenants';
import { presentedToken } from './auth';

// The composition root: where a request's services are built from its bindings. Routes and
// middleware ask here; nothing else constructs an executor or a context.

/** A database by shard name (store/shards.ts) for work outside a request, its rows counted by a meter of its own. */
export function backgroundExecutor(env: Bindings, shard = CONTROL): Executor {
  const db = shardDatabase(env, shard);
  if (!db) throw new Error(`no D1 binding named ${shard}`);
  return new Executor(db, new QueryMeter(), shard);
}

/** Every database a tenant may live on, each with its executor, for work over all of them (crons). */
export function everyShard(env: Bindings): { shard: string; exec: Executor }[] {
  return allShards(env).map((shard) => ({ shard, exec: backgroundExecutor(env, shard) }));
}

/** What the cron's clean-up of finished moves works with (service/move.ts). */
export function backgroundMoveDeps(env: Bindings): MoveDeps {
  const shards = allShards(env);
  return { control: backgroundExecutor(env), database: (name) => (shardDatabase(env, name) ? backgroundExecutor(env, name) : undefined), shards, kv: env.TOKENS };
}

/**
 * Where a tenant lives and whether it is being moved: one read of the control database's directory,
 * none when DB is the only database; undefined when the tenant does not exist.
 */
export async function tenantPlacement(env: Bindings, tenantId: string): Promise<{ shard: string; moving: boolean } | undefined> {
  if (allShards(env).length === 1) return { shard: CONTROL, moving: false };
  return new TenantStore(backgroundExecutor(env)).placement(tenantId);
}

/** The data database of a tenant (see tenantPlacement). */
export async function tenantExecutor(env: Bindings, tenantId: string): Promise<Executor | undefined> {
  const placed = await tenantPlacement(env, tenantId);
  return placed ? backgroundExecutor(env, placed.shard) : undefined;
}

/** A database for this request, its rows counted by the request's meter (the X-D1-* headers). */
function executorOn(c: Context<AppEnv>, shard: string): Executor {
  const db = shardDatabase(c.env, shard);
  if (!db) throw new Error(`no D1 binding named ${shard}`);
  return new Executor(db, c.get('meter'), shard);
}

/** The data database of the token's tenant: the shard its record names (DB for records from before shards). */
const executorOf = (c: Context<AppEnv>) => executorOn(c, c.get('token')?.shard ?? CONTROL);

/** The SCIM operations' context: the token's tenant, its registry, this request's base URL and limits. */
export function scimContextOf(c: Context<AppEnv>): ScimContext {
  let secret: Promise<string> | undefined;
  const lazySecret = () => (secret ??= cursorSecret(c.env));
  const registry = { registry: c.get('registry'), version: c.get('declarationsVersion') };
  const token = c.get('token');
  const actor = eventsEnabled(c.env) ? { type: 'token' as const, tokenId: token.id, tokenLabel: token.label, requestId: c.get('requestId') } : undefined;
  return new ScimContext(executorOf(c), token.tenantId, registry, c.get('baseUrl'), limits(c.env), lazySecret, actor);
}

/**
 * The admin API's context, built once per request (middleware and handler share it). On a route
 * naming a tenant (`:tenant`), the tenant's directory row is read (one round trip): `exec` is its
 * data database and `routeTenant` the row, so the handler's existence check reads nothing more;
 * elsewhere, and for a tenant that does not exist, `exec` is the control database.
 */
export function adminContextOf(c: Context<AppEnv>): Promise<AdminContext> {
  let built = c.get('adminContext');
  if (!built) {
    built = buildAdminContext(c);
    c.set('adminContext', built);
  }
  return built;
}

async function buildAdminContext(c: Context<AppEnv>): Promise<AdminContext> {
  const control = executorOn(c, CONTROL);
  const tenantId = c.req.param('tenant');
  const routeTenant = tenantId ? { id: tenantId, tenant: await new TenantStore(control).get(tenantId) } : undefined;
  return {
    exec: executorOn(c, routeTenant?.tenant?.shard ?? CONTROL),
    control,
    routeTenant,
    database: (name) => (shardDatabase(c.env, name) ? executorOn(c, name) : undefined),
    shards: { placement: placementShards(c.env), all: allShards(c.env) },
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
export function registryOf(c: Context<AppEnv>, tenantId: string, shard = c.get('token')?.shard ?? CONTROL): Promise<TenantRegistry> {
  return tenantRegistry(c.env.TOKENS, executorOn(c, shard), tenantId);
}

/** The registry of the tenant whose token is presented, else the built-in one (for /openapi.json). */
export async function optionalTenantRegistry(c: Context<AppEnv>): Promise<SchemaRegistry> {
  const token = presentedToken(c.req.header('Authorization'));
  const record = token ? await lookupToken(c.env.TOKENS, token) : undefined;
  return record ? (await registryOf(c, record.tenantId, record.shard ?? CONTROL)).registry : defaultRegistry;
}

/** The change feed of the tenant whose token (with `events:read`) the request carries. */
export function feedDepsOf(c: Context<AppEnv>, tenantId: string): FeedDeps {
  return { exec: executorOf(c), tenantId, secret: () => cursorSecret(c.env) };
}

/** What webhook delivery (a queue message or the cron sweep) works with, on one database. */
export function deliveryDepsOf(env: Bindings, exec: Executor = backgroundExecutor(env)): DeliveryDeps {
  const base = Number(env.WEBHOOK_RETRY_BASE_SECONDS ?? 30);
  return {
    exec,
    keys: env,
    retryBaseSeconds: Number.isFinite(base) && base > 0 ? base : 30,
    send: async (message, delaySeconds) => {
      await env.WEBHOOKS?.send(message, delaySeconds ? { delaySeconds } : undefined);
    },
  };
}
