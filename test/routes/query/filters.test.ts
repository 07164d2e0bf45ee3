import { beforeAll, describe, expect, it } from 'vitest';
import { body, ENTERPRISE, newTenant, USER_SCHEMA, type Scim } from '../../helpers';
import { seedOf, seedResources, UserType, type Seed } from './seed';

type Doc = Record<string, any>;

/** GET {path}?filter=… and the parsed ListResponse. */
async function filtered(scim: Scim, path: string, filter: string, extra = ''): Promise<Doc> {
  const res = await scim.get(`${path}?filter=${encodeURIComponent(filter)}${extra}`);
  const doc = await body(res);
  if (res.status !== 200) throw new Error(`filter ${filter}: ${res.status} ${JSON.stringify(doc)}`);
  return doc;
}

/** The userNames a filter on /Users returns, sorted, after checking totalResults agrees. */
async function userNames(scim: Scim, filter: string): Promise<string[]> {
  const list = await filtered(scim, '/Users', filter);
  expect(list.totalResults).toBe(list.Resources.length);
  return list.Resources.map((u: Doc) => u.userName).sort();
}

async function groupNames(scim: Scim, filter: string, extra = ''): Promise<string[]> {
  const list = await filtered(scim, '/Groups', filter, extra);
  expect(list.totalResults).toBe(list.Resources.length);
  return list.Resources.map((g: Doc) => g.displayName).sort();
}

describe('GET /Users?filter= on a small directory', () => {
  let scim: Scim;
  let boss: Doc;
  let bjensen: Doc;
  let jsmith: Doc;
  let inner: Doc;
  let outer: Doc;
  let other: Scim;
  let otherBjensen: Doc;
  let otherGroup: Doc;

  beforeAll(async () => {
    scim = await newTenant();
    boss = await scim.createUser('manager', {
      schemas: [USER_SCHEMA, ENTERPRISE],
      displayName: 'The Boss',
      title: 'Boss',
      active: true,
      [ENTERPRISE]: { employeeNumber: '5' },
    });
    bjensen = await scim.createUser('bjensen', {
      schemas: [USER_SCHEMA, ENTERPRISE],
      externalId: 'ext-bj',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      displayName: 'Babs Jensen',
      title: 'Tour Guide',
      active: true,
      emails: [
        { value: 'bjensen@example.com', type: 'work', primary: true },
        { value: 'babs@home.org', type: 'home' },
      ],
      [ENTERPRISE]: { employeeNumber: '701984', manager: { value: boss.id } },
    });
    jsmith = await scim.createUser('jsmith', {
      schemas: [USER_SCHEMA, ENTERPRISE],
      externalId: 'ext-js',
      name: { givenName: 'John', familyName: 'Smith' },
      active: false,
      emails: [
        { value: 'john@example.com', type: 'home' },
        { value: 'jsmith@corp.io', type: 'work' },
      ],
      [ENTERPRISE]: { employeeNumber: '100' },
    });
    await scim.createUser('noname', { active: true });
    inner = await scim.createGroup('Engineering', [bjensen.id]);
    outer = await scim.createGroup('Everyone', [inner.id, jsmith.id]);

    // The same names in another tenant: nothing of it may show up in the first tenant's results.
    other = await newTenant();
    otherBjensen = await other.createUser('bjensen', {
      externalId: 'ext-bj',
      name: { givenName: 'Barbara' },
      active: false,
      emails: [{ value: 'bjensen@example.com', type: 'work' }],
    });
    otherGroup = await other.createGroup('Engineering', [otherBjensen.id]);
  });

  it('supports eq, ne, co, sw, ew and pr on strings', async () => {
    expect(await userNames(scim, 'userName eq "bjensen"')).toEqual(['bjensen']);
    expect(await userNames(scim, 'userName ne "bjensen"')).toEqual(['jsmith', 'manager', 'noname']);
    expect(await userNames(scim, 'userName co "smi"')).toEqual(['jsmith']);
    expect(await userNames(scim, 'userName sw "bj"')).toEqual(['bjensen']);
    expect(await userNames(scim, 'userName ew "ger"')).toEqual(['manager']);
    expect(await userNames(scim, 'title pr')).toEqual(['bjensen', 'manager']);
    expect(await userNames(scim, 'displayName co "jensen"')).toEqual(['bjensen']);
  });

  it('supports gt, ge, lt and le on strings in code point order', async () => {
    expect(await userNames(scim, 'userName gt "jsmith"')).toEqual(['manager', 'noname']);
    expect(await userNames(scim, 'userName ge "jsmith"')).toEqual(['jsmith', 'manager', 'noname']);
    expect(await userNames(scim, 'userName lt "jsmith"')).toEqual(['bjensen']);
    expect(await userNames(scim, 'userName le "jsmith"')).toEqual(['bjensen', 'jsmith']);
  });

  it('treats ne as true when the attribute is absent', async () => {
    expect(await userNames(scim, 'title ne "Boss"')).toEqual(['bjensen', 'jsmith', 'noname']);
  });

  it('matches userName case-insensitively, as Okta expects', async () => {
    expect(await userNames(scim, 'userName eq "BJensen"')).toEqual(['bjensen']);
    expect(await userNames(scim, 'UserName EQ "BJENSEN"')).toEqual(['bjensen']);
  });

  it('reads filter strings by JSON rules, and + in the query string as a space', async () => {
    expect(await userNames(scim, 'userName eq "bj\\u0065nsen"')).toEqual(['bjensen']);
    expect(await userNames(scim, 'displayName eq "Babs\\u0020Jensen"')).toEqual(['bjensen']);
    const plus = await body(await scim.get('/Users?filter=userName+eq+%22jsmith%22'));
    expect(plus.Resources.map((u: Doc) => u.userName)).toEqual(['jsmith']);
  });

  it('combines and, or and not with parentheses, and binds and tighter than or', async () => {
    expect(await userNames(scim, 'userName eq "jsmith" or userName eq "bjensen" and active eq true')).toEqual(['bjensen', 'jsmith']);
    expect(await userNames(scim, '(userName eq "jsmith" or userName eq "bjensen") and active eq true')).toEqual(['bjensen']);
    expect(await userNames(scim, 'not (userName eq "bjensen" or userName eq "jsmith")')).toEqual(['manager', 'noname']);
    expect(await userNames(scim, 'active eq true and not (title pr)')).toEqual(['noname']);
  });

  it('filters on booleans', async () => {
    expect(await userNames(scim, 'active eq false')).toEqual(['jsmith']);
    expect(await userNames(scim, 'active eq true')).toEqual(['bjensen', 'manager', 'noname']);
    expect(await userNames(scim, 'active ne true')).toEqual(['jsmith']);
  });

  it('filters on sub-attributes with dot notation, case-insensitively for caseExact=false', async () => {
    expect(await userNames(scim, 'name.givenName eq "barbara"')).toEqual(['bjensen']);
    expect(await userNames(scim, 'name.familyName sw "Sm"')).toEqual(['jsmith']);
    expect(await userNames(scim, 'name.familyName pr')).toEqual(['bjensen', 'jsmith']);
  });

  it('matches a multi-valued attribute when any element matches', async () => {
    expect(await userNames(scim, 'emails.value co "@example.com"')).toEqual(['bjensen', 'jsmith']);
    expect(await userNames(scim, 'emails co "@corp.io"')).toEqual(['jsmith']);
  });

  it('requires one element to satisfy the whole value filter, nested logic included', async () => {
    // jsmith has a work email and an @example.com email, but not in the same element.
    expect(await userNames(scim, 'emails[type eq "work" and value co "@example.com"]')).toEqual(['bjensen']);
    expect(await userNames(scim, 'emails[type eq "work" and (value co "@example.com" or value co "@corp.io")]')).toEqual(['bjensen', 'jsmith']);
    expect(await userNames(scim, 'emails[not (type eq "work") and value co "example"]')).toEqual(['jsmith']);
    expect(await userNames(scim, 'emails[type eq "home"] and active eq true')).toEqual(['bjensen']);
  });

  it('reads Entra\'s emails[type eq "work"].value eq "x" as a filter on the work email', async () => {
    expect(await userNames(scim, 'emails[type eq "work"].value eq "jsmith@corp.io"')).toEqual(['jsmith']);
    // john@example.com is jsmith's home address, so it does not match the work filter.
    expect(await userNames(scim, 'emails[type eq "work"].value eq "john@example.com"')).toEqual([]);
  });

  it('filters on URN-qualified enterprise attributes, manager.value included', async () => {
    expect(await userNames(scim, `${ENTERPRISE}:employeeNumber eq "701984"`)).toEqual(['bjensen']);
    expect(await userNames(scim, `${ENTERPRISE}:employeeNumber pr`)).toEqual(['bjensen', 'jsmith', 'manager']);
    expect(await userNames(scim, `${ENTERPRISE}:manager.value eq "${boss.id}"`)).toEqual(['bjensen']);
    expect(await userNames(scim, `urn:ietf:params:scim:schemas:core:2.0:User:userName eq "jsmith"`)).toEqual(['jsmith']);
  });

  it('filters on externalId and id', async () => {
    expect(await userNames(scim, 'externalId eq "ext-bj"')).toEqual(['bjensen']);
    expect(await userNames(scim, 'externalId pr')).toEqual(['bjensen', 'jsmith']);
    expect(await userNames(scim, `id eq "${jsmith.id}"`)).toEqual(['jsmith']);
  });

  it('filters on meta.resourceType', async () => {
    expect(await userNames(scim, 'meta.resourceType eq "User"')).toEqual(['bjensen', 'jsmith', 'manager', 'noname']);
    expect(await userNames(scim, 'meta.resourceType eq "Group"')).toEqual([]);
  });

  it('answers Entra\'s connection test on a random GUID with 200 and an empty list', async () => {
    const res = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${crypto.randomUUID()}"`)}`);
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    });
  });

  it('finds groups by displayName with members excluded, as Entra asks', async () => {
    const list = await filtered(scim, '/Groups', 'displayName eq "engineering"', '&excludedAttributes=members');
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0]).toMatchObject({ id: inner.id, displayName: 'Engineering' });
    expect(list.Resources[0]).not.toHaveProperty('members');
    const withMembers = await filtered(scim, '/Groups', 'displayName eq "Engineering"');
    expect(withMembers.Resources[0].members.map((m: Doc) => m.value)).toEqual([bjensen.id]);
  });

  it('finds the groups a resource is a direct member of with members.value', async () => {
    expect(await groupNames(scim, `members.value eq "${bjensen.id}"`)).toEqual(['Engineering']);
    expect(await groupNames(scim, `members.value eq "${inner.id}"`)).toEqual(['Everyone']);
    expect(await groupNames(scim, `members[value eq "${jsmith.id}" and type eq "User"]`)).toEqual(['Everyone']);
    expect(await groupNames(scim, `members[type eq "Group"]`)).toEqual(['Everyone']);
    expect(await groupNames(scim, 'members pr')).toEqual(['Engineering', 'Everyone']);
  });

  it('finds the users in a group with groups.value, direct and through nested groups', async () => {
    expect(await userNames(scim, `groups.value eq "${inner.id}"`)).toEqual(['bjensen']);
    expect(await userNames(scim, `groups.value eq "${outer.id}"`)).toEqual(['bjensen', 'jsmith']);
    expect(await userNames(scim, `groups[value eq "${outer.id}" and type eq "indirect"]`)).toEqual(['bjensen']);
    expect(await userNames(scim, `groups[value eq "${outer.id}" and type eq "direct"]`)).toEqual(['jsmith']);
    expect(await userNames(scim, 'groups pr')).toEqual(['bjensen', 'jsmith']);
    expect(await userNames(scim, 'not (groups pr)')).toEqual(['manager', 'noname']);
  });

  it('never returns another tenant\'s resources, whatever the filter', async () => {
    const mine = await filtered(scim, '/Users', 'userName eq "bjensen" or externalId eq "ext-bj" or emails.value eq "bjensen@example.com"');
    expect(mine.Resources.map((u: Doc) => u.id)).toEqual([bjensen.id]);
    expect(mine.totalResults).toBe(1);
    const theirs = await filtered(other, '/Users', 'userName eq "bjensen"');
    expect(theirs.Resources.map((u: Doc) => u.id)).toEqual([otherBjensen.id]);
    expect((await filtered(scim, '/Users', 'active eq false')).Resources.map((u: Doc) => u.id)).toEqual([jsmith.id]);
    expect((await filtered(scim, '/Groups', 'displayName eq "Engineering"')).Resources.map((g: Doc) => g.id)).toEqual([inner.id]);
    // Membership filters naming the other tenant's ids match nothing here.
    expect((await filtered(scim, '/Groups', `members.value eq "${otherBjensen.id}"`)).totalResults).toBe(0);
    expect((await filtered(scim, '/Users', `groups.value eq "${otherGroup.id}"`)).totalResults).toBe(0);
    expect((await filtered(other, '/Users', `groups.value eq "${inner.id}"`)).totalResults).toBe(0);
    expect((await filtered(other, '/Users', `id eq "${bjensen.id}"`)).totalResults).toBe(0);
    expect((await filtered(other, '/Users', 'userName pr')).Resources.map((u: Doc) => u.id)).toEqual([otherBjensen.id]);
  });
});

describe('GET /Users?filter= on meta dates', () => {
  it('compares meta.created and meta.lastModified by instant', async () => {
    const scim = await newTenant();
    // Explicit timestamps one second apart, so the instants differ without waiting on the clock.
    const [first, second, third] = ['first', 'second', 'third'].map((userName, i) =>
      seedOf(UserType, { userName }, new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString()),
    ) as [Seed, Seed, Seed];
    await seedResources(scim.tenant, UserType, [first, second, third]);
    // The filters below compare against the resources' own meta values.
    const thirdDoc = await body(await scim.get(`/Users/${third.id}`));
    expect(thirdDoc.meta).toMatchObject({ created: third.created, lastModified: third.created });
    expect(await userNames(scim, `meta.created gt "${first.created}"`)).toEqual(['second', 'third']);
    expect(await userNames(scim, `meta.created ge "${second.created}"`)).toEqual(['second', 'third']);
    expect(await userNames(scim, `meta.created lt "${second.created}"`)).toEqual(['first']);
    expect(await userNames(scim, `meta.created le "${second.created}"`)).toEqual(['first', 'second']);
    expect(await userNames(scim, `meta.created eq "${third.created}"`)).toEqual(['third']);
    // The same instant written with an offset is the same instant.
    const shifted = new Date(Date.parse(first.created)).toISOString().replace('Z', '+00:00');
    expect(await userNames(scim, `meta.created gt "${shifted}"`)).toEqual(['second', 'third']);

    // A PUT stamps the real clock (src/service/write.ts nextTimestamp): later than every seeded instant.
    const put = await scim.put(`/Users/${first.id}`, { schemas: [USER_SCHEMA], userName: 'first', title: 'changed' });
    expect(put.status).toBe(200);
    expect(await userNames(scim, `meta.lastModified gt "${thirdDoc.meta.lastModified}"`)).toEqual(['first']);
    expect(await userNames(scim, `meta.lastModified le "${thirdDoc.meta.lastModified}"`)).toEqual(['second', 'third']);
  });
});

describe('malformed and invalid filters', () => {
  let scim: Scim;
  beforeAll(async () => {
    scim = await newTenant();
    await scim.createUser('akadmin');
    await scim.createGroup('CL_Sell in - Purchase Supervisor');
  });

  async function rejected(path: string, filter: string): Promise<string> {
    const res = await scim.get(`${path}?filter=${encodeURIComponent(filter)}`);
    const doc = await body(res);
    expect(res.status, `${filter} → ${JSON.stringify(doc)}`).toBe(400);
    expect(doc).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidFilter' });
    expect(doc).not.toHaveProperty('Resources');
    return doc.detail as string;
  }

  it('rejects authentik\'s unquoted value with the character position', async () => {
    expect(await rejected('/Users', 'userName eq akadmin')).toMatch(/character 13\b/);
  });

  it('rejects the seed system\'s unquoted group name with a position', async () => {
    expect(await rejected('/Groups', 'displayName eq CL_Sell in - Purchase Supervisor')).toMatch(/character \d+/);
  });

  it('rejects unbalanced parentheses and brackets with a position', async () => {
    for (const f of ['(userName eq "a"', 'userName eq "a")', 'not (userName eq "a"', 'emails[type eq "work"', '((userName eq "a") or (userName eq "b")']) {
      expect(await rejected('/Users', f)).toMatch(/character \d+/);
    }
  });

  it('rejects other syntax errors with a position', async () => {
    for (const f of ['userName', 'userName eq', 'userName xx "a"', 'userName eq "a" and', 'and userName eq "a"', 'userName eq "unterminated', 'not userName eq "a"']) {
      expect(await rejected('/Users', f)).toMatch(/character \d+/);
    }
  });

  it('rejects an unknown attribute, naming it', async () => {
    expect(await rejected('/Users', 'nosuchAttribute eq "x"')).toContain('nosuchAttribute');
    expect(await rejected('/Users', 'name.nickname eq "x"')).toContain('name.nickname');
    expect(await rejected('/Groups', 'userName eq "akadmin"')).toContain('userName');
    expect(await rejected('/Users', 'urn:example:unknown:2.0:User:foo eq "x"')).toContain('foo');
  });

  it('rejects an operator or value that does not fit the attribute type, naming it', async () => {
    expect(await rejected('/Users', 'active gt true')).toContain('active');
    expect(await rejected('/Users', 'active eq "yes"')).toContain('active');
    expect(await rejected('/Users', 'meta.created gt "not a date"')).toContain('meta.created');
    expect(await rejected('/Users', 'userName gt 5')).toContain('userName');
  });

  it('refuses to filter on the write-only password', async () => {
    expect(await rejected('/Users', 'password eq "secret"')).toContain('password');
    expect(await rejected('/Users', 'password pr')).toContain('password');
  });

  it('rejects a 5000-character filter, naming the limit', async () => {
    const f = `userName eq "${'a'.repeat(5000 - 14)}"`;
    expect(f).toHaveLength(5000);
    expect(await rejected('/Users', f)).toMatch(/4096/);
  });

  it('rejects an empty filter rather than returning everything', async () => {
    await rejected('/Users', '');
    await rejected('/Users', '   ');
  });
});
