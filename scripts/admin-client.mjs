// Client for the admin API (README "Admin API"). Used by `npm run token` and `npm run dev`.
import { readFileSync } from 'node:fs';

export class AdminError extends Error {
  /** `status` and `data` (the parsed answer) are set when the admin API answered, not when it was unreachable. */
  constructor(message, { status, data } = {}) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

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
      // `pointer`: where in the body the server found the fault (schema declarations).
      const at = typeof result.data?.pointer === 'string' ? ` (at ${result.data.pointer})` : '';
      throw new AdminError(`Admin API answered ${result.status}: ${result.data?.message ?? result.data?.detail ?? JSON.stringify(result.data)}${at}`, result);
    }
    return result.data;
  }
  const tenantPath = (tenant) => `/tenants/${encodeURIComponent(tenant)}`;
  const dryRunQuery = (options) => (options?.dryRun ? '?dryRun=true' : '');
  return {
    request,
    /** Creates the tenant; an existing tenant is fine (idempotent for `npm run dev`). */
    async ensureTenant(id, name = id, shard = undefined) {
      return expect(await request('POST', '/tenants', { id, name, ...(shard ? { shard } : {}) }), 201, 409);
    },
    async shards() {
      return expect(await request('GET', '/shards'), 200);
    },
    /** One step of a move (README "Shards"): 202 while it has more to do, 200 once done or failed. */
    async moveTenant(tenant, body) {
      return expect(await request('POST', `${tenantPath(tenant)}/move`, body), 200, 202);
    },
    async exportTenant(tenant) {
      const res = await fetch(`${root}/admin${tenantPath(tenant)}/export`, { headers: { Authorization: `Bearer ${adminToken}` } });
      if (res.status !== 200) throw new AdminError(`Admin API answered ${res.status}: ${await res.text()}`, { status: res.status });
      return res.text();
    },
    async importTenant(tenant, body) {
      let res;
      try {
        res = await fetch(`${root}/admin${tenantPath(tenant)}/import`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/x-ndjson' }, body });
      } catch (e) {
        throw new AdminError(`Cannot reach ${root}: ${e.cause?.code ?? e.message}.`);
      }
      const data = await res.json().catch(() => ({}));
      return expect({ status: res.status, data }, 200);
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
    /** PUT of an RFC 7643 §7 Schema (`id` is its URN). `created` is true on 201, false on 200 (replaced, or a dry run's report). */
    async putSchema(tenant, schema, { dryRun = false } = {}) {
      const result = await request('PUT', `${tenantPath(tenant)}/schemas/${encodeURIComponent(schema.id)}${dryRunQuery({ dryRun })}`, schema);
      expect(result, 201, 200);
      return { created: result.status === 201, schema: result.data };
    },
    /** One schema by URN; undefined on 404 (not declared, or no such tenant: check the tenant first). */
    async getSchema(tenant, urn) {
      const result = await request('GET', `${tenantPath(tenant)}/schemas/${encodeURIComponent(urn)}`);
      return result.status === 404 ? undefined : expect(result, 200);
    },
    async getSchemas(tenant) {
      return expect(await request('GET', `${tenantPath(tenant)}/schemas`), 200);
    },
    async deleteSchema(tenant, urn) {
      return expect(await request('DELETE', `${tenantPath(tenant)}/schemas/${encodeURIComponent(urn)}`), 204, 200);
    },
    /** PUT of an RFC 7643 §6 ResourceType, by `name`; also for the built-in User and Group (to attach extensions). */
    async putResourceType(tenant, resourceType, { dryRun = false } = {}) {
      const result = await request('PUT', `${tenantPath(tenant)}/resource-types/${encodeURIComponent(resourceType.name)}${dryRunQuery({ dryRun })}`, resourceType);
      expect(result, 201, 200);
      return { created: result.status === 201, resourceType: result.data };
    },
    /** One resource type by name; undefined on 404 (none of that name, or no such tenant). */
    async getResourceType(tenant, name) {
      const result = await request('GET', `${tenantPath(tenant)}/resource-types/${encodeURIComponent(name)}`);
      return result.status === 404 ? undefined : expect(result, 200);
    },
    async getResourceTypes(tenant) {
      return expect(await request('GET', `${tenantPath(tenant)}/resource-types`), 200);
    },
    async deleteResourceType(tenant, name) {
      return expect(await request('DELETE', `${tenantPath(tenant)}/resource-types/${encodeURIComponent(name)}`), 204, 200);
    },
    /** A page of the tenant's change feed (README "Change feed"). */
    async events(tenant, { after, types, wait, limit } = {}) {
      const query = new URLSearchParams({ ...(after ? { after } : {}), ...(types ? { types } : {}), ...(wait ? { wait: String(wait) } : {}), ...(limit ? { limit: String(limit) } : {}) });
      return expect(await request('GET', `${tenantPath(tenant)}/events?${query}`), 200);
    },
    async addWebhook(tenant, body) {
      return expect(await request('POST', `${tenantPath(tenant)}/webhooks`, body), 201);
    },
    async listWebhooks(tenant) {
      return expect(await request('GET', `${tenantPath(tenant)}/webhooks`), 200);
    },
    async removeWebhook(tenant, id) {
      return expect(await request('DELETE', `${tenantPath(tenant)}/webhooks/${encodeURIComponent(id)}`), 204);
    },
  };
}
