import type { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { methodNotAllowed } from '../scim/errors';
import { unknownEndpoint } from './scim-request';
import type { AppEnv } from '../env';

// RFC 9110 §15.5.6: a known path asked with a method it does not take is 405 with an Allow header.
// Which methods a path takes is read from the routes the app registered, never kept by hand.

interface PathMethods {
  segments: string[];
  methods: Set<string>;
}

/** The app's routes grouped by path pattern (`/:endpoint/:id` → GET, PUT, PATCH, DELETE); middleware excluded. */
function routeTable(app: Hono<AppEnv>): PathMethods[] {
  const byPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    byPath.set(route.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({ segments: path === '/' ? [] : path.split('/').slice(1), methods }));
}

const isParam = (segment: string) => segment.startsWith(':');

/** The pattern's parameters for `segments`, or undefined when it does not match. */
function match(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (isParam(pattern[i]!)) params[pattern[i]!.slice(1)] = segments[i]!;
    else if (pattern[i] !== segments[i]) return undefined;
  }
  return params;
}

/** Positive when `a` is more specific: a literal segment beats a parameter at the first place they differ. */
function specificity(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (isParam(a[i]!) !== isParam(b[i]!)) return isParam(a[i]!) ? -1 : 1;
  }
  return 0;
}

/**
 * Runs before the routes: a request whose path is one the app serves, asked with another method, is
 * 405 with the methods that path's most specific pattern takes (`GET /Users/.search` is the search
 * endpoint, not a resource called ".search"). `relativePath` gives the path within the app.
 * An endpoint parameter naming no resource type is 404, as the routes would answer.
 */
export function allowedMethods(app: Hono<AppEnv>, relativePath: (path: string) => string) {
  let table: PathMethods[] | undefined;
  return createMiddleware<AppEnv>(async (c, next) => {
    table ??= routeTable(app);
    // `/Users/` is `/Users` (the app is not strict about one trailing slash); `//Users` matches nothing.
    const path = relativePath(c.req.path).replace(/\/$/, '');
    const segments = path === '' ? [] : path.split('/').slice(1);
    const candidates = table.flatMap((p) => {
      const params = match(p.segments, segments);
      return params ? [{ ...p, params }] : [];
    });
    const best = candidates.sort((a, b) => specificity(b.segments, a.segments))[0];
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
    if (best && !best.methods.has(method)) {
      const endpoint = best.params.endpoint;
      if (endpoint !== undefined && !c.get('registry').byEndpoint(endpoint)) throw unknownEndpoint(endpoint);
      const allowed = [...best.methods];
      throw methodNotAllowed(`Method ${c.req.method} is not allowed here; use ${allowed.join(', ')}.`, allowed);
    }
    await next();
  });
}
