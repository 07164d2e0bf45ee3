import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { invalidValue } from '../scim/errors';
import { invalidRequest } from '../service/admin-error';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../util/json';

/** zod validation whose failures are SCIM errors (400 invalidValue, RFC 7644 §3.12), thrown for app.onError. */
export function validated<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.join('.');
      throw invalidValue(`Invalid ${target}${where ? ` parameter '${where}'` : ''}: ${issue?.message ?? 'invalid'}.`);
    }
  });
}

/**
 * The admin API's JSON body, checked against `schema`; `c.req.valid('json')` then holds the result.
 * Faults are 400 `{"error":"invalid_request","message":…}` naming the member. As Hono's validator
 * does, a body sent without a JSON media type is read as `{}`; its size is capped by the admin
 * routes' body limit (http/body.ts).
 */
export function adminBody<T extends ZodType>(schema: T) {
  return zValidator('json', schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      throw invalidRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
    // What is stored from it (a declaration) must stay within the depth every reader can walk.
    if (nestsDeeperThan(result.data, MAX_JSON_DEPTH)) throw invalidRequest(`body: nests deeper than ${MAX_JSON_DEPTH} levels.`);
  });
}
