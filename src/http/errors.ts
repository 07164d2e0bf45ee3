import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ScimError } from '../scim/errors';
import type { AppEnv } from '../env';
import { scimError } from './respond';

/**
 * The one place errors become responses. ScimErrors render as RFC 7644 §3.12 bodies; anything
 * else is a logged 500 carrying only the request id (never a stack trace or internal message).
 */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ScimError) return scimError(err);
  if (err instanceof HTTPException) return scimError(new ScimError(err.status, err.message || 'Request failed.'));
  const requestId = c.get('requestId') ?? 'unknown';
  console.error(JSON.stringify({ level: 'error', requestId, error: err.name, message: err.message }));
  return scimError(new ScimError(500, `Internal error; quote request id ${requestId} when reporting it.`));
}
