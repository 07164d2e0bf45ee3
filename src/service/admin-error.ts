/**
 * The admin API's one error type (README "Admin API"): thrown anywhere under /admin and turned
 * into `{error, message, …}` by the app's one error handler (http/errors.ts), never as a SCIM error.
 */
export class AdminError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 413 | 500,
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
