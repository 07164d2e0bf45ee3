import type { Context } from 'hono';
import { ScimError } from '../scim/errors';
import type { AppEnv } from '../env';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** A SCIM JSON response (RFC 7644 §3.1: application/scim+json). */
export function scimJson(c: Context<AppEnv>, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': `${SCIM_CONTENT_TYPE}; charset=utf-8`, ...headers },
  });
}

/** RFC 7644 §3.12 error body. */
export function scimError(error: ScimError): Response {
  return new Response(JSON.stringify(error.toJSON()), {
    status: error.status,
    headers: { 'Content-Type': `${SCIM_CONTENT_TYPE}; charset=utf-8`, ...error.headers },
  });
}
