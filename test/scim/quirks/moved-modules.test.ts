import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/scim/filter/parser';
import { bareComplexValue } from '../../../src/scim/quirks/entra-bare-complex-value';
import { patchAnswersNoContent } from '../../../src/scim/quirks/entra-group-patch-no-content';
import { valuePathWithSubAttribute } from '../../../src/scim/quirks/entra-value-path-sub-attribute-filter';
import { isWrappedSingularComplex } from '../../../src/scim/quirks/entra-wrapped-singular-complex';
import { stringBoolean } from '../../../src/scim/quirks/string-booleans';
import { applyPatch } from '../../../src/scim/patch';
import { readResourceInput } from '../../../src/scim/resource/input';
import { findAttribute } from '../../../src/scim/schema/registry';
import { and, cmp, p, vp } from '../filter/helpers';
import { ENTERPRISE, expectScimError, Group, User, USER_ID } from '../patch/helpers';

const manager = findAttribute(User.extensions[0].attributes, 'manager')!;
const emails = findAttribute(User.core.attributes, 'emails')!;
const name = findAttribute(User.core.attributes, 'name')!;
const MANAGER = '9b8a7c6d-0000-4000-8000-000000000001';

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
