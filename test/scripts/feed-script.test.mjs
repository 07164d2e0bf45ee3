// `npm run token -- events tail` and `webhook add|list|remove` against the project's wrangler dev.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { devServer } from './ready.mjs';

const run = promisify(execFile);
let URL_;
let ADMIN_TOKEN;

const token = (...args) => run('node', ['scripts/token.mjs', ...args, '--url', URL_, '--admin-token', ADMIN_TOKEN]);

beforeAll(async () => {
  ({ url: URL_, adminToken: ADMIN_TOKEN } = await devServer());
});

describe('npm run token -- events | webhook', () => {
  it('tails the change feed live, filtered by type', async () => {
    const tenant = `tail${Date.now().toString(36)}`;
    await token('tenant', tenant);
    const { token: scimToken } = JSON.parse((await token('create', tenant, '--label', 'idp', '--json')).stdout);
    const tail = spawn('node', ['scripts/token.mjs', 'events', 'tail', tenant, '--types', 'user.*', '--json', '--url', URL_, '--admin-token', ADMIN_TOKEN]);
    const lines = [];
    tail.stdout.on('data', (chunk) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    try {
      await new Promise((r) => setTimeout(r, 1500)); // it starts at the end of the feed
      const post = (path, body) => fetch(`${URL_}/scim/v2${path}`, { method: 'POST', headers: { Authorization: `Bearer ${scimToken}`, 'Content-Type': 'application/scim+json' }, body: JSON.stringify(body) });
      expect((await post('/Users', { userName: 'tailed@example.com' })).status).toBe(201);
      expect((await post('/Groups', { displayName: 'not tailed' })).status).toBe(201);
      for (let i = 0; i < 60 && lines.length < 1; i++) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 500));
      expect(lines.map((l) => JSON.parse(l).type)).toEqual(['user.created']);
    } finally {
      tail.kill('SIGTERM');
    }
  });

  it('adds, lists and removes a webhook', async () => {
    const tenant = `hooks${Date.now().toString(36)}`;
    await token('tenant', tenant);
    const added = JSON.parse((await token('webhook', 'add', tenant, 'https://receiver.example/scim', '--types', 'user.*,group.member_added', '--description', 'app', '--json')).stdout);
    expect(added.secret).toMatch(/^whsec_/);
    const listed = (await token('webhook', 'list', tenant)).stdout;
    expect(listed).toContain(added.id);
    expect(listed).toContain('user.*,group.member_added');
    expect(listed).not.toContain(added.secret);
    await token('webhook', 'remove', tenant, added.id);
    expect((await token('webhook', 'list', tenant)).stdout).toContain('(no webhooks)');
    await expect(token('webhook', 'add', tenant, 'http://insecure.example/')).rejects.toMatchObject({ code: 1 });
  });
});
