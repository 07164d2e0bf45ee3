import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { z, ZodType } from 'zod';
import { invalidValue } from '../scim/errors';
import type { AppEnv } from '../env';
import { adminError } from './admin-auth';
import { limits } from '../config';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../util/json';

/** zod validation whose failures are SCIM errors (400 invalidValue, RFC 7644 §3.12), thrown for app.onError. */
export function validated<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.join('.') || target;
      throw invalidValue(`Invalid ${target} parameter '${where}': ${issue?.message ?? 'invalid'}.`);
    }
  });
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * The admin API's JSON body, checked against `schema`; `c.req.valid('json')` then holds the result.
 * The body is parsed here rather than by Hono's validator, whose malformed-JSON HTTPException would
 * render as a SCIM error: every admin fault is 400 `{"error":"invalid_request","message":…}`.
 * As with Hono's validator, a body sent without a JSON media type is read as `{}`.
 */
export function adminBody<T extends ZodType>(schema: T) {
  return createMiddleware<AppEnv, string, { in: { json: z.input<T> }; out: { json: z.output<T> } }>(async (c, next) => {
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim();
    let raw: unknown = {};
    if (JSON_MEDIA_TYPE.test(mediaType)) {
      // The same cap as SCIM bodies: what is stored from it (a declaration) must fit a D1 row.
      const text = await c.req.text();
      const max = limits(c.env).maxPayloadBytes;
      if (new TextEncoder().encode(text).byteLength > max) return adminError(413, 'payload_too_large', `body: larger than ${max} bytes.`);
      try {
        raw = JSON.parse(text);
      } catch (e) {
        return adminError(400, 'invalid_request', `body: not valid JSON (${(e as Error).message}).`);
      }
      if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) return adminError(400, 'invalid_request', `body: nests deeper than ${MAX_JSON_DEPTH} levels.`);
    }
    const result = schema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      return adminError(400, 'invalid_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
    c.req.addValidatedData('json', result.data as object);
    await next();
  });
}
