import type { ResourceTypeInfo } from '../schema/registry';
import type { Document } from './input';

export interface StoredResource {
  id: string;
  created: string;
  lastModified: string;
  version: number;
  data: Document;
}

/** RFC 7644 §3.14: a weak entity tag derived from the row's version counter. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/**
 * The full SCIM representation of a stored resource (before projection). `extra` carries the
 * attributes kept outside the document (a Group's members, a User's groups).
 */
export function toScim(rt: ResourceTypeInfo, row: StoredResource, baseUrl: string, extra: Document = {}): Document {
  const { externalId, ...attributes } = row.data;
  const extensionsPresent = rt.extensions.filter((s) => row.data[s.id] !== undefined).map((s) => s.id);
  return {
    schemas: [rt.core.id, ...extensionsPresent],
    id: row.id,
    ...(externalId !== undefined ? { externalId } : {}),
    ...attributes,
    ...extra,
    meta: {
      resourceType: rt.name,
      created: row.created,
      lastModified: row.lastModified,
      location: `${baseUrl}${rt.endpoint}/${row.id}`,
      version: etagOf(row.version),
    },
  };
}
