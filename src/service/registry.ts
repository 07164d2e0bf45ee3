import { registryWith, defaultRegistry } from '../scim/schema/builtins';
import type { SchemaRegistry } from '../scim/schema/registry';
import { DeclarationStore } from '../store/declarations';
import type { Executor } from '../store/executor';

// The registry a request uses: the built-in types plus the tenant's declarations, compiled once per
// isolate and keyed by the tenant's declarations version. The version comes from KV (cached at the
// edge for VERSION_TTL_SECONDS) and from this location's
// Cache API, both remembered by the isolate for SHARED_VERSION_MEMO_MS (so that they are not a
// sequential hop before every request's D1 call), and from this isolate's own changes, seen at once.
// A stale version never writes: every write batch checks it (store/declarations.ts `currentStatement`).

// KV's shortest edge cache (its default is 60 s), as for tokens (auth/tokens.ts KV_CACHE_TTL_SECONDS).
const VERSION_TTL_SECONDS = 30;
const MARKER_TTL_SECONDS = 120;
/** How long an isolate trusts what KV and the Cache API said of a tenant's version (reads only). */
export const SHARED_VERSION_MEMO_MS = 5_000;
const compiled = new Map<string, TenantRegistry>();
const changedHere = new Map<string, number>();
const sharedSeen = new Map<string, { version: number; until: number }>();
/** Tenants whose compiled registry a write found stale (service/resources.ts): reloaded from D1 next. */
const staleHere = new Set<string>();

/** A tenant's registry and the declarations version it was compiled at (every write batch checks it). */
export interface TenantRegistry {
  version: number;
  registry: SchemaRegistry;
}

function versionKey(tenantId: string): string {
  return `declver:${tenantId}`;
}

function markerUrl(tenantId: string): string {
  return `https://declarations.scim.internal/${encodeURIComponent(tenantId)}`;
}

/** The newest declarations version known here: this isolate, this location's cache, or KV. */
export async function declarationsVersion(kv: KVNamespace, tenantId: string, now = Date.now()): Promise<number> {
  return Math.max(await sharedVersion(kv, tenantId, now), changedHere.get(tenantId) ?? 0);
}

async function sharedVersion(kv: KVNamespace, tenantId: string, now: number): Promise<number> {
  const seen = sharedSeen.get(tenantId);
  if (seen && now < seen.until) return seen.version;
  const [stored, marker] = await Promise.all([
    kv.get(versionKey(tenantId), { cacheTtl: VERSION_TTL_SECONDS }),
    caches.default.match(markerUrl(tenantId)),
  ]);
  const local = marker ? Number(await marker.text()) : 0;
  const version = Math.max(Number(stored ?? 0) || 0, local || 0);
  sharedSeen.set(tenantId, { version, until: now + SHARED_VERSION_MEMO_MS });
  return version;
}

/**
 * Publishes a tenant's new version: at once in this isolate and this location's cache, and in KV
 * (everywhere within VERSION_TTL_SECONDS) after the response, retried: production KV takes one write
 * a second per key, and `schema apply` sends several changes in a row. A newer write wins anyway.
 */
export async function publishVersion(kv: KVNamespace, tenantId: string, version: number, defer: (work: Promise<unknown>) => void): Promise<void> {
  changedHere.set(tenantId, Math.max(changedHere.get(tenantId) ?? 0, version));
  compiled.delete(tenantId);
  await caches.default.put(markerUrl(tenantId), new Response(String(version), { headers: { 'Cache-Control': `max-age=${MARKER_TTL_SECONDS}` } }));
  defer(writeVersion(kv, tenantId, version));
}

async function writeVersion(kv: KVNamespace, tenantId: string, version: number): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const stored = Number((await kv.get(versionKey(tenantId))) ?? 0);
      if (stored >= version) return;
      await kv.put(versionKey(tenantId), String(version));
      return;
    } catch (error) {
      console.error(JSON.stringify({ level: 'warn', where: 'declarations-version', tenant: tenantId, attempt, message: (error as Error).message }));
      await new Promise((resolve) => setTimeout(resolve, 1100 * (attempt + 1)));
    }
  }
}

/** Forgets a deleted tenant's version. */
export async function forgetVersion(kv: KVNamespace, tenantId: string): Promise<void> {
  changedHere.delete(tenantId);
  sharedSeen.delete(tenantId);
  compiled.delete(tenantId);
  await Promise.all([kv.delete(versionKey(tenantId)), caches.default.delete(markerUrl(tenantId))]);
}

/**
 * The tenant's registry. Without declarations it is the built-in one (no D1 read); otherwise the
 * compiled one when it is at least as new as the known version, else loaded (one D1 round trip).
 */
export async function tenantRegistry(kv: KVNamespace, exec: Executor, tenantId: string): Promise<TenantRegistry> {
  const stale = staleHere.has(tenantId);
  const version = await declarationsVersion(kv, tenantId);
  if (version === 0 && !stale) return { version: 0, registry: defaultRegistry };
  const hit = compiled.get(tenantId);
  if (hit && hit.version >= version && !stale) return hit;
  const loaded = await new DeclarationStore(exec, tenantId).load();
  const registry = registryWith({ schemas: loaded.schemas.map((s) => s.body), resourceTypes: loaded.resourceTypes.map((r) => r.body) });
  const fresh = { version: loaded.version, registry };
  compiled.set(tenantId, fresh);
  staleHere.delete(tenantId);
  changedHere.set(tenantId, Math.max(changedHere.get(tenantId) ?? 0, loaded.version));
  return fresh;
}

/**
 * A write found the tenant's declarations newer than the registry it was built from (another
 * location changed them and KV has not said so yet): the next request here reads them from D1.
 */
export function markStale(tenantId: string): void {
  staleHere.add(tenantId);
  compiled.delete(tenantId);
}
