import { describe, expect, it } from 'vitest';
import { isLookup } from '../../../src/scim/filter/lookup';
import { parseFilter } from '../../../src/scim/filter/parser';

describe('isLookup (which filters read their page without a count)', () => {
  it.each([
    'userName eq "bjensen"',
    'externalId eq "00u1"',
    'emails[type eq "work"].value eq "b@example.com"',
    'displayName eq "Admins"',
    'id eq "2819c223" and active eq true',
    'active eq true and userName eq "x"',
  ])('%s is a lookup', (text) => expect(isLookup(parseFilter(text))).toBe(true));

  it.each([
    'userName sw "b"',
    'meta.lastModified gt "2024-01-01T00:00:00Z"',
    'active eq true',
    'userName eq "a" or userName eq "b"',
    'not (userName eq "a")',
    'title pr',
    'userName ne "a"',
  ])('%s may match many: counted beside its page', (text) => expect(isLookup(parseFilter(text))).toBe(false));
});
