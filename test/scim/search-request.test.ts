import { describe, expect, it } from 'vitest';
import { readSearchRequest, SEARCH_REQUEST } from '../../src/scim/search-request';
import { expectScimError } from './patch/helpers';

describe('readSearchRequest (RFC 7644 §3.4.3)', () => {
  it('reads every parameter, splitting attribute lists given as arrays or comma-separated text', () => {
    const query = readSearchRequest({
      schemas: [SEARCH_REQUEST],
      attributes: ['userName', 'name.givenName'],
      excludedAttributes: 'emails, groups',
      filter: 'userName sw "a"',
      sortBy: 'userName',
      sortOrder: 'descending',
      startIndex: 1,
      count: '10',
    });
    expect(query).toEqual({
      attributes: ['userName', 'name.givenName'],
      excludedAttributes: ['emails', 'groups'],
      filter: 'userName sw "a"',
      sortBy: 'userName',
      sortOrder: 'descending',
      startIndex: 1,
      count: '10',
    });
  });

  it('accepts a request without schemas', () => {
    expect(readSearchRequest({ filter: 'title pr' })).toEqual({ filter: 'title pr', attributes: undefined, excludedAttributes: undefined });
  });

  it('reads member names in any case (RFC 7643 §2.1) and null members as absent (RFC 7643 §2.5)', () => {
    expect(readSearchRequest({ SCHEMAS: [SEARCH_REQUEST], Filter: 'title pr', COUNT: 2, sortby: null, Attributes: 'title' })).toEqual({
      filter: 'title pr',
      count: 2,
      attributes: ['title'],
      excludedAttributes: undefined,
    });
  });

  it.each([
    [{ filter: 'title pr', Filter: 'userName pr' }, "SearchRequest: member 'filter' is given more than once (names are case-insensitive)."],
    [{ count: 'ten' }, 'count: must be an integer.'],
    [{ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }, `schemas: must include "${SEARCH_REQUEST}".`],
  ])('refuses %j with invalidValue naming the member', (body, detail) => {
    expect(expectScimError(() => readSearchRequest(body), 'invalidValue').detail).toBe(detail);
  });

  it.each([[[]], [null], ['x'], [42]])('refuses the non-object body %j with invalidSyntax', (body) => {
    expectScimError(() => readSearchRequest(body), 'invalidSyntax');
  });

  it.each([
    [{ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }],
    [{ schemas: 'not-an-array' }],
    [{ count: 'ten' }],
    [{ startIndex: 1.5 }],
    [{ filter: 42 }],
  ])('refuses %j with invalidValue', (body) => {
    expectScimError(() => readSearchRequest(body), 'invalidValue');
  });
});
