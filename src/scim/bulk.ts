// RFC 7644 §3.7 Bulk: the pure part — reading the request, finding `bulkId:` references anywhere in
// an operation, ordering operations so that referenced resources are created first (§3.7.1), and
// substituting the ids once known.
import { fieldOf, isObject } from '../util/fields';
import { invalidSyntax, invalidValue } from './errors';

export const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const REF = /^bulkId:(.+)$/;

export interface BulkOperation {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  bulkId?: string;
  version?: string;
  path: string;
  data?: unknown;
}

export interface BulkRequest {
  failOnErrors?: number;
  operations: BulkOperation[];
}

const METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readBulkRequest(body: unknown): BulkRequest {
  if (!isObject(body)) throw invalidSyntax('A BulkRequest must be a JSON object.');
  const schemas = fieldOf(body, 'schemas');
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.includes(BULK_REQUEST))) {
    throw invalidSyntax(`A BulkRequest's schemas must include ${BULK_REQUEST}.`);
  }
  const failOnErrors = fieldOf(body, 'failOnErrors');
  if (failOnErrors !== undefined && !(Number.isInteger(failOnErrors) && (failOnErrors as number) >= 0)) {
    throw invalidValue('failOnErrors must be a non-negative integer.');
  }
  const list = fieldOf(body, 'Operations');
  if (!Array.isArray(list)) throw invalidSyntax('A BulkRequest needs an "Operations" array.');
  const seen = new Set<string>();
  const operations = list.map((raw, i): BulkOperation => {
    if (!isObject(raw)) throw invalidSyntax(`Operations[${i}] must be an object.`);
    const op = raw;
    const method = String(fieldOf(op, 'method') ?? '').toUpperCase();
    if (!METHODS.has(method)) throw invalidSyntax(`Operations[${i}].method must be POST, PUT, PATCH or DELETE.`);
    const path = fieldOf(op, 'path');
    if (typeof path !== 'string' || !path.startsWith('/')) throw invalidSyntax(`Operations[${i}].path must be a path such as "/Users".`);
    const bulkId = fieldOf(op, 'bulkId');
    if (method === 'POST' && (typeof bulkId !== 'string' || bulkId === '')) {
      throw invalidSyntax(`Operations[${i}]: a POST needs a bulkId (RFC 7644 §3.7).`);
    }
    if (typeof bulkId === 'string') {
      if (seen.has(bulkId)) throw invalidValue(`Operations[${i}]: bulkId "${bulkId}" is used twice.`);
      seen.add(bulkId);
    }
    const version = fieldOf(op, 'version');
    return {
      method: method as BulkOperation['method'],
      path,
      ...(typeof bulkId === 'string' ? { bulkId } : {}),
      ...(typeof version === 'string' ? { version } : {}),
      ...(fieldOf(op, 'data') !== undefined ? { data: fieldOf(op, 'data') } : {}),
    };
  });
  return { failOnErrors: failOnErrors as number | undefined, operations };
}

/** Every bulkId an operation refers to, in its path or anywhere in its data. */
export function referencesOf(op: BulkOperation): Set<string> {
  const refs = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      const m = REF.exec(v);
      if (m) refs.add(m[1]!);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  for (const segment of op.path.split('/')) visit(segment);
  visit(op.data);
  return refs;
}

/** Replaces `bulkId:x` with the id created for x, in path segments and in data. */
export function substitute(op: BulkOperation, ids: ReadonlyMap<string, string>): BulkOperation {
  const swap = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = REF.exec(v);
      return m && ids.has(m[1]!) ? ids.get(m[1]!) : v;
    }
    if (Array.isArray(v)) return v.map(swap);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
    return v;
  };
  return { ...op, path: op.path.split('/').map((s) => swap(s) as string).join('/'), data: swap(op.data) };
}

/**
 * Processing order (RFC 7644 §3.7.1): an operation runs after the POSTs whose bulkIds it refers to;
 * otherwise request order. Operations caught in a reference cycle are returned in `circular`: we
 * do not split them into create-then-patch, which §3.7.1 allows ("MAY stop ... and return 409").
 */
export function executionOrder(ops: BulkOperation[]): { order: number[]; circular: number[] } {
  const creator = new Map<string, number>();
  ops.forEach((op, i) => op.method === 'POST' && op.bulkId && creator.set(op.bulkId, i));
  const deps = ops.map((op) => [...referencesOf(op)].map((ref) => creator.get(ref)).filter((d): d is number => d !== undefined));
  const state: ('new' | 'visiting' | 'done' | 'circular')[] = ops.map(() => 'new');
  const order: number[] = [];
  const visit = (i: number): boolean => {
    if (state[i] === 'done') return true;
    if (state[i] === 'visiting' || state[i] === 'circular') return false;
    state[i] = 'visiting';
    const ok = deps[i]!.every((d) => visit(d));
    state[i] = ok ? 'done' : 'circular';
    if (ok) order.push(i);
    return ok;
  };
  ops.forEach((_, i) => visit(i));
  return { order, circular: ops.map((_, i) => i).filter((i) => state[i] === 'circular') };
}
