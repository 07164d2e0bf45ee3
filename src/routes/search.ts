import { Hono } from 'hono';
import { readSearchRequest } from '../scim/search-request';
import { listResources } from '../service/list';
import { searchAll } from '../service/search';
import { readJson, scimJsonBody } from '../http/body';
import { scimContextOf } from '../http/composition-root';
import { scimJson } from '../http/respond';
import { validated } from '../http/validate';
import { knownEndpoint, listQuery, listQueryOf, resourceType } from '../http/scim-request';
import type { AppEnv } from '../env';

/** RFC 7644 §3.4.3: POST /{type}/.search and /.search take the query in a SearchRequest body. */
export const searchRoutes = new Hono<AppEnv>();

searchRoutes.post('/.search', scimJsonBody, async (c) => {
  const query = readSearchRequest(await readJson(c));
  return scimJson(c, await searchAll(scimContextOf(c), query));
});

searchRoutes.get('/', validated('query', listQuery), async (c) =>
  scimJson(c, await searchAll(scimContextOf(c), listQueryOf(c.req.valid('query')))),
);

searchRoutes.post('/:endpoint/.search', knownEndpoint, scimJsonBody, async (c) => {
  const rt = resourceType(c);
  const query = readSearchRequest(await readJson(c));
  return scimJson(c, await listResources(scimContextOf(c), rt, query));
});
