import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../src/scim/patch';
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
