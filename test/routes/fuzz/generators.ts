import fc from 'fast-check';
import { expect } from 'vitest';
import { ENTERPRISE, newTenant, PATCH_OP, USER_SCHEMA, type Scim } from '../../helpers';

// Shared by the HTTP fuzz tests (one file each: the runtime slows down over thousands of requests
// in one test file, so each file stays at a few hundred). Fixed seeds, so CI runs the same cases.

export const SEED = 20261201;
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/**
 * Checks one response against the property; returns its JSON body (or undefined). The one 5xx allowed
 * is RFC 7644 §3.11's 501 for /Me with a token bound to no User.
 */
export async function wellFormed(res: Response, what: string, meAllowed = false): Promise<Record<string, any> | undefined> {
  if (!(meAllowed && res.status === 501)) expect(res.status, what).toBeLessThan(500);
  const text = await res.text();
  if (res.status >= 400) {
    const doc = JSON.parse(text);
    expect(doc.schemas, what).toEqual([ERROR]);
    expect(doc.status, what).toBe(String(res.status));
    expect(typeof doc.detail, what).toBe('string');
    return doc;
  }
  return text ? JSON.parse(text) : undefined;
}

export const ATTRS = ['userName', 'UserName', 'name.givenName', 'name', 'emails', 'emails.value', 'emails.type', 'active', 'title', 'externalId', 'id',
  'meta.lastModified', 'meta.created', 'meta.resourceType', 'groups.value', 'groups.display', 'password', 'x509Certificates.value',
  `${ENTERPRISE}:employeeNumber`, `${ENTERPRISE}:manager.value`, 'urn:bogus:attr', 'nickName', 'addresses.postalCode', 'phoneNumbers'];
const OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Sw'];
const literal = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', '"2024-01-31T12:00:00Z"', '"\\u00e9"', '"a\\"b"', '"ß"', '42', '-1.5e3', 'akadmin', '"'),
  fc.integer().map(String),
);
const comparison = fc.oneof(
  fc.tuple(fc.constantFrom(...ATTRS), fc.constantFrom(...OPS), literal).map(([a, o, v]) => `${a} ${o} ${v}`),
  fc.constantFrom(...ATTRS).map((a) => `${a} pr`),
);
export const filterText: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.tuple(tie('f'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('f')).map(([l, op, r]) => `${l} ${op} ${r}`),
    tie('f').map((f) => `not (${f})`),
    tie('f').map((f) => `(${f})`),
    fc.tuple(fc.constantFrom('emails', 'groups', 'members', 'addresses', 'name'), tie('f')).map(([a, f]) => `${a}[${f}]`),
  ),
})).f;
/** A random edit: insert, delete or replace one character from the grammar's own alphabet. */
export const mutated = fc.tuple(filterText, fc.nat(), fc.constantFrom('(', ')', '[', ']', '"', '\\', ' ', '.', ':', 'x', ''), fc.constantFrom('insert', 'delete', 'replace')).map(
  ([text, at, ch, how]) => {
    const i = at % (text.length + 1);
    if (how === 'insert') return text.slice(0, i) + ch + text.slice(i);
    if (how === 'delete') return text.slice(0, i) + text.slice(i + 1);
    return text.slice(0, i) + ch + text.slice(i + 1);
  },
);

export const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('True', 'False', '', ' '));
export const userish = fc.record(
  {
    schemas: fc.oneof(fc.constant([USER_SCHEMA]), fc.constant([USER_SCHEMA, ENTERPRISE]), fc.anything()),
    userName: fc.oneof(fc.string({ maxLength: 10 }), scalar),
    UserName: scalar,
    name: fc.oneof(fc.record({ givenName: scalar, familyName: scalar }, { requiredKeys: [] }), scalar),
    emails: fc.oneof(fc.array(fc.record({ value: scalar, type: scalar, primary: scalar }, { requiredKeys: [] }), { maxLength: 3 }), scalar, fc.array(scalar, { maxLength: 3 })),
    active: scalar,
    password: scalar,
    groups: fc.anything(),
    [ENTERPRISE]: fc.oneof(fc.record({ employeeNumber: scalar, manager: fc.oneof(scalar, fc.record({ value: scalar })) }, { requiredKeys: [] }), scalar),
    meta: fc.anything(),
    id: scalar,
  },
  { requiredKeys: [] },
);
export const patchOps = fc.array(
  fc.record(
    {
      op: fc.constantFrom('add', 'Replace', 'remove', 'ADD', 'move', 7),
      path: fc.oneof(fc.constantFrom(...ATTRS, 'members', 'members[value eq "x"]', 'emails[type eq "work"].value', 'emails[', ''), mutated),
      value: fc.oneof(scalar, userish, fc.anything({ maxDepth: 3 })),
    },
    { requiredKeys: [] },
  ),
  { maxLength: 4 },
).map((Operations) => ({ schemas: [PATCH_OP], Operations }));
export const bulk = fc.array(
  fc.record(
    {
      method: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'GET', 'post'),
      path: fc.constantFrom('/Users', '/Groups', '/Users/nope', '/Nope', '', '/Users/x/y'),
      bulkId: fc.oneof(fc.constantFrom('a', 'b', 'bulkId:a'), scalar),
      data: fc.oneof(userish, patchOps, fc.record({ displayName: scalar, members: fc.anything({ maxDepth: 2 }) }, { requiredKeys: [] }), fc.anything({ maxDepth: 3 })),
      version: scalar,
    },
    { requiredKeys: [] },
  ),
  { maxLength: 5 },
).map((Operations) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations, failOnErrors: 0 }));
/** JSON nested far deeper than any SCIM document (arrays or objects), as text: the hostile case. */
export const deep = fc.tuple(fc.integer({ min: 30, max: 5000 }), fc.boolean()).map(([n, arrays]) => ({
  raw: arrays ? `{"userName":"deep","displayName":"d","Operations":${'['.repeat(n)}${']'.repeat(n)}}` : `{"userName":"deep","emails":${'{"value":'.repeat(n)}"x"${'}'.repeat(n)}}`,
}));
/** Bodies near and past what one stored resource can hold (a long value stored twice over, bare values that grow). */
export const big = fc.constantFrom(150_000, 400_000, 520_000).chain((n) =>
  fc.constantFrom(
    { userName: `big${n}`, displayName: 'x'.repeat(n) },
    { userName: 'y'.repeat(n) },
    { userName: `bare${n}`, emails: Array.from({ length: Math.floor(n / 6) }, (_, i) => `${i}`) },
  ),
);
/** Any body as sent: valid JSON of any shape, or text that is not JSON. */
export const anyBody = fc.oneof(
  { arbitrary: userish, weight: 12 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 6 },
  { arbitrary: fc.string({ maxLength: 30 }).map((s) => ({ raw: s })), weight: 2 },
  { arbitrary: deep, weight: 2 },
  { arbitrary: big, weight: 1 },
);
export const text = (b: unknown) => (b && typeof b === 'object' && 'raw' in (b as object) ? (b as { raw: string }).raw : JSON.stringify(b));

export async function fixture(): Promise<{ scim: Scim; user: Record<string, any>; group: Record<string, any> }> {
  const scim = await newTenant();
  const user = await scim.createUser('fuzz@example.com', { name: { givenName: 'Fuzz' }, emails: [{ value: 'fuzz@example.com', type: 'work' }] });
  const group = await scim.createGroup('Fuzzers', [user.id]);
  return { scim, user, group };
}

