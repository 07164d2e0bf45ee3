import { Hono, type Context } from 'hono';
import { notImplemented } from '../scim/errors';
import { defaultRegistry } from '../scim/schema/registry';
import { deleteResource, getResource, render, replaceResource } from '../service/resources';
import { readJson } from '../http/body';
import { scimContext } from '../http/middleware';
import { scimJson } from '../http/respond';
import { validated } from '../http/validate';
import { patchResponse, selectionOf, selectionQuery } from './resources';
import { patchResource } from '../service/patch';
import type { AppEnv } from '../env';

/**
 * RFC 7644 §3.11 /Me: an alias for the User the token is bound to (its `subject`). Tokens without
 * one get 501, which the RFC allows for servers that cannot map the caller to a resource.
 */
export const meRoutes = new Hono<AppEnv>();
const userType = defaultRegistry.resourceType('User')!;

export function meId(c: Context<AppEnv>): string {
  const subject = c.var.token.subject;
  if (!subject) throw notImplemented('/Me needs a token bound to a User (mint one with "subject").');
  return subject;
}

meRoutes.get('/Me', validated('query', selectionQuery), async (c) => {
  const ctx = scimContext(c);
  const row = await getResource(ctx, userType, meId(c));
  const result = await render(ctx, userType, row, selectionOf(c.req.valid('query')));
  return scimJson(c, result.resource, 200, { Location: result.location, ETag: result.etag });
});

meRoutes.put('/Me', validated('query', selectionQuery), async (c) => {
  const id = meId(c);
  const result = await replaceResource(scimContext(c), userType, id, await readJson(c), selectionOf(c.req.valid('query')), c.req.header('If-Match'));
  return scimJson(c, result.resource, 200, { Location: result.location, ETag: result.etag });
});

meRoutes.patch('/Me', validated('query', selectionQuery), async (c) => {
  const id = meId(c);
  const body = await readJson(c);
  const ctx = scimContext(c);
  const row = await patchResource(ctx, userType, id, body, c.req.header('If-Match'));
  return patchResponse(c, ctx, userType, row, c.req.valid('query'));
});

meRoutes.delete('/Me', async (c) => {
  await deleteResource(scimContext(c), userType, meId(c), c.req.header('If-Match'));
  return c.body(null, 204);
});
