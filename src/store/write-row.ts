import { hashPassword } from '../auth/password';
import { foldCase, foldDocument } from '../scim/fold';
import type { Document } from '../scim/resource/input';
import type { ResourceTypeInfo } from '../scim/schema/registry';
import type { ResourceWrite } from './resources';
import { uniqueRows } from './unique';
import { valueRows } from './values';

/** The row a write stores, derived from the resource document and the type's storage declaration. */
export async function rowFor(rt: ResourceTypeInfo, id: string, given: Document, lastModified: string, password?: string): Promise<ResourceWrite> {
  const { columns } = rt.storage;
  const data = await hashWriteOnly(rt, given);
  const text = (name: string | undefined) => (name !== undefined && typeof data[name] === 'string' ? foldCase(data[name] as string) : null);
  const folded = foldDocument(rt, data);
  return {
    id,
    externalId: typeof data.externalId === 'string' ? data.externalId : null,
    userNameKey: text(columns.userName),
    displayNameKey: text(columns.displayName),
    lastModified,
    data: JSON.stringify(data),
    folded: JSON.stringify(folded),
    values: valueRows(rt.storage, folded),
    unique: uniqueRows(rt, folded),
    ...(password !== undefined ? { passwordHash: await hashPassword(password) } : {}),
  };
}

const HASHED = /^pbkdf2-sha256\$/;

/**
 * RFC 7643 §2.2 writeOnly values (a declared client secret, say) are kept only as salted hashes, like
 * a User's password: never returned (returned "never") and never stored as given.
 */
async function hashWriteOnly(rt: ResourceTypeInfo, data: Document): Promise<Document> {
  let out = data;
  for (const schema of [rt.core, ...rt.extensions]) {
    const owner = schema === rt.core ? out : (out[schema.id] as Document | undefined);
    if (!owner || typeof owner !== 'object') continue;
    for (const a of schema.attributes) {
      const value = owner[a.name];
      // The core password has its own column (password_hash); declaration.ts allows writeOnly on singular text only.
      if (a.mutability !== 'writeOnly' || (schema === rt.core && a.name === rt.storage.password) || typeof value !== 'string' || HASHED.test(value)) continue;
      if (out === data) out = structuredClone(data);
      const target = schema === rt.core ? out : (out[schema.id] as Document);
      target[a.name] = await hashPassword(value);
    }
  }
  return out;
}
