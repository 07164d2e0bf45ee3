import { describe, expect, it } from 'vitest';
import { body, GROUP_SCHEMA, newTenant, PATCH_OP, USER_SCHEMA } from '../../helpers';

// RFC 7643 §2.2 "required": a blank string is no value, so it is refused like a missing one
// (RFC 7644 §3.12 invalidValue: "a required value was missing").

const BLANKS = ['', '   ', '\t\n'];

async function expectInvalidValue(res: Response, what: string): Promise<void> {
  expect(res.status, what).toBe(400);
  const doc = await body(res);
  expect(doc, what).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidValue' });
}

describe('required attributes given as blank strings', () => {
  it('refuses a POST of a User whose userName is blank with 400 invalidValue and creates nothing', async () => {
    const scim = await newTenant();
    for (const userName of BLANKS) {
      await expectInvalidValue(await scim.post('/Users', { schemas: [USER_SCHEMA], userName }), JSON.stringify(userName));
    }
    expect((await body(await scim.get('/Users'))).totalResults).toBe(0);
  });

  it('refuses a POST of a Group whose displayName is blank with 400 invalidValue', async () => {
    const scim = await newTenant();
    for (const displayName of BLANKS) {
      await expectInvalidValue(await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName }), JSON.stringify(displayName));
    }
    expect((await body(await scim.get('/Groups'))).totalResults).toBe(0);
  });

  it('still refuses a POST without the required attribute at all with 400 invalidValue', async () => {
    const scim = await newTenant();
    await expectInvalidValue(await scim.post('/Users', { schemas: [USER_SCHEMA], displayName: 'No name' }), 'no userName');
  });

  it('refuses a PUT that blanks userName or displayName with 400 invalidValue and keeps the resource', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('kept@example.com');
    const group = await scim.createGroup('Kept');
    for (const blank of BLANKS) {
      await expectInvalidValue(await scim.put(`/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: blank }), `User ${JSON.stringify(blank)}`);
      await expectInvalidValue(await scim.put(`/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], displayName: blank }), `Group ${JSON.stringify(blank)}`);
    }
    expect((await body(await scim.get(`/Users/${user.id}`))).userName).toBe('kept@example.com');
    expect((await body(await scim.get(`/Groups/${group.id}`))).displayName).toBe('Kept');
  });

  it('refuses a PATCH that sets userName or displayName to a blank string, by path or path-less, with 400 invalidValue', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('patched@example.com');
    const group = await scim.createGroup('Patched');
    for (const blank of BLANKS) {
      const byPath = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: blank }] };
      await expectInvalidValue(await scim.patch(`/Users/${user.id}`, byPath), `path ${JSON.stringify(blank)}`);
      const pathless = { schemas: [PATCH_OP], Operations: [{ op: 'Replace', value: { userName: blank } }] };
      await expectInvalidValue(await scim.patch(`/Users/${user.id}`, pathless), `path-less ${JSON.stringify(blank)}`);
      const rename = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: blank }] };
      await expectInvalidValue(await scim.patch(`/Groups/${group.id}`, rename), `group ${JSON.stringify(blank)}`);
    }
    expect((await body(await scim.get(`/Users/${user.id}`))).userName).toBe('patched@example.com');
    expect((await body(await scim.get(`/Groups/${group.id}`))).displayName).toBe('Patched');
  });

  it('keeps answering a PATCH that removes userName with 400 mutability', async () => {
    const scim = await newTenant();
    const user = await scim.createUser('removed@example.com');
    const res = await scim.patch(`/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'userName' }] });
    expect(res.status).toBe(400);
    expect((await body(res)).scimType).toBe('mutability');
  });

  it('accepts a userName with surrounding spaces as given', async () => {
    const scim = await newTenant();
    const res = await scim.post('/Users', { schemas: [USER_SCHEMA], userName: ' spaced ' });
    expect(res.status).toBe(201);
  });
});
