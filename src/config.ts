import type { Bindings } from './env';

export interface Limits {
  defaultPageSize: number;
  maxPageSize: number;
  maxPayloadBytes: number;
  maxBulkOperations: number;
}

/**
 * The most bytes one stored resource row may take: D1 caps a row (and any one string) at 2,000,000
 * bytes; the rest is headroom for the row's own columns and SQLite's record header.
 */
export const MAX_STORED_BYTES = 1_900_000;
/**
 * A resource is stored about three times over in the worst case (`data`, its `folded` twin, and a
 * key column such as userName), so no body above a third of MAX_STORED_BYTES is advertised or taken.
 */
export const MAX_STORABLE_PAYLOAD_BYTES = Math.floor(MAX_STORED_BYTES / 3);

function positive(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** EVENTS_ENABLED=false turns the change feed off (writes append no events); on by default. */
export function eventsEnabled(env: Bindings): boolean {
  return env.EVENTS_ENABLED?.trim().toLowerCase() !== 'false';
}

/** REQUEST_LOG_DAYS (default 14): how long the provisioning log keeps requests. */
export function requestLogDays(env: Bindings): number {
  return positive(env.REQUEST_LOG_DAYS, 14);
}

/** EVENT_RETENTION_DAYS (default 30): how long the change feed keeps events. */
export function eventRetentionDays(env: Bindings): number {
  return positive(env.EVENT_RETENTION_DAYS, 30);
}

/** Limits advertised in ServiceProviderConfig and enforced: one source for both. */
export function limits(env: Bindings): Limits {
  const maxPageSize = positive(env.MAX_PAGE_SIZE, 1000);
  return {
    defaultPageSize: Math.min(positive(env.DEFAULT_PAGE_SIZE, 100), maxPageSize),
    maxPageSize,
    // Advertised as bulk.maxPayloadSize: never more than a resource of that size can be stored.
    maxPayloadBytes: Math.min(positive(env.MAX_PAYLOAD_BYTES, 524_288), MAX_STORABLE_PAYLOAD_BYTES),
    // A Worker invocation may run 1,000 D1 queries (Workers Paid); a bulk operation takes 2 to 5.
    maxBulkOperations: positive(env.MAX_BULK_OPERATIONS, 150),
  };
}
