import type { Selection } from '../projection';
import type { ResourceTypeInfo } from '../schema/registry';

// docs/idp-quirks.md Entra 9: group PATCH may answer 204 No Content; user PATCH answers 200 with the resource.
//
//   PATCH /Groups/<id>
//   {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
//    "Operations":[{"op":"Add","path":"members","value":[{"value":"<id>"}]}]}
//
// RFC 7644 §3.5.2: on success the server "MUST return a 200 OK response code and the entire resource
// within the response body ... or MAY return HTTP status code 204 (No Content)". Entra sends group
// membership changes one request at a time and reads nothing back, so answering each with the whole
// member list (50,000 members in a large group) costs a read and a response nobody uses. A Group PATCH
// therefore answers 204 unless its `attributes` query asks for something; a User PATCH answers 200
// with the resource. The same holds for any type whose storage has a member table. Applied in
// src/routes/resources.ts (the PATCH handler, which /Me shares).

/** True when a successful PATCH of `rt` answers 204 No Content rather than 200 with the resource. */
export function patchAnswersNoContent(rt: ResourceTypeInfo, selection: Selection): boolean {
  return rt.storage.membership?.role === 'group' && !selection.attributes;
}
