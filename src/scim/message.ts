import { z } from 'zod';
import { canonicalFields, isObject } from '../util/fields';
import { invalidSyntax, invalidValue, type ScimType } from './errors';

// The request messages (SearchRequest RFC 7644 §3.4.3, PatchOp §3.5.2, BulkRequest §3.7) are zod
// schemas read one way: member names in any case, the first fault named by its member, one scimType
// per fault. The same schemas describe the messages in the OpenAPI document (openapi.ts).

/**
 * Issue params for a fault that is 400 invalidValue (RFC 7644 §3.12) where the message's other
 * faults are not: `ctx.addIssue({ ..., ...valueFault })`, `z.custom(check, { ..., ...valueFault })`.
 */
export const valueFault = { params: { scimType: 'invalidValue' satisfies ScimType } };

/**
 * A JSON object whose member names are case-insensitive (RFC 7643 §2.1): `Operations`, `operations`
 * and `OPERATIONS` are one member, read under the name `shape` spells, and two spellings of it in one
 * object are a fault. With `nullIsUnassigned`, a null member is read as absent (RFC 7643 §2.5); a
 * message whose null means something (PATCH `value`) leaves it off. Unknown members are ignored.
 */
export function anyCaseObject<S extends z.ZodRawShape>(shape: S, options: { nullIsUnassigned?: boolean } = {}) {
  const names = Object.keys(shape);
  const object = z.object(shape, { error: 'must be a JSON object' });
  return z.preprocess((raw, ctx) => {
    if (!isObject(raw)) return raw;
    let duplicate: string | undefined;
    const fields = canonicalFields(raw, names, (name) => (duplicate ??= name));
    if (duplicate !== undefined) {
      ctx.addIssue({ code: 'custom', input: raw, message: `member '${duplicate}' is given more than once (names are case-insensitive)` });
    }
    return options.nullIsUnassigned ? Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)) : fields;
  }, object);
}

/**
 * A message's `schemas`: optional (some clients omit it, and nothing is ambiguous without it), but
 * when given it names the message's URN, compared case-insensitively, so that a resource body sent
 * to the wrong endpoint is refused rather than read as this message.
 */
export function schemasNaming(urn: string) {
  const lower = urn.toLowerCase();
  return z
    .array(z.string(), { error: 'must be an array of schema URNs' })
    .nullish()
    .refine((schemas) => !schemas || schemas.some((s) => s.toLowerCase() === lower), `must include "${urn}"`);
}

/**
 * Reads `body` as the message `name`. A body that is not a JSON object is 400 invalidSyntax (RFC 7644
 * §3.12: "did not conform to the request schema"); otherwise the first fault found is 400 with the
 * scimType its issue asks for (`valueFault`) or the message's `fault`.
 */
export function readMessage<T extends z.ZodType>(name: string, schema: T, body: unknown, fault: 'invalidSyntax' | 'invalidValue'): z.output<T> {
  if (!isObject(body)) throw invalidSyntax(`A ${name} must be a JSON object.`);
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const scimType = issue.code === 'custom' ? (issue.params?.scimType as ScimType | undefined) : undefined;
  const factory = (scimType ?? fault) === 'invalidValue' ? invalidValue : invalidSyntax;
  throw factory(`${memberPath(issue.path) || name}: ${issue.message.replace(/\.$/, '')}.`);
}

/** `Operations[2].op` for the path ['Operations', 2, 'op']. */
function memberPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');
}
