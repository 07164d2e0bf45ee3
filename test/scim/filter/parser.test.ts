import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../src/scim/errors';
import type { AttrPath, CompareOperator, Filter, PatchPath } from '../../../src/scim/filter/ast';
import { MAX_FILTER_LEAVES, MAX_FILTER_LENGTH, parseFilter, parsePath } from '../../../src/scim/filter/parser';
import { printFilter, printPath } from '../../../src/scim/filter/printer';
import { and, cmp, CORE_USER, ENTERPRISE, not, or, p, pr, vp } from './helpers';

const RFC_EXAMPLES: [string, Filter][] = [
  // RFC 7644 §3.4.2.2, the example filters, in order.
  ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
  ['name.familyName co "O\'Malley"', cmp('name.familyName', 'co', "O'Malley")],
  ['userName sw "J"', cmp('userName', 'sw', 'J')],
  [`${CORE_USER}:userName sw "J"`, cmp(p('userName', CORE_USER), 'sw', 'J')],
  ['title pr', pr('title')],
  ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
  ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
  ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
  ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
  ['title pr and userType eq "Employee"', and(pr('title'), cmp('userType', 'eq', 'Employee'))],
  ['title pr or userType eq "Intern"', or(pr('title'), cmp('userType', 'eq', 'Intern'))],
  [`schemas eq "${ENTERPRISE}"`, cmp('schemas', 'eq', ENTERPRISE)],
  [
    'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    and(cmp('userType', 'eq', 'Employee'), or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))),
  ],
  [
    'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    and(cmp('userType', 'ne', 'Employee'), not(or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')))),
  ],
  ['userType eq "Employee" and (emails.type eq "work")', and(cmp('userType', 'eq', 'Employee'), cmp('emails.type', 'eq', 'work'))],
  [
    'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    and(cmp('userType', 'eq', 'Employee'), vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com')))),
  ],
  [
    'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    or(
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
      vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
    ),
  ],
];

const OPERATORS: CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'];

const MORE: [string, Filter][] = [
  ...OPERATORS.map((op): [string, Filter] => [`title ${op} "x"`, cmp('title', op, 'x')]),
  ...OPERATORS.map((op): [string, Filter] => [`title ${op.toUpperCase()} "x"`, cmp('title', op, 'x')]),
  ['title PR', pr('title')],
  ['title pr AND userType pr Or nickName pr', or(and(pr('title'), pr('userType')), pr('nickName'))],
  ['title pr or userType pr and nickName pr', or(pr('title'), and(pr('userType'), pr('nickName')))],
  ['title pr and userType pr and nickName pr', and(and(pr('title'), pr('userType')), pr('nickName'))],
  ['title pr and (userType pr and nickName pr)', and(pr('title'), and(pr('userType'), pr('nickName')))],
  ['(title pr or userType pr) and nickName pr', and(or(pr('title'), pr('userType')), pr('nickName'))],
  ['((title pr))', pr('title')],
  ['not (title pr)', not(pr('title'))],
  ['NOT(title pr)', not(pr('title'))],
  ['not (title pr) and userType pr', and(not(pr('title')), pr('userType'))],
  ['not (not (title pr))', not(not(pr('title')))],
  // Values: JSON literals (RFC 7159), true/false/null in any case.
  ['active eq true', cmp('active', 'eq', true)],
  ['active eq False', cmp('active', 'eq', false)],
  ['title eq null', cmp('title', 'eq', null)],
  ['x eq 0', cmp('x', 'eq', 0)],
  ['x gt -12', cmp('x', 'gt', -12)],
  ['x lt 3.25', cmp('x', 'lt', 3.25)],
  ['x le 1.5e3', cmp('x', 'le', 1500)],
  ['x ge -2E-2', cmp('x', 'ge', -0.02)],
  ['x eq -0', cmp('x', 'eq', -0)],
  ['title eq "a\\"b\\\\c\\u00e9\\n\\/"', cmp('title', 'eq', 'a"b\\c\u00e9\n/')],
  ['title eq ""', cmp('title', 'eq', '')],
  ['title eq "ßÉé 𐀀"', cmp('title', 'eq', 'ßÉé 𐀀')],
  // Attribute paths: URN-qualified, sub-attributes, $ref.
  [`${ENTERPRISE}:employeeNumber eq "701984"`, cmp(p('employeeNumber', ENTERPRISE), 'eq', '701984')],
  [`${ENTERPRISE}:manager.value eq "x"`, cmp(p('manager.value', ENTERPRISE), 'eq', 'x')],
  ['manager.$ref pr', pr('manager.$ref')],
  ['some_attr-2 pr', pr('some_attr-2')],
  ['members[value eq "2819c223-7f76-453a-919d-413861904646"]', vp('members', cmp('value', 'eq', '2819c223-7f76-453a-919d-413861904646'))],
  // Value filters with nested logic.
  [
    'emails[type eq "work" and (value co "a" or not (primary eq false))]',
    vp('emails', and(cmp('type', 'eq', 'work'), or(cmp('value', 'co', 'a'), not(cmp('primary', 'eq', false))))),
  ],
  ['emails [type eq "work"]', vp('emails', cmp('type', 'eq', 'work'))],
  ['not (emails[type eq "work"])', not(vp('emails', cmp('type', 'eq', 'work')))],
  // Entra ID's form (docs/idp-quirks.md Entra 6): `attr[filter].sub op value` means `attr[filter and sub op value]`.
  ['emails[type eq "work"].value eq "a@b.c"', vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'a@b.c')))],
  [
    'emails[type eq "a" or type eq "b"].value pr and title pr',
    and(vp('emails', and(or(cmp('type', 'eq', 'a'), cmp('type', 'eq', 'b')), pr('value'))), pr('title')),
  ],
  // Whitespace is not significant between tokens.
  ['  userName   eq\t"x"  ', cmp('userName', 'eq', 'x')],
  ['userName eq"x"', cmp('userName', 'eq', 'x')],
  // "not" is a keyword only before "(": an attribute may be called "not".
  ['not pr', pr('not')],
];

describe('parseFilter', () => {
  it.each([...RFC_EXAMPLES, ...MORE])('parses %s and round-trips it through the printer', (text, expected) => {
    const parsed = parseFilter(text);
    expect(parsed).toEqual(expected);
    expect(parseFilter(printFilter(parsed))).toEqual(parsed);
  });

  const INVALID: [string, string][] = [
    ['an empty filter', ''],
    ['a blank filter', '   '],
    ['an unquoted value (authentik)', 'userName eq akadmin'],
    ['an unquoted value with spaces and operators', 'displayName eq CL_Sell in - Purchase Supervisor'],
    ['a single-quoted value', "userName eq 'bjensen'"],
    ['a missing value', 'userName eq'],
    ['a missing operator', 'userName "bjensen"'],
    ['an unknown operator', 'userName like "b"'],
    ['an unclosed parenthesis', '(userName eq "a"'],
    ['an extra closing parenthesis', 'userName eq "a")'],
    ['an unclosed value filter', 'emails[type eq "work"'],
    ['a stray closing bracket', 'emails type eq "work"]'],
    ['an empty value filter', 'emails[]'],
    ['trailing garbage', 'userName eq "a" foo'],
    ['a dangling and', 'userName eq "a" and'],
    ['two logical operators in a row', 'userName eq "a" and or title pr'],
    ['not without parentheses', 'not userName eq "a"'],
    ['not at the end', 'title pr and not'],
    ['an unterminated string', 'userName eq "abc'],
    ['a bad escape', 'userName eq "a\\x"'],
    ['a raw control character in a string', 'userName eq "a\u0001"'],
    ['a number glued to letters', 'x eq 12abc'],
    ['a number with a leading zero', 'x eq 01'],
    ['a number without fraction digits', 'x eq 1.'],
    ['an out-of-range number', 'x eq 1e999'],
    ['an attribute that starts with a digit', '1abc eq "x"'],
    ['an empty sub-attribute', 'name..x eq "a"'],
    ['too many sub-attributes', 'a.b.c eq "x"'],
    ['a URN without an attribute name', 'urn:x:y: eq "a"'],
    ['a sub-attribute after a value filter without an operator', 'emails[type eq "work"].value'],
    ['a symbol operator', 'userName == "a"'],
    ['an operator glued with &&', 'title pr && userType pr'],
    ['a filter longer than the limit', `userName eq "${'a'.repeat(MAX_FILTER_LENGTH)}"`],
    ['more leaves than the limit', Array.from({ length: MAX_FILTER_LEAVES + 1 }, () => 'title pr').join(' and ')],
    ['nesting deeper than the limit', `${'('.repeat(40)}title pr${')'.repeat(40)}`],
  ];

  it.each(INVALID)('rejects %s with invalidFilter', (_name, text) => {
    expect(() => parseFilter(text)).toThrow(ScimError);
    try {
      parseFilter(text);
    } catch (error) {
      expect((error as ScimError).scimType).toBe('invalidFilter');
      expect((error as ScimError).status).toBe(400);
    }
  });

  it('names the position and the unquoted word in its detail', () => {
    expect(() => parseFilter('userName eq akadmin')).toThrow(/character 13.*"akadmin"/);
    expect(() => parseFilter('displayName eq CL_Sell in - Purchase Supervisor')).toThrow(/character 16.*"CL_Sell"/);
  });

  it('accepts exactly the documented number of leaves', () => {
    const text = Array.from({ length: MAX_FILTER_LEAVES }, () => 'title pr').join(' or ');
    expect(() => parseFilter(text)).not.toThrow();
  });

  it('throws nothing but ScimError for arbitrary text', () => {
    const tokens = ['userName', 'emails', 'urn:a:b:c', ' ', ' eq ', ' pr', ' and ', ' or ', 'not', '(', ')', '[', ']', '.', '.value',
      '"x"', '"', '\\', '1', '-', 'e', 'true', 'null', ':', '$ref', '\u0000', 'é'];
    const filterish = fc.array(fc.constantFrom(...tokens), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), filterish), (text) => {
        try {
          parseFilter(text);
        } catch (error) {
          return error instanceof ScimError && error.scimType === 'invalidFilter';
        }
        return true;
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('parses every printed AST back to the same AST', () => {
    fc.assert(
      fc.property(filterArbitrary, (filter) => {
        expect(parseFilter(printFilter(filter))).toEqual(filter);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('parsePath', () => {
  const VALID: [string, PatchPath][] = [
    ['members', { kind: 'attrPath', path: p('members') }],
    ['name.givenName', { kind: 'attrPath', path: p('name.givenName') }],
    [`${ENTERPRISE}:manager`, { kind: 'attrPath', path: p('manager', ENTERPRISE) }],
    [`${ENTERPRISE}:manager.value`, { kind: 'attrPath', path: p('manager.value', ENTERPRISE) }],
    ['members[value eq "x"]', { kind: 'valuePath', path: p('members'), filter: cmp('value', 'eq', 'x') }],
    ['emails[type eq "work"].value', { kind: 'valuePath', path: p('emails'), filter: cmp('type', 'eq', 'work'), subAttr: 'value' }],
    [
      'addresses[type eq "work" and primary eq true].streetAddress',
      { kind: 'valuePath', path: p('addresses'), filter: and(cmp('type', 'eq', 'work'), cmp('primary', 'eq', true)), subAttr: 'streetAddress' },
    ],
  ];

  it.each(VALID)('parses %s and round-trips it through the printer', (text, expected) => {
    expect(parsePath(text)).toEqual(expected);
    expect(parsePath(printPath(expected))).toEqual(expected);
  });

  it.each([
    '',
    'emails[type eq "work"',
    'emails[type eq "work"].value eq "x"',
    'emails.',
    '[type eq "work"]',
    'name.givenName extra',
    'emails[type eq work]',
  ])('rejects %j with invalidPath', (text) => {
    try {
      parsePath(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScimError);
      expect((error as ScimError).scimType).toBe('invalidPath');
    }
  });

  it('throws nothing but ScimError for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        try {
          parsePath(text);
        } catch (error) {
          return error instanceof ScimError && error.scimType === 'invalidPath';
        }
        return true;
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});

// Generated ASTs: every node kind, names that collide with keywords, every kind of literal.
const name = fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,6}$/), fc.constantFrom('not', 'and', 'or', 'pr', 'eq', 'true', '$ref'));
const attrPath: fc.Arbitrary<AttrPath> = fc
  .record({ urn: fc.option(fc.constantFrom(CORE_USER, ENTERPRISE, 'urn:acme:ext:1.0:X'), { nil: undefined }), name, subAttr: fc.option(name, { nil: undefined }) })
  .map(({ urn, name: n, subAttr }) => ({ ...(urn !== undefined ? { urn } : {}), name: n === '$ref' ? 'ref' : n, ...(subAttr !== undefined ? { subAttr } : {}) }));
const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const op = fc.constantFrom<CompareOperator>(...OPERATORS);
const { filter: filterArbitrary } = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true, maxDepth: 5 },
    fc.record({ kind: fc.constant('compare' as const), path: attrPath, op, value }),
    fc.record({ kind: fc.constant('present' as const), path: attrPath }),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('filter'), right: tie('filter') }),
    fc.record({ kind: fc.constant('not' as const), filter: tie('filter') }),
    fc.record({ kind: fc.constant('valuePath' as const), path: attrPath, filter: tie('filter') }),
  ),
}));
