import type { AuthFailure, TokenRecord } from './auth/tokens';
import type { QueryMeter } from './store/meter';
import type { RateLimitBinding } from './http/rate-limit';
import type { SchemaRegistry } from './scim/schema/registry';
import type { WebhookMessage } from './service/delivery';
import type { LogEntry } from './service/request-log';
import type { AdminContext } from './service/admin';

/** Worker bindings and vars (wrangler.toml, .dev.vars). */
export interface Bindings {
  DB: D1Database;
  TOKENS: KVNamespace;
  ADMIN_TOKEN?: string;
  /** Optional HMAC secret for paging cursors; otherwise one is generated and kept in KV. */
  CURSOR_SECRET?: string;
  DEFAULT_PAGE_SIZE?: string;
  MAX_PAGE_SIZE?: string;
  MAX_PAYLOAD_BYTES?: string;
  MAX_BULK_OPERATIONS?: string;
  RATE_LIMIT_PER_MINUTE?: string;
  /** `false` turns the change feed off (no events appended); default on. */
  EVENTS_ENABLED?: string;
  /** Days the change feed keeps events (default 30). */
  EVENT_RETENTION_DAYS?: string;
  /** Static assets (wrangler.toml [assets]): the API reference at /docs/, served before the Worker. */
  ASSETS?: Fetcher;
  /** The provisioning log's queue (wrangler.toml [[queues]]): entries batched into D1. */
  REQUEST_LOG?: Queue<LogEntry>;
  /** The webhook delivery queue (wrangler.toml [[queues]]); without it no webhook is delivered. */
  WEBHOOKS?: Queue<WebhookMessage>;
  /** `true`: webhook URLs may be http(s)://localhost or 127.0.0.1 (local development; .dev.vars). */
  ALLOW_LOOPBACK_WEBHOOKS?: string;
  /** Seconds before a failed delivery's first retry (default 30), doubled each retry. */
  WEBHOOK_RETRY_BASE_SECONDS?: string;
  /** Days the provisioning log keeps requests (default 14). */
  REQUEST_LOG_DAYS?: string;
  /** `false`: the provisioning log keeps metadata only, no bodies. */
  REQUEST_LOG_BODIES?: string;
  /** Key material for encrypting webhook secrets at rest (else derived from ADMIN_TOKEN). */
  WEBHOOK_SECRET_KEY?: string;
  /** Optional Workers rate-limiting binding (docs/operations.md). */
  RATE_LIMITER?: RateLimitBinding;
}

/** Per-request values set by middleware (typed `c.var`). */
export interface Variables {
  requestId: string;
  /** Why authentication failed, for the provisioning log (set just before the 401 or 403). */
  authFailure?: AuthFailure;
  meter: QueryMeter;
  token: TokenRecord;
  /** Absolute SCIM base URL at the host that was called, e.g. https://x.example/scim/v2. */
  baseUrl: string;
  /** The tenant's schemas and resource types for this request (service/registry.ts). */
  registry: SchemaRegistry;
  /** The declarations version `registry` was compiled at; every write batch checks it is still current. */
  declarationsVersion: number;
  /** The admin API's context, built once per request (http/composition-root.ts adminContextOf). */
  adminContext?: Promise<AdminContext>;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
