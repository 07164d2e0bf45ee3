import { createMiddleware } from 'hono/factory';
import { tooManyRequests } from '../scim/errors';
import type { AppEnv } from '../env';

/** Cloudflare's Workers rate-limiting binding, when one is configured in wrangler.toml. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

const WINDOW_MS = 60_000;
const windows = new Map<string, { start: number; count: number }>();

/** Fixed one-minute window per token in this isolate: the fallback when no binding is configured. */
function allowLocally(key: string, perMinute: number, now: number): { ok: boolean; retryAfter: number } {
  const w = windows.get(key);
  if (!w || now - w.start >= WINDOW_MS) {
    windows.set(key, { start: now, count: 1 });
    return { ok: true, retryAfter: 0 };
  }
  w.count++;
  return { ok: w.count <= perMinute, retryAfter: Math.ceil((w.start + WINDOW_MS - now) / 1000) };
}

/**
 * Optional per-token rate limit (off unless RATE_LIMITER is bound or RATE_LIMIT_PER_MINUTE > 0):
 * 429 with Retry-After (RFC 6585 §4), as a SCIM error body.
 */
export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.get('token').id;
  const binding = c.env.RATE_LIMITER;
  const perMinute = Number(c.env.RATE_LIMIT_PER_MINUTE ?? 0);
  if (binding) {
    if (!(await binding.limit({ key })).success) throw tooMany(60);
  } else if (perMinute > 0) {
    const verdict = allowLocally(key, perMinute, Date.now());
    if (!verdict.ok) throw tooMany(verdict.retryAfter);
  }
  await next();
});

const tooMany = (retryAfter: number) => tooManyRequests('Too many requests for this token; retry later.', retryAfter);
