import { describe, expect, it } from 'vitest';
import { BULK_REQUEST, readBulkRequest } from '../../src/scim/bulk';
import { expectScimError } from './patch/helpers';

// Reading a BulkRequest (RFC 7644 §3.7), member names per RFC 7643 §2.1.

describe('readBulkRequest', () => {
  it.each([
    [
      'canonical names',
      { schemas: [BULK_REQUEST], failOnErrors: 1, Operations: [{ method: 'POST', path: '/Users', bulkId: 'u', data: { userName: 'a' } }] },
      { failOnErrors: 1, operations: [{ method: 'POST', path: '/Users', bulkId: 'u', data: { userName: 'a' } }] },
    ],
    [
      'names and methods in any case',
      { Schemas: [BULK_REQUEST], FAILONERRORS: 0, operations: [{ Method: 'put', Path: '/Users/1', BulkId: 'q', Version: 'W/"1"', Data: {} }] },
      { failOnErrors: 0, operations: [{ method: 'PUT', path: '/Users/1', bulkId: 'q', version: 'W/"1"', data: {} }] },
    ],
    ['no schemas and no operations', { Operations: [] }, { operations: [] }],
    ['null bulkId and version as absent, null data as given', { Operations: [{ method: 'DELETE', path: '/Users/1', bulkId: null, version: null, data: null }] }, { operations: [{ method: 'DELETE', path: '/Users/1', data: null }] }],
  ])('reads %s', (_what, body, request) => {
    expect(readBulkRequest(body)).toEqual(request);
  });

  const op = (extra: object = {}) => ({ method: 'DELETE', path: '/Users/1', ...extra });
  it.each([
    ['a body that is not an object', 'x', 'invalidSyntax', 'A BulkRequest must be a JSON object.'],
    ['Operations spelt twice', { Operations: [], OPERATIONS: [] }, 'invalidSyntax', "BulkRequest: member 'Operations' is given more than once (names are case-insensitive)."],
    ['a method spelt twice', { Operations: [op({ Method: 'PUT' })] }, 'invalidSyntax', "Operations[0]: member 'method' is given more than once (names are case-insensitive)."],
    ['schemas naming another message', { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] }, 'invalidSyntax', `schemas: must include "${BULK_REQUEST}".`],
    ['no Operations', { schemas: [BULK_REQUEST] }, 'invalidSyntax', 'Operations: must be an array of operations.'],
    ['an operation that is not an object', { Operations: [op(), 7] }, 'invalidSyntax', 'Operations[1]: must be a JSON object.'],
    ['an unknown method', { Operations: [op({ method: 'GET' })] }, 'invalidSyntax', 'Operations[0].method: must be POST, PUT, PATCH or DELETE.'],
    ['a path without its leading slash', { Operations: [op({ path: 'Users/1' })] }, 'invalidSyntax', 'Operations[0].path: must be a path such as "/Users".'],
    ['a missing path', { Operations: [{ method: 'DELETE' }] }, 'invalidSyntax', 'Operations[0].path: must be a path such as "/Users".'],
    ['a POST without a bulkId', { Operations: [{ method: 'POST', path: '/Users', data: {} }] }, 'invalidSyntax', 'Operations[0]: a POST needs a bulkId (RFC 7644 §3.7).'],
    ['a POST with an empty bulkId', { Operations: [{ method: 'POST', path: '/Users', bulkId: '' }] }, 'invalidSyntax', 'Operations[0]: a POST needs a bulkId (RFC 7644 §3.7).'],
    ['a bulkId that is not a string', { Operations: [op({ bulkId: 7 })] }, 'invalidSyntax', 'Operations[0].bulkId: must be a string.'],
    ['a bulkId used twice', { Operations: [op({ bulkId: 'a' }), op(), op({ bulkId: 'a' })] }, 'invalidValue', 'Operations[2]: bulkId "a" is used twice.'],
    ['a negative failOnErrors', { failOnErrors: -1, Operations: [] }, 'invalidValue', 'failOnErrors: must be a non-negative integer.'],
    ['a fractional failOnErrors', { failOnErrors: 1.5, Operations: [] }, 'invalidValue', 'failOnErrors: must be a non-negative integer.'],
    ['failOnErrors as text', { failOnErrors: '1', Operations: [] }, 'invalidValue', 'failOnErrors: must be a non-negative integer.'],
  ])('refuses %s', (_what, body, scimType, detail) => {
    expect(expectScimError(() => readBulkRequest(body), scimType as 'invalidSyntax').detail).toBe(detail);
  });
});
