import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Every table and index is listed with its reason in docs/storage.md. Keep the two in step.

export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  created: text('created').notNull(),
  /** Bumped by every change to the tenant's declarations: the key of each isolate's compiled registry. */
  declarationsVersion: integer('declarations_version').notNull().default(0),
  /**
   * The data database the tenant lives on, by binding name (src/shards.ts). The control database's
   * row is the directory; the data database holds a row of its own (its declarations version is the
   * one write batches check there).
   */
  shard: text('shard').notNull().default('DB'),
  /** `active`; `read_only` while a move copies the tenant; `moved` on the database it left. */
  state: text('state', { enum: ['active', 'read_only', 'moved'] }).notNull().default('active'),
});

/**
 * A tenant's declared schemas (RFC 7643 §7) and resource types (§6), validated, as JSON. `lookup` is
 * the URN or name lower-cased: both are compared case-insensitively.
 */
export const declarations = sqliteTable(
  'declarations',
  {
    tenantId: text('tenant_id').notNull(),
    kind: text('kind', { enum: ['schema', 'resourceType'] }).notNull(),
    lookup: text('lookup').notNull(),
    body: text('body').notNull(),
    version: integer('version').notNull().default(1),
    created: text('created').notNull(),
    lastModified: text('last_modified').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind, t.lookup] })],
);

/**
 * One row per SCIM resource of any type. Hot attributes get columns (and indexes); the rest of the
 * resource is JSON. `data` is the resource as stored (without id, meta, members, groups, password);
 * `folded` is the same document with every caseExact=false string case-folded and every dateTime
 * normalised, so filters and sorting compare in SQL exactly as RFC 7643 §2.2 asks.
 */
export const resources = sqliteTable(
  'resources',
  {
    tenantId: text('tenant_id').notNull(),
    resourceType: text('resource_type').notNull(),
    id: text('id').notNull(),
    /** Case-folded userName (Users only): the uniqueness key. */
    userNameKey: text('user_name_key'),
    /** Case-folded displayName. */
    displayNameKey: text('display_name_key'),
    externalId: text('external_id'),
    created: text('created').notNull(),
    lastModified: text('last_modified').notNull(),
    version: integer('version').notNull().default(1),
    /** Salted PBKDF2 hash of a User's password; never returned. */
    passwordHash: text('password_hash'),
    data: text('data').notNull(),
    folded: text('folded').notNull(),
    /**
     * The groups this resource is a direct member of, as a JSON object keyed by group id
     * ({"<id>": {"display": …, "type": "<group type>"}}); NULL when none. Kept by the triggers of
     * migration 0008 on `memberships` (and on a group's rename) in the statement that changes
     * them, so a `groups` attribute (RFC 7643 §4.1.2) is read with the row: no membership row read.
     */
    memberOf: text('member_of'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.resourceType, t.id] }),
    uniqueIndex('resources_user_name_key').on(t.tenantId, t.resourceType, t.userNameKey),
    index('resources_display_name_key').on(t.tenantId, t.resourceType, t.displayNameKey),
    index('resources_external_id').on(t.tenantId, t.resourceType, t.externalId),
    index('resources_last_modified').on(t.tenantId, t.resourceType, t.lastModified),
  ],
);

/**
 * How many resources each tenant holds of each type, kept by triggers on `resources` (migration
 * 0006) in the same statement as every insert and delete: an unfiltered list's totalResults is one
 * row read, not a count of the whole directory (RFC 7644 §3.4.2.4).
 */
export const resourceCounts = sqliteTable(
  'resource_counts',
  {
    tenantId: text('tenant_id').notNull(),
    resourceType: text('resource_type').notNull(),
    n: integer('n').notNull(),
    /** Inserts plus deletes so far: a position in the type's id order is still exact while it holds. */
    changes: integer('changes').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.resourceType] })],
);

/** Group membership, its own table so adding or removing k members costs O(k) rows. */
export const memberships = sqliteTable(
  'memberships',
  {
    tenantId: text('tenant_id').notNull(),
    groupId: text('group_id').notNull(),
    memberId: text('member_id').notNull(),
    /** The member's resource type: one of the group type's member types (scim/schema/builtins.ts). */
    memberType: text('member_type').notNull(),
    /**
     * The group's resource type: how the triggers of migration 0008 find the group's row. Always
     * written (MembershipStore.insertStatements); NULL only in rows written by hand without it.
     */
    groupType: text('group_type'),
    display: text('display'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.groupId, t.memberId] }),
    // A user's `groups` and member deletion look memberships up from the member side. Covering
    // (group_id included), or SQLite prefers scanning the primary key, which also covers the query.
    index('memberships_member_group').on(t.tenantId, t.memberId, t.groupId),
    // Does the tenant nest groups at all (a member of a group type)? One probe, reading no row when
    // it does not: only then is a member's `groups` walked, else read from resources.member_of.
    index('memberships_member_type').on(t.tenantId, t.memberType),
  ],
);

/**
 * Copies of selected multi-valued sub-attributes (folded), one row per value, so an equality filter
 * on them (Entra's `emails[type eq "work"].value eq "…"`, docs/idp-quirks.md Entra 6) is an index
 * search, not a json_each scan of every resource. Which attributes: src/store/values.ts.
 */
export const resourceValues = sqliteTable(
  'resource_values',
  {
    tenantId: text('tenant_id').notNull(),
    resourceType: text('resource_type').notNull(),
    /** Canonical path, e.g. `emails.value`. */
    attribute: text('attribute').notNull(),
    value: text('value').notNull(),
    resourceId: text('resource_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.resourceType, t.attribute, t.value, t.resourceId] }),
    // Replacing or deleting one resource's values.
    index('resource_values_resource').on(t.tenantId, t.resourceId),
  ],
);

/**
 * uniqueness server/global (RFC 7643 §2.3.1) of declared attributes, enforced by the primary key in
 * the same batch as the resource write: concurrent creates cannot both win. `scope` is the resource
 * type for `server` and '' for `global` (across the tenant's types); `value` is the folded value.
 */
export const resourceUnique = sqliteTable(
  'resource_unique',
  {
    tenantId: text('tenant_id').notNull(),
    scope: text('scope').notNull(),
    attribute: text('attribute').notNull(),
    value: text('value').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.scope, t.attribute, t.value] }),
    index('resource_unique_resource').on(t.tenantId, t.resourceId),
  ],
);

/**
 * The change feed (issue 13): one row per event, appended in the same batch as the write it
 * describes (a transactional outbox). `seq` is per tenant, gap-free: each append takes the tenant's
 * largest `seq` plus its position, and D1 runs one write batch at a time. The pruner keeps each
 * tenant's newest event, so that largest `seq` never goes back. Migration 0009 (WITHOUT ROWID: one
 * row written per event, clustered by tenant and seq).
 */
export const events = sqliteTable(
  'events',
  {
    tenantId: text('tenant_id').notNull(),
    seq: integer('seq').notNull(),
    id: text('id').notNull(),
    type: text('type').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id').notNull(),
    version: integer('version'),
    occurredAt: text('occurred_at').notNull(),
    /** JSON: {"type":"token","tokenId","tokenLabel","requestId"} or {"type":"admin","requestId"}. */
    actor: text('actor').notNull(),
    /** JSON array of the attribute paths that changed. */
    changed: text('changed').notNull(),
    /** JSON: the resource after the change as a GET returns it, without members or groups. */
    data: text('data').notNull(),
    /** JSON {value, type} for member_added / member_removed. */
    member: text('member'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.seq] }), index('events_occurred_at').on(t.occurredAt)],
);

/**
 * A tenant's webhook endpoints (README "Webhooks"). `secret` and `previous_secret` are the signing
 * secrets encrypted (AES-GCM, service/webhook-secrets.ts): a signature needs the secret itself.
 * `cursor` is the last event seq dispatched to this endpoint (the outbox's read position).
 */
export const webhooks = sqliteTable(
  'webhooks',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    url: text('url').notNull(),
    /** JSON array of event types or `<resource>.*`; empty: every type. */
    types: text('types').notNull(),
    description: text('description'),
    enabled: integer('enabled').notNull().default(1),
    disabledReason: text('disabled_reason'),
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousUntil: text('previous_until'),
    cursor: integer('cursor').notNull(),
    failingSince: text('failing_since'),
    created: text('created').notNull(),
    lastModified: text('last_modified').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** One row per (endpoint, event): its attempts so far, as `GET …/deliveries` lists them. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    webhookId: text('webhook_id').notNull(),
    eventSeq: integer('event_seq').notNull(),
    eventId: text('event_id').notNull(),
    /** pending (an attempt is due), succeeded, failed (given up, or the endpoint is disabled). */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    lastDurationMs: integer('last_duration_ms'),
    nextAttemptAt: text('next_attempt_at'),
    created: text('created').notNull(),
    updated: text('updated').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('webhook_deliveries_webhook').on(t.tenantId, t.webhookId, t.eventSeq),
    // The minute sweep: pending deliveries whose attempt is overdue (a lost queue message).
    index('webhook_deliveries_due').on(t.status, t.nextAttemptAt),
  ],
);

/**
 * The provisioning log (README "Provisioning log"): one row per SCIM request of a tenant, written
 * after the response (waitUntil), bodies redacted and cut, pruned after REQUEST_LOG_DAYS.
 */
export const requestLog = sqliteTable(
  'request_log',
  {
    tenantId: text('tenant_id').notNull(),
    /** The entry's own key (random): a client's X-Request-Id may repeat, and never hides a request. */
    id: text('id').notNull(),
    requestId: text('request_id').notNull(),
    at: text('at').notNull(),
    tokenId: text('token_id'),
    tokenLabel: text('token_label'),
    /** Why authentication failed: missing, unknown, expired, revoked, wrong_tenant, insufficient_scope. */
    authFailure: text('auth_failure'),
    method: text('method').notNull(),
    path: text('path').notNull(),
    query: text('query'),
    status: integer('status').notNull(),
    scimType: text('scim_type'),
    durationMs: integer('duration_ms').notNull(),
    rowsRead: integer('rows_read').notNull(),
    rowsWritten: integer('rows_written').notNull(),
    resourceId: text('resource_id'),
    userAgent: text('user_agent'),
    requestBody: text('request_body'),
    responseBody: text('response_body'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('request_log_request').on(t.tenantId, t.requestId),
    index('request_log_at').on(t.tenantId, t.at),
    index('request_log_token').on(t.tenantId, t.tokenId, t.at),
    index('request_log_resource').on(t.tenantId, t.resourceId, t.at),
    index('request_log_pruning').on(t.at),
  ],
);

/**
 * A tenant's move between databases (service/move.ts), in the control database: where it is, so an
 * interrupted move can be resumed or rolled back. One row per tenant: the latest move.
 */
export const tenantMoves = sqliteTable('tenant_moves', {
  tenantId: text('tenant_id').primaryKey(),
  source: text('source').notNull(),
  target: text('target').notNull(),
  /** copying, verifying, flipping, done, failed. */
  state: text('state').notNull(),
  /** The table being copied and the key copied up to (JSON), to resume. */
  copyingTable: text('copying_table'),
  copiedUpTo: text('copied_up_to'),
  /** Per table: rows copied so far (JSON). */
  progress: text('progress').notNull(),
  /** When the rows left on the source may be deleted (after every cached route to it has expired), and whether they are. */
  cleanupAfter: text('cleanup_after'),
  cleaned: integer('cleaned').notNull().default(0),
  error: text('error'),
  started: text('started').notNull(),
  updated: text('updated').notNull(),
});
