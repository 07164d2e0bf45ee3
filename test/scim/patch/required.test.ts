import { describe, expect, it } from 'vitest';
import { readResourceInput } from '../../../src/scim/resource/input';
import { babs, expectScimError, Group, patchGroup, patchUser } from './helpers';

// RFC 7643 §2.2 required attributes given as blank strings count as missing (RFC 7644 §3.12 invalidValue);
// removing them stays mutability (RFC 7644 §3.5.2.2, asserted in remove.test.ts and members.test.ts).

describe('required attributes set to blank strings', () => {
  it.each(['', '   ', '\t'])('refuses a PATCH that sets userName to %j with invalidValue, by path and path-less', (blank) => {
    expectScimError(() => patchUser(babs(), { op: 'replace', path: 'userName', value: blank }), 'invalidValue');
    expectScimError(() => patchUser(babs(), { op: 'add', path: 'userName', value: blank }), 'invalidValue');
    expectScimError(() => patchUser(babs(), { op: 'Replace', value: { userName: blank } }), 'invalidValue');
  });

  it('refuses a PATCH that blanks a Group\'s displayName with invalidValue', () => {
    expectScimError(() => patchGroup({ displayName: 'Guides' }, [{ op: 'replace', path: 'displayName', value: ' ' }]), 'invalidValue');
  });

  it('reads "" for an optional attribute as unassigned, as filters and sorting do, and keeps other blanks', () => {
    expect(patchUser({ ...babs(), nickName: 'B' }, { op: 'replace', path: 'nickName', value: '' }).data).not.toHaveProperty('nickName');
    expect(patchUser(babs(), { op: 'replace', path: 'nickName', value: ' ' }).data.nickName).toBe(' ');
  });

  it('refuses a POST or PUT body whose required attribute is blank with invalidValue', () => {
    expectScimError(() => readResourceInput(Group, { displayName: '' }), 'invalidValue');
    expectScimError(() => readResourceInput(Group, { DisplayName: '  ' }), 'invalidValue');
    expect(readResourceInput(Group, { displayName: ' x ' }).data.displayName).toBe(' x ');
  });
});
