import { Hono, type Context } from 'hono';
import { notImplemented } from '../scim/errors';
import { patchAnswersNoContent } from '../scim/quirks/entra-group-patch-no-content';
import { meResourceType } from '../scim/schema/builtins';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import { checkBeforeContent, createResource, deleteResource, readResource, replaceResource, type RenderedResource } from '../service/resources';
import { listResources } from '../service/list';
import { patchResource } from '../service/patch';
import { readJson, scimJsonBody } from '../http/body';
import { scimContextOf } from '../http/composition-root';
import { scimJson } from '../http/respond';
import { knownEndpoint, listQuery, listQueryOf, preconditionsOf, resourceType, selectionOf, selectionQuery } from '../http/scim-request';
import { validated } from '../http/validate';
import type { AppEnv } from '../env';

/** One set of routes for every registered resource type: adding a type is a declaration. */
export const resourceRoutes = new Hono<AppEnv>();

/** A single resource's address: its type and id. */
type Locate = (c: Context<AppEnv>) => { rt: ResourceTypeInfo; id: string };

const byPath: Locate = (c) => ({ rt: resourceType(c), id: c.req.param('id')! });

/**
 * RFC 7644 §3.11 /Me: an alias for the User the token is bound to (its `subject`), served by the
 * very handlers of `/Users/{id}`, preconditions included. Tokens without one get 501, which the RFC
 * allows for servers that cannot map the caller to a resource.
 */
const me: Locate = (c) => {
  const subject = c.get('token').subject;
  if (!subject) throw notImplemented('/Me needs a token bound to a User (mint one with "subject").');
  return { rt: meResourceType(c.get('registry')), id: subject };
};

const resourceResponse = (c: Context<AppEnv>, result: RenderedResource, status: 200 | 201 = 200) =>
  scimJson(c, result.resource, status, { Location: result.location, ETag: result.etag });

/** GET, PUT, PATCH and DELETE of one resource, wherever `locate` finds it. */
function singleResourceRoutes(path: string, locate: Locate): void {
  resourceRoutes.get(path, validated('query', selectionQuery), async (c) => {
    const { rt, id } = locate(c);
    const result = await readResource(scimContextOf(c), rt, id, preconditionsOf(c), selectionOf(c.req.valid('query')));
    // RFC 9110 §15.4.5: a 304 has no body but carries the ETag a 200 would have.
    return 'notModified' in result ? c.body(null, 304, { ETag: result.notModified }) : resourceResponse(c, result);
  });

  resourceRoutes.put(path, validated('query', selectionQuery), scimJsonBody, async (c) => {
    const { rt, id } = locate(c);
    const [ctx, conditions] = [scimContextOf(c), preconditionsOf(c)];
    await checkBeforeContent(ctx, rt, id, conditions);
    const selection = selectionOf(c.req.valid('query'));
    return resourceResponse(c, await replaceResource(ctx, rt, id, await readJson(c), selection, conditions));
  });

  resourceRoutes.patch(path, validated('query', selectionQuery), scimJsonBody, async (c) => {
    const { rt, id } = locate(c);
    const [ctx, conditions] = [scimContextOf(c), preconditionsOf(c)];
    await checkBeforeContent(ctx, rt, id, conditions);
    // A bad attributes list is refused before anything is written (a rejected request changes nothing).
    const selection = selectionOf(c.req.valid('query'));
    // RFC 7644 §3.5.2: 200 with the resource, or 204 (docs/idp-quirks.md Entra 9).
    const noContent = patchAnswersNoContent(rt, selection);
    const { result } = await patchResource(ctx, rt, id, await readJson(c), conditions, noContent ? undefined : selection);
    return noContent ? c.body(null, 204, { ETag: result.etag }) : resourceResponse(c, result);
  });

  resourceRoutes.delete(path, async (c) => {
    const { rt, id } = locate(c);
    await deleteResource(scimContextOf(c), rt, id, preconditionsOf(c));
    return c.body(null, 204);
  });
}

// Before `/:endpoint/:id`-shaped paths are claimed by the resource routes.
singleResourceRoutes('/Me', me);

resourceRoutes.use('/:endpoint/*', knownEndpoint); // `/:endpoint/*` matches `/Users` as well

resourceRoutes.get('/:endpoint', validated('query', listQuery), async (c) =>
  scimJson(c, await listResources(scimContextOf(c), resourceType(c), listQueryOf(c.req.valid('query')))),
);

resourceRoutes.post('/:endpoint', validated('query', selectionQuery), scimJsonBody, async (c) => {
  const result = await createResource(scimContextOf(c), resourceType(c), await readJson(c), selectionOf(c.req.valid('query')));
  return resourceResponse(c, result, 201);
});

singleResourceRoutes('/:endpoint/:id', byPath);
