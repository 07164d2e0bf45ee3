import { describe, expect, it } from 'vitest';
import { newTenant } from '../helpers';

// Request ids (docs/operations.md): echoed when plain and short, else made; on errors too.

describe('X-Request-Id', () => {
  it('echoes a plain id of at most 64 characters, on success and on error', async () => {
    const scim = await newTenant();
    for (const path of ['/Users', '/Nope']) {
      const res = await scim.get(path, { 'X-Request-Id': 'idp-run_42=' });
      expect(res.headers.get('X-Request-Id')).toBe('idp-run_42=');
    }
  });

  it('makes a fresh id for one that is too long or not plain', async () => {
    const scim = await newTenant();
    for (const given of ['x'.repeat(65), 'a b', 'a\u00e9', 'a;b']) {
      const res = await scim.get('/Users', { 'X-Request-Id': given });
      const id = res.headers.get('X-Request-Id');
      expect(id).not.toBe(given);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
