import { describe, expect, it } from 'vitest';
import { babs, ENTERPRISE, expectScimError, patchUser } from './helpers';

describe('replace (RFC 7644 §3.5.2.3)', () => {
  it('replaces emails wholesale and nickname from a path-less value (the RFC example)', () => {
    const result = patchUser(babs(), {
      op: 'replace',
      value: { emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' },
    });
    expect(result.data.emails).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@jensen.org', type: 'home' }]);
    expect(result.data.nickName).toBe('Babs');
  });

  it('replaces a multi-valued attribute named by its path with exactly the given values', () => {
    const result = patchUser(babs(), { op: 'replace', path: 'emails', value: [{ value: 'only@example.com', type: 'work' }] });
    expect(result.data.emails).toEqual([{ value: 'only@example.com', type: 'work' }]);
  });

  it('replaces the elements a value filter selects: addresses[type eq "work"] (the RFC example)', () => {
    const work = {
      type: 'work',
      streetAddress: '911 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'US',
      formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
      primary: true,
    };
    const result = patchUser(babs(), { op: 'replace', path: 'addresses[type eq "work"]', value: work });
    expect(result.data.addresses).toEqual([work, (babs().addresses as unknown[])[1]]);
  });

  it('replaces a sub-attribute of the selected elements: addresses[type eq "work"].streetAddress (the RFC example)', () => {
    const result = patchUser(babs(), { op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' });
    const [work, home] = result.data.addresses as Record<string, unknown>[];
    expect(work).toMatchObject({ streetAddress: '1010 Broadway Ave', locality: 'Hollywood', primary: true });
    expect(home.streetAddress).toBe('456 Hollywood Blvd');
  });

  it('answers noTarget when a value filter for whole elements matches nothing', () => {
    expectScimError(() => patchUser(babs(), { op: 'replace', path: 'addresses[type eq "other"]', value: { type: 'other', locality: 'X' } }), 'noTarget');
  });

  it('keeps sub-attributes of a complex attribute that the value does not name', () => {
    const result = patchUser(babs(), { op: 'replace', value: { name: { givenName: 'Babs' } } });
    expect(result.data.name).toEqual({ familyName: 'Jensen', givenName: 'Babs' });
    expect(patchUser(babs(), { op: 'replace', path: 'name', value: { givenName: 'Babs' } }).data.name).toEqual({ familyName: 'Jensen', givenName: 'Babs' });
  });

  it('removes a sub-attribute given as null in a complex value', () => {
    expect(patchUser(babs(), { op: 'replace', path: 'name', value: { givenName: null, middleName: 'J' } }).data.name).toEqual({ familyName: 'Jensen', middleName: 'J' });
  });

  it('leaves an attribute unassigned when replaced with null or an empty array', () => {
    expect(patchUser(babs(), { op: 'replace', path: 'name', value: null }).data).not.toHaveProperty('name');
    expect(patchUser(babs(), { op: 'replace', path: 'emails', value: [] }).data).not.toHaveProperty('emails');
    expect(patchUser(babs(), { op: 'replace', value: { externalId: null } }).data).not.toHaveProperty('externalId');
  });

  it('adds an attribute that does not exist yet', () => {
    expect(patchUser({ userName: 'u' }, { op: 'replace', path: 'title', value: 'Guide' }).data.title).toBe('Guide');
  });

  it('replaces a URN-qualified extension attribute', () => {
    const data = { ...babs(), [ENTERPRISE]: { employeeNumber: '1', department: 'A' } };
    const result = patchUser(data, { op: 'replace', path: `${ENTERPRISE}:department`, value: 'B' });
    expect(result.data[ENTERPRISE]).toEqual({ employeeNumber: '1', department: 'B' });
  });

  it('replaces the attributes given for an extension in a path-less value, keeping the others', () => {
    const data = { ...babs(), [ENTERPRISE]: { employeeNumber: '1', department: 'A' } };
    const result = patchUser(data, { op: 'replace', value: { [ENTERPRISE]: { department: 'B' } } });
    expect(result.data[ENTERPRISE]).toEqual({ employeeNumber: '1', department: 'B' });
  });

  it('sets active from Okta\'s deactivation payload', () => {
    expect(patchUser(babs(), { op: 'replace', value: { active: false } }).data.active).toBe(false);
  });

  it('applies operations in order, each seeing the result of the previous', () => {
    const result = patchUser(babs(), { op: 'replace', path: 'title', value: 'A' }, { op: 'remove', path: 'title' }, { op: 'add', path: 'title', value: 'B' });
    expect(result.data.title).toBe('B');
  });
});
