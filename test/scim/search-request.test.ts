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
