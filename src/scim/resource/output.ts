import type { ResourceTypeInfo } from '../schema/registry';
import type { Document } from './input';
import { absoluteRefs } from './references';
import { etagOf } from '../preconditions';

export interface StoredResource {
  id: string;
  created: string;
  lastModified: string;
  version: number;
  data: Document;
}

/**
 * The full SCIM representation of a stored resource (before projection). `extra` carries the
 * attributes kept outside the document (a Group's members, a User's groups).
 */
export function toScim(rt: ResourceTypeInfo, row: StoredResource, baseUrl: string, extra: Document = {}): Document {
  const { externalId, ...stored } = row.data;
  // Extensions present with at least one attribute (a cleared reference can leave an empty one).
  const extensionsPresent = rt.extensions.filter((s) => isPresent(row.data[s.id])).map((s) => s.id);
  const attributes = rt.storage.references.length > 0 ? structuredClone(stored) : stored;
  if (rt.storage.references.length > 0) absoluteRefs(rt, attributes, baseUrl);
  for (const s of rt.extensions) if (s.id in attributes && !isPresent(attributes[s.id])) delete attributes[s.id];
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

function isPresent(value: unknown): boolean {
  return value !== undefined && !(typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
}
