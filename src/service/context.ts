import type { Limits } from '../config';
import type { SchemaRegistry } from '../scim/schema/registry';
import type { Executor } from '../store/executor';
import { MembershipStore } from '../store/memberships';
import { ReferenceStore } from '../store/references';
import { ResourceStore } from '../store/resources';
import { UniqueStore } from '../store/unique';
import { ValueStore } from '../store/values';

/** Everything a SCIM operation needs, scoped to the caller's tenant and its registry. */
export class ScimContext {
  readonly resources: ResourceStore;
  readonly memberships: MembershipStore;
  readonly values: ValueStore;
  readonly unique: UniqueStore;
  readonly references: ReferenceStore;

  constructor(
    readonly exec: Executor,
    readonly tenantId: string,
    /** The tenant's schemas and resource types (built-in plus declared), for this request. */
    readonly registry: SchemaRegistry,
    readonly baseUrl: string,
    readonly limits: Limits,
    /** HMAC secret for paging cursors (service/cursor.ts), fetched only by requests that page with one. */
    readonly cursorSecret: () => Promise<string>,
  ) {
    this.resources = new ResourceStore(exec, tenantId);
    this.memberships = new MembershipStore(exec, tenantId);
    this.values = new ValueStore(exec, tenantId);
    this.unique = new UniqueStore(exec, tenantId);
    this.references = new ReferenceStore(exec, tenantId);
  }
}
