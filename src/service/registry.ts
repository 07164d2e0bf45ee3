import { registryWith, defaultRegistry } from '../scim/schema/builtins';
import type { SchemaRegistry } from '../scim/schema/registry';
import { DeclarationStore } from '../store/declarations';
import type { Executor } from '../store/executor';

// The registry a request uses: the built-in types plus the tenant's declarations, compiled once per
// isolate and keyed by the tenant's declarations version. The version is read with every request
// from KV (cached at the edge for VERSION_TTL_SECONDS, the bound docs/tokens.md gives revocations)
// and from this location's Cache API and isolate, where a change made here is visible at once.

const VERSION_TTL_SECONDS = 60;
const MARKER_TTL_SECONDS = 120;
const compiled = new Map<string, { version: number; registry: SchemaRegistry }>();
const changedHere = new Map<string, number>();

function versionKey(tenantId: string): string {
  return `declver:${tenantId}`;
}

function markerUrl(tenantId: string): string {
  return `https://declarations.scim.internal/${encodeURIComponent(tenantId)}`;
}

/** The newest declarations version known here: this isolate, this location's cache, or KV. */
export async function declarationsVersion(kv: KVNamespace, tenantId: string): Promise<number> {
  const [stored, marker] = await Promise.all([
    kv.get(versionKey(tenantId), { cacheTtl: VERSION_TTL_SECONDS }),
    caches.default.match(markerUrl(tenantId)),
  ]);
  const local = marker ? Number(await marker.text()) : 0;
  return Math.max(Number(stored ?? 0) || 0, local || 0, changedHere.get(tenantId) ?? 0);
}

/** Publishes a tenant's new version: at once in this isolate and location, everywhere within the KV bound. */
export async function publishVersion(kv: KVNamespace, tenantId: string, version: number): Promise<void> {
  changedHere.set(tenantId, version);
  compiled.delete(tenantId);
  await Promise.all([
    kv.put(versionKey(tenantId), String(version)),
    caches.default.put(markerUrl(tenantId), new Response(String(version), { headers: { 'Cache-Control': `max-age=${MARKER_TTL_SECONDS}` } })),
  ]);
}

/** Forgets a deleted tenant's version. */
export async function forgetVersion(kv: KVNamespace, tenantId: string): Promise<void> {
  changedHere.delete(tenantId);
  compiled.delete(tenantId);
  await Promise.all([kv.delete(versionKey(tenantId)), caches.default.delete(markerUrl(tenantId))]);
}

/**
 * The tenant's registry. Without declarations it is the built-in one (no D1 read); otherwise the
 * compiled one when it is at least as new as the known version, else loaded (one D1 round trip).
 */
export async function tenantRegistry(kv: KVNamespace, exec: Executor, tenantId: string): Promise<SchemaRegistry> {
  const version = await declarationsVersion(kv, tenantId);
  if (version === 0) return defaultRegistry;
  const hit = compiled.get(tenantId);
  if (hit && hit.version >= version) return hit.registry;
  const loaded = await new DeclarationStore(exec, tenantId).load();
  const registry = registryWith({ schemas: loaded.schemas.map((s) => s.body), resourceTypes: loaded.resourceTypes.map((r) => r.body) });
  compiled.set(tenantId, { version: loaded.version, registry });
  return registry;
}
