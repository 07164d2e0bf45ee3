import { createMiddleware } from 'hono/factory';
import { redactBody } from '../scim/redact';
import type { SchemaRegistry } from '../scim/schema/registry';
import type { AttributeDef } from '../scim/schema/types';
import { recordRequest } from '../service/request-log';
import type { AppEnv } from '../env';
import { backgroundExecutor } from './composition-root';
import { tenantInPath } from './middleware';

// The provisioning log's writer (README "Provisioning log"): every SCIM request of a tenant, after
// its response, off the response path (waitUntil). Bodies redacted (scim/redact.ts) and cut, or
// none with REQUEST_LOG_BODIES=false; the Authorization header is never read here.

const READS = new Set(['GET', 'HEAD']);

/** Lower-cased names of the registry's write-only attributes, at any depth (never logged). */
function writeOnlyNames(registry: SchemaRegistry | undefined): string[] {
  const names: string[] = [];
  const walk = (attributes: AttributeDef[]) => {
    for (const a of attributes) {
      if (a.mutability === 'writeOnly' || a.returned === 'never') names.push(a.name.toLowerCase());
      if (a.subAttributes) walk(a.subAttributes);
    }
  };
  for (const schema of registry?.schemas ?? []) walk(schema.attributes);
  return names;
}

/** The resource a request names: the segment after its endpoint (`/Users/{id}`), or what a POST created. */
function resourceOf(path: string, created: unknown): string | null {
  const id = /\/scim\/v2\/[^/]+\/([^/?]+)$/.exec(path)?.[1];
  if (id && id !== '.search') return decodeURIComponent(id);
  return typeof created === 'object' && created !== null && typeof (created as { id?: unknown }).id === 'string' ? (created as { id: string }).id : null;
}

export const provisioningLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  const keepBodies = c.env.REQUEST_LOG_BODIES?.trim().toLowerCase() !== 'false';
  const requestText = keepBodies && !READS.has(c.req.method) ? c.req.raw.clone().text().catch(() => undefined) : Promise.resolve(undefined);
  await next();
  const url = new URL(c.req.url);
  // A failure on a per-tenant base URL is the tenant's, whoever sent it; else the token says whose.
  const tenantId = c.var.token?.tenantId ?? tenantInPath(url.pathname);
  if (!tenantId) return;
  const status = c.res.status;
  const durationMs = Date.now() - started;
  const meter = c.var.meter;
  const [rowsRead, rowsWritten] = [meter?.rowsRead ?? 0, meter?.rowsWritten ?? 0];
  const responseText = c.res.body ? c.res.clone().text() : Promise.resolve(undefined);
  const writeOnly = writeOnlyNames(c.var.registry);
  c.executionCtx.waitUntil(
    (async () => {
      const [request, response] = await Promise.all([requestText, responseText]);
      let parsed: unknown;
      try {
        parsed = response ? JSON.parse(response) : undefined;
      } catch {
        parsed = undefined;
      }
      const scimType = status >= 400 && typeof (parsed as { scimType?: unknown })?.scimType === 'string' ? (parsed as { scimType: string }).scimType : null;
      await recordRequest(backgroundExecutor(c.env), {
        tenantId,
        requestId: c.var.requestId,
        at: new Date(started).toISOString(),
        tokenId: c.var.token?.id ?? null,
        tokenLabel: c.var.token?.label ?? null,
        authFailure: c.var.authFailure ?? null,
        method: c.req.method,
        path: url.pathname,
        query: url.search ? url.search.slice(1).slice(0, 2000) : null,
        status,
        scimType,
        durationMs,
        rowsRead,
        rowsWritten,
        resourceId: resourceOf(url.pathname, status === 201 ? parsed : undefined),
        userAgent: c.req.header('User-Agent')?.slice(0, 500) ?? null,
        requestBody: keepBodies ? redactBody(request, writeOnly) : null,
        responseBody: keepBodies ? redactBody(response, writeOnly) : null,
      });
    })().catch((error: unknown) => console.log(JSON.stringify({ level: 'error', log: 'provisioning', error: error instanceof Error ? error.name : 'Error' }))),
  );
});
