import { parseEventTypes } from '../scim/events';
import { badCursor, cursorExpired, invalidRequest } from './admin-error';
import { signed, verified } from './cursor';
import type { Executor } from '../store/executor';
import { feedBoundsRead, feedPageRead, type StoredEvent } from '../store/events';

// Reading the change feed (README "Change feed"): GET /admin/tenants/{t}/events with the admin
// secret, GET /events with a token holding `events:read`. One round trip a page (the page and the
// tenant's retained range in one batch); a long poll repeats it once a second until an event past
// the cursor exists.

export interface FeedQuery {
  after?: string;
  limit?: string;
  types?: string;
  wait?: string;
}

export interface FeedEvent {
  id: string;
  seq: number;
  type: string;
  resourceType: string;
  resourceId: string;
  version: string | null;
  occurredAt: string;
  actor: unknown;
  changed: string[];
  data: unknown;
  member?: unknown;
}

export interface FeedPage {
  events: FeedEvent[];
  nextCursor: string;
  hasMore: boolean;
}

export const MAX_FEED_LIMIT = 500;
export const MAX_WAIT_SECONDS = 25;
const POLL_MS = 1000;

/** A cursor: the seq of the last event seen, bound to the tenant, signed. */
async function cursorOf(secret: string, tenantId: string, seq: number): Promise<string> {
  return signed(secret, JSON.stringify({ t: tenantId, s: seq }));
}

async function seqOf(secret: string, tenantId: string, cursor: string): Promise<number> {
  const text = await verified(secret, cursor);
  const parsed = text === undefined ? undefined : (JSON.parse(text) as { t?: unknown; s?: unknown });
  if (!parsed || parsed.t !== tenantId || typeof parsed.s !== 'number' || !Number.isSafeInteger(parsed.s) || parsed.s < 0) {
    throw badCursor('The cursor is not one this server issued for this tenant.');
  }
  return parsed.s;
}

function integer(text: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw invalidRequest(`${name} must be an integer from ${min} to ${max}.`);
  return n;
}

export function shaped(e: StoredEvent): FeedEvent {
  return {
    id: e.id,
    seq: e.seq,
    type: e.type,
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    version: e.version === null ? null : `W/"${e.version}"`,
    occurredAt: e.occurredAt,
    actor: JSON.parse(e.actor),
    changed: JSON.parse(e.changed) as string[],
    data: JSON.parse(e.data),
    ...(e.member !== null ? { member: JSON.parse(e.member) } : {}),
  };
}

export interface FeedDeps {
  exec: Executor;
  tenantId: string;
  secret: () => Promise<string>;
  /** Waits `ms` (a timer; tests may pass their own). */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * One page of the tenant's feed after the cursor, in seq order. No `after`: from the oldest event
 * retained; `after=latest`: from the newest (only what comes next). A cursor older than what is
 * retained is 410 cursor_expired; one this server did not issue for this tenant, 400.
 */
export async function readFeed(deps: FeedDeps, query: FeedQuery): Promise<FeedPage> {
  const limit = integer(query.limit, 'limit', 1, MAX_FEED_LIMIT, 100);
  const waitSeconds = integer(query.wait, 'wait', 0, MAX_WAIT_SECONDS, 0);
  const types = parseEventTypes(query.types);
  if (!Array.isArray(types)) throw invalidRequest(types.error);
  const secret = await deps.secret();
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + waitSeconds * 1000;

  const start: number | 'oldest' | 'latest' = query.after === undefined || query.after === '' ? 'oldest' : query.after === 'latest' ? 'latest' : await seqOf(secret, deps.tenantId, query.after);
  let after = typeof start === 'number' ? start : undefined;
  for (;;) {
    // Without a position yet (oldest, latest), the first read is from 0 with the retained range,
    // which then fixes the position that later polls read from.
    const [bounds, rows] = await deps.exec.read(feedBoundsRead(deps.tenantId), feedPageRead(deps.tenantId, after ?? 0, start === 'latest' && after === undefined ? 0 : limit + 1, types));
    after ??= start === 'latest' ? bounds.newest : Math.max(0, bounds.oldest - 1);
    // Gap-free seqs: events after the cursor were pruned when the oldest retained is further on.
    if (bounds.oldest > after + 1) throw cursorExpired(`Events after this cursor are no longer retained (the oldest is ${bounds.oldest}); resynchronise from /Users and /Groups, then read with after=latest.`);
    const position = after;
    const page = rows.filter((e) => e.seq > position);
    const hasMore = page.length > limit;
    const events = page.slice(0, limit);
    if (events.length > 0 || now() + POLL_MS > deadline) {
      // A page that is not full looked at every event up to the newest (read in the same batch),
      // matching or not: the cursor moves there, so a filtered reader never falls behind the pruning.
      const last = hasMore ? events[events.length - 1]!.seq : Math.max(position, bounds.newest);
      return { events: events.map(shaped), nextCursor: await cursorOf(secret, deps.tenantId, last), hasMore };
    }
    after = Math.max(position, bounds.newest);
    await sleep(POLL_MS);
  }
}
