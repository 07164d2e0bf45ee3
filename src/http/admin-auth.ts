import { createMiddleware } from 'hono/factory';
import { adminNotFound, adminUnauthorized } from '../service/admin-error';
import { sha256Hex } from '../util/encoding';
import type { AppEnv } from '../env';

/** Compares secrets in constant time: both sides hashed to equal length, then timingSafeEqual. */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256Hex(given), sha256Hex(expected)]);
  const encoder = new TextEncoder();
  return crypto.subtle.timingSafeEqual(encoder.encode(a), encoder.encode(b));
}

/**
 * Guards /admin with `Authorization: Bearer <ADMIN_TOKEN>`. Without a configured ADMIN_TOKEN the
 * admin endpoint does not exist (404), so an unconfigured deployment exposes nothing.
 */
export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const secret = c.env.ADMIN_TOKEN;
  if (!secret) throw adminNotFound('Not found.');
  const match = c.req.header('Authorization')?.match(/^\s*bearer\s+(\S+)\s*$/i);
  if (!match || !(await secretsEqual(match[1]!, secret))) throw adminUnauthorized('A valid admin token is required.');
  await next();
});
