import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../src/scim/patch';
import { readPatchBody } from '../../../src/scim/patch/body';
import { babs, expectScimError, PATCH_OP, User, USER_ID } from './helpers';

const run = (b: unknown) => applyPatch(User, { id: USER_ID, data: babs() }, b);

describe('PatchOp body (RFC 7644 §3.5.2)', () => {
  it('rejects a body that is not a JSON object with invalidSyntax', () => {
    expectScimError(() => run([{ op: 'add' }]), 'invalidSyntax');
    expectScimError(() => run(null), 'invalidSyntax');
  });

  it('rejects a missing, non-array or empty Operations with invalidSyntax', () => {
    expectScimError(() => run({ schemas: [PATCH_OP] }), 'invalidSyntax');
    expectScimError(() => run({ schemas: [PATCH_OP], Operations: {} }), 'invalidSyntax');
    expectScimError(() => run({ schemas: [PATCH_OP], Operations: [] }), 'invalidSyntax');
  });

  it('reads Operations, op, path and value case-insensitively', () => {
    const result = run({ SCHEMAS: [PATCH_OP], operations: [{ OP: 'replace', Path: 'nickName', VALUE: 'Babs' }] });
    expect(result.data.nickName).toBe('Babs');
  });

  it('accepts a body without schemas', () => {
    expect(run({ Operations: [{ op: 'replace', path: 'title', value: 'Boss' }] }).data.title).toBe('Boss');
  });

  it('rejects schemas that do not name the PatchOp message with invalidSyntax', () => {
    expectScimError(() => run({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }), 'invalidSyntax');
  });

  it('rejects an unknown or missing op with invalidSyntax', () => {
    expectScimError(() => run({ Operations: [{ op: 'merge', path: 'title', value: 'x' }] }), 'invalidSyntax');
    expectScimError(() => run({ Operations: [{ path: 'title', value: 'x' }] }), 'invalidSyntax');
    expectScimError(() => run({ Operations: ['add'] }), 'invalidSyntax');
  });

  it('rejects a path that is not a string with invalidSyntax', () => {
    expectScimError(() => run({ Operations: [{ op: 'add', path: 7, value: 'x' }] }), 'invalidSyntax');
  });

  it('rejects add and replace without a value member with invalidValue', () => {
    expectScimError(() => run({ Operations: [{ op: 'add', path: 'title' }] }), 'invalidValue');
    expectScimError(() => run({ Operations: [{ op: 'replace', path: 'title' }] }), 'invalidValue');
  });

  it('reads a blank path as no path', () => {
    expect(run({ Operations: [{ op: 'replace', path: '', value: { title: 'Boss' } }] }).data.title).toBe('Boss');
    expectScimError(() => run({ Operations: [{ op: 'remove', path: ' ' }] }), 'noTarget');
  });

  it('names the failing operation in the detail', () => {
    const error = expectScimError(() => run({ Operations: [{ op: 'add', path: 'title', value: 'x' }, { op: 'add', path: 'nope', value: 1 }] }), 'invalidPath');
    expect(error.detail).toMatch(/^Operations\[1\]/);
  });
});

describe('readPatchBody (RFC 7644 §3.5.2, member names per RFC 7643 §2.1)', () => {
  it.each([
    ['canonical names', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title', value: 'x' }] }, [{ op: 'add', path: 'title', hasValue: true, value: 'x' }]],
    ['names in any case', { SCHEMAS: [PATCH_OP], operations: [{ OP: 'replace', Path: 'nickName', VALUE: 'B' }] }, [{ op: 'replace', path: 'nickName', hasValue: true, value: 'B' }]],
    ['a capitalised op (Entra)', { Operations: [{ op: 'Remove', path: 'title' }] }, [{ op: 'remove', path: 'title', hasValue: false }]],
    ['a blank or null path as none', { Operations: [{ op: 'add', path: '  ', value: {} }, { op: 'add', path: null, value: {} }] }, [{ op: 'add', hasValue: true, value: {} }, { op: 'add', hasValue: true, value: {} }]],
    ['value: null as present', { Operations: [{ op: 'replace', path: 'title', value: null }] }, [{ op: 'replace', path: 'title', hasValue: true, value: null }]],
    ['the schemas URN in any case', { schemas: [PATCH_OP.toUpperCase()], Operations: [{ op: 'remove', path: 'title' }] }, [{ op: 'remove', path: 'title', hasValue: false }]],
    ['null schemas as absent', { schemas: null, Operations: [{ op: 'remove', path: 'title' }] }, [{ op: 'remove', path: 'title', hasValue: false }]],
  ])('reads %s', (_what, body, operations) => {
    expect(readPatchBody(body)).toEqual(operations);
  });

  it.each([
    ['a body that is an array', [{ op: 'add' }], 'invalidSyntax', 'A PatchOp must be a JSON object.'],
    ['Operations spelt twice', { Operations: [], operations: [] }, 'invalidSyntax', "PatchOp: member 'Operations' is given more than once (names are case-insensitive)."],
    ['an op spelt twice', { Operations: [{ op: 'add', OP: 'remove', value: 1 }] }, 'invalidSyntax', "Operations[0]: member 'op' is given more than once (names are case-insensitive)."],
    ['no Operations', { schemas: [PATCH_OP] }, 'invalidSyntax', 'Operations: must be an array of one or more operations.'],
    ['empty Operations', { Operations: [] }, 'invalidSyntax', 'Operations: must be an array of one or more operations.'],
    ['schemas naming another message', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [{ op: 'remove', path: 'x' }] }, 'invalidSyntax', `schemas: must include "${PATCH_OP}".`],
    ['an operation that is not an object', { Operations: ['add'] }, 'invalidSyntax', 'Operations[0]: must be a JSON object.'],
    ['an unknown op', { Operations: [{ op: 'remove', path: 'x' }, { op: 'merge', value: 1 }] }, 'invalidSyntax', 'Operations[1].op: must be "add", "remove" or "replace"; found "merge".'],
    ['a missing op', { Operations: [{ path: 'x', value: 1 }] }, 'invalidSyntax', 'Operations[0].op: must be "add", "remove" or "replace"; found null.'],
    ['a path that is not a string', { Operations: [{ op: 'add', path: 7, value: 1 }] }, 'invalidSyntax', 'Operations[0].path: must be a string.'],
    ['add without a value', { Operations: [{ op: 'add', path: 'title' }] }, 'invalidValue', "Operations[0]: add needs a 'value'."],
    ['replace without a value', { Operations: [{ op: 'Replace', path: 'title' }] }, 'invalidValue', "Operations[0]: replace needs a 'value'."],
  ])('refuses %s', (_what, body, scimType, detail) => {
    expect(expectScimError(() => readPatchBody(body), scimType as 'invalidSyntax').detail).toBe(detail);
  });
});
