import type { Limits } from '../config';
import type { SchemaRegistry } from '../scim/schema/registry';
import { DeclarationStore } from '../store/declarations';
import { EventStore, type Actor } from '../store/events';
import type { Executor, Query } from '../store/executor';
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
  /** The change feed, when on: every write appends its events in its own batch (service/events.ts). */
  readonly events: EventStore | undefined;
  /** The tenant's schemas and resource types (built-in plus declared), for this request. */
  readonly registry: SchemaRegistry;
  private readonly declarationsVersion: number;

  constructor(
    readonly exec: Executor,
    readonly tenantId: string,
    tenantRegistry: { registry: SchemaRegistry; version: number },
    readonly baseUrl: string,
    readonly limits: Limits,
    /** HMAC secret for paging cursors (service/cursor.ts), fetched only by requests that page with one. */
    readonly cursorSecret: () => Promise<string>,
    /** Who the writes of this request are by, for their events; undefined: the change feed is off. */
    actor?: Actor,
  ) {
    this.registry = tenantRegistry.registry;
    this.declarationsVersion = tenantRegistry.version;
    this.resources = new ResourceStore(exec, tenantId);
    this.memberships = new MembershipStore(exec, tenantId);
    this.values = new ValueStore(exec, tenantId);
    this.unique = new UniqueStore(exec, tenantId);
    this.references = new ReferenceStore(exec, tenantId);
    this.events = actor ? new EventStore(exec, tenantId, actor, () => new Date().toISOString()) : undefined;
  }

  /** First statement of every write batch: the registry the write was built from is still current. */
  registryGuard(): Query {
    return new DeclarationStore(this.exec, this.tenantId).currentStatement(this.declarationsVersion);
  }
}
