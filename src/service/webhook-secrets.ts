import { base64url, fromBase64url, sha256Hex } from '../util/encoding';

// Webhook signing secrets are stored encrypted: a signature needs the secret itself, so it cannot
// be hashed like a token. AES-GCM under a key derived from WEBHOOK_SECRET_KEY, else from
// ADMIN_TOKEN (rotating that makes stored secrets unreadable: rotate each endpoint's secret after).

export interface SecretKeyEnv {
  WEBHOOK_SECRET_KEY?: string;
  ADMIN_TOKEN?: string;
}

async function keyOf(env: SecretKeyEnv): Promise<CryptoKey> {
  const material = env.WEBHOOK_SECRET_KEY ?? env.ADMIN_TOKEN;
  if (!material) throw new Error('WEBHOOK_SECRET_KEY or ADMIN_TOKEN must be set to store webhook secrets.');
  const digest = await sha256Hex(`scim-webhook-secrets:${material}`);
  const raw = Uint8Array.from(digest.match(/../g)!.map((h) => parseInt(h, 16)));
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

export async function sealSecret(env: SecretKeyEnv, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await keyOf(env), new TextEncoder().encode(secret)));
  return `${base64url(iv)}.${base64url(sealed)}`;
}

export async function openSecret(env: SecretKeyEnv, stored: string): Promise<string> {
  const [iv, sealed] = stored.split('.');
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64url(iv!) }, await keyOf(env), fromBase64url(sealed!));
  return new TextDecoder().decode(plain);
}
