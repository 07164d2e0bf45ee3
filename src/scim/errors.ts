// RFC 7644 §3.12: one error type, named factories, rendered into a response in one place.

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
export const invalidCursor = (detail: string) => new ScimError(400, detail, 'invalidCursor');
export const expiredCursor = (detail: string) => new ScimError(400, detail, 'expiredCursor');
export const notFound = (detail: string) => new ScimError(404, detail);
/** RFC 7644 §3.14: the version named by If-Match (or If-None-Match) makes the request fail. */
export const preconditionFailed = (detail: string) => new ScimError(412, detail);
export const unauthorized = (detail: string) =>
  new ScimError(401, detail, undefined, { 'WWW-Authenticate': 'Bearer realm="scim"' });
export const forbidden = (detail: string) => new ScimError(403, detail);
export const payloadTooLarge = (detail: string) => new ScimError(413, detail);
export const notImplemented = (detail: string) => new ScimError(501, detail);
/** RFC 9110 §15.6.4: a passing condition; Retry-After (§10.2.3) says when to try again. */
export const serviceUnavailable = (detail: string, retryAfterSeconds: number) =>
  new ScimError(503, detail, undefined, { 'Retry-After': String(retryAfterSeconds) });
