import { describe, expect, it } from 'vitest';
import { babs, ENTERPRISE, expectScimError, patchUser } from './helpers';

describe('add (RFC 7644 §3.5.2.1)', () => {
  it('adds emails and nickname from a path-less value (the RFC example), appending to existing emails', () => {
    const result = patchUser(babs(), { op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }, { value: 'b@x.org', type: 'other' }], nickname: 'Babs' } });
    expect(result.data.nickName).toBe('Babs');
    expect(result.data.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'b@x.org', type: 'other' },
    ]);
    expect(result.changed).toBe(true);
  });

  it('does not duplicate an element that is already there, comparing caseExact=false values case-insensitively', () => {
    const result = patchUser(babs(), { op: 'add', path: 'emails', value: [{ value: 'BABS@jensen.org', type: 'Home' }] });
    expect(result.data.emails).toEqual(babs().emails);
    expect(result.changed).toBe(false);
  });

  it('takes a lone object for a multi-valued attribute as one element', () => {
    const result = patchUser({ userName: 'u' }, { op: 'add', path: 'emails', value: { value: 'a@b.c', type: 'work' } });
    expect(result.data.emails).toEqual([{ value: 'a@b.c', type: 'work' }]);
  });

  it('adds an attribute that has no value yet', () => {
    expect(patchUser({ userName: 'u' }, { op: 'add', path: 'title', value: 'Tour Guide' }).data.title).toBe('Tour Guide');
  });

  it('replaces the value of a single-valued simple attribute', () => {
    expect(patchUser(babs(), { op: 'add', path: 'userName', value: 'babs' }).data.userName).toBe('babs');
  });

  it('merges sub-attributes into a singular complex attribute, keeping the others', () => {
    const result = patchUser(babs(), { op: 'add', path: 'name', value: { middleName: 'Jane' } });
    expect(result.data.name).toEqual({ familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane' });
  });

  it('sets a sub-attribute named by a dotted path', () => {
    expect(patchUser(babs(), { op: 'add', path: 'name.honorificPrefix', value: 'Ms.' }).data.name).toMatchObject({ honorificPrefix: 'Ms.', givenName: 'Barbara' });
    expect(patchUser({ userName: 'u' }, { op: 'add', path: 'name.givenName', value: 'Kim' }).data.name).toEqual({ givenName: 'Kim' });
  });

  it('resolves attribute names case-insensitively and stores the canonical name', () => {
    const result = patchUser(babs(), { op: 'add', path: 'NAME.GIVENNAME', value: 'Babs' }, { op: 'add', path: 'DisplayName', value: 'Babs J' });
    expect(result.data.name).toMatchObject({ givenName: 'Babs' });
    expect(result.data.displayName).toBe('Babs J');
  });

  it('adds a URN-qualified extension attribute under its schema key', () => {
    const result = patchUser(babs(), { op: 'add', path: `${ENTERPRISE}:employeeNumber`, value: 701984 });
    expect(result.data[ENTERPRISE]).toEqual({ employeeNumber: '701984' });
  });

  it('adds an extension object given under its URN in a path-less value', () => {
    const result = patchUser(babs(), { op: 'add', value: { [ENTERPRISE]: { department: 'Tour Operations', costCenter: '4130' } } });
    expect(result.data[ENTERPRISE]).toEqual({ department: 'Tour Operations', costCenter: '4130' });
  });

  it('adds the attributes of a path that is an extension URN', () => {
    const result = patchUser(babs(), { op: 'add', path: ENTERPRISE, value: { division: 'Theme Park' } });
    expect(result.data[ENTERPRISE]).toEqual({ division: 'Theme Park' });
  });

  it('changes nothing when the value is already there, and says so', () => {
    const result = patchUser(babs(), { op: 'add', path: 'active', value: true });
    expect(result.changed).toBe(false);
    expect(result.data).toEqual(babs());
  });

  it('treats a null value as nothing to add', () => {
    expect(patchUser(babs(), { op: 'add', path: 'title', value: null }).changed).toBe(false);
  });

  it('coerces values to the declared type and rejects what cannot be coerced with invalidValue', () => {
    expect(patchUser(babs(), { op: 'add', path: 'active', value: 'false' }).data.active).toBe(false);
    expectScimError(() => patchUser(babs(), { op: 'add', path: 'active', value: 'maybe' }), 'invalidValue');
    expectScimError(() => patchUser(babs(), { op: 'add', path: 'title', value: ['a', 'b'] }), 'invalidValue');
    expectScimError(() => patchUser(babs(), { op: 'add', path: 'name', value: 'Barbara' }), 'invalidValue');
  });

  it('rejects a sub-attribute of a multi-valued attribute without a value filter with invalidPath', () => {
    expectScimError(() => patchUser(babs(), { op: 'add', path: 'emails.value', value: 'x@y.z' }), 'invalidPath');
  });

  it('rejects a path-less value that is not an object with invalidValue', () => {
    expectScimError(() => patchUser(babs(), { op: 'add', value: 'Babs' }), 'invalidValue');
  });

  it('ignores unknown attribute names in a path-less value, as POST and PUT do', () => {
    const result = patchUser(babs(), { op: 'add', value: { favouriteColour: 'teal', nickName: 'Babs' } });
    expect(result.data.nickName).toBe('Babs');
    expect(result.data).not.toHaveProperty('favouriteColour');
  });

  it('adds a sub-attribute to the elements a value filter selects, leaving the others alone', () => {
    const result = patchUser(babs(), { op: 'add', path: 'emails[type eq "home"].display', value: 'Babs at home' });
    expect(result.data.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home', display: 'Babs at home' },
    ]);
  });

  it('merges an object into the elements a value filter selects', () => {
    const result = patchUser(babs(), { op: 'add', path: 'addresses[type eq "home"]', value: { region: 'NY' } });
    expect((result.data.addresses as Record<string, unknown>[])[1]).toMatchObject({ type: 'home', region: 'NY', locality: 'Hollywood' });
  });

  it('answers noTarget when a filtered add matches nothing and its filter cannot describe a new element', () => {
    expectScimError(() => patchUser(babs(), { op: 'add', path: 'emails[value ew "nowhere.org"].display', value: 'x' }), 'noTarget');
  });
});

describe('primary (RFC 7643 §2.4)', () => {
  it('moves primary to an added element that claims it', () => {
    const result = patchUser(babs(), { op: 'add', path: 'emails', value: [{ value: 'new@example.com', type: 'work', primary: true }] });
    const emails = result.data.emails as Record<string, unknown>[];
    expect(emails.filter((e) => e.primary === true)).toEqual([{ value: 'new@example.com', type: 'work', primary: true }]);
    expect(emails[0]).toEqual({ value: 'bjensen@example.com', type: 'work' });
  });

  it('moves primary to an existing element re-added with primary true', () => {
    const result = patchUser(babs(), { op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', type: 'home', primary: 'True' }] });
    expect(result.data.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work' },
      { value: 'babs@jensen.org', type: 'home', primary: true },
    ]);
  });

  it('moves primary through a filtered sub-attribute write', () => {
    const result = patchUser(babs(), { op: 'replace', path: 'emails[type eq "home"].primary', value: true });
    expect(result.data.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work' },
      { value: 'babs@jensen.org', type: 'home', primary: true },
    ]);
  });

  it('rejects a value that makes two elements primary with invalidValue', () => {
    expectScimError(
      () => patchUser(babs(), { op: 'add', path: 'emails', value: [{ value: 'a@b.c', primary: true }, { value: 'd@e.f', primary: true }] }),
      'invalidValue',
    );
    expectScimError(() => patchUser(babs(), { op: 'replace', path: 'emails[value pr].primary', value: true }), 'invalidValue');
  });
});
