import { describe, expect, it } from 'vitest';
import { applyPatch, needsCurrentMembers } from '../../../src/scim/patch';
import { body, expectScimError, Group, patchGroup, User, USER_ID } from './helpers';

const BABS = '2819c223-7f76-453a-919d-413861904646';
const JAMES = '08e1d05d-121c-4561-8b96-473d93df9210';
const TEAM = 'e9e30dba-f08f-4109-8486-d5c6a331660a';
const group = () => ({ displayName: 'Tour Guides' });
const current = [
  { value: BABS, type: 'User', display: 'Babs Jensen' },
  { value: JAMES, type: 'User', display: 'James Smith' },
  { value: TEAM, type: 'Group', display: 'Team' },
];

describe('PATCH on a Group\'s members', () => {
  it('adds members as a delta (the RFC 7644 §3.5.2.1 example)', () => {
    const result = patchGroup(group(), [
      { op: 'add', path: 'members', value: [{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS }] },
    ]);
    expect(result.members).toEqual({ add: [{ value: BABS, display: 'Babs Jensen' }], remove: [] });
    expect(result.data).toEqual(group());
    expect(result.changed).toBe(true);
  });

  it('removes one member named by a value filter (the RFC 7644 §3.5.2.2 example)', () => {
    const result = patchGroup(group(), [{ op: 'remove', path: `members[value eq "${BABS}"]` }]);
    expect(result.members).toEqual({ add: [], remove: [BABS] });
  });

  it('removes several members named by an or of value filters without the current list', () => {
    const ops = [{ op: 'remove', path: `members[value eq "${BABS}" or value eq "${JAMES}"]` }];
    expect(needsCurrentMembers(Group, body(...ops))).toBe(false);
    expect(patchGroup(group(), ops).members).toEqual({ add: [], remove: [BABS, JAMES] });
  });

  it('removes all members when remove names members without a filter or value', () => {
    expect(patchGroup(group(), [{ op: 'remove', path: 'members' }]).members).toEqual({ replaceAll: [], add: [], remove: [] });
  });

  it('replaces all members with remove-all then add (the RFC 7644 §3.5.2.2 example), folding the add into replaceAll', () => {
    const result = patchGroup(group(), [
      { op: 'remove', path: 'members' },
      { op: 'add', path: 'members', value: [{ display: 'Babs Jensen', value: BABS }, { display: 'James Smith', value: JAMES }] },
    ]);
    expect(result.members).toEqual({
      replaceAll: [{ value: BABS, display: 'Babs Jensen' }, { value: JAMES, display: 'James Smith' }],
      add: [],
      remove: [],
    });
  });

  it('replaces the membership wholesale on replace of members (the RFC 7644 §3.5.2.3 example)', () => {
    const result = patchGroup(group(), [{ op: 'replace', path: 'members', value: [{ value: BABS }, { value: JAMES, type: 'User' }] }]);
    expect(result.members.replaceAll).toEqual([{ value: BABS }, { value: JAMES, type: 'User' }]);
  });

  it('folds a later remove into a replaceAll', () => {
    const result = patchGroup(group(), [
      { op: 'replace', path: 'members', value: [{ value: BABS }, { value: JAMES }] },
      { op: 'remove', path: `members[value eq "${BABS}"]` },
    ]);
    expect(result.members).toEqual({ replaceAll: [{ value: JAMES }], add: [], remove: [] });
  });

  it('leaves a member that is removed and then added in the same request a member', () => {
    const result = patchGroup(group(), [{ op: 'remove', path: `members[value eq "${BABS}"]` }, { op: 'add', path: 'members', value: [{ value: BABS }] }]);
    expect(result.members).toEqual({ add: [{ value: BABS }], remove: [] });
  });

  it('removes a member that is added and then removed in the same request', () => {
    const result = patchGroup(group(), [{ op: 'add', path: 'members', value: [{ value: BABS }] }, { op: 'remove', path: `members[value eq "${BABS}"]` }]);
    expect(result.members).toEqual({ add: [], remove: [BABS] });
  });

  it('adds each member once when the value repeats it', () => {
    const result = patchGroup(group(), [{ op: 'add', path: 'members', value: [{ value: BABS }, { value: BABS, display: 'Babs' }] }]);
    expect(result.members.add).toEqual([{ value: BABS, display: 'Babs' }]);
  });

  it('reads members from a path-less add or replace', () => {
    expect(patchGroup(group(), [{ op: 'add', value: { members: [{ value: BABS }] } }]).members.add).toEqual([{ value: BABS }]);
    const replaced = patchGroup(group(), [{ op: 'replace', value: { displayName: 'Guides', members: [{ value: JAMES }] } }]);
    expect(replaced.members.replaceAll).toEqual([{ value: JAMES }]);
    expect(replaced.data.displayName).toBe('Guides');
  });

  it('removes members selected by another sub-attribute, using the current members', () => {
    const ops = [{ op: 'remove', path: 'members[type eq "Group"]' }];
    expect(needsCurrentMembers(Group, body(...ops))).toBe(true);
    expect(patchGroup(group(), ops, current).members).toEqual({ add: [], remove: [TEAM] });
    expect(patchGroup(group(), [{ op: 'remove', path: 'members[display sw "Babs"]' }], current).members.remove).toEqual([BABS]);
  });

  it('sees members added earlier in the request when a later filter selects from the current list', () => {
    const result = patchGroup(
      group(),
      [{ op: 'add', path: 'members', value: [{ value: 'new-group', type: 'Group' }] }, { op: 'remove', path: 'members[type eq "Group"]' }],
      current,
    );
    // new-group was added and removed again, and was never a member before: only TEAM goes.
    expect(result.members).toEqual({ add: [], remove: [TEAM] });
  });

  it('drops adds of existing members and removes of non-members when the current list is known', () => {
    const result = patchGroup(group(), [{ op: 'add', path: 'members', value: [{ value: BABS }] }, { op: 'remove', path: 'members[value eq "stranger"]' }], current);
    expect(result.members).toEqual({ add: [], remove: [] });
    expect(result.changed).toBe(false);
  });

  it('does not need the current members for adds, value lists, replaces or id filters', () => {
    expect(needsCurrentMembers(Group, body({ op: 'add', path: 'members', value: [{ value: BABS }] }))).toBe(false);
    expect(needsCurrentMembers(Group, body({ op: 'Remove', path: 'members', value: [{ value: BABS }] }))).toBe(false);
    expect(needsCurrentMembers(Group, body({ op: 'replace', path: 'members', value: [] }))).toBe(false);
    expect(needsCurrentMembers(Group, body({ op: 'remove', path: 'members' }))).toBe(false);
    expect(needsCurrentMembers(Group, { Operations: 'nonsense' })).toBe(false);
    expect(needsCurrentMembers(User, body({ op: 'remove', path: 'emails[type eq "work"]' }))).toBe(false);
  });

  it('needs the current members for negated or combined filters', () => {
    expect(needsCurrentMembers(Group, body({ op: 'remove', path: `members[not (value eq "${BABS}")]` }))).toBe(true);
    expect(needsCurrentMembers(Group, body({ op: 'remove', path: `members[value eq "${BABS}" and type eq "User"]` }))).toBe(true);
  });

  it('rejects a member without a value with invalidValue', () => {
    expectScimError(() => patchGroup(group(), [{ op: 'add', path: 'members', value: [{ display: 'Nobody' }] }]), 'invalidValue');
    expectScimError(() => patchGroup(group(), [{ op: 'remove', path: 'members', value: [{ display: 'Nobody' }] }]), 'invalidValue');
  });

  it('rejects writes to a member\'s immutable value, type or $ref with mutability', () => {
    expectScimError(() => patchGroup(group(), [{ op: 'replace', path: `members[value eq "${BABS}"].value`, value: JAMES }]), 'mutability');
    expectScimError(() => patchGroup(group(), [{ op: 'replace', path: 'members.type', value: 'Group' }]), 'mutability');
    expectScimError(() => patchGroup(group(), [{ op: 'add', path: `members[value eq "${BABS}"]`, value: { value: BABS } }]), 'mutability');
  });

  it('accepts a write to a member\'s display without changing the membership', () => {
    const result = patchGroup(group(), [{ op: 'replace', path: `members[value eq "${BABS}"].display`, value: 'B' }]);
    expect(result.members).toEqual({ add: [], remove: [] });
    expect(result.changed).toBe(false);
  });

  it('rejects a members filter on $ref or an unknown sub-attribute with invalidPath', () => {
    expectScimError(() => patchGroup(group(), [{ op: 'remove', path: 'members[$ref eq "x"]' }]), 'invalidPath');
    expectScimError(() => patchGroup(group(), [{ op: 'remove', path: 'members[colour eq "x"]' }]), 'invalidPath');
  });

  it('rejects removing a Group\'s required displayName with mutability', () => {
    expectScimError(() => patchGroup(group(), [{ op: 'remove', path: 'displayName' }]), 'mutability');
  });

  it('renames a group without touching its members', () => {
    const result = patchGroup(group(), [{ op: 'replace', path: 'displayName', value: 'Guides' }]);
    expect(result).toEqual({ data: { displayName: 'Guides' }, members: { add: [], remove: [] }, changed: true });
  });

  it('gives Users an empty membership delta', () => {
    const result = applyPatch(User, { id: USER_ID, data: { userName: 'u' } }, body({ op: 'replace', path: 'title', value: 'x' }));
    expect(result.members).toEqual({ add: [], remove: [] });
  });
});
