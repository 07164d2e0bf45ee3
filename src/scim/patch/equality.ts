import { isObject } from '../../util/fields';
import { foldValue } from '../fold';
import type { AttributeDef } from '../schema/types';

/** JSON text with object keys sorted, so equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Equal as SCIM compares them: caseExact=false strings case-insensitively (RFC 7643 §2.2). */
export function sameValue(def: AttributeDef, a: unknown, b: unknown): boolean {
  return canonicalJson(foldValue(def, a)) === canonicalJson(foldValue(def, b));
}

/**
 * True when element `e` of multi-valued `def` has every sub-attribute that `probe` gives, with equal
 * values. With `ignorePrimary`, `primary` is left out of the comparison (it marks, not identifies).
 */
export function elementCovers(def: AttributeDef, probe: unknown, e: unknown, ignorePrimary = false): boolean {
  if (!isObject(probe) || !isObject(e)) return sameValue(def, probe, e);
  const keys = Object.keys(probe).filter((k) => !(ignorePrimary && k === 'primary'));
  return keys.every((k) => sameValue(def, { [k]: probe[k] }, { [k]: e[k] }));
}

/** Same element of multi-valued `def`, `primary` aside (RFC 7644 §3.5.2.1: adding it again changes nothing). */
export function sameElement(def: AttributeDef, a: unknown, b: unknown): boolean {
  return elementCovers(def, a, b, true) && elementCovers(def, b, a, true);
}
