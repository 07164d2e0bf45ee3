import { beforeAll, describe, expect, it } from 'vitest';
import { body, ENTERPRISE, GROUP_SCHEMA, newTenant, USER_SCHEMA, type Scim } from '../../helpers';

type Doc = Record<string, any>;
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

async function ok(res: Response, status = 200): Promise<Doc> {
  const doc = await body(res);
  if (res.status !== status) throw new Error(`${res.status} ${JSON.stringify(doc)}`);
  return doc;
}

const FULL = {
  schemas: [USER_SCHEMA, ENTERPRISE],
  userName: 'bjensen',
  externalId: 'ext-1',
  password: 'S3cret!pw',
  displayName: 'Babs',
  title: 'Guide',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'b@work.io', type: 'work', primary: true },
    { value: 'b@home.io', type: 'home' },
  ],
  [ENTERPRISE]: { employeeNumber: '701984', department: 'Tours' },
};

describe('attributes and excludedAttributes (RFC 7644 §3.9) on Users', () => {
  let scim: Scim;
  let user: Doc;
  let group: Doc;

  beforeAll(async () => {
    scim = await newTenant();
    user = await scim.createUser('bjensen', FULL);
    group = await scim.createGroup('Guides', [user.id]);
  });

  /** The one user, read four ways: list, filtered list, POST /Users/.search, and GET by id. */
  async function readAll(attributes?: string, excludedAttributes?: string): Promise<Doc[]> {
    const q = [attributes && `attributes=${encodeURIComponent(attributes)}`, excludedAttributes && `excludedAttributes=${encodeURIComponent(excludedAttributes)}`]
      .filter(Boolean)
      .join('&');
    const list = await ok(await scim.get(`/Users?${q}`));
    const filtered = await ok(await scim.get(`/Users?filter=${encodeURIComponent('userName eq "bjensen"')}&${q}`));
    const search = await ok(
      await scim.post('/Users/.search', {
        schemas: [SEARCH],
        ...(attributes ? { attributes: attributes.split(',') } : {}),
        ...(excludedAttributes ? { excludedAttributes: excludedAttributes.split(',') } : {}),
      }),
    );
    const byId = await ok(await scim.get(`/Users/${user.id}?${q}`));
    for (const l of [list, filtered, search]) expect(l.Resources).toHaveLength(1);
    return [list.Resources[0], filtered.Resources[0], search.Resources[0], byId];
  }

  async function expectAll(attributes: string | undefined, excludedAttributes: string | undefined, expected: Doc): Promise<void> {
    for (const got of await readAll(attributes, excludedAttributes)) expect(got).toEqual(expected);
  }

  it('returns only the named attributes, plus id and schemas', async () => {
    await expectAll('userName', undefined, { schemas: [USER_SCHEMA], id: user.id, userName: 'bjensen' });
    await expectAll('userName,displayName,externalId', undefined, {
      schemas: [USER_SCHEMA],
      id: user.id,
      userName: 'bjensen',
      displayName: 'Babs',
      externalId: 'ext-1',
    });
  });

  it('reads attribute names case-insensitively', async () => {
    await expectAll('USERNAME,Title', undefined, { schemas: [USER_SCHEMA], id: user.id, userName: 'bjensen', title: 'Guide' });
  });

  it('selects sub-attributes with dot notation', async () => {
    await expectAll('name.givenName', undefined, { schemas: [USER_SCHEMA], id: user.id, name: { givenName: 'Barbara' } });
    await expectAll('name', undefined, { schemas: [USER_SCHEMA], id: user.id, name: { givenName: 'Barbara', familyName: 'Jensen' } });
    await expectAll('meta.created', undefined, { schemas: [USER_SCHEMA], id: user.id, meta: { created: user.meta.created } });
  });

  it('selects a sub-attribute of every element of a multi-valued attribute', async () => {
    await expectAll('emails.value', undefined, { schemas: [USER_SCHEMA], id: user.id, emails: [{ value: 'b@work.io' }, { value: 'b@home.io' }] });
    await expectAll('emails.value,emails.type', undefined, {
      schemas: [USER_SCHEMA],
      id: user.id,
      emails: [
        { value: 'b@work.io', type: 'work' },
        { value: 'b@home.io', type: 'home' },
      ],
    });
  });

  it('selects URN-qualified extension attributes, and the whole extension by its URN', async () => {
    await expectAll(`${ENTERPRISE}:employeeNumber`, undefined, {
      schemas: [USER_SCHEMA, ENTERPRISE],
      id: user.id,
      [ENTERPRISE]: { employeeNumber: '701984' },
    });
    await expectAll(ENTERPRISE, undefined, {
      schemas: [USER_SCHEMA, ENTERPRISE],
      id: user.id,
      [ENTERPRISE]: { employeeNumber: '701984', department: 'Tours' },
    });
    await expectAll(`userName,${ENTERPRISE}:department`, undefined, {
      schemas: [USER_SCHEMA, ENTERPRISE],
      id: user.id,
      userName: 'bjensen',
      [ENTERPRISE]: { department: 'Tours' },
    });
  });

  it('always returns id and schemas, even when excluded or not asked for', async () => {
    await expectAll('id', undefined, { schemas: [USER_SCHEMA], id: user.id });
    await expectAll('nosuchAttribute', undefined, { schemas: [USER_SCHEMA], id: user.id });
    for (const got of await readAll(undefined, 'id,schemas')) {
      expect(got.id).toBe(user.id);
      expect(got.schemas).toEqual([USER_SCHEMA, ENTERPRISE]);
      expect(got.userName).toBe('bjensen');
    }
  });

  it('leaves out excluded attributes and keeps the rest', async () => {
    for (const got of await readAll(undefined, 'emails,title')) {
      expect(got).not.toHaveProperty('emails');
      expect(got).not.toHaveProperty('title');
      expect(got).toMatchObject({ userName: 'bjensen', displayName: 'Babs', name: FULL.name, [ENTERPRISE]: FULL[ENTERPRISE] });
      expect(got.meta).toMatchObject({ resourceType: 'User' });
    }
  });

  it('excludes sub-attributes with dot notation, in every element of a multi-valued attribute', async () => {
    for (const got of await readAll(undefined, 'name.givenName,emails.value')) {
      expect(got.name).toEqual({ familyName: 'Jensen' });
      expect(got.emails).toEqual([
        { type: 'work', primary: true },
        { type: 'home' },
      ]);
    }
  });

  it('excludes URN-qualified extension attributes and whole extensions, dropping the URN from schemas', async () => {
    for (const got of await readAll(undefined, `${ENTERPRISE}:employeeNumber`)) {
      expect(got[ENTERPRISE]).toEqual({ department: 'Tours' });
      expect(got.schemas).toEqual([USER_SCHEMA, ENTERPRISE]);
    }
    for (const got of await readAll(undefined, ENTERPRISE)) {
      expect(got).not.toHaveProperty(ENTERPRISE);
      expect(got.schemas).toEqual([USER_SCHEMA]);
      expect(got.userName).toBe('bjensen');
    }
  });

  it('never returns the password, asked for or not', async () => {
    for (const [a, e] of [['password'], ['password,userName'], [undefined, 'userName'], [undefined, undefined]] as const) {
      for (const got of await readAll(a, e)) {
        expect(JSON.stringify(got)).not.toContain('password');
        expect(JSON.stringify(got)).not.toContain('S3cret');
      }
    }
  });

  it('returns a user\'s groups unless excluded', async () => {
    const [listed] = await readAll('groups');
    expect(listed).toEqual({ schemas: [USER_SCHEMA], id: user.id, groups: [expect.objectContaining({ value: group.id, type: 'direct' })] });
    for (const got of await readAll(undefined, 'groups')) expect(got).not.toHaveProperty('groups');
    for (const got of await readAll('groups.value')) expect(got.groups).toEqual([{ value: group.id }]);
  });
});

describe('attributes and excludedAttributes on POST and PUT responses', () => {
  it('projects the 201 body of POST /Users but stores everything', async () => {
    const scim = await newTenant();
    const res = await scim.post(`/Users?attributes=${encodeURIComponent(`userName,name.givenName,${ENTERPRISE}:employeeNumber`)}`, FULL);
    const created = await ok(res, 201);
    expect(created).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE],
      id: expect.any(String),
      userName: 'bjensen',
      name: { givenName: 'Barbara' },
      [ENTERPRISE]: { employeeNumber: '701984' },
    });
    expect(res.headers.get('Location')).toBe(`http://scim.test/scim/v2/Users/${created.id}`);
    const stored = await ok(await scim.get(`/Users/${created.id}`));
    expect(stored).toMatchObject({ title: 'Guide', emails: FULL.emails, [ENTERPRISE]: FULL[ENTERPRISE] });
  });

  it('leaves excluded attributes out of the 201 body of POST /Users', async () => {
    const scim = await newTenant();
    const created = await ok(await scim.post(`/Users?excludedAttributes=${encodeURIComponent(`emails,id,${ENTERPRISE}`)}`, FULL), 201);
    expect(created.id).toEqual(expect.any(String));
    expect(created).not.toHaveProperty('emails');
    expect(created).not.toHaveProperty(ENTERPRISE);
    expect(created.schemas).toEqual([USER_SCHEMA]);
    expect(created.userName).toBe('bjensen');
    expect(JSON.stringify(created)).not.toContain('S3cret');
  });

  it('projects the body of PUT /Users/{id}', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('bjensen', FULL);
    const replacement = { ...FULL, title: 'Chief Guide' };
    const put = await ok(await scim.put(`/Users/${user.id}?attributes=title,emails.type`, replacement));
    expect(put).toEqual({ schemas: [USER_SCHEMA], id: user.id, title: 'Chief Guide', emails: [{ type: 'work' }, { type: 'home' }] });
    const excluded = await ok(await scim.put(`/Users/${user.id}?excludedAttributes=title,name.familyName`, replacement));
    expect(excluded).not.toHaveProperty('title');
    expect(excluded.name).toEqual({ givenName: 'Barbara' });
    expect((await ok(await scim.get(`/Users/${user.id}`))).title).toBe('Chief Guide');
  });

  it('leaves members out of POST and PUT /Groups responses with excludedAttributes=members', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('member');
    const created = await ok(await scim.post('/Groups?excludedAttributes=members', { schemas: [GROUP_SCHEMA], displayName: 'G', members: [{ value: user.id }] }), 201);
    expect(created).not.toHaveProperty('members');
    expect(created).toMatchObject({ displayName: 'G', schemas: [GROUP_SCHEMA] });
    const put = await ok(await scim.put(`/Groups/${created.id}?excludedAttributes=members`, { schemas: [GROUP_SCHEMA], displayName: 'G2', members: [{ value: user.id }] }));
    expect(put).not.toHaveProperty('members');
    expect(put.displayName).toBe('G2');
    const stored = await ok(await scim.get(`/Groups/${created.id}`));
    expect(stored.members.map((m: Doc) => m.value)).toEqual([user.id]);
    const only = await ok(await scim.put(`/Groups/${created.id}?attributes=members.value`, { schemas: [GROUP_SCHEMA], displayName: 'G2', members: [{ value: user.id }] }));
    expect(only).toEqual({ schemas: [GROUP_SCHEMA], id: created.id, members: [{ value: user.id }] });
  });
});

describe('attributes and excludedAttributes on Groups', () => {
  let scim: Scim;
  let group: Doc;
  let members: Doc[];

  beforeAll(async () => {
    scim = await newTenant();
    members = [await scim.createUser('m1', { displayName: 'Member One' }), await scim.createUser('m2')];
    group = await scim.createGroup('Team', members.map((m) => m.id), { externalId: 'team-ext' });
  });

  it('leaves members out with excludedAttributes=members on list, .search and GET by id', async () => {
    const list = await ok(await scim.get('/Groups?excludedAttributes=members'));
    const search = await ok(await scim.post('/Groups/.search', { schemas: [SEARCH], excludedAttributes: ['members'] }));
    const byId = await ok(await scim.get(`/Groups/${group.id}?excludedAttributes=members`));
    for (const got of [list.Resources[0], search.Resources[0], byId]) {
      expect(got).not.toHaveProperty('members');
      expect(got).toMatchObject({ id: group.id, displayName: 'Team', externalId: 'team-ext', schemas: [GROUP_SCHEMA] });
      expect(got.meta.resourceType).toBe('Group');
    }
  });

  it('returns members by default and only members sub-attributes when asked', async () => {
    const full = await ok(await scim.get(`/Groups/${group.id}`));
    expect(full.members.map((m: Doc) => m.value).sort()).toEqual(members.map((m) => m.id).sort());
    const values = await ok(await scim.get(`/Groups/${group.id}?attributes=members.value`));
    expect(values).toEqual({ schemas: [GROUP_SCHEMA], id: group.id, members: full.members.map((m: Doc) => ({ value: m.value })) });
    const noDisplay = await ok(await scim.get(`/Groups/${group.id}?excludedAttributes=members.display`));
    expect(noDisplay.members).toHaveLength(2);
    for (const m of noDisplay.members) {
      expect(m).not.toHaveProperty('display');
      expect(m).toMatchObject({ value: expect.any(String), type: 'User', $ref: expect.stringContaining('/Users/') });
    }
  });

  it('returns just displayName when only displayName is asked for', async () => {
    const list = await ok(await scim.get('/Groups?attributes=displayName'));
    expect(list.Resources).toEqual([{ schemas: [GROUP_SCHEMA], id: group.id, displayName: 'Team' }]);
  });
});
