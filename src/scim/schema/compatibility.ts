// Which changes to a schema declaration the data already stored under it could violate. Stored documents
// keep the canonical attribute names as their JSON keys, a `folded` twin for caseExact=false text, and keys
// for unique values (docs/storage.md); a change that any of those could contradict is breaking.
// Everything else (a new attribute, a requirement relaxed, descriptions, mutability, returned, canonical
// or reference types) only changes what later requests may do, and is compatible.

import type { AttributeDef, SchemaDef, Uniqueness } from './types';

export type SchemaChangeKind = 'removed' | 'typeChanged' | 'multiValuedChanged' | 'caseExactChanged' | 'madeRequired' | 'madeUnique';

export interface SchemaChange {
  kind: SchemaChangeKind;
  /** [attribute] or [attribute, sub-attribute], spelled as in `before`. */
  path: string[];
  /** A sentence for the administrator. */
  detail: string;
  /** The new uniqueness, for 'madeUnique'. */
  uniqueness?: 'server' | 'global';
}

// RFC 7643 §2.2 caseExact decides how text compares; for other types it means nothing and is not stored.
const TEXT_TYPES = ['string', 'reference', 'binary'];
const STRICTNESS: Record<Uniqueness, number> = { none: 0, server: 1, global: 2 }; // RFC 7643 §2.2 uniqueness

export function breakingChanges(before: SchemaDef, after: SchemaDef): SchemaChange[] {
  return compareLists(before.attributes, after.attributes, []);
}

function compareLists(before: AttributeDef[], after: AttributeDef[], parent: string[]): SchemaChange[] {
  return before.flatMap((old) => {
    const path = [...parent, old.name];
    const label = path.join('.');
    // RFC 7643 §2.1: names match case-insensitively, but stored JSON keys are the canonical spelling.
    const next = after.find((a) => a.name.toLowerCase() === old.name.toLowerCase());
    if (!next) return [{ kind: 'removed', path, detail: `${label} was removed.` }];
    if (next.name !== old.name) {
      return [{ kind: 'removed', path, detail: `${label} was renamed to ${next.name}; stored values keep the old spelling.` }];
    }
    if (next.type !== old.type) {
      // The sub-attributes of a retyped attribute are not listed again.
      return [{ kind: 'typeChanged', path, detail: `${label} changed type from ${old.type} to ${next.type}.` }];
    }
    return [...compareAttribute(old, next, path, label), ...compareLists(old.subAttributes ?? [], next.subAttributes ?? [], path)];
  });
}

function compareAttribute(old: AttributeDef, next: AttributeDef, path: string[], label: string): SchemaChange[] {
  const changes: SchemaChange[] = [];
  if (old.multiValued !== next.multiValued) {
    const now = next.multiValued ? 'multi-valued' : 'single-valued';
    changes.push({ kind: 'multiValuedChanged', path, detail: `${label} became ${now}.` });
  }
  if (TEXT_TYPES.includes(old.type) && old.caseExact !== next.caseExact) {
    const now = next.caseExact ? 'case-sensitive' : 'case-insensitive';
    changes.push({ kind: 'caseExactChanged', path, detail: `${label} became ${now}; stored case-folded copies no longer match.` });
  }
  if (!old.required && next.required) {
    changes.push({ kind: 'madeRequired', path, detail: `${label} became required; stored resources may lack it.` });
  }
  const uniqueness = next.uniqueness;
  if (uniqueness !== 'none' && STRICTNESS[uniqueness] > STRICTNESS[old.uniqueness]) {
    const detail = `${label} became unique (${uniqueness}); stored values may repeat.`;
    changes.push({ kind: 'madeUnique', path, detail, uniqueness });
  }
  return changes;
}
