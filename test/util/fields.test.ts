import { describe, expect, it } from 'vitest';
import { readBulkRequest } from '../../src/scim/bulk';
import { canonicalFields, isObject } from '../../src/util/fields';

describe('canonicalFields and isObject (RFC 7643 §2.1: member names are case-insensitive)', () => {
  it('spells members as the names given, whatever their case, and leaves others alone', () => {
    const duplicate = (name: string): never => {
      throw new Error(name);
    };
    expect(canonicalFields({ operations: 1, Extra: 2 }, ['Operations'], duplicate)).toEqual({ Operations: 1, Extra: 2 });
    expect(() => canonicalFields({ OPERATIONS: 1, Operations: 2 }, ['Operations'], duplicate)).toThrow('Operations');
  });

  it('keeps a member named __proto__ as an own member, never a prototype', () => {
    const out = canonicalFields(JSON.parse('{"__proto__": {"polluted": true}}'), [], () => undefined as never);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('counts only non-null, non-array values as objects', () => {
    expect([{}, [], null, 'x'].map(isObject)).toEqual([true, false, false, false]);
  });

  it("is what a BulkRequest's members are read with", () => {
    const request = readBulkRequest({ OPERATIONS: [{ Method: 'delete', PATH: '/Users/1' }] });
    expect(request.operations).toEqual([{ method: 'DELETE', path: '/Users/1' }]);
  });
});
