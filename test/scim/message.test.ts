import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { anyCaseObject, readMessage, schemasNaming, valueFault } from '../../src/scim/message';
import { expectScimError } from './patch/helpers';

// The one way request messages are read (src/scim/message.ts), on a small message of its own.

const URN = 'urn:example:Message';
const item = anyCaseObject({ name: z.string(), size: z.number().optional() });
const message = anyCaseObject({
  schemas: schemasNaming(URN),
  items: z.array(item),
  limit: z.custom<number>((v) => Number.isInteger(v), { message: 'must be an integer', ...valueFault }).optional(),
  note: z.string().optional(),
});
const read = (body: unknown) => readMessage('Message', message, body, 'invalidSyntax');
const readNullAbsent = (body: unknown) => readMessage('Message', anyCaseObject({ note: z.string().optional() }, { nullIsUnassigned: true }), body, 'invalidValue');

describe('reading a request message (RFC 7643 §2.1 member names, RFC 7644 §3.12 faults)', () => {
  it.each([
    [{ items: [] }, { items: [] }],
    [{ ITEMS: [{ NAME: 'a', Size: 1 }], Note: 'n' }, { items: [{ name: 'a', size: 1 }], note: 'n' }],
    [{ Schemas: ['URN:EXAMPLE:MESSAGE'], items: [] }, { schemas: ['URN:EXAMPLE:MESSAGE'], items: [] }],
    [{ items: [], unknown: 1, Unknown: 2 }, { items: [] }],
  ])('reads %j under the names the schema spells, ignoring unknown members', (body, expected) => {
    expect(read(body)).toEqual(expected);
  });

  it.each([
    ['a body that is not an object', [], 'invalidSyntax', 'A Message must be a JSON object.'],
    ['a member spelt twice', { items: [], Items: [] }, 'invalidSyntax', "Message: member 'items' is given more than once (names are case-insensitive)."],
    ['a nested member spelt twice', { items: [{ name: 'a', NAME: 'b' }] }, 'invalidSyntax', "items[0]: member 'name' is given more than once (names are case-insensitive)."],
    ['a nested object that is not an object', { items: ['a'] }, 'invalidSyntax', 'items[0]: must be a JSON object.'],
    ['schemas without the message URN', { schemas: ['urn:other'], items: [] }, 'invalidSyntax', `schemas: must include "${URN}".`],
    ['schemas that is not an array', { schemas: URN, items: [] }, 'invalidSyntax', 'schemas: must be an array of schema URNs.'],
    ['a fault that asks for invalidValue', { items: [], limit: 1.5 }, 'invalidValue', 'limit: must be an integer.'],
  ])('refuses %s with the scimType and member it names', (_what, body, scimType, detail) => {
    expect(expectScimError(() => read(body), scimType as 'invalidSyntax').detail).toBe(detail);
  });

  it('reports the first fault in document order', () => {
    expect(expectScimError(() => read({ items: [{ name: 'a' }, { name: 1 }, { name: 2 }] }), 'invalidSyntax').detail).toMatch(/^items\[1\]\.name: /);
  });

  it('reads a null member as absent only where the message says null is unassigned (RFC 7643 §2.5)', () => {
    expect(readNullAbsent({ Note: null })).toEqual({});
    expectScimError(() => read({ items: [], note: null }), 'invalidSyntax');
  });

  it('keeps a member named __proto__ an ordinary (ignored) member', () => {
    expect(read(JSON.parse('{"items": [], "__proto__": {"note": "inherited"}}'))).toEqual({ items: [] });
  });

  it('uses the default fault of the message it reads when no issue asks for another', () => {
    expectScimError(() => readNullAbsent({ note: 1 }), 'invalidValue');
    expectScimError(() => readNullAbsent({ note: 'a', NOTE: 'b' }), 'invalidValue');
  });
});
