// The project's `wrangler dev` (dev-server.mjs), once it answers.
import { inject } from 'vitest';

/** Its URL and admin token, after waiting (up to two minutes, for a loaded machine) for /healthz. */
export async function devServer() {
  const url = inject('devUrl');
  // Readiness is polled: wrangler dev prints no machine-readable "ready".
  for (let i = 0; i < 800; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, adminToken: inject('adminToken') };
    } catch {}
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error('wrangler dev did not start');
}
