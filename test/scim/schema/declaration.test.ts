import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemaResource } from '../../../src/scim/discovery';
import { DeclarationError, RESERVED_ENDPOINTS, readResourceTypeDeclaration, readSchemaDeclaration } from '../../../src/scim/schema/declaration';
import type { KnownDeclarations } from '../../../src/scim/schema/declaration';
import { attr, complex, type AttributeType } from '../../../src/scim/schema/types';

type Json = Record<string, unknown>;

const BADGE = 'urn:acme:scim:schemas:Badge';
const ctx = { resourceTypes: ['User', 'Group', 'Organization'] };

/** The pointer of the refusal, or undefined when the declaration is accepted. */
function refusal(read: () => unknown): string | undefined {
  try {
    read();
    return undefined;
  } catch (error) {
    if (error instanceof DeclarationError) return error.pointer;
    throw error;
  }
}

const schemaPointer = (body: unknown, urn = BADGE) => refusal(() => readSchemaDeclaration(body, urn, ctx));
const one = (a: Json) => ({ id: BADGE, attributes: [{ name: 'a', type: 'string', ...a }] });
const sub = (s: Json) => one({ type: 'complex', subAttributes: [{ name: 's', type: 'string', ...s }] });

describe('readSchemaDeclaration', () => {
  it.each<[string, unknown, string]>([
    ['a body that is not an object', ['x'], ''],
    ['null for a body', null, ''],
    ['an unknown top-level member', { id: BADGE, attributes: [], Attributes: [] }, '/Attributes'],
    ['a missing id', { attributes: [] }, '/id'],
    ['an id that is not a string', { id: 7, attributes: [] }, '/id'],
    ['an id that is not a URN', { id: 'acme:Badge', attributes: [] }, '/id'],
    ['an id with a quote', { id: 'urn:acme:Ba"dge', attributes: [] }, '/id'],
    ['an id in the reserved SCIM namespace', { id: 'URN:IETF:params:scim:schemas:acme:Badge', attributes: [] }, '/id'],
    ['an id other than the declared URN', { id: 'urn:acme:scim:schemas:Other', attributes: [] }, '/id'],
    ['a name that is not a string', { id: BADGE, name: 1, attributes: [] }, '/name'],
    ['a description that is not a string', { id: BADGE, description: null, attributes: [] }, '/description'],
    ['missing attributes', { id: BADGE }, '/attributes'],
    ['attributes that are not an array', { id: BADGE, attributes: {} }, '/attributes'],
    ['an attribute that is not an object', { id: BADGE, attributes: ['a'] }, '/attributes/0'],
    ['a vendor characteristic', one({ 'x-vendor': true }), '/attributes/0/x-vendor'],
    ['a characteristic in the wrong case', one({ Type: 'string' }), '/attributes/0/Type'],
    ['an unknown key with a slash, escaped', one({ 'a/b~': 1 }), '/attributes/0/a~1b~0'],
    ['a missing name', { id: BADGE, attributes: [{ type: 'string' }] }, '/attributes/0/name'],
    ['a name starting with a digit', one({ name: '9lives' }), '/attributes/0/name'],
    ['a name with a dot', one({ name: 'a.b' }), '/attributes/0/name'],
    ['an empty name', one({ name: '' }), '/attributes/0/name'],
    ['$ref at the top level', one({ name: '$ref', type: 'reference' }), '/attributes/0/name'],
    ['the common attribute schemas', one({ name: 'schemas' }), '/attributes/0/name'],
    ['two names equal but for case', { id: BADGE, attributes: [{ name: 'title', type: 'string' }, { name: 'Title', type: 'string' }] },
      '/attributes/1/name'],
    ['a missing type', { id: BADGE, attributes: [{ name: 'a' }] }, '/attributes/0/type'],
    ['an unknown type', one({ type: 'text' }), '/attributes/0/type'],
    ['a type in the wrong case', one({ type: 'String' }), '/attributes/0/type'],
    ['multiValued as a string', one({ multiValued: 'true' }), '/attributes/0/multiValued'],
    ['required as a number', one({ required: 1 }), '/attributes/0/required'],
    ['caseExact as a string', one({ caseExact: 'no' }), '/attributes/0/caseExact'],
    ['a description that is not a string', one({ description: 5 }), '/attributes/0/description'],
    ['an unknown mutability', one({ mutability: 'readonly' }), '/attributes/0/mutability'],
    ['an unknown returned', one({ returned: 'sometimes' }), '/attributes/0/returned'],
    ['an unknown uniqueness', one({ uniqueness: 'unique' }), '/attributes/0/uniqueness'],
    ['a writeOnly attribute that is returned', one({ mutability: 'writeOnly', returned: 'default' }), '/attributes/0/returned'],
    ['a unique boolean', one({ type: 'boolean', uniqueness: 'server' }), '/attributes/0/uniqueness'],
    ['a unique multi-valued attribute', one({ multiValued: true, uniqueness: 'server' }), '/attributes/0/uniqueness'],
    ['a unique sub-attribute of a multi-valued one', { id: BADGE, attributes: [{ ...sub({ uniqueness: 'server' }).attributes[0], multiValued: true }] }, '/attributes/0/subAttributes/0/uniqueness'],
    ['a writeOnly multi-valued attribute', one({ mutability: 'writeOnly', multiValued: true }), '/attributes/0/mutability'],
    ['a writeOnly integer', one({ mutability: 'writeOnly', type: 'integer' }), '/attributes/0/mutability'],
    ['a writeOnly sub-attribute', sub({ mutability: 'writeOnly' }), '/attributes/0/subAttributes/0/mutability'],
    ['a unique complex attribute', { id: BADGE, attributes: [{ ...sub({}).attributes[0], uniqueness: 'global' }] }, '/attributes/0/uniqueness'],
    ['canonicalValues that are not an array', one({ canonicalValues: 'a' }), '/attributes/0/canonicalValues'],
    ['canonicalValues on a complex attribute', { id: BADGE, attributes: [{ ...sub({}).attributes[0], canonicalValues: ['x'] }] }, '/attributes/0/canonicalValues'],
    ['a number among string canonical values', one({ canonicalValues: ['a', 1] }), '/attributes/0/canonicalValues/1'],
    ['a fraction among integer canonical values', one({ type: 'integer', canonicalValues: [1, 1.5] }), '/attributes/0/canonicalValues/1'],
    ['a string among decimal canonical values', one({ type: 'decimal', canonicalValues: ['1.5'] }), '/attributes/0/canonicalValues/0'],
    ['a string among boolean canonical values', one({ type: 'boolean', canonicalValues: ['true'] }), '/attributes/0/canonicalValues/0'],
    ['an unparsable dateTime canonical value', one({ type: 'dateTime', canonicalValues: ['tomorrow'] }), '/attributes/0/canonicalValues/0'],
    ['a dateTime canonical value without time', one({ type: 'dateTime', canonicalValues: ['2024-01-01'] }), '/attributes/0/canonicalValues/0'],
    ['a repeated canonical value', one({ canonicalValues: ['a', 'b', 'a'] }), '/attributes/0/canonicalValues/2'],
    ['referenceTypes on a string', one({ referenceTypes: ['external'] }), '/attributes/0/referenceTypes'],
    ['referenceTypes that are not an array', one({ type: 'reference', referenceTypes: 'User' }), '/attributes/0/referenceTypes'],
    ['empty referenceTypes', one({ type: 'reference', referenceTypes: [] }), '/attributes/0/referenceTypes'],
    ['an unknown resource type to reference', one({ type: 'reference', referenceTypes: ['User', 'Device'] }), '/attributes/0/referenceTypes/1'],
    ['a reference type that is not a string', one({ type: 'reference', referenceTypes: [5] }), '/attributes/0/referenceTypes/0'],
    ['a reference type listed twice', one({ type: 'reference', referenceTypes: ['User', 'user'] }), '/attributes/0/referenceTypes/1'],
    ['a complex attribute without subAttributes', one({ type: 'complex' }), '/attributes/0/subAttributes'],
    ['a complex attribute with no subAttributes', one({ type: 'complex', subAttributes: [] }), '/attributes/0/subAttributes'],
    ['subAttributes that are not an array', one({ type: 'complex', subAttributes: {} }), '/attributes/0/subAttributes'],
    ['subAttributes on a string', one({ subAttributes: [{ name: 's', type: 'string' }] }), '/attributes/0/subAttributes'],
    ['a complex sub-attribute', sub({ type: 'complex', subAttributes: [{ name: 'x', type: 'string' }] }), '/attributes/0/subAttributes/0/type'],
    ['a bad sub-attribute name', sub({ name: 'a b' }), '/attributes/0/subAttributes/0/name'],
    ['a vendor characteristic on a sub-attribute', sub({ 'x-vendor': 1 }), '/attributes/0/subAttributes/0/x-vendor'],
    ['an illegal sub-attribute characteristic', sub({ mutability: 'sometimes' }), '/attributes/0/subAttributes/0/mutability'],
    ['two sub-attributes equal but for case', one({ type: 'complex', subAttributes: [{ name: 'value', type: 'string' }, { name: 'Value', type: 'string' }] }),
      '/attributes/0/subAttributes/1/name'],
  ])('refuses %s', (_, body, pointer) => {
    expect(schemaPointer(body)).toBe(pointer);
  });

  it('fills every characteristic the declaration leaves out with the RFC 7643 §2.2 default', () => {
    const def = readSchemaDeclaration({ id: BADGE, attributes: [{ name: 'a', type: 'string' }, { name: 'r', type: 'reference' }] }, BADGE, ctx);
    expect(def).toEqual({ id: BADGE, name: 'Badge', description: '', attributes: [attr('a', 'string'), attr('r', 'reference')] });
    expect(Object.keys(def.attributes[0]).sort()).toEqual(
      ['caseExact', 'description', 'multiValued', 'mutability', 'name', 'required', 'returned', 'type', 'uniqueness'],
    );
    expect(def.attributes[1].referenceTypes).toEqual(['external']);
  });

  it('makes a writeOnly attribute returned never when returned is left out', () => {
    expect(readSchemaDeclaration(one({ mutability: 'writeOnly' }), BADGE, ctx).attributes[0].returned).toBe('never');
  });

  it('keeps the id as declared, ignores schemas and meta, and matches the URN case-insensitively', () => {
    const body = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'], id: 'URN:acme:scim:schemas:Badge', attributes: [], meta: {} };
    expect(readSchemaDeclaration(body, BADGE, ctx).id).toBe('URN:acme:scim:schemas:Badge');
  });

  it('spells reference types as the context does', () => {
    const def = readSchemaDeclaration(one({ type: 'reference', referenceTypes: ['organization', 'URI', 'External'] }), BADGE, ctx);
    expect(def.attributes[0].referenceTypes).toEqual(['Organization', 'uri', 'external']);
  });

  it('reads caseExact as false where values are not compared as text, and drops empty canonicalValues', () => {
    const def = readSchemaDeclaration(one({ type: 'integer', caseExact: true, canonicalValues: [] }), BADGE, ctx);
    expect(def.attributes[0]).toEqual(attr('a', 'integer'));
  });

  it('passes over listed common attributes (RFC 7643 §3.1), as /Schemas lists them', () => {
    const def = readSchemaDeclaration({ id: BADGE, attributes: [{ name: 'ID', type: 'string' }, { name: 'externalId', type: 'string' }, { name: 'meta', type: 'complex' }, { name: 'a', type: 'string' }] }, BADGE, ctx);
    expect(def.attributes.map((a) => a.name)).toEqual(['a']);
  });

  it('lets a sub-attribute be named after a common attribute', () => {
    expect(schemaPointer(sub({ name: 'id' }))).toBeUndefined();
  });

  it('accepts the RFC 7643 §8.7.1 enterprise User schema under a tenant URN', () => {
    const urn = 'urn:acme:scim:schemas:extension:enterprise:2.0:User';
    const text = (name: string, description: string) => ({
      name, type: 'string', multiValued: false, description, required: false, caseExact: false,
      mutability: 'readWrite', returned: 'default', uniqueness: 'none',
    });
    const body = {
      id: urn, name: 'EnterpriseUser', description: 'Enterprise User',
      attributes: [
        text('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person.'),
        text('costCenter', 'Identifies the name of a cost center.'),
        text('organization', 'Identifies the name of an organization.'),
        text('division', 'Identifies the name of a division.'),
        text('department', 'Identifies the name of a department.'),
        {
          name: 'manager', type: 'complex', multiValued: false, description: "The User's manager.", required: false,
          subAttributes: [
            text('value', "The id of the SCIM resource representing the User's manager.  REQUIRED."),
            { ...text('$ref', "The URI of the SCIM resource representing the User's manager."), type: 'reference', referenceTypes: ['User'] },
            { ...text('displayName', "The displayName of the User's manager."), mutability: 'readOnly' },
          ],
          mutability: 'readWrite', returned: 'default',
        },
      ],
      meta: { resourceType: 'Schema', location: `/v2/Schemas/${urn}` },
    };
    const def = readSchemaDeclaration(body, urn, ctx);
    expect(def.attributes.map((a) => a.name)).toEqual(['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']);
    expect(def.attributes[5]).toEqual(
      complex('manager', [
        attr('value', 'string', { description: "The id of the SCIM resource representing the User's manager.  REQUIRED." }),
        attr('$ref', 'reference', { referenceTypes: ['User'], description: "The URI of the SCIM resource representing the User's manager." }),
        attr('displayName', 'string', { mutability: 'readOnly', description: "The displayName of the User's manager." }),
      ], { description: "The User's manager." }),
    );
    expect(schemaPointer({ ...body, id: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' }, body.id)).toBe('/id');
  });

  it('accepts a CIAM Organization schema', () => {
    const urn = 'urn:acme:ciam:schemas:Organization';
    const body = {
      id: urn, description: 'A customer organization',
      attributes: [
        { name: 'displayName', type: 'string', required: true, uniqueness: 'server' },
        { name: 'domains', type: 'string', multiValued: true },
        { name: 'tier', type: 'string', canonicalValues: ['free', 'pro', 'enterprise'] },
        { name: 'seats', type: 'integer', canonicalValues: [5, 50, 500] },
        { name: 'discount', type: 'decimal', canonicalValues: [0, 0.1, 0.25] },
        { name: 'verified', type: 'boolean', mutability: 'readOnly' },
        { name: 'contractEnds', type: 'dateTime', canonicalValues: ['2030-01-01T00:00:00Z'] },
        { name: 'scimSecret', type: 'string', mutability: 'writeOnly', caseExact: true },
        { name: 'logo', type: 'binary', caseExact: true },
        { name: 'website', type: 'reference', referenceTypes: ['external'] },
        {
          name: 'parent', type: 'complex',
          subAttributes: [{ name: 'value', type: 'string', caseExact: true }, { name: '$ref', type: 'reference', referenceTypes: ['Organization'] }],
        },
        {
          name: 'members', type: 'complex', multiValued: true, returned: 'request',
          subAttributes: [
            { name: 'value', type: 'string', caseExact: true, mutability: 'immutable' },
            { name: '$ref', type: 'reference', referenceTypes: ['User', 'Group'], mutability: 'immutable' },
            { name: 'type', type: 'string', canonicalValues: ['User', 'Group'], mutability: 'immutable' },
          ],
        },
      ],
    };
    const def = readSchemaDeclaration(body, urn, ctx);
    expect(def.name).toBe('Organization');
    const secret = attr('scimSecret', 'string', { mutability: 'writeOnly', returned: 'never', caseExact: true });
    expect(def.attributes.find((a) => a.name === 'scimSecret')).toEqual(secret);
    expect(def.attributes.find((a) => a.name === 'seats')?.canonicalValues).toEqual([5, 50, 500]);
    const members = def.attributes.find((a) => a.name === 'members');
    expect(members?.subAttributes?.map((s) => s.referenceTypes)).toEqual([undefined, ['User', 'Group'], undefined]);
  });
});

describe('readResourceTypeDeclaration', () => {
  const ORG = 'urn:acme:ciam:schemas:Organization';
  const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
  const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
  const rtCtx: KnownDeclarations = {
    schemas: [USER, ENTERPRISE, ORG, BADGE],
    otherTypes: [{ name: 'User', endpoint: '/Users' }, { name: 'Group', endpoint: '/Groups' }, { name: 'Device', endpoint: '/Devices' }],
  };
  const org = (extra: Json = {}) => ({ name: 'Organization', endpoint: '/Organizations', schema: ORG, ...extra });
  const pointer = (body: unknown, name = 'Organization', c = rtCtx) => refusal(() => readResourceTypeDeclaration(body, name, c));

  it.each<[string, unknown, string]>([
    ['a body that is not an object', 'Organization', ''],
    ['an unknown member', org({ Endpoint: '/Orgs' }), '/Endpoint'],
    ['a missing name', { endpoint: '/Organizations', schema: ORG }, '/name'],
    ['a name other than the declared one', org({ name: 'organization' }), '/name'],
    ['an id other than the name', org({ id: 'Org' }), '/id'],
    ['a missing endpoint', org({ endpoint: undefined }), '/endpoint'],
    ['an endpoint without a slash', org({ endpoint: 'Organizations' }), '/endpoint'],
    ['an endpoint with two segments', org({ endpoint: '/Org/anizations' }), '/endpoint'],
    ['a reserved endpoint in another case', org({ endpoint: '/users' }), '/endpoint'],
    ["another type's endpoint", org({ endpoint: '/DEVICES' }), '/endpoint'],
    ['a missing schema', org({ schema: undefined }), '/schema'],
    ['an unknown schema', org({ schema: 'urn:acme:nope' }), '/schema'],
    ['schemaExtensions that are not an array', org({ schemaExtensions: {} }), '/schemaExtensions'],
    ['an extension that is not an object', org({ schemaExtensions: [BADGE] }), '/schemaExtensions/0'],
    ['an unknown extension member', org({ schemaExtensions: [{ schema: BADGE, Required: true }] }), '/schemaExtensions/0/Required'],
    ['an extension without schema', org({ schemaExtensions: [{ required: true }] }), '/schemaExtensions/0/schema'],
    ['an unknown extension schema', org({ schemaExtensions: [{ schema: 'urn:acme:nope' }] }), '/schemaExtensions/0/schema'],
    ['the core schema as an extension', org({ schemaExtensions: [{ schema: ORG.toUpperCase() }] }), '/schemaExtensions/0/schema'],
    ['an extension listed twice', org({ schemaExtensions: [{ schema: BADGE }, { schema: BADGE.toLowerCase() }] }), '/schemaExtensions/1/schema'],
    ['required that is not a boolean', org({ schemaExtensions: [{ schema: BADGE, required: 'yes' }] }), '/schemaExtensions/0/required'],
    ['a description that is not a string', org({ description: 1 }), '/description'],
  ])('refuses %s', (_, body, expected) => {
    expect(pointer(body)).toBe(expected);
  });

  it.each<[string, string]>([
    ['a name starting with a digit', '9Org'],
    ["another type's name in another case", 'device'],
    ['the name of a discovery resource', 'Schema'],
  ])('refuses %s as the name', (_, name) => {
    expect(pointer(org({ name }), name)).toBe('/name');
  });

  it.each(RESERVED_ENDPOINTS)('refuses the reserved endpoint %s', (endpoint) => {
    expect(pointer(org({ endpoint }))).toBe('/endpoint');
  });

  it('reads a declaration with the context spelling of schemas and defaults filled', () => {
    const body = org({ id: 'Organization', schemas: [], meta: {}, schema: ORG.toUpperCase(), schemaExtensions: [{ schema: BADGE.toLowerCase() }] });
    expect(readResourceTypeDeclaration(body, 'Organization', rtCtx)).toEqual({
      name: 'Organization', endpoint: '/Organizations', description: '', schema: ORG, schemaExtensions: [{ schema: BADGE, required: false }],
    });
  });

  it('lets a built-in type gain extensions but not change its endpoint or schema', () => {
    const builtInCtx = { ...rtCtx, otherTypes: rtCtx.otherTypes.slice(1), builtIn: { schema: USER, endpoint: '/Users' } };
    const user = (extra: Json) => ({ name: 'User', endpoint: '/Users', schema: USER, ...extra });
    const def = readResourceTypeDeclaration(user({ schemaExtensions: [{ schema: ENTERPRISE, required: true }] }), 'User', builtInCtx);
    expect(def.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: true }]);
    expect(pointer(user({ endpoint: '/Accounts' }), 'User', builtInCtx)).toBe('/endpoint');
    expect(pointer(user({ schema: ORG }), 'User', builtInCtx)).toBe('/schema');
  });
});

// Random valid declarations, as a tenant might write them: any subset of characteristics, consistent.
const SIMPLE: AttributeType[] = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'binary'];
const COMMON = ['id', 'externalid', 'meta', 'schemas'];
const attrName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,7}$/).filter((n) => !COMMON.includes(n.toLowerCase()));
const subName = fc.oneof(attrName, fc.constantFrom('$ref', 'id', 'value'));

function valueOf(type: AttributeType): fc.Arbitrary<unknown> {
  const instant = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
  switch (type) {
    case 'integer': return fc.integer();
    case 'decimal': return fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v)); // JSON has no -0
    case 'boolean': return fc.boolean();
    case 'dateTime': return instant.map((d) => d.toISOString());
    default: return fc.string({ maxLength: 6 });
  }
}

const characteristics = (type: AttributeType) =>
  fc.record(
    {
      multiValued: fc.boolean(), required: fc.boolean(), caseExact: fc.boolean(), description: fc.string({ maxLength: 8 }),
      mutability: fc.constantFrom('readOnly', 'readWrite', 'immutable', 'writeOnly'),
      returned: fc.constantFrom('always', 'never', 'default', 'request'),
      uniqueness: type === 'boolean' || type === 'complex' ? fc.constant('none') : fc.constantFrom('none', 'server', 'global'),
      canonicalValues: fc.uniqueArray(valueOf(type), { maxLength: 4, comparator: 'SameValueZero' }),
      referenceTypes: fc.uniqueArray(fc.constantFrom('external', 'uri', ...ctx.resourceTypes), { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: [] },
  ).map((c) => {
    const out: Json = { ...c };
    if (type !== 'reference') delete out.referenceTypes;
    if (type === 'complex') delete out.canonicalValues;
    if (c.mutability === 'writeOnly' && c.returned !== undefined) out.returned = 'never';
    // writeOnly holds one text value (stored as a hash); uniqueness binds singular values only.
    if (c.mutability === 'writeOnly' && (c.multiValued || !['string', 'reference', 'binary'].includes(type))) out.mutability = 'readWrite';
    if (c.multiValued && c.uniqueness !== undefined) out.uniqueness = 'none';
    return out;
  });
/** A sub-attribute is never writeOnly, nor unique under a multi-valued parent. */
const asSub = (parentMultiValued: unknown) => (s: Json): Json => ({
  ...s,
  ...(s.mutability === 'writeOnly' ? { mutability: 'readWrite' } : {}),
  ...(parentMultiValued && s.uniqueness !== undefined ? { uniqueness: 'none' } : {}),
});

const named = (names: fc.Arbitrary<string>, body: fc.Arbitrary<Json>, minLength: number) =>
  fc.uniqueArray(fc.tuple(names, body), { selector: ([n]) => n.toLowerCase(), minLength, maxLength: 5 })
    .map((pairs) => pairs.map(([name, b]) => ({ name, ...b })));
const simple = fc.constantFrom(...SIMPLE).chain((type) => characteristics(type).map((c) => ({ type, ...c })));
const complexAttr = fc
  .tuple(characteristics('complex'), named(subName, simple, 1))
  .map(([c, subAttributes]) => ({ type: 'complex', ...c, subAttributes: subAttributes.map(asSub(c.multiValued)) }));
const declaration = (minLength: number) =>
  fc.record(
    {
      id: fc.constant(BADGE), name: fc.string({ maxLength: 8 }), description: fc.string({ maxLength: 8 }),
      attributes: named(attrName, fc.oneof(simple, complexAttr), minLength),
    },
    { requiredKeys: ['id', 'attributes'] },
  );

type Corruption = 'type' | 'mutability' | 'name' | 'duplicate' | 'complexInComplex' | 'canonical' | 'referenceTypes' | 'unknownKey';
const CORRUPTIONS: Corruption[] = ['type', 'mutability', 'name', 'duplicate', 'complexInComplex', 'canonical', 'referenceTypes', 'unknownKey'];
const WRONG: Record<string, unknown> = { integer: 1.5, decimal: '1.5', boolean: 'true', dateTime: 'soon', string: 7, reference: 7, binary: 7 };
const subs = (a: Json) => (a.subAttributes as Json[] | undefined) ?? [];
const flipFirst = (name: string) => name.replace(/./, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

/** Breaks one thing in one attribute or sub-attribute of `decl`; returns the pointer the refusal must carry. */
function corrupt(decl: Json, target: number, kind: Corruption, badName: string, key: string): string {
  const attrs = decl.attributes as Json[];
  const places = attrs.flatMap((a, i) => [[i], ...subs(a).map((_, j) => [i, j])]);
  const [i, j] = places[target % places.length];
  const isSub = j !== undefined;
  const list = isSub ? subs(attrs[i]) : attrs;
  const index = isSub ? j : i;
  const at = (n: number, ...rest: (string | number)[]) => [isSub ? `/attributes/${i}/subAttributes` : '/attributes', n, ...rest].join('/');
  const a = list[index];
  switch (kind) {
    case 'type':
      a.type = 'text';
      return at(index, 'type');
    case 'mutability':
      a.mutability = 'sometimes';
      return at(index, 'mutability');
    case 'name':
      a.name = badName;
      return at(index, 'name');
    case 'unknownKey':
      a[key] = true;
      return at(index, key.replace('/', '~1')); // RFC 6901 §3
    case 'duplicate':
      list.push({ ...a, name: flipFirst(a.name as string) });
      return at(list.length - 1, 'name');
    case 'complexInComplex': {
      const inner = { name: 'x', type: 'string' };
      if (isSub) {
        Object.assign(a, { type: 'complex', subAttributes: [inner] });
        return at(index, 'type');
      }
      list[index] = { name: a.name, type: 'complex', subAttributes: [{ name: 'in', type: 'complex', subAttributes: [inner] }] };
      return at(index, 'subAttributes', 0, 'type');
    }
    case 'referenceTypes':
      Object.assign(a, a.type === 'reference' ? { type: 'string' } : {}, { referenceTypes: ['external'] });
      return at(index, 'referenceTypes');
    case 'canonical': {
      // A complex attribute has no canonical values: break its first sub-attribute's instead.
      const [owner, pointer] = a.type === 'complex' ? [subs(a)[0], at(index, 'subAttributes', 0)] : [a, at(index)];
      const values = [...((owner.canonicalValues as unknown[] | undefined) ?? []), WRONG[owner.type as string]];
      owner.canonicalValues = values;
      return `${pointer}/canonicalValues/${values.length - 1}`;
    }
  }
}

describe('readSchemaDeclaration on random declarations', () => {
  it('accepts every valid declaration and reads its /Schemas rendering back to the same definition', () => {
    fc.assert(
      fc.property(declaration(0), (decl) => {
        const def = readSchemaDeclaration(JSON.parse(JSON.stringify(decl)), BADGE, ctx);
        expect(def.attributes.map((a) => a.name)).toEqual(decl.attributes.map((a) => a.name));
        const rendered = JSON.parse(JSON.stringify(schemaResource(def, 'http://x')));
        expect(readSchemaDeclaration(rendered, def.id, ctx)).toEqual(def);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('refuses each single corruption with the pointer of what was corrupted', () => {
    const badName = fc.constantFrom('9lives', 'has space', '', 'a.b', 'naïve', '-x');
    const key = fc.constantFrom('x-vendor', 'Name', 'readOnly', 'multivalued', 'a/b');
    fc.assert(
      fc.property(declaration(1), fc.nat(), fc.constantFrom(...CORRUPTIONS), badName, key, (decl, target, kind, bad, k) => {
        const body = JSON.parse(JSON.stringify(decl)) as Json;
        const expected = corrupt(body, target, kind, bad, k);
        expect(schemaPointer(body)).toBe(expected);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
