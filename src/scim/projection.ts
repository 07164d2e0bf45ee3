import { resolveAttribute, type ResourceTypeInfo } from './schema/registry';
import type { AttributeDef } from './schema/types';
import { getValue, setValue, type Document } from './resource/input';
import { isObject } from '../util/fields';
import { invalidValue } from './errors';
import { parsePath } from './filter/parser';

/** `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9), already split into names. */
export interface Selection {
  attributes?: string[];
  excludedAttributes?: string[];
}

interface Target {
  path: string[];
  attribute: AttributeDef;
  subAttribute?: AttributeDef;
}

/**
 * The names of an `attributes` / `excludedAttributes` list. Each must be an attribute path
 * (RFC 7644 §3.10: `[urn:]attr[.sub]`), else 400 invalidValue naming it: a value filter or a typo'd
 * path silently selecting nothing would hand back bare ids. Unknown but well-formed names are fine.
 */
const SCHEMA_URN = /^urn:[a-z0-9][a-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*%']+$/i;

export function parseAttributeList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const name of names) {
    // A schema URN alone selects that extension's attributes (its own segments need not be ATTRNAMEs).
    let isPath = SCHEMA_URN.test(name);
    try {
      isPath ||= parsePath(name).kind === 'attrPath';
    } catch {
      // not an attribute path; a schema URN may still have matched above
    }
    if (!isPath) throw invalidValue(`'${name}' in attributes or excludedAttributes is not an attribute path such as "name.givenName" (RFC 7644 §3.10).`);
  }
  return names.length > 0 ? names : undefined;
}

function targets(rt: ResourceTypeInfo, names: string[] | undefined): Target[] {
  const out: Target[] = [];
  for (const name of names ?? []) {
    const extension = rt.extensions.find((s) => s.id.toLowerCase() === name.toLowerCase());
    if (extension) {
      for (const attribute of extension.attributes) out.push({ path: [extension.id, attribute.name], attribute });
      continue;
    }
    // Unknown names select nothing (RFC 7644 §3.9 leaves this open; IdPs send names of other schemas).
    const r = resolveAttribute(rt, name);
    if (!r) continue;
    const base = r.extension ? [r.schema, r.attribute.name] : [r.attribute.name];
    out.push({ path: r.subAttribute ? [...base, r.subAttribute.name] : base, attribute: r.attribute, subAttribute: r.subAttribute });
  }
  return out;
}

/** True when the attribute (top-level, core or common) would appear in the response. */
export function isSelected(rt: ResourceTypeInfo, selection: Selection, attributeName: string): boolean {
  const r = resolveAttribute(rt, attributeName);
  if (!r) return false;
  if (r.attribute.returned === 'always') return true;
  if (r.attribute.returned === 'never') return false;
  if (selection.attributes) {
    return targets(rt, selection.attributes).some((t) => t.attribute === r.attribute);
  }
  if (r.attribute.returned === 'request') return false;
  return !targets(rt, selection.excludedAttributes).some((t) => t.attribute === r.attribute && !t.subAttribute);
}

/**
 * Shapes a full resource for output per RFC 7643 §7 `returned`: `always` kept, `never` dropped,
 * `request` only when asked; then `attributes` (only those, plus `always`) or `excludedAttributes`.
 */
export function project(rt: ResourceTypeInfo, resource: Document, selection: Selection): Document {
  if (selection.attributes) {
    const out: Document = { schemas: resource.schemas, id: resource.id };
    const wanted = targets(rt, selection.attributes);
    for (const t of wanted) copyTarget(resource, out, t);
    return withSchemas(rt, withoutUnreturned(rt, out, wanted));
  }
  const out = withoutUnreturned(rt, structuredClone(resource), []);
  for (const t of targets(rt, selection.excludedAttributes)) {
    const def = t.subAttribute ?? t.attribute;
    if (def.returned === 'always') continue;
    if (t.subAttribute && t.attribute.multiValued) {
      const items = getValue(out, t.path.slice(0, -1));
      if (Array.isArray(items)) for (const item of items) if (isObject(item)) delete item[t.subAttribute.name];
    } else {
      setValue(out, t.path, undefined);
    }
  }
  return withSchemas(rt, out);
}

/**
 * RFC 7643 §2.2 `returned`: "never" is never in a response (writeOnly values above all); "request"
 * only when `attributes` names it. Applies to declared attributes and sub-attributes alike.
 */
function withoutUnreturned(rt: ResourceTypeInfo, doc: Document, requested: Target[]): Document {
  const hidden = (def: AttributeDef) => def.returned === 'never' || (def.returned === 'request' && !requested.some((t) => (t.subAttribute ?? t.attribute) === def));
  for (const schema of [rt.core, ...rt.extensions]) {
    const prefix = schema === rt.core ? [] : [schema.id];
    for (const a of schema.attributes) {
      const path = [...prefix, a.name];
      // "never" always goes; "request" stays when one of its sub-attributes was asked for.
      if (a.returned === 'never' || (hidden(a) && !requested.some((t) => t.attribute === a && t.subAttribute && !hidden(t.subAttribute)))) {
        if (getValue(doc, path) !== undefined) setValue(doc, path, undefined);
        continue;
      }
      for (const sub of a.subAttributes ?? []) {
        if (!hidden(sub)) continue;
        const value = getValue(doc, path);
        for (const item of Array.isArray(value) ? value : [value]) if (isObject(item)) delete item[sub.name];
      }
    }
  }
  return doc;
}

function copyTarget(from: Document, to: Document, t: Target): void {
  if (t.subAttribute && t.attribute.multiValued) {
    const items = getValue(from, t.path.slice(0, -1));
    if (!Array.isArray(items)) return;
    const existing = getValue(to, t.path.slice(0, -1));
    const merged = items.map((item, i) => {
      const prior = Array.isArray(existing) && isObject(existing[i]) ? existing[i] : {};
      const value = isObject(item) ? item[t.subAttribute!.name] : undefined;
      return value === undefined ? prior : { ...prior, [t.subAttribute!.name]: value };
    });
    setValue(to, t.path.slice(0, -1), merged);
    return;
  }
  const value = getValue(from, t.path);
  if (value !== undefined) setValue(to, t.path, structuredClone(value));
}

/** `schemas` lists the core schema and exactly the extensions present in the output. */
function withSchemas(rt: ResourceTypeInfo, doc: Document): Document {
  const present = rt.extensions.filter((s) => isObject(doc[s.id])).map((s) => s.id);
  return { ...doc, schemas: [rt.core.id, ...present] };
}
