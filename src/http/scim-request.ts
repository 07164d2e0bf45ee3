import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { notFound } from '../scim/errors';
import { anyCaseObject } from '../scim/message';
import type { Preconditions } from '../scim/preconditions';
import { parseAttributeList, type Selection } from '../scim/projection';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import type { ListQuery } from '../service/list';
import type { AppEnv } from '../env';

// What SCIM routes read from a request: the resource type named by the path, the query parameters
// of RFC 7644 §3.4.2 and §3.9, and the conditional headers of RFC 9110 §13.

const selectionFields = z.object({
  attributes: z.string().optional(),
  excludedAttributes: z.string().optional(),
});

const listFields = selectionFields.extend({
  filter: z.string().optional(),
  sortBy: z.string().optional(),
  sortOrder: z.string().optional(),
  startIndex: z.string().regex(/^\s*-?\d+\s*$/, 'must be an integer').optional(),
  count: z.string().regex(/^\s*-?\d+\s*$/, 'must be an integer').optional(),
  cursor: z.string().optional(),
});

// Query parameter names are matched case-insensitively (`Filter`, `startindex`), as SCIM matches
// attribute names (RFC 7643 §2.1): a filter must never be dropped for its spelling.

/** `attributes` and `excludedAttributes` (RFC 7644 §3.9). */
export const selectionQuery = anyCaseObject(selectionFields.shape);
/** A list or filter query (RFC 7644 §3.4.2). */
export const listQuery = anyCaseObject(listFields.shape);

export function selectionOf(query: { attributes?: string; excludedAttributes?: string }): Selection {
  return {
    attributes: parseAttributeList(query.attributes),
    excludedAttributes: parseAttributeList(query.excludedAttributes),
  };
}

/** The validated list query (RFC 7644 §3.4.2) as the list service takes it. */
export function listQueryOf(query: z.infer<typeof listQuery>): ListQuery {
  const { attributes: _a, excludedAttributes: _e, ...rest } = query;
  return { ...rest, ...selectionOf(query) };
}

/** 404 for a path naming no resource type of the tenant. */
export const unknownEndpoint = (endpoint: string) => notFound(`No resource endpoint '/${endpoint}'.`);

/** The resource type whose endpoint the path names (`/Users/…`), else 404. */
export function resourceType(c: Context<AppEnv>): ResourceTypeInfo {
  const rt = c.get('registry').byEndpoint(c.req.param('endpoint') ?? '');
  if (!rt) throw unknownEndpoint(c.req.param('endpoint') ?? '');
  return rt;
}

/** An unknown endpoint is 404 before anything about the request is checked (`GET /Nope?count=x`). */
export const knownEndpoint = createMiddleware<AppEnv>(async (c, next) => {
  resourceType(c);
  await next();
});

/** The request's If-Match and If-None-Match (RFC 9110 §13.1.1, §13.1.2), for scim/preconditions.ts. */
export function preconditionsOf(c: Context<AppEnv>): Preconditions {
  const ifMatch = c.req.header('If-Match');
  const ifNoneMatch = c.req.header('If-None-Match');
  return { ...(ifMatch !== undefined ? { ifMatch } : {}), ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}) };
}
