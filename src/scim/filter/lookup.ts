import type { Filter } from './ast';

/**
 * True when a filter looks a resource up: a string `eq` on its and-chain (`userName eq "…"`,
 * `externalId eq "…"`, `emails[type eq "work"].value eq "…"`, a group's `displayName eq "…"`),
 * the requests IdPs send before every write. Such a filter matches few rows, so its page is read
 * without a count: a page shorter than asked is its own exact total (RFC 7644 §3.4.2.4). Any other
 * filter (ranges, `sw`, `pr`, `or`, booleans) may match many, so its count is read beside the page.
 * A wrong guess costs a statement or a round trip, never a wrong answer.
 */
export function isLookup(filter: Filter): boolean {
  switch (filter.kind) {
    case 'compare':
      return filter.op === 'eq' && typeof filter.value === 'string';
    case 'and':
      return isLookup(filter.left) || isLookup(filter.right);
    case 'valuePath':
      return isLookup(filter.filter);
    case 'or':
    case 'not':
    case 'present':
      return false;
  }
}
