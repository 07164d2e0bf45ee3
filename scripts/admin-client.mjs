// Client for the admin API (README "Admin API"). Used by `npm run token` and `npm run dev`.
import { readFileSync } from 'node:fs';

export class AdminError extends Error {}

/** ADMIN_TOKEN from the environment, else from .dev.vars (local development). */
export function adminTokenFromEnv(cwd = process.cwd()) {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  try {
    const vars = readFileSync(`${cwd}/.dev.vars`, 'utf8');
    return vars.match(/^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?\s*$/m)?.[1];
  } catch {
    return undefined;
  }
}

export function adminClient(baseUrl, adminToken) {
  if (!adminToken) throw new AdminError('No admin token: pass --admin-token, set ADMIN_TOKEN, or create .dev.vars.');
  const root = baseUrl.replace(/\/+$/, '');
  async function request(method, path, body) {
    let res;
    try {
      res = await fetch(`${root}/admin${path}`, {
        method,
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      throw new AdminError(`Cannot reach ${root}: ${e.cause?.code ?? e.cause?.message ?? e.message}. Is the worker running?`);
    }
    const text = await res.text();
    let data;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = { message: text };
    }
    return { status: res.status, data };
  }
  function expect(result, ...ok) {
    if (!ok.includes(result.status)) {
      throw new AdminError(`Admin API answered ${result.status}: ${result.data?.message ?? result.data?.detail ?? JSON.stringify(result.data)}`);
    }
    return result.data;
  }
  return {
    request,
    /** Creates the tenant; an existing tenant is fine (idempotent for `npm run dev`). */
    async ensureTenant(id, name = id) {
      return expect(await request('POST', '/tenants', { id, name }), 201, 409);
    },
    async createToken(tenant, options) {
      return expect(await request('POST', `/tenants/${encodeURIComponent(tenant)}/tokens`, options), 201);
    },
    async listTokens(tenant) {
      return expect(await request('GET', `/tenants/${encodeURIComponent(tenant)}/tokens`), 200);
    },
    async rotateToken(tenant, id, graceSeconds) {
      return expect(await request('POST', `/tenants/${encodeURIComponent(tenant)}/tokens/${encodeURIComponent(id)}/rotate`, { graceSeconds }), 201, 200);
    },
    async revokeToken(tenant, id) {
      return expect(await request('DELETE', `/tenants/${encodeURIComponent(tenant)}/tokens/${encodeURIComponent(id)}`), 204, 200);
    },
  };
}
