// RFC 7644 §3.12: one error type, named factories, turned into a response in one place (http/errors.ts).

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'invalidCursor'
  | 'expiredCursor';

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  /** The same error with `prefix` before its detail (which PATCH operation or Bulk step failed). */
  within(prefix: string): ScimError {
    return new ScimError(this.status, `${prefix}${this.detail}`, this.scimType, this.headers);
  }

  toJSON(): Record<string, unknown> {
    return {
      schemas: [ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.detail,
    };
  }
}

export const invalidFilter = (detail: string) => new ScimError(400, detail, 'invalidFilter');
export const invalidSyntax = (detail: string) => new ScimError(400, detail, 'invalidSyntax');
export const invalidValue = (detail: string) => new ScimError(400, detail, 'invalidValue');
export const invalidPath = (detail: string) => new ScimError(400, detail, 'invalidPath');
export const noTarget = (detail: string) => new ScimError(400, detail, 'noTarget');
export const mutability = (detail: string) => new ScimError(400, detail, 'mutability');
export const uniqueness = (detail: string) => new ScimError(409, detail, 'uniqueness');
/** RFC 7644 §3.7.3: a Bulk operation names a bulkId that no successful operation created. */
export const unresolvedBulkId = (detail: string) => new ScimError(409, detail, 'invalidValue');
export const invalidCursor = (detail: string) => new ScimError(400, detail, 'invalidCursor');
export const expiredCursor = (detail: string) => new ScimError(400, detail, 'expiredCursor');
export const notFound = (detail: string) => new ScimError(404, detail);
/** RFC 9110 §15.5.6: a known path asked with another method; Allow lists the ones it takes. */
export const methodNotAllowed = (detail: string, allowed: string[]) => new ScimError(405, detail, undefined, { Allow: allowed.join(', ') });
/** RFC 9110 §15.5.10: the request conflicts with the resource's state (without a SCIM scimType). */
export const conflict = (detail: string) => new ScimError(409, detail);
/** RFC 7644 §3.14: the version named by If-Match (or If-None-Match) makes the request fail. */
export const preconditionFailed = (detail: string) => new ScimError(412, detail);
export const unauthorized = (detail: string) =>
  new ScimError(401, detail, undefined, { 'WWW-Authenticate': 'Bearer realm="scim"' });
export const forbidden = (detail: string) => new ScimError(403, detail);
export const payloadTooLarge = (detail: string) => new ScimError(413, detail);
/** RFC 7644 §3.1 / RFC 9110 §15.5.16: a body in a media type other than SCIM's JSON. */
export const unsupportedMediaType = (detail: string) => new ScimError(415, detail);
/** RFC 6585 §4: the caller's rate limit; Retry-After (RFC 9110 §10.2.3) says when to try again. */
export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  new ScimError(429, detail, undefined, { 'Retry-After': String(Math.max(1, retryAfterSeconds)) });
/** An unexpected failure: only the request id is told, never a stack or an internal message. */
export const internalError = (detail: string) => new ScimError(500, detail);
export const notImplemented = (detail: string) => new ScimError(501, detail);
/** RFC 9110 §15.6.4: a passing condition; Retry-After (§10.2.3) says when to try again. */
export const serviceUnavailable = (detail: string, retryAfterSeconds: number) =>
  new ScimError(503, detail, undefined, { 'Retry-After': String(retryAfterSeconds) });
