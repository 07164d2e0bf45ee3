import { findAttribute, type ResourceTypeInfo } from './schema/registry';
import type { AttributeDef } from './schema/types';

/**
 * Case-folds a string for caseExact=false comparison (RFC 7643 §2.2), Unicode included:
 * upper- then lower-casing maps "ß" and "SS" alike, which a plain toLowerCase does not.
 */
export function foldCase(value: string): string {
  return value.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** Canonical dateTime text (xsd:dateTime as ISO 8601 UTC with milliseconds), so text order is time order. */
export function normaliseDateTime(value: string): string | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Folds one attribute value according to its definition. */
export function foldValue(def: AttributeDef, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => foldSingle(def, item));
  return foldSingle(def, value);
}

function foldSingle(def: AttributeDef, value: unknown): unknown {
  if (def.type === 'complex' && value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, sub] of Object.entries(value as Record<string, unknown>)) {
      const subDef = findAttribute(def.subAttributes, key);
      out[key] = subDef ? foldValue(subDef, sub) : sub;
    }
    return out;
  }
  if (typeof value !== 'string') return value;
  if (def.type === 'dateTime') return normaliseDateTime(value) ?? value;
  if ((def.type === 'string' || def.type === 'reference') && !def.caseExact) return foldCase(value);
  return value;
}

/**
 * The `folded` twin of a stored resource document (see docs/storage.md): same shape, every
 * caseExact=false string folded, so SQL equality and ordering follow RFC 7643 §2.2.
 */
export function foldDocument(rt: ResourceTypeInfo, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const ext = rt.extensions.find((s) => s.id === key);
    if (ext && value && typeof value === 'object') {
      const inner: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        const def = findAttribute(ext.attributes, name);
        inner[name] = def ? foldValue(def, v) : v;
      }
      out[key] = inner;
      continue;
    }
    const def = findAttribute(rt.core.attributes, key);
    out[key] = def ? foldValue(def, value) : value;
  }
  return out;
}
