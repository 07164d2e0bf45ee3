// The PATCH engine (RFC 7644 §3.5.2): pure, imports neither Hono nor Drizzle. IdP tolerances live in
// src/scim/quirks/, one module per quirk, each quoting the payload it accepts (listed in docs/idp-quirks.md).
export { applyPatch, needsCurrentMembers, type PatchResult } from './apply';
export type { MembershipDelta } from './members';
