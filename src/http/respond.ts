import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ScimError } from '../scim/errors';
import type { AdminError } from '../service/admin-error';
import type { AppEnv } from '../env';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

// Responses are made through Hono's context so that headers set by middleware before the handler
// ran (X-Request-Id) are on every answer, errors included.

/** A SCIM JSON response (RFC 7644 §3.1: application/scim+json). */
export function scimJson(c: Context<AppEnv>, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return c.newResponse(JSON.stringify(body), status as ContentfulStatusCode, { 'Content-Type': `${SCIM_CONTENT_TYPE}; charset=utf-8`, ...headers });
}

/** An error as its API shapes it: an RFC 7644 §3.12 SCIM body, or the admin API's JSON. */
export function errorResponse(c: Context<AppEnv>, error: ScimError | AdminError): Response {
  const contentType = error instanceof ScimError ? `${SCIM_CONTENT_TYPE}; charset=utf-8` : 'application/json';
  return c.newResponse(JSON.stringify(error.toJSON()), error.status as ContentfulStatusCode, { 'Content-Type': contentType, ...error.headers });
}
