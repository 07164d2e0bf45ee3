import { Hono } from 'hono';
import { z } from 'zod';
import { parseAttributeList } from '../scim/projection';
import { defaultRegistry } from '../scim/schema/registry';
import { listResources, type ListQuery } from '../service/list';
import { searchAll } from '../service/search';
import { readJson } from '../http/body';
import { scimContext } from '../http/middleware';
import { scimJson } from '../http/respond';
import { validated } from '../http/validate';
import { invalidValue } from '../scim/errors';
import { listQuery, resourceType, selectionOf } from './resources';
import type { AppEnv } from '../env';

/** RFC 7644 §3.4.3: POST /{type}/.search and /.search take the query in a SearchRequest body. */
export const searchRoutes = new Hono<AppEnv>();

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const names = z.union([z.array(z.string()), z.string()]).optional();
const integer = z.union([z.number().int(), z.string().regex(/^\s*-?\d+\s*$/)]).optional();
const searchRequest = z.object({
  schemas: z.array(z.string()).optional(),
  attributes: names,
  excludedAttributes: names,
  filter: z.string().optional(),
  sortBy: z.string().optional(),
  sortOrder: z.string().optional(),
  startIndex: integer,
  count: integer,
  cursor: z.string().optional(),
});

async function readSearch(body: unknown): Promise<ListQuery> {
  const parsed = searchRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidValue(`Invalid SearchRequest '${issue?.path.join('.') ?? ''}': ${issue?.message ?? 'invalid'}.`);
  }
  const r = parsed.data;
  if (r.schemas && !r.schemas.includes(SEARCH_REQUEST)) throw invalidValue(`A SearchRequest's schemas must include ${SEARCH_REQUEST}.`);
  const list = (v: string[] | string | undefined) => (Array.isArray(v) ? parseAttributeList(v.join(',')) : parseAttributeList(v));
  return { ...r, attributes: list(r.attributes), excludedAttributes: list(r.excludedAttributes) };
}

searchRoutes.post('/.search', async (c) => {
  const query = await readSearch(await readJson(c));
  return scimJson(c, await searchAll(await scimContext(c), defaultRegistry.resourceTypes, query));
});

searchRoutes.get('/', validated('query', listQuery), async (c) => {
  const { attributes: _a, excludedAttributes: _e, ...rest } = c.req.valid('query');
  const query: ListQuery = { ...rest, ...selectionOf(c.req.valid('query')) };
  return scimJson(c, await searchAll(await scimContext(c), defaultRegistry.resourceTypes, query));
});

searchRoutes.post('/:endpoint/.search', async (c) => {
  const rt = resourceType(c);
  const query = await readSearch(await readJson(c));
  return scimJson(c, await listResources(await scimContext(c), rt, query));
});
