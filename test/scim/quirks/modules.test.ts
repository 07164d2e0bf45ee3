import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/scim/filter/parser';
import { readOpName } from '../../../src/scim/quirks/entra-capitalised-ops';
import { pathlessEntries } from '../../../src/scim/quirks/entra-dotted-pathless-keys';
import { elementFromFilter } from '../../../src/scim/quirks/entra-filtered-path-add';
import { replacesWholesale } from '../../../src/scim/quirks/entra-manager';
import { elementsToRemove, memberIdsFromFilter } from '../../../src/scim/quirks/entra-member-removal';
import { resolveWithExtensionFallback } from '../../../src/scim/quirks/entra-unqualified-extension-path';
import { checkPathlessId } from '../../../src/scim/quirks/okta-id-in-rename';
import { findAttribute } from '../../../src/scim/schema/registry';
import { ENTERPRISE, expectScimError, Group, User } from '../patch/helpers';

const emails = findAttribute(User.core.attributes, 'emails')!;
const members = findAttribute(Group.core.attributes, 'members')!;
const manager = findAttribute(User.extensions[0].attributes, 'manager')!;

describe('entra-capitalised-ops', () => {
  it.each([
    ['Add', 'add'],
    ['REPLACE', 'replace'],
    ['Remove', 'remove'],
    [' add ', 'add'],
    ['merge', undefined],
    [7, undefined],
  ])('reads %j as %j', (raw, expected) => {
    expect(readOpName(raw)).toBe(expected);
  });
});

describe('entra-filtered-path-add', () => {
  it.each([
    ['type eq "work"', { type: 'work' }],
    ['type eq "work" and primary eq true', { type: 'work', primary: true }],
    ['TYPE eq "work"', { type: 'work' }],
    ['type eq "work" or type eq "home"', undefined],
    ['value ew "example.com"', undefined],
    ['not (type eq "work")', undefined],
    ['type eq "work" and type eq "home"', undefined],
    ['type pr', undefined],
  ])('describes the element of %s as %j', (text, expected) => {
    expect(elementFromFilter(emails, parseFilter(text))).toEqual(expected);
  });
});

describe('entra-member-removal', () => {
  it.each([
    ['value eq "a"', ['a']],
    ['value eq "a" or value eq "b" or VALUE eq "c"', ['a', 'b', 'c']],
    ['value eq "a" and type eq "User"', undefined],
    ['type eq "Group"', undefined],
    ['value ne "a"', undefined],
    ['value eq "a" or display eq "b"', undefined],
  ])('names the ids of %s as %j', (text, expected) => {
    expect(memberIdsFromFilter(parseFilter(text))).toEqual(expected);
  });

  it('lists the elements of a remove value, nothing for no value, and refuses a value that names none', () => {
    expect(elementsToRemove(members, [{ value: 'a', $ref: null }], 'members')).toEqual([{ value: 'a' }]);
    expect(elementsToRemove(members, undefined, 'members')).toBeUndefined();
    expect(elementsToRemove(members, [], 'members')).toEqual([]);
    expectScimError(() => elementsToRemove(members, [{}], 'members'), 'invalidValue');
  });
});

describe('entra-unqualified-extension-path', () => {
  it('finds an extension attribute by its bare name', () => {
    expect(resolveWithExtensionFallback(User, 'manager')).toMatchObject({ schema: ENTERPRISE, extension: true, attribute: { name: 'manager' } });
    expect(resolveWithExtensionFallback(User, 'manager.value')).toMatchObject({ schema: ENTERPRISE, subAttribute: { name: 'value' } });
  });

  it('lets core names win and never re-reads a URN-qualified path', () => {
    expect(resolveWithExtensionFallback(User, 'displayName')).toMatchObject({ extension: false });
    expect(resolveWithExtensionFallback(User, 'urn:ietf:params:scim:schemas:core:2.0:User:manager')).toBeUndefined();
    expect(resolveWithExtensionFallback(Group, 'manager')).toBeUndefined();
  });
});

describe('entra-manager', () => {
  it('replaces the enterprise manager whole and merges other complex attributes', () => {
    expect(replacesWholesale(User, manager)).toBe(true);
    expect(replacesWholesale(User, findAttribute(User.core.attributes, 'name')!)).toBe(false);
  });
});

describe('entra-dotted-pathless-keys', () => {
  it('flattens extension objects and keeps dotted and qualified keys as paths', () => {
    expect(pathlessEntries(User, { 'name.givenName': 'Kim', [ENTERPRISE.toUpperCase()]: { employeeNumber: '7' }, [`${ENTERPRISE}:costCenter`]: 'C' })).toEqual([
      { path: 'name.givenName', value: 'Kim' },
      { path: `${ENTERPRISE}:employeeNumber`, value: '7' },
      { path: `${ENTERPRISE}:costCenter`, value: 'C' },
    ]);
  });

  it('refuses a value that is not an object with invalidValue', () => {
    expectScimError(() => pathlessEntries(User, ['name']), 'invalidValue');
  });
});

describe('okta-id-in-rename', () => {
  it('ignores the resource\'s own id and refuses another with mutability', () => {
    expect(() => checkPathlessId('g1', 'g1')).not.toThrow();
    expect(() => checkPathlessId(null, 'g1')).not.toThrow();
    expectScimError(() => checkPathlessId('G1', 'g1'), 'mutability');
  });
});
