import { describe, expect, it } from 'vitest';
import type { ScimType } from '../../../src/scim/errors';
import { applyPatch, type MembershipDelta } from '../../../src/scim/patch';
import type { Document, MemberInput } from '../../../src/scim/resource/input';
import { ENTERPRISE, expectScimError, Group, User } from '../patch/helpers';

// Recorded IdP requests (docs/idp-quirks.md), replayed byte for byte through applyPatch. Each row names the
// quirk module that accepts it. Bodies are kept as the JSON text the IdP sent.

const ID = 'e5f7a0c2-51d2-4c1e-9d3b-7f6a1c2d3e4f';
const MANAGER = '9b8a7c6d-0000-4000-8000-000000000001';
const OLD_MANAGER = '9b8a7c6d-0000-4000-8000-000000000002';
const MEMBER = '6c5d4e3f-0000-4000-8000-00000000000a';
const OTHER = '6c5d4e3f-0000-4000-8000-00000000000b';

interface Replay {
  quirk: string;
  resource: 'User' | 'Group';
  data: Document;
  members?: MemberInput[];
  /** The request body as the IdP sent it. */
  raw: string;
  data_after?: Document;
  delta?: MembershipDelta;
  password?: string;
  error?: ScimType;
}

const kim = (): Document => ({ userName: 'kim@contoso.com', name: { givenName: 'K', familyName: 'Lee' }, active: true });
const op = (...operations: string[]) => `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[${operations.join(',')}]}`;

const replays: Replay[] = [
  {
    quirk: 'Entra 1 (entra-capitalised-ops): capitalised Replace, Add and Remove',
    resource: 'User',
    data: { ...kim(), nickName: 'Kimmy' },
    raw: op('{"op":"Replace","path":"displayName","value":"Kim Lee"}', '{"op":"Add","path":"title","value":"Dev"}', '{"op":"Remove","path":"nickName"}'),
    data_after: { ...kim(), displayName: 'Kim Lee', title: 'Dev' },
  },
  {
    quirk: 'Entra 2 (string-booleans): "False" for a boolean attribute is false',
    resource: 'User',
    data: kim(),
    raw: op('{"op":"Replace","path":"active","value":"False"}'),
    data_after: { ...kim(), active: false },
  },
  {
    quirk: 'Entra 2 (string-booleans): "True" in a path-less value, while a string attribute keeps the text',
    resource: 'User',
    data: { ...kim(), active: false },
    raw: op('{"op":"Replace","value":{"active":"True","title":"False"}}'),
    data_after: { ...kim(), active: true, title: 'False' },
  },
  {
    quirk: 'Entra 3 (entra-dotted-pathless-keys): dotted and URN-qualified keys in one path-less replace',
    resource: 'User',
    data: kim(),
    raw: op('{"op":"replace","value":{"name.givenName":"Kim","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"7"}}'),
    data_after: { ...kim(), name: { givenName: 'Kim', familyName: 'Lee' }, [ENTERPRISE]: { employeeNumber: '7' } },
  },
  {
    quirk: 'Entra 4 (entra-filtered-path-add): an add through a filter that matches nothing creates the element',
    resource: 'User',
    data: { ...kim(), emails: [{ value: 'kim@home.example', type: 'home' }] },
    raw: op('{"op":"Add","path":"emails[type eq \\"work\\"].value","value":"a@b.c"}'),
    data_after: { ...kim(), emails: [{ value: 'kim@home.example', type: 'home' }, { type: 'work', value: 'a@b.c' }] },
  },
  {
    quirk: 'Entra 4 (entra-filtered-path-add): several sub-attribute adds build one element; primary moves to it',
    resource: 'User',
    data: { ...kim(), emails: [{ value: 'kim@home.example', type: 'home', primary: true }] },
    raw: op(
      '{"op":"Add","path":"emails[type eq \\"work\\"].value","value":"a@b.c"}',
      '{"op":"Add","path":"emails[type eq \\"work\\"].primary","value":"True"}',
      '{"op":"Add","path":"emails[type eq \\"work\\"].display","value":"Work"}',
    ),
    data_after: { ...kim(), emails: [{ value: 'kim@home.example', type: 'home' }, { type: 'work', value: 'a@b.c', primary: true, display: 'Work' }] },
  },
  {
    quirk: 'Entra 4 (entra-filtered-path-add): an add through a filter that matches sets the sub-attribute there only',
    resource: 'User',
    data: { ...kim(), emails: [{ value: 'old@b.c', type: 'work' }, { value: 'kim@home.example', type: 'home' }] },
    raw: op('{"op":"Add","path":"emails[type eq \\"work\\"].value","value":"new@b.c"}'),
    data_after: { ...kim(), emails: [{ value: 'new@b.c', type: 'work' }, { value: 'kim@home.example', type: 'home' }] },
  },
  {
    quirk: 'Entra 4 (entra-filtered-path-add): a Replace through a filtered sub-attribute that matches nothing creates it too',
    resource: 'User',
    data: kim(),
    raw: op('{"op":"Replace","path":"phoneNumbers[type eq \\"mobile\\"].value","value":"+1 555 0100"}'),
    data_after: { ...kim(), phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }] },
  },
  {
    quirk: 'Entra 5 (entra-member-removal): Remove of members with a value list removes those members only',
    resource: 'Group',
    data: { displayName: 'Sales' },
    raw: op(`{"op":"Remove","path":"members","value":[{"value":"${MEMBER}"}]}`),
    delta: { add: [], remove: [MEMBER] },
  },
  {
    quirk: 'Entra 5 (entra-member-removal): remove through members[value eq "<id>"]',
    resource: 'Group',
    data: { displayName: 'Sales' },
    raw: op(`{"op":"remove","path":"members[value eq \\"${MEMBER}\\"]"}`),
    delta: { add: [], remove: [MEMBER] },
  },
  {
    quirk: 'Entra 5 (entra-member-removal): removing a user that is not a member does not fail',
    resource: 'Group',
    data: { displayName: 'Sales' },
    members: [{ value: OTHER, type: 'User' }],
    raw: op(`{"op":"Remove","path":"members","value":[{"value":"${MEMBER}"}]}`),
    delta: { add: [], remove: [] },
  },
  {
    quirk: 'Entra 5 (entra-member-removal): member adds may carry "$ref": null',
    resource: 'Group',
    data: { displayName: 'Sales' },
    raw: op(`{"op":"Add","path":"members","value":[{"$ref":null,"value":"${MEMBER}"}]}`),
    delta: { add: [{ value: MEMBER }], remove: [] },
  },
  {
    quirk: 'Entra 7 (entra-manager, entra-unqualified-extension-path): manager by unqualified path, as an array',
    resource: 'User',
    data: kim(),
    raw: op(`{"op":"Add","path":"manager","value":[{"$ref":"https://scim.example/Users/${MANAGER}","value":"${MANAGER}"}]}`),
    data_after: { ...kim(), [ENTERPRISE]: { manager: { $ref: `https://scim.example/Users/${MANAGER}`, value: MANAGER } } },
  },
  {
    quirk: 'Entra 7 (entra-manager): manager by URN path as a bare id replaces the old manager whole',
    resource: 'User',
    data: { ...kim(), [ENTERPRISE]: { department: 'R&D', manager: { value: OLD_MANAGER, $ref: `https://scim.example/Users/${OLD_MANAGER}` } } },
    raw: op(`{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"${MANAGER}"}`),
    data_after: { ...kim(), [ENTERPRISE]: { department: 'R&D', manager: { value: MANAGER } } },
  },
  {
    quirk: 'Entra 7 (entra-unqualified-extension-path): Remove of the unqualified manager',
    resource: 'User',
    data: { ...kim(), [ENTERPRISE]: { manager: { value: OLD_MANAGER } } },
    raw: op('{"op":"Remove","path":"manager"}'),
    data_after: kim(),
  },
  {
    quirk: 'Entra 8: attribute names in odd case and null meaning unassigned',
    resource: 'User',
    data: { ...kim(), nickName: 'Kimmy' },
    raw: op('{"op":"Add","path":"Emails","value":[{"Value":"k@c.com","Type":"work","Primary":true}]}', '{"op":"Replace","value":{"NickName":null,"UserName":"KIM@contoso.com"}}'),
    data_after: { ...kim(), userName: 'KIM@contoso.com', emails: [{ value: 'k@c.com', type: 'work', primary: true }] },
  },
  {
    quirk: 'Okta 1: deactivation by path-less replace',
    resource: 'User',
    data: kim(),
    raw: op('{"op":"replace","value":{"active":false}}'),
    data_after: { ...kim(), active: false },
  },
  {
    quirk: 'Okta 1: password change by path-less replace; the password never enters the document',
    resource: 'User',
    data: kim(),
    raw: op('{"op":"replace","value":{"password":"Tr0ub4dor&3"}}'),
    data_after: kim(),
    password: 'Tr0ub4dor&3',
  },
  {
    quirk: 'Okta 4 (okta-id-in-rename): group push removes, adds and renames with the read-only id in one PATCH',
    resource: 'Group',
    data: { displayName: 'Eng' },
    raw: op(
      `{"op":"remove","path":"members[value eq \\"${OTHER}\\"]"}`,
      `{"op":"add","path":"members","value":[{"value":"${MEMBER}","display":"kim@contoso.com"}]}`,
      `{"op":"replace","value":{"id":"${ID}","displayName":"Engineering"}}`,
    ),
    data_after: { displayName: 'Engineering' },
    delta: { add: [{ value: MEMBER, display: 'kim@contoso.com' }], remove: [OTHER] },
  },
  {
    quirk: 'Okta 4 (okta-id-in-rename): a different id in the rename is refused',
    resource: 'Group',
    data: { displayName: 'Eng' },
    raw: op('{"op":"replace","value":{"id":"someone-else","displayName":"Engineering"}}'),
    error: 'mutability',
  },
  {
    quirk: 'Others: replace on members with the full list replaces the whole membership',
    resource: 'Group',
    data: { displayName: 'Eng' },
    raw: op(`{"op":"replace","path":"members","value":[{"value":"${MEMBER}"},{"value":"${OTHER}"}]}`),
    delta: { replaceAll: [{ value: MEMBER }, { value: OTHER }], add: [], remove: [] },
  },
];

describe('recorded IdP PATCH requests replay', () => {
  it.each(replays.map((r) => [r.quirk, r] as const))('%s', (_name, r) => {
    const rt = r.resource === 'User' ? User : Group;
    const run = () => applyPatch(rt, { id: ID, data: structuredClone(r.data), members: r.members }, JSON.parse(r.raw));
    if (r.error) {
      expectScimError(run, r.error);
      return;
    }
    const result = run();
    if (r.data_after) expect(result.data).toEqual(r.data_after);
    expect(result.members).toEqual(r.delta ?? { add: [], remove: [] });
    expect(result.password).toBe(r.password);
  });
});
