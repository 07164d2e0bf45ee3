import { hashPassword } from '../auth/password';
import { foldCase, foldDocument } from '../scim/fold';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import type { Document } from '../scim/resource/input';
import type { ResourceWrite } from '../store/resources';
import { valueRows } from '../store/values';

/** The columns a write stores, derived from the resource document (docs/storage.md). */
export async function toWrite(
  rt: ResourceTypeInfo,
  id: string,
  data: Document,
  lastModified: string,
  password?: string,
): Promise<ResourceWrite> {
  const userName = rt.name === 'User' && typeof data.userName === 'string' ? data.userName : null;
  const displayName = typeof data.displayName === 'string' ? data.displayName : null;
  const folded = foldDocument(rt, data);
  return {
    id,
    externalId: typeof data.externalId === 'string' ? data.externalId : null,
    userNameKey: userName === null ? null : foldCase(userName),
    displayNameKey: displayName === null ? null : foldCase(displayName),
    lastModified,
    data: JSON.stringify(data),
    folded: JSON.stringify(folded),
    values: valueRows(rt.name, folded),
    ...(password !== undefined ? { passwordHash: await hashPassword(password) } : {}),
  };
}

/** lastModified strictly after `previous`, so every write moves it forward even within one millisecond. */
export function nextTimestamp(previous?: string): string {
  const now = Date.now();
  const before = previous ? Date.parse(previous) : 0;
  return new Date(Math.max(now, before + 1)).toISOString();
}
