// KV is eventually consistent: a deleted key can still be read from another location's cache for
// up to about 60 s (docs/tokens.md). In the location that handled the revocation it must stop at
// once, so revocation also leaves a marker in this location's Cache API and this isolate's memory.

const REVOKED_TTL_SECONDS = 120;
const revokedHere = new Set<string>();

function markerUrl(hash: string): string {
  return `https://revoked.scim.internal/${hash}`;
}

export async function markRevoked(hash: string): Promise<void> {
  revokedHere.add(hash);
  await caches.default.put(
    markerUrl(hash),
    new Response('revoked', { headers: { 'Cache-Control': `max-age=${REVOKED_TTL_SECONDS}` } }),
  );
}

export async function isRevokedHere(hash: string): Promise<boolean> {
  if (revokedHere.has(hash)) return true;
  return (await caches.default.match(markerUrl(hash))) !== undefined;
}
