import { describe, expect, it } from 'vitest';
import { readBulkRequest } from '../../src/scim/bulk';
import { isBlankString, memberId, readMembers } from '../../src/scim/resource/input';
import { findAttribute } from '../../src/scim/schema/registry';
import { base64url, fromBase64url, hex, sha256Hex } from '../../src/util/encoding';
import { fieldOf, hasField, isObject } from '../../src/util/fields';
import { expectScimError, Group } from './patch/helpers';

// src/util/ (shared by scim/ and auth/) and the helpers POST/PUT and PATCH now share.

const members = findAttribute(Group.core.attributes, 'members')!;

describe('util/encoding', () => {
  it('round-trips bytes through base64url without padding or + and /', () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x00, 0x01]);
    const text = base64url(bytes);
    expect(text).toBe('-_-_AAE');
    expect(fromBase64url(text)).toEqual(bytes);
  });

  it('writes hex two digits per byte and hashes text with SHA-256', async () => {
    expect(hex(Uint8Array.from([0, 15, 255]))).toBe('000fff');
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('util/fields', () => {
  it('reads a member by case-insensitive name, an exact match first', () => {
    expect(fieldOf({ Operations: 1 }, 'operations')).toBe(1);
    expect(fieldOf({ OPERATIONS: 1, Operations: 2 }, 'Operations')).toBe(2);
    expect(fieldOf({ a: 1 }, 'constructor')).toBeUndefined();
    expect(hasField({ Value: null }, 'value')).toBe(true);
  });

  it('counts only non-null, non-array values as objects', () => {
    expect([{}, [], null, 'x'].map(isObject)).toEqual([true, false, false, false]);
  });

  it('is what Bulk reads its members with', () => {
    const request = readBulkRequest({ OPERATIONS: [{ Method: 'delete', PATH: '/Users/1' }] });
    expect(request.operations).toEqual([{ method: 'DELETE', path: '/Users/1' }]);
  });
});

describe('members and required values shared by POST/PUT and PATCH', () => {
  it('reads members once each by value, keeping string type and display', () => {
    expect(readMembers(members, [{ value: 'a', display: 'A', $ref: null }, { value: 'a' }, { value: 'b', type: 'User' }])).toEqual([
      { value: 'a' },
      { value: 'b', type: 'User' },
    ]);
  });

  it('refuses a member without its value with invalidValue', () => {
    expectScimError(() => readMembers(members, [{ display: 'no id' }]), 'invalidValue');
    expectScimError(() => memberId({ value: '' }, 'members[0]'), 'invalidValue');
  });

  it('calls a string of white space blank, and nothing else', () => {
    expect(['', ' ', '\t\n'].every(isBlankString)).toBe(true);
    expect([' x ', undefined, null, 0, []].some(isBlankString)).toBe(false);
  });
});
