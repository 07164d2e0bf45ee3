import { isObject } from '../../util/fields';
import { invalidValue } from '../errors';
import { normaliseDateTime } from '../fold';
import { bareComplexValue } from '../quirks/entra-bare-complex-value';
import { isWrappedSingularComplex } from '../quirks/entra-wrapped-singular-complex';
import { stringBoolean } from '../quirks/string-booleans';
import { findAttribute } from '../schema/registry';
import type { AttributeDef } from '../schema/types';

/**
 * Coerces one input value to its declared type. Returns undefined for "unassigned" (RFC 7643 §2.5:
 * null and empty arrays mean no value). `where` names the attribute in error details.
 */
export function coerceValue(def: AttributeDef, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    // A lone value where an array is declared is taken as a one-element array (lenient input).
    const items = (Array.isArray(value) ? value : [value])
      .map((item, i) => coerceSingle(def, item, `${where}[${i}]`))
      .filter((item) => item !== undefined);
    if (items.length === 0) return undefined;
    checkSinglePrimary(def, items, where);
    return items;
  }
  // docs/idp-quirks.md Entra 7 (quirks/entra-wrapped-singular-complex.ts): `"manager":[{…}]` is its element.
  if (isWrappedSingularComplex(def, value)) return coerceSingle(def, value[0], where);
  if (Array.isArray(value)) throw invalidValue(`Attribute '${where}' is single-valued but an array was given.`);
  return coerceSingle(def, value, where);
}

function coerceSingle(def: AttributeDef, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (def.type) {
    case 'string':
    case 'reference':
    case 'binary':
      // Decision: "" is unassigned, as `pr` and `eq null` already read it (RFC 7644 §3.4.2.2 pr: "non-empty"),
      // so filters, sorting and output agree. A required attribute keeps it, to be refused as blank.
      if (value === '' && !def.required) return undefined;
      if (typeof value === 'string') return value;
      // Numbers and booleans where text is declared are kept as their text (lenient input).
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
      throw typeError(def, where);
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      // docs/idp-quirks.md Entra 2 (quirks/string-booleans.ts): "True" / "False".
      const spelled = stringBoolean(value);
      if (spelled !== undefined) return spelled;
      throw typeError(def, where);
    }
    case 'integer': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isInteger(n)) return n;
      throw typeError(def, where);
    }
    case 'decimal': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isFinite(n)) return n;
      throw typeError(def, where);
    }
    case 'dateTime':
      if (typeof value === 'string' && normaliseDateTime(value) !== undefined) return value;
      throw typeError(def, where);
    case 'complex':
      return coerceComplex(def, value, where);
    default: {
      const unreachable: never = def.type;
      throw new Error(`unhandled attribute type ${String(unreachable)}`);
    }
  }
}

function coerceComplex(def: AttributeDef, value: unknown, where: string): Record<string, unknown> | undefined {
  // docs/idp-quirks.md Entra 7 (quirks/entra-bare-complex-value.ts): `"manager":"<id>"` is `{"value":"<id>"}`.
  const object = isObject(value) ? value : bareComplexValue(def, value);
  if (!object) throw typeError(def, where);
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(object)) {
    const sub = findAttribute(def.subAttributes, key);
    // Unknown sub-attributes are dropped; readOnly ones are ignored on input (RFC 7643 §2.2).
    if (!sub || sub.mutability === 'readOnly') continue;
    const coerced = coerceValue(sub, raw, `${where}.${sub.name}`);
    if (coerced !== undefined) out[sub.name] = coerced;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** RFC 7643 §2.4: the primary attribute value "true" MUST appear no more than once. */
function checkSinglePrimary(def: AttributeDef, items: unknown[], where: string): void {
  if (def.type !== 'complex') return;
  const primaries = items.filter((item) => (item as Record<string, unknown>).primary === true).length;
  if (primaries > 1) throw invalidValue(`Attribute '${where}' has more than one primary value.`);
}

function typeError(def: AttributeDef, where: string) {
  const expected = def.type === 'complex' ? 'a complex object' : `of type ${def.type}`;
  return invalidValue(`Attribute '${where}' must be ${expected}.`);
}
