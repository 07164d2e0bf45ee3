import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../src/scim/patch';
import { SchemaRegistry } from '../../../src/scim/schema/registry';
import { attr, complex } from '../../../src/scim/schema/types';
import { babs, body, ENTERPRISE, expectScimError, patchAs, patchUser, User, USER_ID } from './helpers';

// A resource type with immutable attributes (RFC 7643 §2.2), which the core schemas lack at top level.
const registry = new SchemaRegistry(
  [
    {
      id: 'urn:example:params:scim:schemas:Device',
      name: 'Device',
      description: 'Device',
      attributes: [
        attr('serial', 'string', { mutability: 'immutable' }),
        attr('label', 'string'),
        complex('ports', [attr('id', 'string', { mutability: 'immutable' }), attr('speed', 'integer')], { multiValued: true }),
      ],
    },
  ],
  [{ name: 'Device', endpoint: '/Devices', description: 'Device', schema: 'urn:example:params:scim:schemas:Device', schemaExtensions: [] }],
);
const Device = registry.resourceType('Device')!;

describe('mutability (RFC 7644 §3.5.2, RFC 7643 §2.2)', () => {
  it('rejects any operation on a readOnly attribute with mutability', () => {
    expectScimError(() => patchUser(babs(), { op: 'replace', path: 'id', value: 'other' }), 'mutability');
    expectScimError(() => patchUser(babs(), { op: 'replace', path: 'meta.lastModified', value: '2020-01-01T00:00:00Z' }), 'mutability');
    expectScimError(() => patchUser(babs(), { op: 'add', path: 'groups', value: [{ value: 'g' }] }), 'mutability');
    expectScimError(() => patchUser(babs(), { op: 'remove', path: 'groups' }), 'mutability');
    expectScimError(() => patchUser(babs(), { op: 'add', path: `${ENTERPRISE}:manager.displayName`, value: 'Boss' }), 'mutability');
  });

  it('rejects readOnly groups in a path-less value with mutability', () => {
    expectScimError(() => patchUser(babs(), { op: 'replace', value: { groups: [{ value: 'g' }] } }), 'mutability');
  });

  it('ignores schemas and meta in a path-less value, and a path of schemas', () => {
    const result = patchUser(babs(), { op: 'replace', value: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], meta: { resourceType: 'User' }, title: 'x' } });
    expect(result.data).toEqual({ ...babs(), title: 'x' });
    expect(patchUser(babs(), { op: 'add', path: 'schemas', value: [ENTERPRISE] }).changed).toBe(false);
  });

  it('allows setting an immutable attribute that has no value yet', () => {
    expect(patchAs(Device, {}, { op: 'add', path: 'serial', value: 'S1' }).data.serial).toBe('S1');
  });

  it('rejects changing or removing an immutable attribute that has a value with mutability', () => {
    expectScimError(() => patchAs(Device, { serial: 'S1' }, { op: 'replace', path: 'serial', value: 'S2' }), 'mutability');
    expectScimError(() => patchAs(Device, { serial: 'S1' }, { op: 'remove', path: 'serial' }), 'mutability');
    expect(patchAs(Device, { serial: 'S1' }, { op: 'replace', path: 'serial', value: 'S1' }).changed).toBe(false);
  });

  it('rejects changing an immutable sub-attribute of a selected element with mutability', () => {
    const data = { ports: [{ id: 'p1', speed: 10 }] };
    expectScimError(() => patchAs(Device, data, { op: 'replace', path: 'ports[id eq "p1"].id', value: 'p2' }), 'mutability');
    expect(patchAs(Device, data, { op: 'replace', path: 'ports[id eq "p1"].speed', value: '100' }).data.ports).toEqual([{ id: 'p1', speed: 100 }]);
  });

  it('hands a new password to the caller and keeps it out of the document', () => {
    const result = patchUser(babs(), { op: 'replace', path: 'password', value: 't1meMa$heen' });
    expect(result.password).toBe('t1meMa$heen');
    expect(result.data).toEqual(babs());
    expect(result.changed).toBe(true);
    expect(patchUser(babs(), { op: 'replace', value: { password: 'p' } }).password).toBe('p');
  });

  it('rejects removing the password with mutability, and adds nothing for a null one', () => {
    expectScimError(() => patchUser(babs(), { op: 'remove', path: 'password' }), 'mutability');
    expectScimError(() => patchUser(babs(), { op: 'replace', path: 'password', value: null }), 'mutability');
    expect(patchUser(babs(), { op: 'add', value: { password: null } }).changed).toBe(false);
  });
});

describe('paths (RFC 7644 §3.5.2, §3.10)', () => {
  it('rejects an unknown attribute or sub-attribute with invalidPath', () => {
    expectScimError(() => patchUser(babs(), { op: 'add', path: 'favouriteColour', value: 'teal' }), 'invalidPath');
    expectScimError(() => patchUser(babs(), { op: 'add', path: 'name.nickname', value: 'x' }), 'invalidPath');
    expectScimError(() => patchUser(babs(), { op: 'replace', path: 'emails[type eq "work"].colour', value: 'x' }), 'invalidPath');
    expectScimError(() => patchUser(babs(), { op: 'remove', path: 'urn:example:unknown:schema:thing' }), 'invalidPath');
  });

  it('rejects a malformed path with invalidPath', () => {
    expectScimError(() => patchUser(babs(), { op: 'remove', path: 'emails[type eq "work"' }), 'invalidPath');
    expectScimError(() => patchUser(babs(), { op: 'remove', path: 'emails[type eq work]' }), 'invalidPath');
    expectScimError(() => patchUser(babs(), { op: 'remove', path: 'name..givenName' }), 'invalidPath');
  });

  it('rejects a value filter on a single-valued attribute with invalidPath', () => {
    expectScimError(() => patchUser(babs(), { op: 'remove', path: 'name[givenName eq "Barbara"]' }), 'invalidPath');
  });

  it('rejects a value filter whose comparison does not fit the sub-attribute type with invalidPath', () => {
    expectScimError(() => patchUser(babs(), { op: 'remove', path: 'emails[primary eq "yes"]' }), 'invalidPath');
  });

  it('rejects removing the core schema as a whole with invalidPath', () => {
    expectScimError(() => patchUser(babs(), { op: 'remove', path: 'urn:ietf:params:scim:schemas:core:2.0:User' }), 'invalidPath');
  });

  it('accepts a URN-qualified core attribute', () => {
    expect(patchUser(babs(), { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName', value: 'B' }).data.name).toMatchObject({ givenName: 'B' });
  });
});

describe('atomicity (RFC 7644 §3.5.2)', () => {
  it('throws on the first failing operation and leaves the caller\'s document untouched', () => {
    const data = babs();
    expectScimError(
      () =>
        applyPatch(User, { id: USER_ID, data }, body(
          { op: 'replace', path: 'title', value: 'changed' },
          { op: 'remove', path: 'emails' },
          { op: 'replace', path: 'addresses[type eq "other"]', value: { locality: 'X' } },
        )),
      'noTarget',
    );
    expect(data).toEqual(babs());
  });

  it('never aliases the caller\'s document in a successful result', () => {
    const data = babs();
    const result = patchUser(data, { op: 'replace', path: 'emails[type eq "home"].display', value: 'd' });
    (result.data.name as Record<string, unknown>).givenName = 'Mutated';
    expect(data).toEqual(babs());
  });
});
