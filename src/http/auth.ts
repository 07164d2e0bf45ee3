import { createMiddleware } from 'hono/factory';
import { recordLastUse } from '../auth/lifecycle';
import { lookupToken, refusalOf } from '../auth/tokens';
import { forbidden, unauthorized } from '../scim/errors';
import { adminForbidden, adminUnauthorized } from '../service/admin-error';
import { READS, tenantInPath } from './middleware';
import type { AppEnv } from '../env';

/**
 * `Authorization: Bearer <t>` (RFC 6750) or `Authorization: Token <t>` (a seed system's form), the
 * scheme case-insensitive (RFC 9110 §11.1). For clients that only speak HTTP Basic (RFC 7617), the
 * token may be sent as the password, any user name. The tenant is the token's; nothing else picks it.
 */
export function presentedToken(header: string | undefined): string | undefined {
  const match = header?.match(/^\s*(bearer|token|basic)\s+(\S+)\s*$/i);
  if (!match) return undefined;
  if (match[1]!.toLowerCase() !== 'basic') return match[2];
  try {
    const decoded = atob(match[2]!);
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : decoded.slice(colon + 1) || undefined;
  } catch {
    return undefined;
  }
}

export const scimAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = presentedToken(c.req.header('Authorization'));
  if (!token) {
    c.set('authFailure', 'missing');
    throw unauthorized('Authentication required: send Authorization: Bearer <token>.');
  }
  const record = await lookupToken(c.env.TOKENS, token);
  if (!record) {
    c.set('authFailure', await refusalOf(c.env.TOKENS, token));
    throw unauthorized('The token is invalid, expired or revoked.');
  }
  // A per-tenant base URL must name the token's own tenant.
  const pathTenant = tenantInPath(new URL(c.req.url).pathname);
  if (pathTenant !== undefined && pathTenant !== record.tenantId) {
    c.set('authFailure', 'wrong_tenant');
    throw unauthorized('The token is not valid for this tenant\'s base URL.');
  }
  c.set('token', record);
  // Last use is written at most every few minutes per isolate, off the response path.
  c.executionCtx.waitUntil(recordLastUse(c.env.TOKENS, record).catch(() => undefined));
  await next();
});

/** `scim:read` tokens may read (GET, and POST /.search, which RFC 7644 §3.4.3 defines as a query). */
export const requireScopeFor = createMiddleware<AppEnv>(async (c, next) => {
  const { scopes } = c.get('token');
  const isQuery = READS.has(c.req.method) || (c.req.method === 'POST' && c.req.path.endsWith('/.search'));
  const needed = isQuery ? 'scim:read' : 'scim:write';
  if (!scopes.includes(needed)) {
    c.set('authFailure', 'insufficient_scope');
    throw forbidden(`This token lacks the '${needed}' scope.`);
  }
  await next();
});

/**
 * Guards GET /events: a token of any tenant holding `events:read`, which picks the feed's tenant.
 * Errors are the admin API's JSON, as the feed's are (README "Change feed").
 */
export const feedAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = presentedToken(c.req.header('Authorization'));
  const record = token ? await lookupToken(c.env.TOKENS, token) : undefined;
  if (!record) throw adminUnauthorized('A valid token with the events:read scope is required.');
  if (!record.scopes.includes('events:read')) throw adminForbidden("This token lacks the 'events:read' scope.");
  c.set('token', record);
  await next();
});
