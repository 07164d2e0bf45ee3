import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/scim/filter/parser';
import { applyPatch } from '../../../src/scim/patch';
import { bareComplexValue } from '../../../src/scim/quirks/entra-bare-complex-value';
import { readOpName } from '../../../src/scim/quirks/entra-capitalised-ops';
import { pathlessEntries } from '../../../src/scim/quirks/entra-dotted-pathless-keys';
import { elementFromFilter } from '../../../src/scim/quirks/entra-filtered-path-add';
import { patchAnswersNoContent } from '../../../src/scim/quirks/entra-group-patch-no-content';
import { replacesWholesale } from '../../../src/scim/quirks/entra-manager';
import { elementsToRemove, memberIdsFromFilter } from '../../../src/scim/quirks/entra-member-removal';
import { resolveWithExtensionFallback } from '../../../src/scim/quirks/entra-unqualified-extension-path';
import { valuePathWithSubAttribute } from '../../../src/scim/quirks/entra-value-path-sub-attribute-filter';
import { isWrappedSingularComplex } from '../../../src/scim/quirks/entra-wrapped-singular-complex';
import { checkPathlessId } from '../../../src/scim/quirks/okta-id-in-rename';
import { stringBoolean } from '../../../src/scim/quirks/string-booleans';
import { readResourceInput } from '../../../src/scim/resource/input';
import { findAttribute } from '../../../src/scim/schema/registry';
import { and, cmp, p, vp } from '../filter/helpers';
import { ENTERPRISE, expectScimError, Group, User, USER_ID } from '../patch/helpers';

// One describe per module of src/scim/quirks, named after it (each cites its docs/idp-quirks.md entry);
// replay.test.ts replays the IdPs' own payloads through them.

const emails = findAttribute(User.core.attributes, 'emails')!;
const members = findAttribute(Group.core.attributes, 'members')!;
const manager = findAttribute(User.extensions[0].attributes, 'manager')!;
const name = findAttribute(User.core.attributes, 'name')!;
const MANAGER = '9b8a7c6d-0000-4000-8000-000000000001';

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

describe('string-booleans (Entra 2)', () => {
  it.each([
    ['True', true],
    ['FALSE', false],
    ['false', false],
    ['yes', undefined],
    [' true', undefined],
    [true, undefined],
    [0, undefined],
  ])('reads %j as %j', (raw, expected) => {
    expect(stringBoolean(raw)).toBe(expected);
  });
});

describe('entra-wrapped-singular-complex (Entra 7, first shape)', () => {
  it('recognises a one-element array for a singular complex attribute only', () => {
    expect(isWrappedSingularComplex(manager, [{ value: MANAGER }])).toBe(true);
    expect(isWrappedSingularComplex(manager, [{ value: MANAGER }, { value: 'x' }])).toBe(false);
    expect(isWrappedSingularComplex(manager, { value: MANAGER })).toBe(false);
    expect(isWrappedSingularComplex(emails, [{ value: 'a@b.c' }])).toBe(false);
    expect(isWrappedSingularComplex(findAttribute(User.core.attributes, 'title')!, ['x'])).toBe(false);
  });

  it('replays `{"op":"Add","path":"manager","value":[{"$ref":"…","value":"<id>"}]}` and a POST body with the array', () => {
    const raw = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"manager","value":[{"$ref":"../Users/${MANAGER}","value":"${MANAGER}"}]}]}`;
    const result = applyPatch(User, { id: USER_ID, data: { userName: 'kim' } }, JSON.parse(raw));
    expect(result.data[ENTERPRISE]).toEqual({ manager: { value: MANAGER, $ref: `../Users/${MANAGER}` } });
    const posted = readResourceInput(User, { userName: 'kim', [ENTERPRISE]: { manager: [{ value: MANAGER }] } });
    expect(posted.data[ENTERPRISE]).toEqual({ manager: { value: MANAGER } });
  });

  it('refuses two elements for a singular complex attribute with invalidValue', () => {
    expectScimError(() => readResourceInput(User, { userName: 'kim', name: [{ givenName: 'a' }, { givenName: 'b' }] }), 'invalidValue');
  });
});

describe('entra-bare-complex-value (Entra 7, second shape)', () => {
  it('reads a bare string or number as the `value` sub-attribute, and nothing else', () => {
    expect(bareComplexValue(manager, MANAGER)).toEqual({ value: MANAGER });
    expect(bareComplexValue(emails, 7)).toEqual({ value: 7 });
    expect(bareComplexValue(manager, true)).toBeUndefined();
    expect(bareComplexValue(name, 'Kim')).toBeUndefined();
  });

  it('replays `{"op":"Add","path":"urn:…:User:manager","value":"<id>"}`', () => {
    const raw = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"${ENTERPRISE}:manager","value":"${MANAGER}"}]}`;
    expect(applyPatch(User, { id: USER_ID, data: { userName: 'kim' } }, JSON.parse(raw)).data[ENTERPRISE]).toEqual({ manager: { value: MANAGER } });
  });

  it('refuses a bare value for a complex attribute without `value` with invalidValue', () => {
    expectScimError(() => readResourceInput(User, { userName: 'kim', name: 'Kim Lee' }), 'invalidValue');
  });
});

describe('entra-value-path-sub-attribute-filter (Entra 6)', () => {
  it('builds the RFC value path that `attr[inner].sub op value` means', () => {
    expect(valuePathWithSubAttribute(p('emails'), cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))).toEqual(
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))),
    );
  });

  it('is what the parser gives for `emails[type eq "work"].value eq "kim@contoso.com"`', () => {
    expect(parseFilter('emails[type eq "work"].value eq "kim@contoso.com"')).toEqual(
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'kim@contoso.com'))),
    );
  });
});

describe('entra-group-patch-no-content (Entra 9)', () => {
  it('answers a Group PATCH with 204 unless `attributes` asks for something, and a User PATCH with 200', () => {
    expect(patchAnswersNoContent(Group, {})).toBe(true);
    expect(patchAnswersNoContent(Group, { excludedAttributes: ['members'] })).toBe(true);
    expect(patchAnswersNoContent(Group, { attributes: ['displayName'] })).toBe(false);
    expect(patchAnswersNoContent(User, {})).toBe(false);
  });
});
