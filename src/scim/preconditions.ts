// RFC 9110 §13 conditional requests (RFC 7644 §3.14 versions): the one home of If-Match and
// If-None-Match for every resource route, /Me and Bulk. Pure: the caller supplies the current version.
import { preconditionFailed, type ScimError } from './errors';

/** The conditions a request carries, as sent (absent members mean no condition). */
export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

/** What a request may do after its conditions were evaluated against the current version. */
export type Verdict = 'proceed' | 'notModified';

/** RFC 7644 §3.14: a weak entity tag derived from the row's version counter. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/**
 * RFC 9110 §8.8.3.2 weak comparison, which RFC 9110 §13.1.1 and §13.1.2 allow for both headers
 * here (our tags are all weak): the header is `*` or a list of entity tags.
 */
export function matchesEtag(header: string, version: number): boolean {
  const wanted = `"${version}"`;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === wanted;
  });
}

/**
 * The versions an If-None-Match header names (`any` for `*`): a read whose row turns out to be one
 * of them answers 304 without a body (RFC 9110 §13.1.2), so it need not fetch the members or
 * groups the body would carry.
 */
export function versionsNamed(header: string): number[] | 'any' {
  const versions: number[] = [];
  for (const tag of header.split(',')) {
    const t = tag.trim();
    if (t === '*') return 'any';
    const m = /^(?:W\/)?"(\d{1,15})"$/.exec(t);
    if (m) versions.push(Number(m[1]));
  }
  return versions;
}

/** True when the request's outcome depends on the version it finds (no blind, commutative write). */
export function namesVersion(conditions: Preconditions): boolean {
  return conditions.ifMatch !== undefined || conditions.ifNoneMatch !== undefined;
}

/**
 * Evaluates the conditions against the current `version`, in RFC 9110 §13.2.2's order: If-Match
 * first, then If-None-Match. A read (GET) whose If-None-Match matches is `notModified` (304,
 * §13.1.2); a write whose If-None-Match matches — `*` included, since a SCIM write by id always
 * finds an existing resource — fails with 412, as does any request whose If-Match does not match.
 * `afterConflict`: evaluated again after losing a compare-and-swap, which the 412 then says.
 */
export function evaluate(conditions: Preconditions, version: number, method: 'read' | 'write', afterConflict = false): Verdict {
  if (conditions.ifMatch !== undefined && !matchesEtag(conditions.ifMatch, version)) throw stale(version, afterConflict);
  if (conditions.ifNoneMatch !== undefined && matchesEtag(conditions.ifNoneMatch, version)) {
    if (method === 'read') return 'notModified';
    throw preconditionFailed(`Precondition failed: If-None-Match names the resource's current version ${etagOf(version)}.`);
  }
  return 'proceed';
}

/** RFC 7644 §3.14 / §3.12: If-Match names a version that is no longer current. */
export function stale(version: number, afterConflict = false): ScimError {
  const why = afterConflict ? 'the resource was changed by a concurrent request; its' : "the resource's";
  return preconditionFailed(`Precondition failed: ${why} version is now ${etagOf(version)}.`);
}
