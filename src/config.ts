import type { Bindings } from './env';

export interface Limits {
  defaultPageSize: number;
  maxPageSize: number;
  maxPayloadBytes: number;
  maxBulkOperations: number;
}

function positive(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Limits advertised in ServiceProviderConfig and enforced: one source for both. */
export function limits(env: Bindings): Limits {
  const maxPageSize = positive(env.MAX_PAGE_SIZE, 1000);
  return {
    defaultPageSize: Math.min(positive(env.DEFAULT_PAGE_SIZE, 100), maxPageSize),
    maxPageSize,
    maxPayloadBytes: positive(env.MAX_PAYLOAD_BYTES, 1_048_576),
    // A Worker invocation may run 1,000 D1 queries (Workers Paid); a bulk operation takes 2 to 5.
    maxBulkOperations: positive(env.MAX_BULK_OPERATIONS, 150),
  };
}
