import { isObject } from '../../util/fields';
import type { ResourceTypeInfo } from '../schema/registry';
import type { ReferenceDef } from '../schema/storage';
import { getValue, type Document } from './input';

// Resource references in a document (schema/storage.ts ReferenceDef): each element's `value` is the
// id of a resource in the same tenant; `$ref` is that resource's location (RFC 7643 §2.3.7), kept
// relative to the base URL (`/Organizations/<id>`) and made absolute on output.

export interface ReferenceUse {
  ref: ReferenceDef;
  id: string;
  /** The element holding it, in the document: the caller sets its `$ref`. */
  element: Record<string, unknown>;
}

function elements(doc: Document, ref: ReferenceDef): Record<string, unknown>[] {
  const at = getValue(doc, ref.segments);
  return (Array.isArray(at) ? at : [at]).filter(isObject);
}

/** Every reference a document makes, in declaration order. */
export function referenceUses(rt: ResourceTypeInfo, doc: Document): ReferenceUse[] {
  const out: ReferenceUse[] = [];
  for (const ref of rt.storage.references) {
    for (const element of elements(doc, ref)) {
      const id = element[ref.value];
      if (typeof id === 'string') out.push({ ref, id, element });
      else delete element.$ref; // a $ref without its id points nowhere
    }
  }
  return out;
}

/** `$ref` as an absolute URL at the base that was called (RFC 7643 §3.1 meta.location likewise). */
export function absoluteRefs(rt: ResourceTypeInfo, doc: Document, baseUrl: string): void {
  for (const ref of rt.storage.references) {
    for (const element of elements(doc, ref)) {
      if (typeof element.$ref === 'string' && element.$ref.startsWith('/')) element.$ref = `${baseUrl}${element.$ref}`;
    }
  }
}
