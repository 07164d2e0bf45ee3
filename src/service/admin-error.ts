/**
 * The admin API's and the change feed's one error type (README "Admin API"): thrown under /admin
 * and /events and turned
 * into `{error, message, …}` by the app's one error handler (http/errors.ts), never as a SCIM error.
 */
export class AdminError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 500,
    readonly error: string,
    message: string,
    /** More members of the body (`pointer`, `resources`, `changes`). */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AdminError';
  }

  toJSON(): Record<string, unknown> {
    return { error: this.error, message: this.message, ...this.extra };
  }
}

export const invalidRequest = (message: string) => new AdminError(400, 'invalid_request', message);
export const invalidSchema = (message: string, pointer: string) => new AdminError(400, 'invalid_schema', message, { pointer });
export const adminUnauthorized = (message: string) =>
  new AdminError(401, 'unauthorized', message, {}, { 'WWW-Authenticate': 'Bearer realm="admin"' });
export const adminNotFound = (message: string) => new AdminError(404, 'not_found', message);
export const adminConflict = (message: string, extra: Record<string, unknown> = {}) => new AdminError(409, 'conflict', message, extra);
export const adminPayloadTooLarge = (message: string) => new AdminError(413, 'payload_too_large', message);
export const adminInternalError = (message: string) => new AdminError(500, 'internal_error', message);
export const adminForbidden = (message: string) => new AdminError(403, 'insufficient_scope', message);
/** The change feed's cursor is older than its retention: resynchronise from /Users and /Groups. */
export const cursorExpired = (message: string) => new AdminError(410, 'cursor_expired', message);
export const badCursor = (message: string) => new AdminError(400, 'invalid_cursor', message);
