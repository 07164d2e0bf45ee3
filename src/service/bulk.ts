import { BULK_RESPONSE, executionOrder, readBulkRequest, referencesOf, substitute, type BulkOperation } from '../scim/bulk';
import { ScimError, conflict, internalError, invalidValue, notFound, payloadTooLarge, unresolvedBulkId } from '../scim/errors';
import type { ScimContext } from './context';
import { patchResource } from './patch';
import { createResource, deleteResource, replaceResource } from './resources';

interface OperationResult {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: unknown;
}

/**
 * RFC 7644 §3.7: runs each operation through the same service functions (and so the same tenant
 * scope and validation) as its single-request twin. Each operation is its own transaction; the
 * response lists operations in request order, status as a string.
 */
export async function runBulk(ctx: ScimContext, body: unknown) {
  const request = readBulkRequest(body);
  if (request.operations.length > ctx.limits.maxBulkOperations) {
    // RFC 7644 §3.7.4: more operations than maxOperations is 413.
    throw payloadTooLarge(`The request has ${request.operations.length} operations; maxOperations is ${ctx.limits.maxBulkOperations}.`);
  }
  const { order, circular } = executionOrder(request.operations);
  const results = new Map<number, OperationResult>();
  const created = new Map<string, string>();
  const failedBulkIds = new Set<string>();
  let errors = 0;

  for (const i of circular) {
    const op = request.operations[i]!;
    // RFC 7644 §3.7.1 allows answering a circular reference with 409 rather than splitting it.
    results.set(i, failure(op, conflict('This operation is part of a circular bulkId reference.')));
    if (op.bulkId) failedBulkIds.add(op.bulkId);
    errors++;
  }

  for (const i of order) {
    if (request.failOnErrors !== undefined && request.failOnErrors > 0 && errors >= request.failOnErrors) break;
    const op = request.operations[i]!;
    const unresolved = [...referencesOf(op)].filter((ref) => !created.has(ref));
    let result: OperationResult;
    if (unresolved.length > 0) {
      const why = unresolved.some((r) => failedBulkIds.has(r)) ? 'failed' : 'does not exist in this request';
      result = failure(op, unresolvedBulkId(`bulkId "${unresolved[0]}" cannot be resolved: its operation ${why}.`));
    } else {
      result = await runOne(ctx, substitute(op, created), op);
    }
    if (Number(result.status) >= 400) {
      errors++;
      if (op.bulkId) failedBulkIds.add(op.bulkId);
    } else if (op.method === 'POST' && op.bulkId && result.location) {
      created.set(op.bulkId, result.location.slice(result.location.lastIndexOf('/') + 1));
    }
    results.set(i, result);
  }

  const Operations = request.operations.map((_, i) => results.get(i)).filter((r): r is OperationResult => r !== undefined);
  return { schemas: [BULK_RESPONSE], Operations };
}

async function runOne(ctx: ScimContext, op: BulkOperation, original: BulkOperation): Promise<OperationResult> {
  const base = { method: original.method, ...(original.bulkId ? { bulkId: original.bulkId } : {}) };
  try {
    const [, endpoint, id, extra] = op.path.split('/');
    const rt = ctx.registry.byEndpoint(endpoint ?? '');
    if (!rt || extra !== undefined) throw notFound(`No resource endpoint '${op.path}'.`);
    if ((op.method === 'POST') !== (id === undefined)) {
      throw invalidValue(op.method === 'POST' ? `POST takes a resource type path such as "${rt.endpoint}".` : `${op.method} needs a resource path such as "${rt.endpoint}/{id}".`);
    }
    // RFC 7644 §3.7: an operation's `version` is its If-Match.
    const conditions = op.version === undefined ? {} : { ifMatch: op.version };
    switch (op.method) {
      case 'POST': {
        const r = await createResource(ctx, rt, op.data, undefined);
        return { ...base, location: r.location, version: r.etag, status: '201' };
      }
      case 'PUT': {
        const r = await replaceResource(ctx, rt, id!, op.data, undefined, conditions);
        return { ...base, location: r.location, version: r.etag, status: '200' };
      }
      case 'PATCH': {
        const { result } = await patchResource(ctx, rt, id!, op.data, conditions);
        return { ...base, location: result.location, version: result.etag, status: '200' };
      }
      case 'DELETE':
        await deleteResource(ctx, rt, id!, conditions);
        return { ...base, location: `${ctx.baseUrl}${rt.endpoint}/${id}`, status: '204' };
    }
  } catch (error) {
    if (error instanceof ScimError) return failure(original, error);
    // Earlier operations are committed: an unexpected failure of this one must not hide their
    // results behind a 500 for the whole request (a retry would duplicate them).
    console.error(JSON.stringify({ level: 'error', where: 'bulk', method: original.method, error: (error as Error).name, message: (error as Error).message }));
    return failure(original, internalError('This operation failed unexpectedly; it was not applied.'));
  }
}

function failure(op: BulkOperation, error: ScimError): OperationResult {
  return {
    method: op.method,
    ...(op.bulkId ? { bulkId: op.bulkId } : {}),
    status: String(error.status),
    response: error.toJSON(),
  };
}
