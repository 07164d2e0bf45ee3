import type { Limits } from '../config';
import type { Executor } from '../store/executor';
import { MembershipStore } from '../store/memberships';
import { ResourceStore } from '../store/resources';
import { ValueStore } from '../store/values';

/** Everything a SCIM operation needs, scoped to the caller's tenant. */
export class ScimContext {
  readonly resources: ResourceStore;
  readonly memberships: MembershipStore;
  readonly values: ValueStore;

  constructor(
    readonly exec: Executor,
    readonly tenantId: string,
    readonly baseUrl: string,
    readonly limits: Limits,
    /** HMAC secret for paging cursors (service/cursor.ts), fetched only by requests that page with one. */
    readonly cursorSecret: () => Promise<string>,
  ) {
    this.resources = new ResourceStore(exec, tenantId);
    this.memberships = new MembershipStore(exec, tenantId);
    this.values = new ValueStore(exec, tenantId);
  }
}
