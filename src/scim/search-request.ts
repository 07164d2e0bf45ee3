import { z } from 'zod';
import { anyCaseObject, readMessage, schemasNaming } from './message';
import { parseAttributeList } from './projection';

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
const INTEGER = { error: 'must be an integer' };
const integer = z.union([z.number().int(INTEGER), z.string().regex(/^\s*-?\d+\s*$/, INTEGER)], INTEGER).optional();

/** The SearchRequest message (RFC 7644 §3.4.3), member names case-insensitive (RFC 7643 §2.1). */
export const searchRequestSchema = anyCaseObject(
  {
    schemas: schemasNaming(SEARCH_REQUEST),
    attributes: names,
    excludedAttributes: names,
    filter: z.string().optional(),
    sortBy: z.string().optional(),
    sortOrder: z.string().optional(),
    startIndex: integer,
    count: integer,
    cursor: z.string().optional(),
  },
  // null means unassigned (RFC 7643 §2.5), as absent.
  { nullIsUnassigned: true },
);

/**
 * Reads a SearchRequest. A body that is not a JSON object is 400 invalidSyntax (RFC 7644 §3.12: "did
 * not conform to the request schema"); a parameter of the wrong type, a member given twice (`Filter`
 * and `filter`), or `schemas` without the SearchRequest URN, is 400 invalidValue.
 */
export function readSearchRequest(body: unknown): SearchQuery {
  const { schemas: _, attributes, excludedAttributes, ...rest } = readMessage('SearchRequest', searchRequestSchema, body, 'invalidValue');
  return { ...rest, attributes: nameList(attributes), excludedAttributes: nameList(excludedAttributes) };
}

function nameList(value: string[] | string | undefined): string[] | undefined {
  return parseAttributeList(Array.isArray(value) ? value.join(',') : value);
}
