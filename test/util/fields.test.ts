import { describe, expect, it } from 'vitest';
import { readBulkRequest } from '../../src/scim/bulk';
import { fieldOf, hasField, isObject } from '../../src/util/fields';

describe('fieldOf, hasField and isObject (RFC 7643 §2.1: member names are case-insensitive)', () => {
  it('reads a member by case-insensitive name, an exact match first', () => {
    expect(fieldOf({ Operations: 1 }, 'operations')).toBe(1);
    expect(fieldOf({ OPERATIONS: 1, Operations: 2 }, 'Operations')).toBe(2);
    expect(fieldOf({ a: 1 }, 'constructor')).toBeUndefined();
    expect(hasField({ Value: null }, 'value')).toBe(true);
  });

  it('counts only non-null, non-array values as objects', () => {
    expect([{}, [], null, 'x'].map(isObject)).toEqual([true, false, false, false]);
  });

  it('is what a BulkRequest\'s members are read with', () => {
    const request = readBulkRequest({ OPERATIONS: [{ Method: 'delete', PATH: '/Users/1' }] });
    expect(request.operations).toEqual([{ method: 'DELETE', path: '/Users/1' }]);
  });
});
