import { getToken, listTokens, revokeAllTokens, revokeToken, rotateToken, toView, type TokenView } from '../auth/lifecycle';
import { expiryAfterDays, issueToken, type Scope } from '../auth/tokens';
import { meResourceType } from '../scim/schema/builtins';
import type { Executor } from '../store/executor';
import { ResourceStore } from '../store/resources';
import { EventStore, feedBoundsRead } from '../store/events';
import { authFailuresRead, tokenActivityRead, type TokenActivity } from '../store/request-log';
import { CONTROL, leastLoaded } from '../store/shards';
import { resourceCountsRead, TenantStore, type Tenant } from '../store/tenants';
import { adminConflict, adminNotFound, invalidRequest } from './admin-error';
import type { DeclarationContext } from './declarations';
import type { WebhookMessage } from './delivery';
import { readFeed, type FeedPage, type FeedQuery } from './feed';
import type { SecretKeyEnv } from './webhook-secrets';
import { forgetVersion, publishVersion, tenantRegistry } from './registry';
import { exportLines, importLines, linesOf } from './tenant-transfer';
import type { MoveDeps } from './move';

// The admin API's operations on tenants and their tokens (README "Admin API"). Tokens live in KV
// (auth/), tenants and their resources in D1 (store/).

/** What an admin request works with: its databases, KV, and work to run after the response. */
export interface AdminContext {
  /** The data database of the tenant the route names (store/shards.ts), else the control database. */
  exec: Executor;
  /** The control database: the tenant directory and placement. */
  control: Executor;
  /** The tenant the route names, as the directory held it when the context was built (undefined: none). */
  routeTenant?: { id: string; tenant: Tenant | undefined };
  /** A database by shard name; undefined for a name no binding has. */
  database: (shard: string) => Executor | undefined;
  /** Where new tenants may go, and every database a tenant may be on. */
  shards: { placement: string[]; all: string[] };
  kv: KVNamespace;
  /** This request's id, for the events of admin changes. */
  requestId: string;
  /** Whether writes append to the change feed (EVENTS_ENABLED). */
  eventsEnabled: boolean;
  /** The HMAC secret of paging and feed cursors (service/cursor.ts). */
  cursorSecret: () => Promise<string>;
  /** Webhook settings: whether loopback URLs are allowed, the key of stored secrets, the delivery queue. */
  webhooks: { allowLoopback: boolean; keys: SecretKeyEnv; enqueue: (message: WebhookMessage) => Promise<void> };
  /** The origin the admin API was called at, for the SCIM base URLs it reports. */
  origin: string;
  defer: (work: Promise<unknown>) => void;
}

export interface NewToken {
  label: string;
  scopes?: Scope[];
  expiresInDays?: number;
  subject?: string;
}

const directoryOf = (ctx: AdminContext) => new TenantStore(ctx.control);
const feedOf = (exec: Executor, ctx: AdminContext, tenantId: string) => new EventStore(exec, tenantId, { type: 'admin', requestId: ctx.requestId }, () => new Date().toISOString());

/** The tenant, or 404 not_found. */
export async function existingTenant(ctx: AdminContext, id: string): Promise<Tenant> {
  const tenant = ctx.routeTenant?.id === id ? ctx.routeTenant.tenant : await directoryOf(ctx).get(id);
  if (!tenant) throw adminNotFound(`Tenant '${id}' not found.`);
  return tenant;
}

/** The data database of a shard name, or 400 naming the shards there are. */
function shardExec(ctx: AdminContext, shard: string): Executor {
  const exec = ctx.shards.all.includes(shard) ? ctx.database(shard) : undefined;
  if (!exec) throw invalidRequest(`shard: no database '${shard}'; there are ${ctx.shards.all.join(', ')}.`);
  return exec;
}

/**
 * Places the tenant on the shard named, else on the placement shard with the fewest tenants (the
 * first by name on a tie: store/shards.ts leastLoaded). The directory row is the commit point: the
 * data database's own row (what its write batches check) follows it, and the directory row is
 * taken back if that fails.
 */
export async function createTenant(ctx: AdminContext, input: { id: string; name?: string; shard?: string }, now = new Date()): Promise<Tenant> {
  const directory = directoryOf(ctx);
  const shard = input.shard ?? leastLoaded(ctx.shards.placement, await directory.countsByShard());
  const data = shardExec(ctx, shard);
  const tenant = { id: input.id, name: input.name ?? input.id, created: now.toISOString(), shard };
  if (!(await directory.create(tenant))) throw adminConflict(`Tenant '${input.id}' already exists.`);
  if (shard !== CONTROL) {
    try {
      await new TenantStore(data).createDataRow(tenant);
    } catch (error) {
      await directory.deleteRow(tenant.id);
      throw error;
    }
  }
  // A tenant id used before (deleted, its events retained): the new tenant's feed starts at its
  // tenant.created, its seq continuing (an old cursor is then 410), the earlier tenant's events gone.
  const [bounds] = await data.read(feedBoundsRead(tenant.id));
  if (bounds.newest > 0) {
    const feed = feedOf(data, ctx, tenant.id);
    await data.run(feed.appendTenantStatement('tenant.created'));
    while (await feed.forgetEarlier());
  }
  return tenant;
}

export const listTenants = (ctx: AdminContext): Promise<Tenant[]> => directoryOf(ctx).list();

export async function describeTenant(ctx: AdminContext, id: string): Promise<Tenant & { tokens: number }> {
  const tenant = await existingTenant(ctx, id);
  return { ...tenant, tokens: (await listTokens(ctx.kv, tenant.id)).length };
}

/** `GET /admin/shards`: every database tenants may be on, with how many are. */
export async function listShards(ctx: AdminContext): Promise<{ shards: { name: string; tenants: number; placement: boolean }[] }> {
  const counts = await directoryOf(ctx).countsByShard();
  // DB is listed beside declared shards only while tenants remain on it.
  const names = ctx.shards.all.filter((name) => ctx.shards.placement.includes(name) || (counts.get(name) ?? 0) > 0);
  return { shards: names.map((name) => ({ name, tenants: counts.get(name) ?? 0, placement: ctx.shards.placement.includes(name) })) };
}

/**
 * Tokens first, so the tenant's integrations stop before its data goes; then its rows on its data
 * database, then its directory row, then its cached version.
 */
export async function deleteTenant(ctx: AdminContext, id: string): Promise<{ id: string; deleted: true; tokensRevoked: number }> {
  const tenant = await existingTenant(ctx, id);
  const data = shardExec(ctx, tenant.shard);
  const revoked = await revokeAllTokens(ctx.kv, id);
  // The feed says so first (it outlives the tenant until its retention): consumers stop there.
  if (ctx.eventsEnabled) await data.run(feedOf(data, ctx, id).appendTenantStatement('tenant.deleted'));
  await new TenantStore(data).delete(id);
  if (tenant.shard !== CONTROL) await directoryOf(ctx).deleteRow(id);
  await forgetVersion(ctx.kv, id);
  return { id, deleted: true, tokensRevoked: revoked };
}

/** The tenant's tokens, each with its activity from the provisioning log (last success and failure, 24 h counts). */
export async function tokensOf(ctx: AdminContext, tenantId: string, now = Date.now()): Promise<(TokenView & Partial<TokenActivity>)[]> {
  await existingTenant(ctx, tenantId);
  const tokens = (await listTokens(ctx.kv, tenantId)).map(toView);
  if (tokens.length === 0) return tokens;
  const [activity] = await ctx.exec.read(tokenActivityRead(ctx.exec, tenantId, tokens.map((t) => t.id), new Date(now - 86_400_000).toISOString()));
  return tokens.map((t) => ({ ...t, ...(activity.get(t.id) ?? {}) }));
}

/** Mints a token; the clear token is in the answer only (it is stored as a hash from here on). */
export async function mintToken(ctx: AdminContext, tenantId: string, input: NewToken): Promise<TokenView & { token: string }> {
  const tenant = await existingTenant(ctx, tenantId);
  // A /Me subject (RFC 7644 §3.11) must name an existing User of this tenant.
  if (input.subject !== undefined) {
    const me = meResourceType((await tenantRegistry(ctx.kv, ctx.exec, tenant.id)).registry);
    if (!(await new ResourceStore(ctx.exec, tenant.id).get(me.name, input.subject))) {
      throw invalidRequest(`subject: no User '${input.subject}' in tenant '${tenant.id}'.`);
    }
  }
  const { token, metadata } = await issueToken(ctx.kv, {
    tenantId: tenant.id,
    label: input.label,
    scopes: input.scopes,
    expires: expiryAfterDays(input.expiresInDays),
    subject: input.subject,
    shard: tenant.shard,
  });
  return { ...toView(metadata), token };
}

export async function rotate(ctx: AdminContext, tenantId: string, tokenId: string, graceSeconds: number): Promise<TokenView & { token: string; replaces: string }> {
  const old = await getToken(ctx.kv, tenantId, tokenId);
  if (!old) throw adminNotFound(`Token '${tokenId}' not found.`);
  const { token, metadata } = await rotateToken(ctx.kv, old, graceSeconds);
  return { ...toView(metadata), token, replaces: old.id };
}

export async function revoke(ctx: AdminContext, tenantId: string, tokenId: string): Promise<void> {
  const found = await getToken(ctx.kv, tenantId, tokenId);
  if (!found) throw adminNotFound(`Token '${tokenId}' not found.`);
  await revokeToken(ctx.kv, found);
}

/** The context of a tenant's declarations (service/declarations.ts); 404 for an unknown tenant. */
export async function declarationsOf(ctx: AdminContext, tenantId: string): Promise<DeclarationContext> {
  const tenant = await existingTenant(ctx, tenantId);
  return { ...ctx, tenantId: tenant.id, scimBase: `${ctx.origin}/t/${encodeURIComponent(tenant.id)}/scim/v2` };
}

/** A page of a tenant's change feed (README "Change feed"). */
export async function eventsOf(ctx: AdminContext, tenantId: string, query: FeedQuery): Promise<FeedPage> {
  // A deleted tenant's feed stays readable while its events are retained (it ends with tenant.deleted).
  const tenant = ctx.routeTenant?.id === tenantId ? ctx.routeTenant.tenant : await directoryOf(ctx).get(tenantId);
  let exec = tenant ? shardExec(ctx, tenant.shard) : undefined;
  if (!exec) {
    // Deleted: its feed is on whichever database it was on.
    for (const shard of ctx.shards.all) {
      const candidate = ctx.database(shard)!;
      if ((await candidate.read(feedBoundsRead(tenantId)))[0].newest > 0) exec = candidate;
    }
  }
  if (!exec) throw adminNotFound(`Tenant '${tenantId}' not found.`);
  return readFeed({ exec, tenantId, secret: ctx.cursorSecret }, query);
}

/** What the console shows of a tenant beside its tokens and log: resource counts, and 24 h failed authentications. */
export async function overviewOf(ctx: AdminContext, tenantId: string, now = Date.now()) {
  const [counts, failures] = await ctx.exec.read(resourceCountsRead(ctx.exec, tenantId), authFailuresRead(ctx.exec, tenantId, new Date(now - 86_400_000).toISOString()));
  return { counts: counts.filter((c) => c.n > 0), failures };
}

/** `GET /admin/tenants/{t}/export`: the tenant's directory as NDJSON, read a page at a time as it streams. */
export async function exportTenant(ctx: AdminContext, tenantId: string): Promise<ReadableStream<Uint8Array>> {
  const tenant = await existingTenant(ctx, tenantId);
  const lines = exportLines(shardExec(ctx, tenant.shard), tenant.id);
  const encoder = new TextEncoder();
  // About 64 KB a chunk: one enqueue a line would be a stream write per row.
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk = '';
      for (;;) {
        const next = await lines.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += `${next.value}\n`;
        if (chunk.length >= 65_536) break;
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
}

/** `POST /admin/tenants/{t}/import`: an export loaded into an empty tenant (tenant-transfer.ts importLines). */
export async function importTenant(ctx: AdminContext, tenantId: string, body: ReadableStream<Uint8Array> | null): Promise<{ tenant: string; rows: Record<string, number> }> {
  const tenant = await existingTenant(ctx, tenantId);
  if (!body) throw invalidRequest('The body is empty: send an export (NDJSON).');
  const { rows, declarationsVersion } = await importLines(shardExec(ctx, tenant.shard), tenant.id, linesOf(body));
  if (declarationsVersion > 0) await publishVersion(ctx.kv, tenant.id, declarationsVersion, ctx.defer);
  return { tenant: tenant.id, rows };
}

/** What a tenant move works with (service/move.ts). */
export function moveDepsOf(ctx: AdminContext): MoveDeps {
  return { control: ctx.control, database: ctx.database, shards: ctx.shards.all, kv: ctx.kv, tenant: ctx.routeTenant?.tenant };
}
