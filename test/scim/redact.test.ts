import { describe, expect, it } from 'vitest';
import { MAX_LOGGED_BODY, REDACTED, redactBody, redactQuery } from '../../src/scim/redact';

describe('redactBody (the provisioning log never keeps a secret)', () => {
  it('redacts password wherever it is: an attribute, any case, nested, or a PATCH operation\'s value', () => {
    const body = {
      userName: 'b',
      Password: 'Secret-1',
      'urn:ext:User': { apiSecret: 'x', keep: 'y' },
      Operations: [
        { op: 'replace', path: 'password', value: 'Secret-2' },
        { op: 'replace', path: 'urn:ext:User:apiSecret', value: { deep: 'Secret-3' } },
        { op: 'replace', value: { password: 'Secret-4', title: 't' } },
        { op: 'add', path: 'emails[type eq "work"].value', value: 'b@example.com' },
        { Op: 'Replace', Path: ' Password ', Value: 'Secret-5' },
        { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:password', value: 'Secret-6' },
      ],
    };
    const out = redactBody(JSON.stringify(body), ['apiSecret'])!;
    for (const secret of ['Secret-1', 'Secret-2', 'Secret-3', 'Secret-4', 'Secret-5', 'Secret-6', '"x"']) expect(out).not.toContain(secret);
    const parsed = JSON.parse(out);
    expect(parsed.Password).toBe(REDACTED);
    expect(parsed['urn:ext:User']).toEqual({ apiSecret: REDACTED, keep: 'y' });
    expect(parsed.Operations[3].value).toBe('b@example.com');
    expect(parsed.Operations[2].value.title).toBe('t');
  });

  it('keeps no body that is not JSON, and cuts long ones', () => {
    expect(redactBody('password=hunter2')).toBe('[16 characters, not JSON: not kept]');
    const long = redactBody(JSON.stringify({ a: 'x'.repeat(MAX_LOGGED_BODY * 2) }))!;
    expect(long.length).toBeLessThan(MAX_LOGGED_BODY + 100);
    expect(long).toContain('[cut at');
    expect(redactBody(undefined)).toBeNull();
  });

  it('replaces a token in a query string', () => {
    expect(redactQuery('filter=x&access_token=scim_abcDEF-123_x')).toBe(`filter=x&access_token=${REDACTED}`);
  });
});
