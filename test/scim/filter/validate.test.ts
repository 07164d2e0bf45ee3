import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../src/scim/errors';
import { parseFilter } from '../../../src/scim/filter/parser';
import { checkFilter } from '../../../src/scim/filter/validate';
import { defaultRegistry } from '../../../src/scim/schema/builtins';
import { CORE_USER, ENTERPRISE } from './helpers';

const User = defaultRegistry.resourceType('User')!;
const Group = defaultRegistry.resourceType('Group')!;

function problem(rt: typeof User, text: string): ScimError | undefined {
  try {
    checkFilter(rt, parseFilter(text));
    return undefined;
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
}

describe('checkFilter', () => {
  it.each([
    'userName eq "bjensen"',
    'USERNAME Eq "bjensen"',
    `${CORE_USER}:userName sw "J"`,
    `${CORE_USER}:name.givenName pr`,
    'name.familyName co "O\'Malley"',
    'name pr',
    'emails co "example.com"',
    'emails[type eq "work" and value co "@example.com"]',
    'EMAILS[TYPE eq "work"].Value eq "x"',
    'emails.primary eq true',
    'active ne false',
    'meta.created gt "2011-05-13T04:42:34Z"',
    'meta.lastModified le "2011-05-13T04:42:34+02:00"',
    'meta.resourceType eq "User"',
    'id eq "1" or externalId eq "x"',
    'title eq null',
    'x509Certificates.value eq "QUJD"',
    'addresses[type eq "work" and postalCode sw "9"]',
    'groups.value eq "g" and groups.display co "adm" and groups.type eq "direct"',
    'groups[type eq "indirect"]',
    `${ENTERPRISE}:employeeNumber eq "701984"`,
    `${ENTERPRISE}:manager.value eq "x"`,
    `${ENTERPRISE}:manager eq "x"`,
    'not (title pr)',
  ])('accepts %s on Users', (text) => {
    expect(problem(User, text)).toBeUndefined();
  });

  it.each([
    'displayName eq "Admins"',
    'members.value eq "x"',
    'members[value eq "x" and type eq "User"]',
    'members.display co "bar"',
    'members pr',
  ])('accepts %s on Groups', (text) => {
    expect(problem(Group, text)).toBeUndefined();
  });

  it.each([
    ['an unknown attribute', 'nope eq "x"'],
    ['an unknown sub-attribute', 'name.nope eq "x"'],
    ['an attribute of another schema', 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x"'],
    ['a core attribute under the extension URN', `${ENTERPRISE}:userName eq "x"`],
    ['Group attributes on Users', 'members.value eq "x"'],
    ['the never-returned password', 'password eq "secret"'],
    ['the password by presence', 'password pr'],
    ['ordering on a boolean', 'active gt true'],
    ['a substring of a boolean', 'active co "t"'],
    ['ordering on binary', 'x509Certificates.value gt "QQ"'],
    ['a substring of binary', 'x509Certificates.value co "Q"'],
    ['a comparison on a complex attribute without value', 'name eq "x"'],
    ['a number for a string', 'userName eq 1'],
    ['a string for a boolean', 'active eq "true"'],
    ['a boolean for a string', 'title eq true'],
    ['an unparsable dateTime', 'meta.created gt "yesterday"'],
    ['a number for a dateTime', 'meta.created gt 5'],
    ['a substring of a dateTime', 'meta.created sw "2011"'],
    ['ordering against null', 'title gt null'],
    ['meta.version', 'meta.version eq "W/\\"1\\""'],
    ['meta.location', 'meta.location pr'],
    ['meta alone', 'meta pr'],
    ['an unknown sub-attribute in a value filter', 'emails[nope eq "x"]'],
    ['a dotted name in a value filter', 'emails[emails.type eq "work"]'],
    ['a value filter on a singular attribute', 'userName[value eq "x"]'],
    ['a value filter on a singular complex attribute', 'name[givenName eq "x"]'],
    ['a value filter on a sub-attribute', 'emails.value[value eq "x"]'],
    ['nested value filters', 'emails[type[value eq "x"]]'],
    ['an unknown attribute in the Entra form', 'emails[type eq "work"].nope eq "x"'],
  ])('rejects %s on Users with invalidFilter', (_name, text) => {
    expect(problem(User, text)?.scimType).toBe('invalidFilter');
  });

  it.each([
    ['members.$ref (derived, never stored)', 'members.$ref eq "x"'],
    ['userName on Groups', 'userName eq "x"'],
    ['groups on Groups', 'groups.value eq "x"'],
  ])('rejects %s on Groups with invalidFilter', (_name, text) => {
    expect(problem(Group, text)?.scimType).toBe('invalidFilter');
  });

  it('names the attribute in its detail', () => {
    expect(problem(User, 'nope eq "x"')?.detail).toContain('nope');
    expect(problem(User, 'active gt true')?.detail).toContain('active');
  });
});
