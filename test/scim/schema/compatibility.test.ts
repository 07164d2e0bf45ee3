import { describe, expect, it } from 'vitest';
import { breakingChanges, type SchemaChangeKind } from '../../../src/scim/schema/compatibility';
import { attr, complex, type AttributeDef, type SchemaDef } from '../../../src/scim/schema/types';

const before: SchemaDef = {
  id: 'urn:acme:ciam:schemas:Organization',
  name: 'Organization',
  description: 'A customer organization',
  attributes: [
    attr('displayName', 'string', { required: true, uniqueness: 'server' }),
    attr('nickName', 'string'),
    attr('seats', 'integer', { canonicalValues: ['5', '50'] }),
    attr('domains', 'string', { multiValued: true, uniqueness: 'global' }),
    attr('website', 'reference', { referenceTypes: ['external'] }),
    complex('parent', [
      attr('value', 'string', { caseExact: true }),
      attr('$ref', 'reference', { referenceTypes: ['Organization'] }),
      attr('display', 'string'),
    ]),
  ],
};

/** `before` with one attribute (or sub-attribute, `parent.value`) rewritten, or removed when `change` returns undefined. */
function after(path: string, change: (a: AttributeDef) => AttributeDef | undefined): SchemaDef {
  const [name, subName] = path.split('.');
  const edit = (list: AttributeDef[], wanted: string, fn: (a: AttributeDef) => AttributeDef | undefined) =>
    list.flatMap((a) => (a.name === wanted ? (fn(structuredClone(a)) ?? []) : [a]));
  const attributes = subName === undefined
    ? edit(before.attributes, name, change)
    : edit(before.attributes, name, (parent) => ({ ...parent, subAttributes: edit(parent.subAttributes ?? [], subName, change) }));
  return { ...before, attributes };
}

const set = (patch: Partial<AttributeDef>) => (a: AttributeDef) => ({ ...a, ...patch });
const gone = () => undefined;

describe('breakingChanges', () => {
  it.each<[string, SchemaDef, [SchemaChangeKind, string][]]>([
    ['an attribute removed', after('nickName', gone), [['removed', 'nickName']]],
    ['an attribute renamed in case only', after('nickName', set({ name: 'nickname' })), [['removed', 'nickName']]],
    ['a sub-attribute removed', after('parent.display', gone), [['removed', 'parent.display']]],
    ['a complex attribute removed, not its sub-attributes again', after('parent', gone), [['removed', 'parent']]],
    ['a type changed', after('seats', set({ type: 'decimal' })), [['typeChanged', 'seats']]],
    ['a complex attribute made simple, not its sub-attributes again', after('parent', (a) => attr(a.name, 'string')), [['typeChanged', 'parent']]],
    ['a sub-attribute retyped', after('parent.value', set({ type: 'integer' })), [['typeChanged', 'parent.value']]],
    ['an attribute made multi-valued', after('nickName', set({ multiValued: true })), [['multiValuedChanged', 'nickName']]],
    ['an attribute made single-valued', after('domains', set({ multiValued: false })), [['multiValuedChanged', 'domains']]],
    ['a string made case-sensitive', after('nickName', set({ caseExact: true })), [['caseExactChanged', 'nickName']]],
    ['a sub-attribute made case-insensitive', after('parent.value', set({ caseExact: false })), [['caseExactChanged', 'parent.value']]],
    ['an attribute made required', after('nickName', set({ required: true })), [['madeRequired', 'nickName']]],
    ['a sub-attribute made required', after('parent.$ref', set({ required: true })), [['madeRequired', 'parent.$ref']]],
    ['an attribute made unique', after('nickName', set({ uniqueness: 'server' })), [['madeUnique', 'nickName']]],
    ['server uniqueness made global', after('displayName', set({ uniqueness: 'global' })), [['madeUnique', 'displayName']]],
    [
      'several characteristics at once, each listed',
      after('nickName', set({ multiValued: true, required: true, uniqueness: 'global' })),
      [['multiValuedChanged', 'nickName'], ['madeRequired', 'nickName'], ['madeUnique', 'nickName']],
    ],
  ])('lists %s', (_, next, expected) => {
    const changes = breakingChanges(before, next);
    expect(changes.map((c) => [c.kind, c.path.join('.')])).toEqual(expected);
    for (const change of changes) expect(change.detail).toMatch(/^\S.*\.$/);
  });

  it('names the new uniqueness of an attribute made unique', () => {
    expect(breakingChanges(before, after('nickName', set({ uniqueness: 'global' })))[0]).toMatchObject({ kind: 'madeUnique', uniqueness: 'global' });
    expect(breakingChanges(before, after('nickName', set({ multiValued: true })))[0].uniqueness).toBeUndefined();
  });

  it.each<[string, SchemaDef]>([
    ['the same declaration', structuredClone(before)],
    ['a new attribute', { ...before, attributes: [...before.attributes, attr('tier', 'string', { required: true, uniqueness: 'server' })] }],
    ['a new sub-attribute', after('parent', (a) => ({ ...a, subAttributes: [...(a.subAttributes ?? []), attr('type', 'string')] }))],
    ['attributes in another order', { ...before, attributes: [...before.attributes].reverse() }],
    ['a requirement relaxed', after('displayName', set({ required: false }))],
    ['canonical values added', after('seats', set({ canonicalValues: ['5', '50', '500'] }))],
    ['canonical values removed', after('seats', set({ canonicalValues: undefined }))],
    ['a description changed', after('nickName', set({ description: 'Casual name' }))],
    ['mutability changed', after('nickName', set({ mutability: 'readOnly' }))],
    ['returned changed', after('parent.display', set({ returned: 'request' }))],
    ['global uniqueness relaxed to server', after('domains', set({ uniqueness: 'server' }))],
    ['uniqueness dropped', after('displayName', set({ uniqueness: 'none' }))],
    ['reference types changed', after('website', set({ referenceTypes: ['uri', 'Organization'] }))],
    ['caseExact changed where values are not text', after('seats', set({ caseExact: true }))],
    ['the schema renamed and redescribed', { ...before, name: 'Org', description: 'Renamed' }],
  ])('lists nothing for %s', (_, next) => {
    expect(breakingChanges(before, next)).toEqual([]);
  });
});
