export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/**
 * RFC 7644 §3.4.2 ListResponse: index pages carry `startIndex`, cursor pages (RFC 9865 §2) carry
 * `nextCursor` while there is more; `totalResults` defaults to the number of resources given.
 */
export function listResponse(
  resources: unknown[],
  page: { totalResults?: number; startIndex?: number; nextCursor?: string } = {},
) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: page.totalResults ?? resources.length,
    itemsPerPage: resources.length,
    ...(page.startIndex !== undefined ? { startIndex: page.startIndex } : {}),
    ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
    Resources: resources,
  };
}
