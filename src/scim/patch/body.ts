import { fieldOf, hasField, isObject } from '../../util/fields';
import { invalidSyntax, invalidValue } from '../errors';
import { readOpName, type OpName } from '../quirks/entra-capitalised-ops';

const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** One PATCH operation as read from the body (RFC 7644 §3.5.2). */
export interface Operation {
  op: OpName;
  /** The target path; undefined when absent, null or blank. */
  path?: string;
  /** True when the operation carries a `value` member (null included). */
  hasValue: boolean;
  value: unknown;
}

/**
 * Reads a PatchOp body. Member names are case-insensitive (RFC 7643 §2.1), so `operations`, `Op`
 * and `Path` are read as well. Structural faults are 400 invalidSyntax (RFC 7644 §3.12: "did not
 * conform to the request schema"); a missing value that an operation requires is 400 invalidValue
 * (§3.12: "a required value was missing").
 */
export function readPatchBody(body: unknown): Operation[] {
  if (!isObject(body)) throw invalidSyntax('The PATCH body must be a JSON object.');
  checkSchemas(fieldOf(body, 'schemas'));
  const operations = fieldOf(body, 'operations');
  // RFC 7644 §3.5.2: "MUST contain the attribute Operations, whose value is an array of one or more".
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalidSyntax("The PATCH body must hold 'Operations': an array of one or more operations.");
  }
  return operations.map((raw, i) => readOperation(raw, i));
}

/**
 * Decision: `schemas` may be absent (some clients omit it; nothing is ambiguous without it), but when
 * present it must name the PatchOp message (RFC 7644 §3.5.2), so a resource body sent to PATCH by
 * mistake is refused instead of read as operations.
 */
function checkSchemas(schemas: unknown): void {
  if (schemas === undefined || schemas === null) return;
  const names = Array.isArray(schemas) ? schemas : [];
  if (!names.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())) {
    throw invalidSyntax(`'schemas' must contain "${PATCH_OP_SCHEMA}".`);
  }
}

function readOperation(raw: unknown, index: number): Operation {
  const where = `Operations[${index}]`;
  if (!isObject(raw)) throw invalidSyntax(`${where} must be an object.`);
  const opText = fieldOf(raw, 'op');
  const op = readOpName(opText);
  // RFC 7644 §3.5.2: "Each PATCH operation object MUST have exactly one op member" of add/remove/replace.
  if (!op) {
    throw invalidSyntax(`${where}.op must be "add", "remove" or "replace"; found ${JSON.stringify(opText ?? null)}.`);
  }
  const rawPath = fieldOf(raw, 'path');
  if (rawPath !== undefined && rawPath !== null && typeof rawPath !== 'string') {
    throw invalidSyntax(`${where}.path must be a string.`);
  }
  // Decision: a blank path is read as no path (clients that always send the member send "").
  const path = typeof rawPath === 'string' && rawPath.trim() !== '' ? rawPath.trim() : undefined;
  const hasValue = hasField(raw, 'value');
  const value = fieldOf(raw, 'value');
  // RFC 7644 §3.5.2.1 and §3.5.2.3: add and replace "MUST contain a value member".
  if (op !== 'remove' && !hasValue) throw invalidValue(`${where} (${op}) needs a 'value'.`);
  return { op, path, hasValue, value };
}
