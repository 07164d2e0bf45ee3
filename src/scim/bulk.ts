// RFC 7644 §3.7 Bulk: the pure part — reading the request, finding `bulkId:` references anywhere in
// an operation, ordering operations so that referenced resources are created first (§3.7.1), and
// substituting the ids once known.
import { z } from 'zod';
import { anyCaseObject, readMessage, schemasNaming, valueFault } from './message';

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

const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
const PATH = 'must be a path such as "/Users"';

const operation = anyCaseObject({
  method: z.preprocess(
    (raw) => (typeof raw === 'string' ? raw.toUpperCase() : raw),
    z.enum(METHODS, { error: 'must be POST, PUT, PATCH or DELETE' }),
  ),
  bulkId: z.string({ error: 'must be a string' }).nullish(),
  version: z.string({ error: 'must be a string' }).nullish(),
  path: z.string({ error: PATH }).regex(/^\//, { error: PATH }),
  data: z.unknown().optional(),
}).superRefine((op, ctx) => {
  // RFC 7644 §3.7: bulkId is REQUIRED for POST.
  if (op.method === 'POST' && !op.bulkId) ctx.addIssue({ code: 'custom', message: 'a POST needs a bulkId (RFC 7644 §3.7)' });
});

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** The BulkRequest message (RFC 7644 §3.7), member names case-insensitive (RFC 7643 §2.1). */
export const bulkRequestSchema = anyCaseObject({
  schemas: schemasNaming(BULK_REQUEST),
  failOnErrors: z
    .custom<number>(isCount, { message: 'must be a non-negative integer', ...valueFault })
    .meta({ type: 'integer', minimum: 0 })
    .optional(),
  Operations: z.array(operation, { error: 'must be an array of operations' }).superRefine((ops, ctx) => {
    // A bulkId names one operation's resource (RFC 7644 §3.7): twice is ambiguous.
    const seen = new Set<string>();
    ops.forEach((op, i) => {
      if (typeof op.bulkId !== 'string') return;
      if (seen.has(op.bulkId)) ctx.addIssue({ code: 'custom', path: [i], message: `bulkId "${op.bulkId}" is used twice`, ...valueFault });
      seen.add(op.bulkId);
    });
  }),
});

/**
 * Reads a BulkRequest. Structural faults are 400 invalidSyntax (RFC 7644 §3.12); failOnErrors that is
 * not a non-negative integer, or a bulkId used twice, is 400 invalidValue.
 */
export function readBulkRequest(body: unknown): BulkRequest {
  const { failOnErrors, Operations } = readMessage('BulkRequest', bulkRequestSchema, body, 'invalidSyntax');
  const operations = Operations.map(
    ({ method, path, bulkId, version, ...rest }): BulkOperation => ({
      method,
      path,
      ...(typeof bulkId === 'string' ? { bulkId } : {}),
      ...(typeof version === 'string' ? { version } : {}),
      ...('data' in rest ? { data: rest.data } : {}),
    }),
  );
  return { failOnErrors, operations };
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
