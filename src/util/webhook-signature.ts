// Standard Webhooks (https://www.standardwebhooks.com/): the signature of one delivery. Pure WebCrypto.

const encoder = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** A new signing secret: `whsec_` and the base64 of 24 random bytes (the key the spec signs with). */
export function newWebhookSecret(): string {
  return `whsec_${base64(crypto.getRandomValues(new Uint8Array(24)))}`;
}

/**
 * `v1,<base64 HMAC-SHA256>` over `<id>.<timestamp>.<body>`, keyed by the base64-decoded secret
 * after its `whsec_` prefix (the spec's "signed content" and "v1" scheme).
 */
export async function signDelivery(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const raw = Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${id}.${timestamp}.${body}`)));
  return `v1,${base64(mac)}`;
}

/** The `webhook-*` headers of a delivery; during a rotation's grace both secrets sign (space-separated, as the spec allows). */
export async function deliveryHeaders(secrets: string[], id: string, timestamp: number, body: string): Promise<Record<string, string>> {
  const signatures = await Promise.all(secrets.map((s) => signDelivery(s, id, timestamp, body)));
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}
