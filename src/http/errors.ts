import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { internalError, ScimError } from '../scim/errors';
import { AdminError, adminInternalError, invalidRequest } from '../service/admin-error';
import type { AppEnv } from '../env';
import { errorResponse } from './respond';

/** The admin API lives under /admin; everything else speaks SCIM. */
const isAdminRequest = (c: Context<AppEnv>) => /^\/admin(\/|$)/.test(c.req.path);

/**
 * The one place errors become responses (app.onError). ScimErrors become RFC 7644 §3.12 bodies
 * and AdminErrors the admin API's `{error, message}`; Hono's own faults (malformed JSON to a
 * validator) take the form of the API they happened in; anything else is a logged 500 carrying only
 * the request id (never a stack trace or internal message).
 */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ScimError || err instanceof AdminError) return errorResponse(c, err);
  const admin = isAdminRequest(c);
  if (err instanceof HTTPException) {
    const message = err.message || 'Request failed.';
    // Only Hono's validators throw these here (a malformed JSON body): a fault of the request.
    return errorResponse(c, admin ? invalidRequest(`body: ${message}`) : new ScimError(err.status, message));
  }
  const requestId = c.get('requestId') ?? 'unknown';
  console.error(JSON.stringify({ level: 'error', requestId, error: err.name, message: err.message }));
  const detail = `Internal error; quote request id ${requestId} when reporting it.`;
  return errorResponse(c, admin ? adminInternalError(detail) : internalError(detail));
}
