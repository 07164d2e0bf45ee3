import { hashPassword } from '../auth/password';
import { MAX_STORED_BYTES } from '../config';
import { invalidValue, payloadTooLarge } from '../scim/errors';
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
  const write: ResourceWrite = {
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
  checkStorable(write);
  return write;
}

/**
 * Which of a row's index tables a write must rewrite: those whose rows differ from the ones the
 * stored document (`previous`, still current under the write's compare-and-swap) already has.
 * Replacing `active` rewrites neither: two statements and their row writes fewer.
 */
export function changedIndexes(rt: ResourceTypeInfo, previous: Document, write: ResourceWrite): { values: boolean; unique: boolean } {
  const folded = foldDocument(rt, previous);
  const same = (a: unknown[], b: unknown[]) => JSON.stringify(a) === JSON.stringify(b);
  return { values: !same(valueRows(rt.storage, folded), write.values), unique: !same(uniqueRows(rt, folded), write.unique) };
}

/** Index rows one resource may have: each is a statement's worth of work in the write's batch. */
export const MAX_INDEXED_VALUES = 1_000;

/**
 * Refuses, before any write, a resource D1 could not store: a row above MAX_STORED_BYTES (a body
 * can grow when stored: bare values become objects, and `folded` doubles it) is 413, naming the
 * limit (RFC 7644 §3.12 has no scimType for it); more indexed values than MAX_INDEXED_VALUES is 400.
 */
function checkStorable(write: ResourceWrite): void {
  const bytes = [write.data, write.folded, write.userNameKey, write.displayNameKey, write.externalId, write.passwordHash]
    .reduce((sum, text) => sum + (text ? utf8Length(text) : 0), 0);
  if (bytes > MAX_STORED_BYTES) {
    throw payloadTooLarge(`The resource would take ${bytes} bytes to store; at most ${MAX_STORED_BYTES} are allowed (attribute values count twice: as given and case-folded).`);
  }
  if (write.values.length > MAX_INDEXED_VALUES) {
    const attribute = write.values[MAX_INDEXED_VALUES]!.attribute;
    throw invalidValue(`'${attribute}' has more than ${MAX_INDEXED_VALUES} values; at most ${MAX_INDEXED_VALUES} are allowed per resource.`);
  }
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else n += 3;
  }
  return n;
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
