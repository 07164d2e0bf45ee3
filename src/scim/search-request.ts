import { z } from 'zod';
import { invalidSyntax, invalidValue } from './errors';
import { parseAttributeList } from './projection';
import { canonicalFields, isObject } from '../util/fields';

// RFC 7644 §3.4.3: a SearchRequest body (POST /.search and /{type}/.search) read into a list query.

export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** What a SearchRequest asks for; the shape the list services take (service/list.ts ListQuery). */
export interface SearchQuery {
  attributes?: string[];
  excludedAttributes?: string[];
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  startIndex?: string | number;
  count?: string | number;
  /** RFC 9865: absent = index paging; "" = first cursor page; otherwise a nextCursor value. */
  cursor?: string;
}

// §3.4.3 lists attributes and excludedAttributes as multi-valued strings; a comma-separated string is
// read as well, as in the query form (§3.4.2.5).
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

/**
 * Reads a SearchRequest. A body that is not a JSON object is 400 invalidSyntax (RFC 7644 §3.12: "did
 * not conform to the request schema"); a parameter of the wrong type, or `schemas` without the
 * SearchRequest URN, is 400 invalidValue.
 */
export function readSearchRequest(body: unknown): SearchQuery {
  if (!isObject(body)) throw invalidSyntax('A SearchRequest must be a JSON object.');
  // Member names are case-insensitive (RFC 7643 §2.1): `Filter`, `Count`, `SortBy` are the same members.
  const known = Object.keys(searchRequest.shape);
  const fields = canonicalFields(body, known, (name) => {
    throw invalidValue(`SearchRequest member '${name}' is given more than once (names are case-insensitive).`);
  });
  // null means unassigned (RFC 7643 §2.5), as absent.
  const canonical = Object.fromEntries(known.map((name) => [name, fields[name]]).filter(([, v]) => v !== undefined && v !== null));
  const parsed = searchRequest.safeParse(canonical);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidValue(`Invalid SearchRequest '${issue?.path.join('.') ?? ''}': ${issue?.message ?? 'invalid'}.`);
  }
  const { schemas, attributes, excludedAttributes, ...rest } = parsed.data;
  // RFC 7644 §3.4.3: the request's schemas attribute is the SearchRequest URN.
  if (schemas && !schemas.includes(SEARCH_REQUEST)) throw invalidValue(`A SearchRequest's schemas must include ${SEARCH_REQUEST}.`);
  return { ...rest, attributes: nameList(attributes), excludedAttributes: nameList(excludedAttributes) };
}

function nameList(value: string[] | string | undefined): string[] | undefined {
  return parseAttributeList(Array.isArray(value) ? value.join(',') : value);
}
