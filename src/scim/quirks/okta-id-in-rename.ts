import { mutability } from '../errors';

// docs/idp-quirks.md Okta 4: group push renames a group with a path-less replace whose value carries the
// read-only `id`:
//
//   {"op":"replace","value":{"id":"<the group's id>","displayName":"New name"}}
//
// RFC 7643 §3.1 makes `id` readOnly and RFC 7644 §3.5.2 forbids modifying a readOnly attribute. An `id`
// equal to the resource's own id modifies nothing, so it is ignored; any other value is a real attempt
// to change it and fails with 400 mutability. Applied in src/scim/patch/apply.ts (applyPathless).

/** Returns normally when `value` (the `id` of a path-less value) may be ignored; throws otherwise. */
export function checkPathlessId(value: unknown, currentId: string): void {
  if (value === null || value === undefined || value === currentId) return;
  throw mutability(`Attribute 'id' is readOnly; it can only be repeated as '${currentId}'.`);
}
