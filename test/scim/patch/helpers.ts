import { expect } from 'vitest';
import { ScimError, type ScimType } from '../../../src/scim/errors';
import { applyPatch, type PatchResult } from '../../../src/scim/patch';
import type { Document, MemberInput } from '../../../src/scim/resource/input';
import { defaultRegistry } from '../../../src/scim/schema/builtins';
import type { ResourceTypeInfo } from '../../../src/scim/schema/registry';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const USER_ID = '2819c223-7f76-453a-919d-413861904646';
export const GROUP_ID = 'acbf3ae7-8463-4692-b4fd-9b4da3f908ce';

export const User = defaultRegistry.resourceType('User')!;
export const Group = defaultRegistry.resourceType('Group')!;

/** A PatchOp body around `operations`. */
export function body(...operations: unknown[]): Record<string, unknown> {
  return { schemas: [PATCH_OP], Operations: operations };
}

export function patchUser(data: Document, ...operations: unknown[]): PatchResult {
  return applyPatch(User, { id: USER_ID, data }, body(...operations));
}

export function patchGroup(data: Document, operations: unknown[], members?: MemberInput[]): PatchResult {
  return applyPatch(Group, { id: GROUP_ID, data, members }, body(...operations));
}

/** Asserts that `run` throws a ScimError with this scimType (never the message text). */
export function expectScimError(run: () => unknown, scimType: ScimType | undefined, status = 400): ScimError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ScimError);
  const error = caught as ScimError;
  expect({ status: error.status, scimType: error.scimType }).toEqual({ status, scimType });
  return error;
}

export function patchAs(rt: ResourceTypeInfo, data: Document, ...operations: unknown[]): PatchResult {
  return applyPatch(rt, { id: USER_ID, data }, body(...operations));
}

/** Babs Jensen as stored (RFC 7644 §3.5.2 examples start from her). */
export function babs(): Document {
  return {
    userName: 'bjensen@example.com',
    externalId: 'bjensen',
    name: { familyName: 'Jensen', givenName: 'Barbara' },
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    addresses: [
      { type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', primary: true },
      { type: 'home', streetAddress: '456 Hollywood Blvd', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA' },
    ],
    active: true,
  };
}
