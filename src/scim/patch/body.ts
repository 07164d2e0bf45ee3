import { z } from 'zod';
import { anyCaseObject, readMessage, schemasNaming, valueFault } from '../message';
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

const OPS = ['add', 'remove', 'replace'] as const satisfies readonly OpName[];

const operation = anyCaseObject({
  // RFC 7644 §3.5.2: "Each PATCH operation object MUST have exactly one op member" of add/remove/replace;
  // read case-insensitively for Entra (quirks/entra-capitalised-ops.ts).
  op: z.preprocess(
    (raw) => readOpName(raw) ?? raw,
    z.enum(OPS, { error: (issue) => `must be "add", "remove" or "replace"; found ${JSON.stringify(issue.input ?? null)}` }),
  ),
  path: z.string({ error: 'must be a string' }).nullish(),
  // null is a value here: `"value": null` is present (hasValue), unlike an absent member.
  value: z.unknown().optional(),
}).superRefine((o, ctx) => {
  // RFC 7644 §3.5.2.1 and §3.5.2.3: add and replace "MUST contain a value member"; missing, it is
  // invalidValue (§3.12: "a required value was missing").
  if (o.op !== 'remove' && !('value' in o)) ctx.addIssue({ code: 'custom', message: `${o.op} needs a 'value'`, ...valueFault });
});

/** The PatchOp message (RFC 7644 §3.5.2), member names case-insensitive (RFC 7643 §2.1). */
export const patchOpSchema = anyCaseObject({
  schemas: schemasNaming(PATCH_OP_SCHEMA),
  // RFC 7644 §3.5.2: "MUST contain the attribute Operations, whose value is an array of one or more".
  Operations: z
    .array(operation, { error: 'must be an array of one or more operations' })
    .min(1, { error: 'must be an array of one or more operations' }),
});

/**
 * Reads a PatchOp body. Structural faults are 400 invalidSyntax (RFC 7644 §3.12: "did not conform to
 * the request schema"); a missing value that an operation requires is 400 invalidValue.
 */
export function readPatchBody(body: unknown): Operation[] {
  const { Operations } = readMessage('PatchOp', patchOpSchema, body, 'invalidSyntax');
  return Operations.map((o) => ({
    op: o.op,
    // Decision: a blank path is read as no path (clients that always send the member send "").
    path: o.path?.trim() || undefined,
    hasValue: 'value' in o,
    value: o.value,
  }));
}
