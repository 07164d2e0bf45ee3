import { feedBoundsRead, feedPageRead } from '../store/events';
import { isConflict, type Executor } from '../store/executor';
import { DISPATCH_BATCH, hasEnabledWebhook, overdueDeliveries, tenantsBehind, WebhookStore, type DeliveryRow } from '../store/webhooks';
import { deliveryHeaders } from '../util/webhook-signature';
import { shaped } from './feed';
import { openSecret, type SecretKeyEnv } from './webhook-secrets';

// Webhook delivery (README "Webhooks"): at least once, through the WEBHOOKS queue. The change feed
// is the outbox: a dispatch reads an endpoint's events after its cursor, records a pending delivery
// for each and moves the cursor in one batch, then queues one message per delivery. A delivery
// attempt POSTs one event, signed (Standard Webhooks); a failure is queued again after a backoff.
// The minute cron finds what a lost message left behind (tenantsBehind, overdueDeliveries).

export type WebhookMessage = { kind: 'dispatch'; tenant: string } | { kind: 'deliver'; tenant: string; delivery: string };

export interface DeliveryDeps {
  exec: Executor;
  keys: SecretKeyEnv;
  send: (message: WebhookMessage, delaySeconds?: number) => Promise<void>;
  /** Seconds before the first retry (WEBHOOK_RETRY_BASE_SECONDS, default 30); doubled each time. */
  retryBaseSeconds: number;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
}

/** Retries go on for at least this long after the first attempt, then the delivery fails. */
export const RETRY_FOR_MS = 3 * 86_400_000;
/** An endpoint failing without a success for this long is disabled. */
export const DISABLE_AFTER_MS = 5 * 86_400_000;
/** The longest delay a queue message takes (Cloudflare Queues: 12 hours). */
const MAX_DELAY_SECONDS = 43_200;
export const TIMEOUT_MS = 10_000;
const EARLY_TOLERANCE_MS = 5_000;
/** How long a claimed attempt keeps others off: longer than its timeout. */
const CLAIM_MS = 60_000;

/**
 * Exponential backoff with jitter: attempt n (1 = the first retry) waits base·2^(n-1) seconds,
 * capped at 12 hours, times a random factor in [0.5, 1], so the first retry comes within `base`.
 */
export function retryDelaySeconds(attempt: number, base: number, random = Math.random): number {
  const full = Math.min(base * 2 ** Math.max(0, attempt - 1), MAX_DELAY_SECONDS);
  return Math.max(1, Math.round(full * (0.5 + random() / 2)));
}

/** Creates and queues the deliveries of every enabled endpoint of the tenant that is behind. */
export async function dispatch(deps: DeliveryDeps, tenantId: string): Promise<number> {
  const store = new WebhookStore(deps.exec, tenantId);
  const now = new Date((deps.now ?? Date.now)()).toISOString();
  let queued = 0;
  for (const webhook of (await store.list()).filter((w) => w.enabled === 1)) {
    let from = webhook.cursor;
    const types = JSON.parse(webhook.types) as string[];
    for (let round = 0; round < 20; round++) {
      const [bounds, events] = await deps.exec.read(feedBoundsRead(tenantId), feedPageRead(tenantId, from, DISPATCH_BATCH, types));
      // Matching events, or (fewer than a batch) every event up to the newest was looked at.
      const cursor = events.length === DISPATCH_BATCH ? events[events.length - 1]!.seq : bounds.newest;
      if (cursor <= from) break;
      const deliveries = events.map((e) => ({ id: `dlv_${crypto.randomUUID().replaceAll('-', '')}`, eventSeq: e.seq, eventId: e.id, status: 'pending', attempts: 0, lastStatus: null, lastError: null, lastDurationMs: null, nextAttemptAt: now, created: now, updated: now }));
      try {
        await deps.exec.batch(store.dispatchStatements(webhook.id, from, cursor, deliveries));
      } catch (error) {
        if (!isConflict(error)) throw error;
        break; // another dispatcher moved the cursor first: it sends these
      }
      for (const d of deliveries) await deps.send({ kind: 'deliver', tenant: tenantId, delivery: d.id });
      queued += deliveries.length;
      from = cursor;
      if (events.length < DISPATCH_BATCH) break;
    }
  }
  return queued;
}

/** One attempt of one delivery; a failure is queued again (or the delivery given up, the endpoint disabled). */
export async function deliver(deps: DeliveryDeps, tenantId: string, deliveryId: string): Promise<void> {
  const store = new WebhookStore(deps.exec, tenantId);
  const clock = deps.now ?? Date.now;
  const delivery = await store.delivery(deliveryId);
  if (!delivery || delivery.status !== 'pending') return;
  // A message before its time (where a queue does not honour delays) is dropped: the minute sweep
  // sends it again once the attempt is due.
  if (delivery.nextAttemptAt && Date.parse(delivery.nextAttemptAt) > clock() + EARLY_TOLERANCE_MS) return;
  const stamp = () => new Date(clock()).toISOString();
  const finish = (fields: Partial<DeliveryRow>) => store.updateDelivery(deliveryId, { ...fields, updated: stamp() });
  const webhook = await store.get(delivery.webhookId);
  if (!webhook) return finish({ status: 'failed', lastError: 'the endpoint was deleted', nextAttemptAt: null });
  if (webhook.enabled !== 1) return finish({ status: 'failed', lastError: `endpoint disabled (${webhook.disabledReason ?? 'by an operator'})`, nextAttemptAt: null });
  // One attempt at a time: a second message for this delivery finds it taken and stops.
  if (!(await store.claim(delivery, new Date(clock() + CLAIM_MS).toISOString()))) return;
  const [[event]] = await deps.exec.read(feedPageRead(tenantId, delivery.eventSeq - 1, 1, []));
  if (!event || event.seq !== delivery.eventSeq) return finish({ status: 'failed', lastError: 'the event is no longer retained', nextAttemptAt: null });

  let secrets: string[];
  try {
    secrets = [await openSecret(deps.keys, webhook.secret)];
    if (webhook.previousSecret && webhook.previousUntil && Date.parse(webhook.previousUntil) > clock()) secrets.push(await openSecret(deps.keys, webhook.previousSecret));
  } catch {
    // The key it was sealed with is gone (WEBHOOK_SECRET_KEY or ADMIN_TOKEN changed): nothing can be signed.
    const why = 'its signing secret cannot be read (WEBHOOK_SECRET_KEY or ADMIN_TOKEN changed): rotate the secret, then enable it';
    await store.update(webhook.id, { enabled: 0, disabledReason: why, lastModified: stamp() });
    return finish({ status: 'failed', lastError: why, nextAttemptAt: null });
  }
  const body = JSON.stringify(shaped(event));
  const headers = await deliveryHeaders(secrets, event.id, Math.floor(clock() / 1000), body);
  const started = clock();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await (deps.fetch ?? fetch)(webhook.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    status = res.status;
    await res.body?.cancel();
    if (status < 200 || status >= 300) error = `HTTP ${status}`;
  } catch (e) {
    error = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : `could not connect (${e instanceof Error ? e.message : 'error'})`;
  }
  const attempts = delivery.attempts + 1;
  const outcome = { attempts, lastStatus: status, lastError: error, lastDurationMs: Math.round(clock() - started) };
  if (error === null) {
    await finish({ ...outcome, status: 'succeeded', nextAttemptAt: null });
    if (webhook.failingSince) await store.update(webhook.id, { failingSince: null });
    return;
  }
  // RFC 9110 §15.5.11 410 Gone: the receiver says the endpoint is gone for good.
  if (status === 410) {
    await store.update(webhook.id, { enabled: 0, disabledReason: 'the receiver answered 410 Gone', lastModified: stamp() });
    return finish({ ...outcome, status: 'failed', nextAttemptAt: null });
  }
  const failingSince = webhook.failingSince ?? stamp();
  if (clock() - Date.parse(failingSince) >= DISABLE_AFTER_MS) {
    await store.update(webhook.id, { enabled: 0, disabledReason: 'failing for 5 days', failingSince, lastModified: stamp() });
    return finish({ ...outcome, status: 'failed', nextAttemptAt: null });
  }
  if (!webhook.failingSince) await store.update(webhook.id, { failingSince });
  if (clock() - Date.parse(delivery.created) >= RETRY_FOR_MS) return finish({ ...outcome, status: 'failed', nextAttemptAt: null });
  const delay = retryDelaySeconds(attempts, deps.retryBaseSeconds, deps.random);
  await finish({ ...outcome, status: 'pending', nextAttemptAt: new Date(clock() + delay * 1000).toISOString() });
  await deps.send({ kind: 'deliver', tenant: tenantId, delivery: deliveryId }, delay);
}

/** The minute sweep: queue a dispatch for each tenant whose endpoints are behind, and re-queue overdue deliveries. */
export async function sweep(deps: DeliveryDeps): Promise<{ dispatched: number; requeued: number }> {
  const behind = await tenantsBehind(deps.exec);
  for (const tenant of behind) await deps.send({ kind: 'dispatch', tenant });
  const dispatched = behind.length;
  // Overdue by a minute: its message was lost (a delayed one is not due before nextAttemptAt).
  const overdue = await overdueDeliveries(deps.exec, new Date((deps.now ?? Date.now)() - 60_000).toISOString(), 500);
  for (const d of overdue) await deps.send({ kind: 'deliver', tenant: d.tenant_id, delivery: d.id });
  return { dispatched, requeued: overdue.length };
}

export async function handleMessage(deps: DeliveryDeps, message: WebhookMessage): Promise<void> {
  if (message.kind === 'dispatch') await dispatch(deps, message.tenant);
  else await deliver(deps, message.tenant, message.delivery);
}

/** How long an isolate trusts what it read about a tenant having endpoints (the minute sweep covers the rest). */
const KNOWN_FOR_MS = 60_000;
const known = new Map<string, { has: boolean; until: number }>();

/**
 * Whether a write of this tenant should ask for a dispatch: only when it has an enabled endpoint,
 * read at most once a minute per isolate, so most tenants' writes cost the queue nothing. An
 * endpoint made or enabled elsewhere is picked up within the minute, and by the sweep meanwhile.
 */
export async function wantsDispatch(exec: Executor, tenantId: string, now = Date.now()): Promise<boolean> {
  const hit = known.get(tenantId);
  if (hit && now < hit.until) return hit.has;
  const has = await hasEnabledWebhook(exec, tenantId);
  if (known.size > 10_000) known.delete(known.keys().next().value!);
  known.set(tenantId, { has, until: now + KNOWN_FOR_MS });
  return has;
}

/** An endpoint was made or enabled here: this isolate asks for dispatches from now on. */
export function knowWebhooks(tenantId: string): void {
  known.set(tenantId, { has: true, until: Date.now() + KNOWN_FOR_MS });
}
