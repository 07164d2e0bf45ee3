import { describe, expect, it } from 'vitest';
import { newTenant } from '../helpers';
import entraGroups from './entra/groups.json';
import entraUsers from './entra/users.json';
import oktaGroupPush from './okta/group-push.json';
import oktaUserLifecycle from './okta/user-lifecycle.json';
import { asFixture, replay, type Step } from './runner';

// The identity providers' documented request sequences, replayed end to end through the Worker
// (fixture format: test/idp/runner.ts). Each fixture runs in a fresh tenant, its steps in order; a
// failure names the fixture, the step, the request and the response.

const fixtures = [
  asFixture('entra/users.json', entraUsers),
  asFixture('entra/groups.json', entraGroups),
  asFixture('okta/user-lifecycle.json', oktaUserLifecycle),
  asFixture('okta/group-push.json', oktaGroupPush),
];

describe('IdP replay', () => {
  it.each(fixtures.map((f) => [`${f.name} (${f.steps.length} steps)`, f] as const))('%s', async (_, fixture) => {
    await replay(await newTenant(), fixture);
  });
});

// The runner must fail on a mismatch: a replay that can only pass proves nothing.
describe('replay runner', () => {
  const twoSteps = (check: Partial<Step['expect']>) =>
    asFixture('runner check', {
      name: 'runner check',
      source: 'test/idp/replay.test.ts',
      steps: [
        {
          name: 'create',
          request: { method: 'POST', path: '/Users', body: { userName: 'a', password: 'pw', emails: [{ value: 'a@b.c', type: 'work' }, { value: 'x@y.z', type: 'home' }] } },
          expect: { status: 201, save: { id: '$.id' } },
        },
        { name: 'check', request: { method: 'GET', path: '/Users/${id}' }, expect: { status: 200, ...check } },
      ],
    });

  it('passes when every expectation holds', async () => {
    await replay(
      await newTenant(),
      twoSteps({
        contentType: 'application/scim+json',
        headers: { Location: '${BASE}/Users/${id}', 'X-Absent': { present: false } },
        body: { id: '${id}', userName: 'a', emails: [{ value: 'a@b.c' }, { type: '<string>' }] },
        absent: ['$.password'],
        lengths: { '$.emails': 2, '$.nickName': 0 },
        unordered: { '$.emails': [{ value: 'x@y.z' }, { value: 'a@b.c' }] },
      }),
    );
  });

  const mismatches: Partial<Step['expect']>[] = [
    { status: 404 },
    { body: { userName: 'b' } },
    { body: { id: '<number>' } },
    { body: { emails: [{ value: 'a@b.c' }] } },
    { absent: ['$.userName'] },
    { lengths: { '$.emails': 1 } },
    { unordered: { '$.emails': [{ value: 'x@y.z' }, { value: 'nope' }] } },
    { contentType: 'application/json' },
    { headers: { Location: '${BASE}/Users/other' } },
    { empty: true },
    { save: { missing: '$.nope' } },
  ];
  it.each(mismatches.map((m) => [JSON.stringify(m), m] as const))('fails the step on %s', async (_, check) => {
    await expect(replay(await newTenant(), twoSteps(check))).rejects.toThrow(/step 2 "check"/);
  });

  it('rejects a malformed fixture', () => {
    expect(() => asFixture('bad', { name: 'x', source: 'y', steps: [{ name: 's', request: { method: 'GET', path: '/Users' }, expect: { status: 200, bodyy: {} } }] })).toThrow(
      /unknown expectation 'bodyy'/,
    );
  });
});
