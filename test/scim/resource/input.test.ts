import { describe, expect, it } from 'vitest';
import { isBlankString, memberId, readMembers } from '../../../src/scim/resource/input';
import { findAttribute } from '../../../src/scim/schema/registry';
import { expectScimError, Group } from '../patch/helpers';

// The readers POST/PUT bodies (readResourceInput) and PATCH operations both use.

const members = findAttribute(Group.core.attributes, 'members')!;

describe('readMembers and memberId', () => {
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
});

describe('isBlankString', () => {
  it('calls a string of white space blank, and nothing else', () => {
    expect(['', ' ', '\t\n'].every(isBlankString)).toBe(true);
    expect([' x ', undefined, null, 0, []].some(isBlankString)).toBe(false);
  });
});
