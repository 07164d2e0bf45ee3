import { isObject } from '../../util/fields';
import { invalidPath, invalidValue, mutability, noTarget } from '../errors';
import { matchesElement } from '../filter/evaluate';
import { elementFromFilter } from '../quirks/entra-filtered-path-add';
import { replacesWholesale } from '../quirks/entra-manager';
import { elementsToRemove } from '../quirks/entra-member-removal';
import { coerceValue } from '../resource/coerce';
import { getValue, setValue, type Document } from '../resource/input';
import type { ResourceTypeInfo } from '../schema/registry';
import type { AttributeDef } from '../schema/types';
import { elementCovers, sameElement, sameValue } from './equality';
import type { AttributeTarget } from './target';

// add / replace / remove of an attribute held in the resource document (RFC 7644 §3.5.2.1–3).
// Every value is coerced to its declared type first (coerce.ts: "False" → false, null → unassigned).

export interface DocState {
  rt: ResourceTypeInfo;
  /** The working copy; the caller's document is never touched. */
  data: Document;
}

export function addAttribute(s: DocState, t: AttributeTarget, raw: unknown): void {
  if (t.filter) return writeFiltered(s, t, raw, 'add');
  const { attribute: def, subAttribute: sub } = t;
  if (sub) return setSubAttribute(s, t, sub, coerceValue(sub, raw, t.label), 'add');
  const value = coerceValue(def, raw, t.label);
  if (value === undefined) return; // adding "unassigned" adds nothing
  if (def.multiValued) {
    // RFC 7644 §3.5.2.1: "a new value is added"; one already there is not added twice.
    const items = elements(s, t);
    const madePrimary: unknown[] = [];
    for (const v of value as unknown[]) {
      const same = items.find((e) => sameElement(def, e, v));
      if (!same) items.push(v);
      if (isObject(v) && v.primary === true) {
        if (isObject(same)) same.primary = true;
        madePrimary.push(same ?? v);
      }
    }
    return store(s, t, items, madePrimary);
  }
  const current = getValue(s.data, t.location);
  // RFC 7644 §3.5.2.1: for a complex attribute the value's sub-attributes are added to it.
  const merged = def.type === 'complex' && isObject(current) && !replacesWholesale(s.rt, def) ? { ...current, ...(value as object) } : value;
  setValue(s.data, t.location, merged);
}

export function replaceAttribute(s: DocState, t: AttributeTarget, raw: unknown): void {
  if (t.filter) return writeFiltered(s, t, raw, 'replace');
  const { attribute: def, subAttribute: sub } = t;
  if (sub) return setSubAttribute(s, t, sub, coerceValue(sub, raw, t.label), 'replace');
  const value = coerceValue(def, raw, t.label);
  // RFC 7644 §3.5.2.3: a complex attribute's given sub-attributes replace theirs, "sub-attributes
  // that are not specified in the value parameter are left unchanged"; null ones are removed.
  if (def.type === 'complex' && !def.multiValued && raw !== null && !replacesWholesale(s.rt, def)) {
    const current = getValue(s.data, t.location);
    const merged: Record<string, unknown> = { ...(isObject(current) ? current : {}), ...((value as object) ?? {}) };
    if (isObject(raw)) {
      for (const [key, v] of Object.entries(raw)) {
        const subDef = def.subAttributes?.find((d) => d.name.toLowerCase() === key.toLowerCase());
        if (v === null && subDef) delete merged[subDef.name];
      }
    }
    return setValue(s.data, t.location, Object.keys(merged).length > 0 ? merged : undefined);
  }
  // Simple and multi-valued attributes are replaced whole; null or [] leaves them unassigned.
  if (def.multiValued) return store(s, t, (value as unknown[] | undefined) ?? [], []);
  setValue(s.data, t.location, value);
}

export function removeAttribute(s: DocState, t: AttributeTarget, raw: unknown): void {
  const { attribute: def, subAttribute: sub } = t;
  if (t.filter || (sub && def.multiValued)) {
    const items = elements(s, t);
    const matched = t.filter ? items.filter((e) => matchesElement(s.rt, def, e, t.filter!)) : items;
    // Decision: a value filter that matches nothing removes nothing and succeeds. RFC 7644 §3.5.2.2
    // names noTarget only for a missing path; the desired state (no such value) already holds.
    if (sub) {
      for (const e of matched) if (isObject(e)) writeSub(e, sub, undefined, t.label);
      return store(s, t, items, []);
    }
    // RFC 7644 §3.5.2.2: matching values are removed; with none left the attribute is unassigned.
    return store(s, t, items.filter((e) => !matched.includes(e)), []);
  }
  if (sub) return setSubAttribute(s, t, sub, undefined, 'remove');
  if (def.multiValued) {
    // docs/idp-quirks.md Entra 5 (quirks/entra-member-removal.ts): a listed value removes those elements only.
    const listed = elementsToRemove(def, raw, t.label);
    if (listed) return store(s, t, elements(s, t).filter((e) => !listed.some((l) => elementCovers(def, l, e))), []);
  }
  setValue(s.data, t.location, undefined);
}

/** `name.givenName`-style targets on a singular complex attribute. */
function setSubAttribute(s: DocState, t: AttributeTarget, sub: AttributeDef, value: unknown, op: string): void {
  // A sub-attribute of a multi-valued attribute needs a value filter to say which element(s).
  if (t.attribute.multiValued) {
    throw invalidPath(`'${t.label}': ${op} on a sub-attribute of multi-valued '${t.attribute.name}' needs a value filter, e.g. ${t.attribute.name}[type eq "work"].${sub.name}.`);
  }
  if (value === undefined && op === 'add') return;
  const parent = getValue(s.data, t.location);
  const element = isObject(parent) ? { ...parent } : {};
  writeSub(element, sub, value, t.label);
  setValue(s.data, t.location, Object.keys(element).length > 0 ? element : undefined);
}

/**
 * Writes through a value filter (RFC 7644 §3.5.2.1, §3.5.2.3): `emails[type eq "work"]` targets the
 * matching elements, `emails[type eq "work"].value` a sub-attribute of each.
 */
function writeFiltered(s: DocState, t: AttributeTarget, raw: unknown, op: 'add' | 'replace'): void {
  const def = t.attribute;
  const items = elements(s, t);
  const matched = items.filter((e) => matchesElement(s.rt, def, e, t.filter!));
  const sub = t.subAttribute;
  if (sub) {
    const value = coerceValue(sub, raw, t.label);
    if (matched.length > 0) {
      // RFC 7644 §3.5.2.3: "the matching sub-attribute of all matching records SHALL be replaced".
      for (const e of matched) if (isObject(e)) writeSub(e, sub, value, t.label);
      return store(s, t, items, sub.name === 'primary' && value === true ? matched : []);
    }
    if (value === undefined) return; // nothing matched and nothing to write
    // docs/idp-quirks.md Entra 4: add, and replace too (unlike RFC 7644 §3.5.2.3's noTarget), creates the
    // element the filter describes; see quirks/entra-filtered-path-add.ts for why.
    const created = { ...seedElement(t), [sub.name]: value };
    items.push(created);
    return store(s, t, items, [created]);
  }
  const given = raw === null ? undefined : (coerceValue(def, raw, t.label) as unknown[] | undefined);
  if (given && given.length > 1) throw invalidValue(`'${t.label}' selects elements; its value must be one element.`);
  const value = given?.[0];
  if (matched.length === 0) {
    // RFC 7644 §3.5.2.3: a replace whose value filter matches nothing is 400 noTarget.
    if (op === 'replace') throw noTarget(`No value of '${def.name}' matches '${t.label}'.`);
    if (value === undefined) return;
    const created = isObject(value) ? { ...seedElement(t), ...value } : value;
    items.push(created);
    return store(s, t, items, [created]);
  }
  if (op === 'replace') {
    // RFC 7644 §3.5.2.3: "all matching record values SHALL be replaced"; null removes them.
    const next = items.flatMap((e) => (matched.includes(e) ? (value === undefined ? [] : [structuredClone(value)]) : [e]));
    return store(s, t, next, next.filter((e) => !items.includes(e)));
  }
  for (const e of matched) if (isObject(e) && isObject(value)) Object.assign(e, value);
  store(s, t, items, isObject(value) && value.primary === true ? matched : []);
}

/** The element an unmatched filtered write creates (docs/idp-quirks.md Entra 4, quirks/entra-filtered-path-add.ts). */
function seedElement(t: AttributeTarget): Record<string, unknown> {
  const seed = elementFromFilter(t.attribute, t.filter!);
  if (!seed) throw noTarget(`No value of '${t.attribute.name}' matches '${t.label}', and its filter does not describe a new one.`);
  return seed;
}

/** Sets or (undefined) deletes one sub-attribute; an immutable one that has a value keeps it (RFC 7643 §2.2). */
function writeSub(element: Record<string, unknown>, sub: AttributeDef, value: unknown, label: string): void {
  const old = element[sub.name];
  if (sub.mutability === 'immutable' && old !== undefined && !sameValue(sub, old, value)) {
    throw mutability(`Sub-attribute '${label}' is immutable and already has a value.`);
  }
  if (value === undefined) delete element[sub.name];
  else element[sub.name] = value;
}

function elements(s: DocState, t: AttributeTarget): unknown[] {
  const current = getValue(s.data, t.location);
  return Array.isArray(current) ? current : current === undefined ? [] : [current];
}

/**
 * Stores a multi-valued attribute, empty as unassigned (RFC 7644 §3.5.2.2). RFC 7643 §2.4: "primary"
 * true appears at most once, so an element the operation made primary takes it from the others.
 */
function store(s: DocState, t: AttributeTarget, items: unknown[], touched: unknown[]): void {
  const primaries = touched.filter((e) => isObject(e) && e.primary === true);
  if (primaries.length > 1) throw invalidValue(`'${t.label}' would make more than one value primary.`);
  for (const e of items) if (primaries.length === 1 && e !== primaries[0] && isObject(e) && e.primary === true) delete e.primary;
  // An element left with no sub-attributes is no value at all.
  const kept = items.filter((e) => !(isObject(e) && Object.keys(e).length === 0));
  setValue(s.data, t.location, kept.length > 0 ? kept : undefined);
}
