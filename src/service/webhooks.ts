import { parseEventTypes } from '../scim/events';
import { WebhookStore, type DeliveryRow, type WebhookRow } from '../store/webhooks';
import { newWebhookSecret } from '../util/webhook-signature';
import { adminNotFound, invalidRequest } from './admin-error';
import type { AdminContext } from './admin';
import { feedBoundsRead } from '../store/events';
import { knowWebhooks } from './delivery';
import { sealSecret } from './webhook-secrets';

// The admin API's webhook endpoints (README "Webhooks"): create, list, change, delete, rotate the
// secret, and the delivery log. Deliveries themselves are service/delivery.ts.

export interface WebhookView {
  id: string;
  url: string;
  types: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  created: string;
  lastModified: string;
  /** During a rotation's grace, when the previous secret stops signing. */
  previousSecretValidUntil?: string;
}

const view = (w: WebhookRow, now = Date.now()): WebhookView => ({
  id: w.id,
  url: w.url,
  types: JSON.parse(w.types) as string[],
  description: w.description,
  enabled: w.enabled === 1,
  disabledReason: w.disabledReason,
  failingSince: w.failingSince,
  created: w.created,
  lastModified: w.lastModified,
  ...(w.previousUntil && Date.parse(w.previousUntil) > now ? { previousSecretValidUntil: w.previousUntil } : {}),
});

const LOOPBACK = new Set(['localhost', '[::1]']);

/** 127/8 is loopback; other private, link-local, shared or unspecified IPv4 literals are never a receiver. */
function ipv4Kind(host: string): 'loopback' | 'private' | 'public' | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (a === 127) return 'loopback';
  if (a === 0 || a === 10 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224) return 'private';
  return 'public';
}

/** Only https, except loopback URLs when ALLOW_LOOPBACK_WEBHOOKS is set (local development). */
export function checkWebhookUrl(text: unknown, allowLoopback: boolean): string {
  if (typeof text !== 'string' || text.length > 2000) throw invalidRequest('url must be a string of at most 2,000 characters.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidRequest(`'${text}' is not a URL.`);
  }
  const v4 = ipv4Kind(url.hostname);
  // An IPv6 literal other than ::1 (mapped IPv4, unique-local, link-local) is refused outright.
  if (v4 === 'private' || (url.hostname.startsWith('[') && url.hostname !== '[::1]')) throw invalidRequest('The url must not name a private, link-local or reserved address.');
  const loopback = LOOPBACK.has(url.hostname) || url.hostname.endsWith('.localhost') || v4 === 'loopback';
  if (loopback && !allowLoopback) throw invalidRequest('Loopback URLs are refused unless ALLOW_LOOPBACK_WEBHOOKS is set.');
  if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:')) throw invalidRequest('The url must be https:// (http:// only to loopback with ALLOW_LOOPBACK_WEBHOOKS).');
  if (url.username || url.password) throw invalidRequest('The url must not carry credentials.');
  return url.toString();
}

function typesOf(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((t) => typeof t !== 'string')) throw invalidRequest('types must be an array of event types such as "user.*".');
  const parsed = parseEventTypes((value as string[]).join(','));
  if (!Array.isArray(parsed)) throw invalidRequest(parsed.error);
  return parsed;
}

function descriptionOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > 500) throw invalidRequest('description must be a string of at most 500 characters.');
  return value;
}

const storeOf = (ctx: AdminContext, tenantId: string) => new WebhookStore(ctx.exec, tenantId);

async function existing(ctx: AdminContext, tenantId: string, id: string): Promise<WebhookRow> {
  const found = await storeOf(ctx, tenantId).get(id);
  if (!found) throw adminNotFound(`Webhook '${id}' not found.`);
  return found;
}

/** A new endpoint; its secret is in this answer only. Events from now on are delivered to it. */
export async function createWebhook(ctx: AdminContext, tenantId: string, body: Record<string, unknown>): Promise<WebhookView & { secret: string }> {
  const url = checkWebhookUrl(body.url, ctx.webhooks.allowLoopback);
  const types = typesOf(body.types);
  const description = descriptionOf(body.description);
  const secret = newWebhookSecret();
  const now = new Date().toISOString();
  // It starts at the feed's end: what happened before it existed is read from the feed, not pushed.
  const [bounds] = await ctx.exec.read(feedBoundsRead(tenantId));
  const row = {
    id: `wh_${crypto.randomUUID().replaceAll('-', '')}`,
    url,
    types: JSON.stringify(types),
    description,
    enabled: 1,
    disabledReason: null,
    secret: await sealSecret(ctx.webhooks.keys, secret),
    previousSecret: null,
    previousUntil: null,
    cursor: bounds.newest,
    failingSince: null,
    created: now,
    lastModified: now,
  };
  await storeOf(ctx, tenantId).insert(row);
  knowWebhooks(tenantId);
  return { ...view({ ...row, tenantId }), secret };
}

export async function listWebhooks(ctx: AdminContext, tenantId: string): Promise<WebhookView[]> {
  return (await storeOf(ctx, tenantId).list()).map((w) => view(w));
}

export async function getWebhook(ctx: AdminContext, tenantId: string, id: string): Promise<WebhookView> {
  return view(await existing(ctx, tenantId, id));
}

/** Changes url, types, description or enabled; enabling again clears why it was disabled. */
export async function updateWebhook(ctx: AdminContext, tenantId: string, id: string, body: Record<string, unknown>): Promise<WebhookView> {
  await existing(ctx, tenantId, id);
  const fields: Partial<WebhookRow> = { lastModified: new Date().toISOString() };
  if (body.url !== undefined) fields.url = checkWebhookUrl(body.url, ctx.webhooks.allowLoopback);
  if (body.types !== undefined) fields.types = JSON.stringify(typesOf(body.types));
  if (body.description !== undefined) fields.description = descriptionOf(body.description);
  if (body.enabled !== undefined) {
    if (typeof body.enabled !== 'boolean') throw invalidRequest('enabled must be true or false.');
    fields.enabled = body.enabled ? 1 : 0;
    fields.disabledReason = body.enabled ? null : 'disabled by an operator';
    if (body.enabled) fields.failingSince = null;
  }
  const unknown = Object.keys(body).filter((k) => !['url', 'types', 'description', 'enabled'].includes(k));
  if (unknown.length > 0) throw invalidRequest(`Unknown field(s): ${unknown.join(', ')}.`);
  await storeOf(ctx, tenantId).update(id, fields);
  if (fields.enabled === 1) knowWebhooks(tenantId);
  return getWebhook(ctx, tenantId, id);
}

export async function deleteWebhook(ctx: AdminContext, tenantId: string, id: string): Promise<void> {
  if (!(await storeOf(ctx, tenantId).delete(id))) throw adminNotFound(`Webhook '${id}' not found.`);
}

/** A new secret, shown once; the previous one keeps signing (beside it) for `graceSeconds`. */
export async function rotateWebhookSecret(ctx: AdminContext, tenantId: string, id: string, graceSeconds: number): Promise<{ id: string; secret: string; previousSecretValidUntil: string | null }> {
  const current = await existing(ctx, tenantId, id);
  const secret = newWebhookSecret();
  const until = graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000).toISOString() : null;
  await storeOf(ctx, tenantId).update(id, {
    secret: await sealSecret(ctx.webhooks.keys, secret),
    previousSecret: until ? current.secret : null,
    previousUntil: until,
    lastModified: new Date().toISOString(),
  });
  return { id, secret, previousSecretValidUntil: until };
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventSeq: number;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  durationMs: number | null;
  nextRetry: string | null;
  created: string;
  updated: string;
}

const deliveryView = (d: DeliveryRow): DeliveryView => ({
  id: d.id,
  eventId: d.eventId,
  eventSeq: d.eventSeq,
  status: d.status,
  attempts: d.attempts,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  durationMs: d.lastDurationMs,
  nextRetry: d.status === 'pending' ? d.nextAttemptAt : null,
  created: d.created,
  updated: d.updated,
});

/** The endpoint's latest deliveries, newest event first. */
export async function deliveriesOf(ctx: AdminContext, tenantId: string, id: string): Promise<DeliveryView[]> {
  await existing(ctx, tenantId, id);
  const [rows] = await ctx.exec.read(storeOf(ctx, tenantId).deliveriesRead(id, 100));
  return rows.map(deliveryView);
}

/** Attempts a delivery again now, whatever its state (a succeeded one is sent once more). */
export async function retryDelivery(ctx: AdminContext, tenantId: string, webhookId: string, deliveryId: string): Promise<DeliveryView> {
  await existing(ctx, tenantId, webhookId);
  const store = storeOf(ctx, tenantId);
  const found = await store.delivery(deliveryId);
  if (!found || found.webhookId !== webhookId) throw adminNotFound(`Delivery '${deliveryId}' not found.`);
  const now = new Date().toISOString();
  await store.updateDelivery(deliveryId, { status: 'pending', nextAttemptAt: now, updated: now });
  await ctx.webhooks.enqueue({ kind: 'deliver', tenant: tenantId, delivery: deliveryId });
  return deliveryView({ ...found, status: 'pending', nextAttemptAt: now, updated: now });
}

