import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { limits } from '../config';
import { redactBody, redactQuery } from '../scim/redact';
import type { SchemaRegistry } from '../scim/schema/registry';
import type { AttributeDef } from '../scim/schema/types';
import { recordRequests, type LogEntry } from '../service/request-log';
import type { AppEnv } from '../env';
import { backgroundExecutor } from './composition-root';
import { READS, tenantInPath } from './middleware';

// The provisioning log's writer (README "Provisioning log"): every SCIM request of a tenant, after
// its response, off the response path (waitUntil). Bodies redacted (scim/redact.ts) and cut, or
// none with REQUEST_LOG_BODIES=false; the Authorization header is never read here.

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
  if (id && id !== '.search') return decoded(id);
  return typeof created === 'object' && created !== null && typeof (created as { id?: unknown }).id === 'string' ? (created as { id: string }).id : null;
}

/**
 * The request's body as the handler read it (Hono keeps what it read: `readJson`'s text, a
 * validator's JSON), else, when the handler answered without reading it (a 401, a 415), the body
 * itself read here up to the payload limit: never a second copy of the stream (a tee) on the way in,
 * and a longer body (or one announced longer) is not buffered for the log.
 */
async function requestBodyText(c: Context<AppEnv>): Promise<string | undefined> {
  if (Object.keys(c.req.bodyCache).length > 0) return c.req.text().catch(() => undefined);
  const body = c.req.raw.body;
  const max = limits(c.env).maxPayloadBytes;
  if (!body || c.req.raw.bodyUsed || Number(c.req.header('Content-Length') ?? 0) > max) return undefined;
  return readCapped(body, max);
}

/** A stream's text if it is at most `max` bytes; undefined (the stream cancelled) past that. */
async function readCapped(stream: ReadableStream<Uint8Array>, max: number): Promise<string | undefined> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        return undefined;
      }
      parts.push(value);
    }
  } catch {
    return undefined;
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** A path segment decoded, or as sent when it is not valid percent-encoding. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export const provisioningLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  const keepBodies = c.env.REQUEST_LOG_BODIES?.trim().toLowerCase() !== 'false';
  await next();
  const url = new URL(c.req.url);
  // A failure on a per-tenant base URL is the tenant's, whoever sent it; else the token says whose.
  const tenantId = c.get('token')?.tenantId ?? tenantInPath(url.pathname);
  if (!tenantId) return;
  const requestText = keepBodies && !READS.has(c.req.method) ? await requestBodyText(c) : undefined;
  const status = c.res.status;
  const meter = c.get('meter');
  const responseText = c.res.body ? c.res.clone().text() : Promise.resolve(undefined);
  // The registry (which attributes are write-only) is known once the request is authenticated; an
  // unauthenticated one keeps no body at all.
  const authenticated = c.get('token') !== undefined && c.get('registry') !== undefined;
  const writeOnly = writeOnlyNames(c.get('registry'));
  const entry = (async (): Promise<LogEntry> => {
    const response = await responseText;
    const request = requestText;
    let parsed: unknown;
    try {
      parsed = response ? JSON.parse(response) : undefined;
    } catch {
      parsed = undefined;
    }
    const scimType = status >= 400 && typeof (parsed as { scimType?: unknown })?.scimType === 'string' ? (parsed as { scimType: string }).scimType : null;
    return {
      tenantId,
      id: crypto.randomUUID(),
      requestId: c.get('requestId'),
      at: new Date(started).toISOString(),
      tokenId: c.get('token')?.id ?? null,
      tokenLabel: c.get('token')?.label ?? null,
      authFailure: c.get('authFailure') ?? null,
      method: c.req.method,
      path: url.pathname.slice(0, 2000),
      query: url.search ? redactQuery(url.search.slice(1)) : null,
      status,
      scimType,
      durationMs: Date.now() - started,
      rowsRead: meter?.rowsRead ?? 0,
      rowsWritten: meter?.rowsWritten ?? 0,
      resourceId: resourceOf(url.pathname, status === 201 ? parsed : undefined),
      userAgent: c.req.header('User-Agent')?.slice(0, 500) ?? null,
      requestBody: keepBodies && authenticated ? redactBody(request, writeOnly) : null,
      responseBody: keepBodies && authenticated ? redactBody(response, writeOnly) : null,
    };
  })();
  // Through the log queue, whose consumer writes a hundred entries per D1 call: the log costs the
  // database a statement per request, not a round trip. Without the queue, written here.
  const queue = c.env.REQUEST_LOG;
  c.executionCtx.waitUntil(
    entry
      .then(async (e) => {
        if (queue) await queue.send(e);
        else await recordRequests(backgroundExecutor(c.env, c.get('token')?.shard), [e]);
      })
      .catch((error: unknown) => console.log(JSON.stringify({ level: 'error', log: 'provisioning', error: error instanceof Error ? error.name : 'Error' }))),
  );
});
