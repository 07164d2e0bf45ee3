import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../src/scim/errors';
import { matchesElement, matchesFilter } from '../../../src/scim/filter/evaluate';
import { parseFilter } from '../../../src/scim/filter/parser';
import { defaultRegistry } from '../../../src/scim/schema/builtins';
import { findAttribute } from '../../../src/scim/schema/registry';
import { ENTERPRISE } from './helpers';

const userType = defaultRegistry.resourceType('User')!;
const groupType = defaultRegistry.resourceType('Group')!;

const user: Record<string, unknown> = {
  id: 'u-1',
  externalId: 'Ext-1',
  userName: 'BJensen',
  displayName: 'Straße',
  name: { givenName: 'Barbara', familyName: "O'Malley" },
  title: '',
  nickName: '𐀀',
  active: true,
  emails: [
    { value: 'bjensen@Example.com', type: 'work', primary: true },
    { value: 'babs@home.org', type: 'home' },
    { type: 'other' },
  ],
  phoneNumbers: [],
  addresses: [{}],
  x509Certificates: [{ value: 'QUJD' }],
  [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: 'M-1' } },
  groups: [
    { value: 'g-1', display: 'Admins', type: 'direct' },
    { value: 'g-2', display: 'Everyone', type: 'indirect' },
  ],
  meta: { resourceType: 'User', created: '2011-05-13T04:42:34Z', lastModified: '2011-05-13T06:42:34+02:00' },
};

const group: Record<string, unknown> = {
  id: 'g-1',
  displayName: 'Admins',
  members: [
    { value: 'u-1', type: 'User', display: 'Barbara' },
    { value: 'g-9', type: 'Group' },
  ],
  meta: { resourceType: 'Group', created: '2020-01-01T00:00:00Z', lastModified: '2020-01-01T00:00:00Z' },
};

const USER_CASES: [string, boolean][] = [
  // caseExact=false compares folded, Unicode included (RFC 7643 §2.2).
  ['userName eq "bjensen"', true],
  ['userName eq "BJENSEN"', true],
  ['displayName eq "STRASSE"', true],
  ['displayName eq "strasse"', true],
  ['userName sw "bj"', true],
  ['userName ew "SEN"', true],
  ['userName co "jens"', true],
  ['userName co "x"', false],
  // caseExact=true does not fold.
  ['externalId eq "Ext-1"', true],
  ['externalId eq "ext-1"', false],
  ['id eq "u-1"', true],
  ['id eq "U-1"', false],
  // ne is NOT eq: true when the attribute is absent.
  ['userName ne "bjensen"', false],
  ['nickName ne "x"', true],
  ['userType ne "Employee"', true],
  ['userType eq "Employee"', false],
  // pr: present and non-empty.
  ['title pr', false],
  ['userType pr', false],
  ['name pr', true],
  ['phoneNumbers pr', false],
  ['addresses pr', false],
  ['active pr', true],
  ['emails pr', true],
  // "" with co/sw/ew matches every present string, and nothing absent.
  ['title co ""', true],
  ['title sw ""', true],
  ['title ew ""', true],
  ['userType co ""', false],
  ['userName ew ""', true],
  // eq null / ne null: absent / present.
  ['userType eq null', true],
  ['title eq null', true],
  ['userName eq null', false],
  ['userName ne null', true],
  // Ordering on text is by code point: U+10000 sorts after U+FFFF (UTF-16 would say otherwise).
  ['nickName gt "\uffff"', true],
  ['nickName lt "\uffff"', false],
  ['userName gt "bj"', true],
  ['userName lt "BK"', true],
  // dateTime compares by instant.
  ['meta.lastModified eq "2011-05-13T04:42:34Z"', true],
  ['meta.created lt "2011-05-13T04:42:35Z"', true],
  ['meta.created ge "2011-05-13T06:42:34+02:00"', true],
  ['meta.created gt "2011-05-13T04:42:34.000Z"', false],
  ['meta.resourceType eq "User"', true],
  ['meta.resourceType eq "user"', false],
  // Booleans.
  ['active eq true', true],
  ['active ne true', false],
  ['active eq false', false],
  // Multi-valued: any element matches.
  ['emails.type eq "home"', true],
  ['emails.value ew "@example.com"', true],
  ['emails co "home.org"', true],
  ['emails.type ne "home"', false],
  ['emails.type ne "fax"', true],
  ['emails.primary eq true', true],
  ['emails.value pr', true],
  // Value filters: one element must satisfy the whole inner filter.
  ['emails[type eq "work" and value co "example.com"]', true],
  ['emails[type eq "home" and value co "example.com"]', false],
  ['emails[type eq "home" and not (value co "example.com")]', true],
  ['emails[type eq "other" and value pr]', false],
  ['emails[not (value pr)]', true],
  ['emails[type eq "work"].value eq "BJENSEN@example.COM"', true],
  ['emails[type eq "home"].value eq "bjensen@example.com"', false],
  ['x509Certificates[value eq "QUJD"]', true],
  ['x509Certificates.value eq "qujd"', false],
  // Extension attributes.
  [`${ENTERPRISE}:employeeNumber eq "701984"`, true],
  [`${ENTERPRISE}:department sw "tour"`, true],
  [`${ENTERPRISE}:manager.value eq "M-1"`, true],
  [`${ENTERPRISE}:manager eq "m-1"`, false],
  [`${ENTERPRISE}:costCenter pr`, false],
  // Logic and precedence.
  ['title pr or userName eq "bjensen" and active eq true', true],
  ['(title pr or userName eq "bjensen") and active eq false', false],
  ['not (userName eq "bjensen")', false],
  ['not (not (userName eq "bjensen"))', true],
  // Users' groups (RFC 7643 §4.1.2).
  ['groups.value eq "g-2"', true],
  ['groups[type eq "indirect" and display eq "everyone"]', true],
  ['groups[type eq "direct" and display eq "everyone"]', false],
];

const GROUP_CASES: [string, boolean][] = [
  ['displayName eq "admins"', true],
  ['members.value eq "u-1"', true],
  ['members.value eq "U-1"', false],
  ['members eq "g-9"', true],
  ['members[value eq "g-9" and type eq "group"]', true],
  ['members[value eq "g-9" and type eq "User"]', false],
  // members.display compares case-exactly (memberships store it as sent; see grammar.md).
  ['members.display eq "Barbara"', true],
  ['members.display eq "barbara"', false],
  ['members.display pr', true],
  ['members[not (display pr)]', true],
];

describe('matchesFilter', () => {
  it.each(USER_CASES)('on a User, %s is %s', (text, expected) => {
    expect(matchesFilter(userType, user, parseFilter(text))).toBe(expected);
  });

  it.each(GROUP_CASES)('on a Group, %s is %s', (text, expected) => {
    expect(matchesFilter(groupType, group, parseFilter(text))).toBe(expected);
  });

  it('treats a missing multi-valued attribute as no elements', () => {
    expect(matchesFilter(userType, { userName: 'x' }, parseFilter('emails[type pr]'))).toBe(false);
    expect(matchesFilter(userType, { userName: 'x' }, parseFilter('emails.type ne "work"'))).toBe(true);
  });

  it('rejects what checkFilter rejects, with invalidFilter', () => {
    for (const text of ['password eq "x"', 'active gt true', 'nope pr']) {
      expect(() => matchesFilter(userType, user, parseFilter(text))).toThrow(ScimError);
    }
  });
});

describe('matchesElement', () => {
  const emails = findAttribute(userType.core.attributes, 'emails')!;
  const members = findAttribute(groupType.core.attributes, 'members')!;

  it('evaluates a value filter against one element of a multi-valued attribute', () => {
    const filter = parseFilter('type eq "WORK" and primary eq true');
    expect(matchesElement(userType, emails, { value: 'a@b.c', type: 'work', primary: true }, filter)).toBe(true);
    expect(matchesElement(userType, emails, { value: 'a@b.c', type: 'work' }, filter)).toBe(false);
    expect(matchesElement(userType, emails, 'a@b.c', parseFilter('type pr'))).toBe(false);
  });

  it('uses the same per-source rules as filters', () => {
    expect(matchesElement(groupType, members, { value: 'u-1', type: 'User' }, parseFilter('value eq "u-1" and type eq "user"'))).toBe(true);
    expect(() => matchesElement(groupType, members, { value: 'u-1' }, parseFilter('$ref pr'))).toThrow(ScimError);
  });
});
