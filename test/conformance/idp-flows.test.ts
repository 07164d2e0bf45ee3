// Black-box conformance: the request sequences of Okta's SCIM 2.0 spec test (Runscope) and of the
// Microsoft Entra SCIM validator, run end to end against one tenant each.
import { describe, expect, it } from 'vitest';
import { body, ENTERPRISE, expectError, GROUP_SCHEMA, newTenant, ok, PATCH_OP, USER_SCHEMA } from '../helpers';

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const ENTRA_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
const q = (s: string) => encodeURIComponent(s);
const rand = () => Math.random().toString(36).slice(2, 10);

describe('Okta SCIM 2.0 spec test flow', () => {
  it('runs create, read, filter, case check, duplicate, PUT, deactivate and the not-found probes', async () => {
    const scim = await newTenant();
    const headers = { Accept: 'application/scim+json', 'Accept-Charset': 'utf-8', 'User-Agent': 'OKTA SCIM Integration' };
    const userName = `okta.${rand()}@example.com`;
    const given = `Given${rand()}`;
    const family = `Family${rand()}`;

    // "Make sure random user doesn't exist": 200, ListResponse, totalResults 0.
    const none = await scim.get(`/Users?filter=${q(`userName eq "${userName}"`)}&startIndex=1&count=100`, headers);
    expect(none.status).toBe(200);
    const noneDoc = await body(none);
    expect(noneDoc.schemas).toContain(LIST);
    expect(noneDoc.totalResults).toBe(0);

    // "Create Okta user with realistic values".
    const createBody = {
      schemas: [USER_SCHEMA],
      userName,
      name: { givenName: given, familyName: family },
      emails: [{ primary: true, value: userName, type: 'work' }],
      displayName: `${given} ${family}`,
      locale: 'en-US',
      externalId: `00u${rand()}`,
      groups: [],
      password: `P@ss${rand()}!`,
      active: true,
    };
    const created = await scim.post('/Users', createBody, headers);
    expect(created.status).toBe(201);
    const user = await body(created);
    expect(user).toMatchObject({ active: true, userName, name: { givenName: given, familyName: family } });
    expect(user.id).toBeTruthy();
    expect(user).not.toHaveProperty('password');

    // "Test Users endpoint": GET /Users?count=1&startIndex=1 with the fields Okta asserts non-empty.
    const list = await ok(await scim.get('/Users?count=1&startIndex=1', headers));
    expect(list.schemas).toContain(LIST);
    for (const k of ['itemsPerPage', 'startIndex', 'totalResults']) expect(typeof list[k]).toBe('number');
    const first = list.Resources[0];
    expect(first.id && first.name.familyName && first.name.givenName && first.userName && first.emails[0].value).toBeTruthy();
    expect(first.active).toBe(true);

    // "Verify Okta user was created" and "Get Users/{{id}}".
    const fetched = await ok(await scim.get(`/Users/${user.id}`, headers));
    expect(fetched).toMatchObject({ id: user.id, userName, active: true });

    // "Expect failure when recreating user with same values": 409.
    await expectError(await scim.post('/Users', createBody, headers), 409, 'uniqueness');

    // "Username Case Sensitivity Check": the upper-cased userName finds the same user.
    const caps = await ok(await scim.get(`/Users?filter=${q(`userName eq "${userName.toUpperCase()}"`)}&startIndex=1&count=100`, headers));
    expect(caps.totalResults).toBe(1);
    expect(caps.Resources[0].id).toBe(user.id);

    // Okta profile push: full PUT carrying id, meta and an empty groups.
    const put = await scim.put(`/Users/${user.id}`, { ...fetched, name: { givenName: 'Renamed', familyName: family }, groups: [] }, headers);
    expect(put.status).toBe(200);
    expect(await body(put)).toMatchObject({ id: user.id, name: { givenName: 'Renamed' }, active: true });

    // "Deactivate": path-less replace of active.
    const deact = await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] }, headers);
    expect(deact.status).toBe(200);
    expect((await body(deact)).active).toBe(false);
    expect((await ok(await scim.get(`/Users/${user.id}`, headers))).active).toBe(false);
    // Okta looks deactivated users up again by filter.
    const inactive = await ok(await scim.get(`/Users?filter=${q(`userName eq "${userName}"`)}`, headers));
    expect(inactive.Resources[0].active).toBe(false);

    // Reactivate.
    const react = await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] }, headers);
    expect((await body(react)).active).toBe(true);

    // "Test invalid User by ID": 404 with a SCIM error body.
    const missing = await scim.get(`/Users/010101001010101010`, headers);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('Content-Type')).toMatch(/^application\/scim\+json/);
    const missingDoc = await body(missing);
    expect(missingDoc.schemas).toContain(ERROR);
    expect(missingDoc.status).toBe('404');
    expect(missingDoc.detail).toBeTruthy();

    // "Test Groups endpoint" (optional test).
    const groups = await ok(await scim.get('/Groups?count=1&startIndex=1', headers));
    expect(groups.schemas).toContain(LIST);
  });

  it('runs Okta Group Push: create, rename with id in the value, member add and remove, delete', async () => {
    const scim = await newTenant();
    const u1 = await scim.createUser(`u1.${rand()}@example.com`);
    const u2 = await scim.createUser(`u2.${rand()}@example.com`);
    const found = await ok(await scim.get(`/Groups?filter=${q('displayName eq "Okta Push"')}&startIndex=1&count=100`));
    expect(found.totalResults).toBe(0);
    const created = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Okta Push', members: [{ value: u1.id, display: u1.userName }] });
    expect(created.status).toBe(201);
    const group = await body(created);
    const rename = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: group.id, displayName: 'Okta Push 2' } }] });
    expect([200, 204]).toContain(rename.status);
    const add = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: u2.id, display: u2.userName }] }] });
    expect([200, 204]).toContain(add.status);
    const remove = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${u1.id}"]` }] });
    expect([200, 204]).toContain(remove.status);
    const after = await ok(await scim.get(`/Groups/${group.id}`));
    expect(after.displayName).toBe('Okta Push 2');
    expect(after.members.map((m: any) => m.value)).toEqual([u2.id]);
    // Okta's full-replace PUT of a group.
    const put = await scim.put(`/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], id: group.id, displayName: 'Okta Push 3', members: [{ value: u1.id }, { value: u2.id }] });
    expect(put.status).toBe(200);
    expect((await body(put)).members).toHaveLength(2);
    expect((await scim.delete(`/Groups/${group.id}`)).status).toBe(204);
    expect((await scim.get(`/Groups/${group.id}`)).status).toBe(404);
  });
});

describe('Microsoft Entra SCIM validator flow', () => {
  it('creates a user with the common attributes, the enterprise extension and a manager, then patches each', async () => {
    const scim = await newTenant();
    const manager = await scim.createUser(`mgr_${rand()}@contoso.com`);
    const userName = `Test_User_${rand()}@contoso.com`;
    const externalId = `ext-${rand()}`;
    const res = await scim.post('/Users', {
      schemas: [USER_SCHEMA, ENTERPRISE],
      externalId,
      userName,
      active: true,
      displayName: 'Validator User',
      title: 'Engineer',
      preferredLanguage: 'en-US',
      emails: [{ primary: true, type: 'work', value: `work_${rand()}@contoso.com` }],
      phoneNumbers: [{ type: 'work', value: '+1 555 0100' }, { type: 'mobile', value: '+1 555 0101' }, { type: 'fax', value: '+1 555 0102' }],
      addresses: [{ type: 'work', streetAddress: '1 Microsoft Way', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'US', formatted: '1 Microsoft Way, Redmond' }],
      name: { formatted: 'Given Family', familyName: 'Family', givenName: 'Given' },
      meta: { resourceType: 'User' },
      roles: [],
      [ENTERPRISE]: { employeeNumber: '1234', department: 'Dept', costCenter: 'CC', organization: 'Org', division: 'Div', manager: { value: manager.id } },
    });
    expect(res.status).toBe(201);
    const user = await body(res);
    expect(user[ENTERPRISE]).toMatchObject({ employeeNumber: '1234', department: 'Dept', manager: { value: manager.id } });
    expect(user.phoneNumbers).toHaveLength(3);

    for (const filter of [`userName eq "${userName}"`, `externalId eq "${externalId}"`]) {
      const list = await ok(await scim.get(`/Users?filter=${q(filter)}`));
      expect(list.totalResults, filter).toBe(1);
      expect(list.Resources[0].id).toBe(user.id);
    }

    const newManager = await scim.createUser(`mgr2_${rand()}@contoso.com`);
    const steps: [op: Record<string, unknown>, check: (u: any) => void][] = [
      [{ op: 'Replace', path: 'displayName', value: 'Renamed' }, (u) => expect(u.displayName).toBe('Renamed')],
      [{ op: 'Replace', path: 'title', value: 'Lead' }, (u) => expect(u.title).toBe('Lead')],
      [{ op: 'Replace', path: 'preferredLanguage', value: 'fr-FR' }, (u) => expect(u.preferredLanguage).toBe('fr-FR')],
      [{ op: 'Replace', path: 'name.givenName', value: 'G2' }, (u) => expect(u.name.givenName).toBe('G2')],
      [{ op: 'Replace', path: 'name.familyName', value: 'F2' }, (u) => expect(u.name.familyName).toBe('F2')],
      [{ op: 'Replace', path: 'name.formatted', value: 'G2 F2' }, (u) => expect(u.name.formatted).toBe('G2 F2')],
      [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'updated@contoso.com' }, (u) => expect(u.emails[0]).toMatchObject({ type: 'work', value: 'updated@contoso.com', primary: true })],
      [{ op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0199' }, (u) => expect(u.phoneNumbers.find((p: any) => p.type === 'mobile').value).toBe('+1 555 0199')],
      [{ op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Seattle' }, (u) => expect(u.addresses[0]).toMatchObject({ locality: 'Seattle', streetAddress: '1 Microsoft Way' })],
      [{ op: 'Add', path: 'emails[type eq "other"].value', value: 'other@contoso.com' }, (u) => expect(u.emails).toContainEqual({ type: 'other', value: 'other@contoso.com' })],
      [{ op: 'Replace', path: 'externalId', value: 'ext-2' }, (u) => expect(u.externalId).toBe('ext-2')],
      [{ op: 'Replace', path: 'userName', value: `renamed_${userName}` }, (u) => expect(u.userName).toBe(`renamed_${userName}`)],
      [{ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Dept2' }, (u) => expect(u[ENTERPRISE].department).toBe('Dept2')],
      [{ op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: '5678' }, (u) => expect(u[ENTERPRISE].employeeNumber).toBe('5678')],
      [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: newManager.id }, (u) => expect(u[ENTERPRISE].manager.value).toBe(newManager.id)],
      [{ op: 'Replace', value: { displayName: 'Pathless', 'name.givenName': 'G3', [`${ENTERPRISE}:costCenter`]: 'CC2' } }, (u) => { expect(u.displayName).toBe('Pathless'); expect(u.name.givenName).toBe('G3'); expect(u[ENTERPRISE].costCenter).toBe('CC2'); }],
      [{ op: 'Replace', path: 'active', value: 'False' }, (u) => expect(u.active).toBe(false)],
      [{ op: 'Replace', value: { active: 'True' } }, (u) => expect(u.active).toBe(true)],
      [{ op: 'Remove', path: `${ENTERPRISE}:manager` }, (u) => expect(u[ENTERPRISE]).not.toHaveProperty('manager')],
      [{ op: 'Remove', path: 'title' }, (u) => expect(u).not.toHaveProperty('title')],
    ];
    for (const [op, check] of steps) {
      const r = await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [op] });
      expect(r.status, JSON.stringify(op)).toBe(200);
      check(await body(r));
      check(await ok(await scim.get(`/Users/${user.id}`)));
    }

    expect((await scim.delete(`/Users/${user.id}`)).status).toBe(204);
    expect((await scim.get(`/Users/${user.id}`)).status).toBe(404);
  });

  it('creates a group with Entra\'s extra schema, filters it without members, adds and removes members, deletes it', async () => {
    const scim = await newTenant();
    const a = await scim.createUser(`a_${rand()}`);
    const b = await scim.createUser(`b_${rand()}`);
    const displayName = `Group_${rand()}`;
    const res = await scim.post('/Groups', { schemas: [GROUP_SCHEMA, ENTRA_GROUP], externalId: `gx-${rand()}`, displayName, meta: { resourceType: 'Group' } });
    expect(res.status).toBe(201);
    const group = await body(res);
    expect(group.displayName).toBe(displayName);

    const one = await ok(await scim.get(`/Groups/${group.id}?excludedAttributes=members`));
    expect(one).not.toHaveProperty('members');

    const add = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: a.id }, { $ref: null, value: b.id }] }] });
    expect(add.status).toBe(204);

    const listed = await ok(await scim.get(`/Groups?excludedAttributes=members&filter=${q(`displayName eq "${displayName}"`)}`));
    expect(listed.totalResults).toBe(1);
    expect(listed.Resources[0].id).toBe(group.id);
    expect(listed.Resources[0]).not.toHaveProperty('members');

    // Membership probe: id and members[value eq].
    const probe = await ok(await scim.get(`/Groups?excludedAttributes=members&filter=${q(`id eq "${group.id}" and members[value eq "${a.id}"]`)}`));
    expect(probe.totalResults).toBe(1);

    const rename = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'displayName', value: `${displayName}_updated` }] });
    expect(rename.status).toBe(204);

    const remove = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: a.id }] }] });
    expect(remove.status).toBe(204);
    const after = await ok(await scim.get(`/Groups/${group.id}`));
    expect(after.displayName).toBe(`${displayName}_updated`);
    expect(after.members.map((m: any) => m.value)).toEqual([b.id]);
    const gone = await ok(await scim.get(`/Groups?excludedAttributes=members&filter=${q(`id eq "${group.id}" and members[value eq "${a.id}"]`)}`));
    expect(gone.totalResults).toBe(0);

    // Removing a member that is not there succeeds (Entra retries).
    const again = await scim.patch(`/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: `members[value eq "${a.id}"]` }] });
    expect(again.status).toBe(204);

    expect((await scim.delete(`/Groups/${group.id}`)).status).toBe(204);
    expect((await scim.get(`/Groups/${group.id}`)).status).toBe(404);
  });
});
