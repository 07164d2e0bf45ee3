import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { canonicalFields, isObject } from '../util/fields';
import { invalidValue, notFound, preconditionFailed } from '../scim/errors';
import { parseAttributeList, type Selection } from '../scim/projection';
import { patchAnswersNoContent } from '../scim/quirks/entra-group-patch-no-content';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import { createResource, deleteResource, getResource, matchesEtag, render, replaceResource, stale } from '../service/resources';
import { listResources, type ListQuery } from '../service/list';
import { patchResource } from '../service/patch';
import type { ScimContext } from '../service/context';
import { etagOf, type StoredResource } from '../scim/resource/output';
import { readJson } from '../http/body';
import { scimContext } from '../http/middleware';
import { scimJson } from '../http/respond';
import { validated } from '../http/validate';
import type { AppEnv } from '../env';

/** One set of routes for every registered resource type: adding a type is a declaration. */
export const resourceRoutes = new Hono<AppEnv>();

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

/**
 * Query parameter names matched case-insensitively (`Filter`, `startindex`), as SCIM matches
 * attribute names (RFC 7643 §2.1): a filter must never be dropped for its spelling.
 */
function anyCase<T extends z.ZodObject>(schema: T) {
  const names = Object.keys(schema.shape);
  const duplicate = (name: string): never => {
    throw invalidValue(`Query parameter '${name}' is given more than once (names are case-insensitive).`);
  };
  return z.preprocess((raw) => (isObject(raw) ? canonicalFields(raw, names, duplicate) : raw), schema);
}

export const selectionQuery = anyCase(selectionFields);
export const listQuery = anyCase(listFields);

export function resourceType(c: Context<AppEnv>): ResourceTypeInfo {
  const rt = c.var.registry.byEndpoint(c.req.param('endpoint') ?? '');
  if (!rt) throw notFound(`No resource endpoint '/${c.req.param('endpoint')}'.`);
  return rt;
}

/** An unknown endpoint is 404 before anything about the request is checked (`GET /Nope?count=x`). */
const knownEndpoint = createMiddleware<AppEnv>(async (c, next) => {
  resourceType(c);
  await next();
});
resourceRoutes.use('/:endpoint/*', knownEndpoint); // `/:endpoint/*` matches `/Users` as well

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

resourceRoutes.get('/:endpoint', validated('query', listQuery), async (c) =>
  scimJson(c, await listResources(scimContext(c), resourceType(c), listQueryOf(c.req.valid('query')))),
);

resourceRoutes.post('/:endpoint', validated('query', selectionQuery), async (c) => {
  const rt = resourceType(c);
  const body = await readJson(c);
  const result = await createResource(scimContext(c), rt, body, selectionOf(c.req.valid('query')));
  return scimJson(c, result.resource, 201, { Location: result.location, ETag: result.etag });
});

/**
 * GET of one resource, shared by `/{endpoint}/{id}` and `/Me`. RFC 9110 §13.1.1: If-Match naming
 * another version fails the GET too; RFC 7644 §3.14 / RFC 7232 §3.2: a current If-None-Match
 * answers 304 without a body.
 */
export async function getOne(c: Context<AppEnv>, rt: ResourceTypeInfo, id: string, query: { attributes?: string; excludedAttributes?: string }): Promise<Response> {
  const ctx = scimContext(c);
  const row = await getResource(ctx, rt, id);
  const ifMatch = c.req.header('If-Match');
  if (ifMatch !== undefined && !matchesEtag(ifMatch, row.version)) throw stale(row.version);
  const ifNoneMatch = c.req.header('If-None-Match');
  if (ifNoneMatch !== undefined && matchesEtag(ifNoneMatch, row.version)) return c.body(null, 304, { ETag: etagOf(row.version) });
  const result = await render(ctx, rt, row, selectionOf(query));
  return scimJson(c, result.resource, 200, { Location: result.location, ETag: result.etag });
}

/**
 * RFC 9110 §13.1.2: `If-None-Match: *` on a write means "only if it does not exist". SCIM writes by
 * id only touch existing resources, so the condition always fails: 412 (or 404 if there is none).
 */
async function refuseNoneMatchStar(c: Context<AppEnv>, rt: ResourceTypeInfo, id: string): Promise<void> {
  if (c.req.header('If-None-Match')?.trim() === '*') {
    await getResource(scimContext(c), rt, id);
    throw preconditionFailed('Precondition failed: If-None-Match: * but the resource exists.');
  }
}

/** PUT of one resource (`/{endpoint}/{id}` and `/Me`), If-Match a compare-and-swap (RFC 7644 §3.14). */
export async function putOne(c: Context<AppEnv>, rt: ResourceTypeInfo, id: string, query: { attributes?: string; excludedAttributes?: string }): Promise<Response> {
  await refuseNoneMatchStar(c, rt, id);
  const body = await readJson(c);
  const result = await replaceResource(scimContext(c), rt, id, body, selectionOf(query), c.req.header('If-Match'));
  return scimJson(c, result.resource, 200, { Location: result.location, ETag: result.etag });
}

export async function patchOne(c: Context<AppEnv>, rt: ResourceTypeInfo, id: string, query: { attributes?: string; excludedAttributes?: string }): Promise<Response> {
  await refuseNoneMatchStar(c, rt, id);
  // A bad attributes list is refused before anything is written (a rejected request changes nothing).
  const selection = selectionOf(query);
  const body = await readJson(c);
  const ctx = scimContext(c);
  const row = await patchResource(ctx, rt, id, body, c.req.header('If-Match'));
  return patchResponse(c, ctx, rt, row, selection);
}

export async function deleteOne(c: Context<AppEnv>, rt: ResourceTypeInfo, id: string): Promise<Response> {
  await refuseNoneMatchStar(c, rt, id);
  await deleteResource(scimContext(c), rt, id, c.req.header('If-Match'));
  return c.body(null, 204);
}

resourceRoutes.get('/:endpoint/:id', validated('query', selectionQuery), (c) => getOne(c, resourceType(c), c.req.param('id'), c.req.valid('query')));
resourceRoutes.put('/:endpoint/:id', validated('query', selectionQuery), (c) => putOne(c, resourceType(c), c.req.param('id'), c.req.valid('query')));
resourceRoutes.patch('/:endpoint/:id', validated('query', selectionQuery), (c) => patchOne(c, resourceType(c), c.req.param('id'), c.req.valid('query')));
resourceRoutes.delete('/:endpoint/:id', (c) => deleteOne(c, resourceType(c), c.req.param('id')));

/** RFC 7644 §3.5.2: 200 with the resource, or 204 (IDP-QUIRKS Entra 9, quirks/entra-group-patch-no-content.ts). */
export async function patchResponse(
  c: Context<AppEnv>,
  ctx: ScimContext,
  rt: ResourceTypeInfo,
  row: StoredResource,
  selection: Selection,
): Promise<Response> {
  if (patchAnswersNoContent(rt, selection)) return c.body(null, 204, { ETag: etagOf(row.version) });
  const result = await render(ctx, rt, row, selection);
  return scimJson(c, result.resource, 200, { Location: result.location, ETag: result.etag });
}
