import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { invalidValue } from '../scim/errors';

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
