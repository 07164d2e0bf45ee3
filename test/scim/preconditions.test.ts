import { describe, expect, it } from 'vitest';
import { ScimError } from '../../src/scim/errors';
import { etagOf, evaluate, matchesEtag, namesVersion, versionsNamed, type Preconditions } from '../../src/scim/preconditions';

// RFC 9110 §13: If-Match and If-None-Match against the current version 3.

describe('matchesEtag (weak comparison, RFC 9110 §8.8.3.2)', () => {
  it.each([
    ['W/"3"', true],
    ['"3"', true],
    ['*', true],
    ['W/"1", W/"3"', true],
    [' W/"2" ,  "3" ', true],
    ['W/"2"', false],
    ['W/"33"', false],
    ['3', false],
    ['', false],
  ])('%j matches version 3: %s', (header, expected) => {
    expect(matchesEtag(header, 3)).toBe(expected);
  });

  it('derives weak tags from versions', () => {
    expect(etagOf(7)).toBe('W/"7"');
    expect(matchesEtag(etagOf(7), 7)).toBe(true);
  });
});

describe('evaluate', () => {
  const cases: [string, Preconditions, 'read' | 'write', 'proceed' | 'notModified' | 412][] = [
    ['no conditions, read', {}, 'read', 'proceed'],
    ['no conditions, write', {}, 'write', 'proceed'],
    ['If-Match current, write', { ifMatch: 'W/"3"' }, 'write', 'proceed'],
    ['If-Match *, write', { ifMatch: '*' }, 'write', 'proceed'],
    ['If-Match stale, write', { ifMatch: 'W/"2"' }, 'write', 412],
    ['If-Match stale, read', { ifMatch: 'W/"2"' }, 'read', 412],
    ['If-None-Match current, read', { ifNoneMatch: 'W/"3"' }, 'read', 'notModified'],
    ['If-None-Match *, read', { ifNoneMatch: '*' }, 'read', 'notModified'],
    ['If-None-Match stale, read', { ifNoneMatch: 'W/"2"' }, 'read', 'proceed'],
    ['If-None-Match current, write', { ifNoneMatch: 'W/"3"' }, 'write', 412],
    ['If-None-Match *, write (the resource exists)', { ifNoneMatch: '*' }, 'write', 412],
    ['If-None-Match stale, write', { ifNoneMatch: 'W/"2"' }, 'write', 'proceed'],
    // §13.2.2: If-Match is evaluated first.
    ['If-Match stale and If-None-Match stale, read', { ifMatch: 'W/"2"', ifNoneMatch: 'W/"2"' }, 'read', 412],
    ['If-Match current and If-None-Match current, read', { ifMatch: 'W/"3"', ifNoneMatch: 'W/"3"' }, 'read', 'notModified'],
  ];

  it.each(cases)('%s', (_name, conditions, method, expected) => {
    if (expected === 412) {
      let thrown: unknown;
      try {
        evaluate(conditions, 3, method);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ScimError);
      expect((thrown as ScimError).status).toBe(412);
      expect((thrown as ScimError).scimType).toBeUndefined();
    } else {
      expect(evaluate(conditions, 3, method)).toBe(expected);
    }
  });

  it('says whether a request names a version (such a write never commutes)', () => {
    expect(namesVersion({})).toBe(false);
    expect(namesVersion({ ifMatch: '*' })).toBe(true);
    expect(namesVersion({ ifNoneMatch: 'W/"1"' })).toBe(true);
  });
});

describe('versionsNamed (what a 304 need not read)', () => {
  it('lists the versions an If-None-Match names, weak or strong, and `any` for *', () => {
    expect(versionsNamed('W/"3"')).toEqual([3]);
    expect(versionsNamed('W/"3", "4" ,W/"x"')).toEqual([3, 4]);
    expect(versionsNamed('W/"3", *')).toBe('any');
    expect(versionsNamed('garbage')).toEqual([]);
  });
});
