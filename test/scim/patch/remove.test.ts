import { describe, expect, it } from 'vitest';
import { babs, ENTERPRISE, expectScimError, patchUser } from './helpers';

describe('remove (RFC 7644 §3.5.2.2)', () => {
  it('fails with noTarget when no path is given', () => {
    expectScimError(() => patchUser(babs(), { op: 'remove' }), 'noTarget');
  });

  it('removes a single-valued attribute, which becomes unassigned', () => {
    const result = patchUser(babs(), { op: 'remove', path: 'externalId' });
    expect(result.data).not.toHaveProperty('externalId');
  });

  it('removes a sub-attribute and keeps its siblings', () => {
    expect(patchUser(babs(), { op: 'remove', path: 'name.givenName' }).data.name).toEqual({ familyName: 'Jensen' });
  });

  it('prunes a complex attribute whose last sub-attribute is removed', () => {
    const result = patchUser({ userName: 'u', name: { givenName: 'Kim' } }, { op: 'remove', path: 'name.givenName' });
    expect(result.data).toEqual({ userName: 'u' });
  });

  it('removes a multi-valued attribute with all its values when no filter is given', () => {
    expect(patchUser(babs(), { op: 'remove', path: 'emails' }).data).not.toHaveProperty('emails');
  });

  it('removes the values a filter selects: emails[type eq "work" and value ew "example.com"] (the RFC example)', () => {
    const result = patchUser(babs(), { op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' });
    expect(result.data.emails).toEqual([{ value: 'babs@jensen.org', type: 'home' }]);
  });

  it('removes a value of x509Certificates by its value (the RFC example)', () => {
    const cert = 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx';
    const data = { userName: 'u', x509Certificates: [{ value: cert }, { value: 'other' }] };
    const result = patchUser(data, { op: 'remove', path: `x509Certificates[value eq "${cert}"]` });
    expect(result.data.x509Certificates).toEqual([{ value: 'other' }]);
  });

  it('leaves the attribute unassigned when a filter removes its last value', () => {
    const result = patchUser(babs(), { op: 'remove', path: 'emails[value pr]' });
    expect(result.data).not.toHaveProperty('emails');
  });

  it('removes a sub-attribute of the selected elements only', () => {
    const result = patchUser(babs(), { op: 'remove', path: 'addresses[type eq "work"].streetAddress' });
    const [work, home] = result.data.addresses as Record<string, unknown>[];
    expect(work).not.toHaveProperty('streetAddress');
    expect(work.locality).toBe('Hollywood');
    expect(home.streetAddress).toBe('456 Hollywood Blvd');
  });

  it('removes a sub-attribute from every element when no filter is given', () => {
    const result = patchUser(babs(), { op: 'remove', path: 'emails.type' });
    expect(result.data.emails).toEqual([{ value: 'bjensen@example.com', primary: true }, { value: 'babs@jensen.org' }]);
  });

  it('succeeds without change when a value filter matches nothing', () => {
    const result = patchUser(babs(), { op: 'remove', path: 'emails[type eq "other"]' });
    expect(result.changed).toBe(false);
  });

  it('removes only the listed elements when a remove on a multi-valued attribute carries a value', () => {
    const result = patchUser(babs(), { op: 'remove', path: 'emails', value: [{ value: 'BABS@jensen.org' }] });
    expect(result.data.emails).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }]);
  });

  it('removes an extension attribute, and the extension object with its last attribute', () => {
    const data = { ...babs(), [ENTERPRISE]: { employeeNumber: '7', department: 'X' } };
    expect(patchUser(data, { op: 'remove', path: `${ENTERPRISE}:employeeNumber` }).data[ENTERPRISE]).toEqual({ department: 'X' });
    const gone = patchUser(data, { op: 'remove', path: `${ENTERPRISE}:employeeNumber` }, { op: 'remove', path: 'department' });
    expect(gone.data).not.toHaveProperty(ENTERPRISE);
  });

  it('removes a whole extension named by its URN', () => {
    const data = { ...babs(), [ENTERPRISE]: { employeeNumber: '7' } };
    expect(patchUser(data, { op: 'remove', path: ENTERPRISE }).data).not.toHaveProperty(ENTERPRISE);
  });

  it('rejects removing a required attribute (userName) with mutability', () => {
    expectScimError(() => patchUser(babs(), { op: 'remove', path: 'userName' }), 'mutability');
    expectScimError(() => patchUser(babs(), { op: 'replace', path: 'userName', value: null }), 'mutability');
    expectScimError(() => patchUser(babs(), { op: 'replace', value: { userName: null } }), 'mutability');
  });

  it('changes nothing when the attribute is already unassigned', () => {
    expect(patchUser(babs(), { op: 'remove', path: 'nickName' }).changed).toBe(false);
  });
});
