// The databases (docs/operations.md "Shards"). `DB` is the control database: tenants, their placement
// and anything global. A tenant's resources, memberships, values, declarations, events, webhooks and
// request log live on its data database: one of the `SHARD_*` D1 bindings wrangler.toml declares,
// or `DB` itself when none is declared (a fresh `npm run dev`, a small deployment).

export const CONTROL = 'DB';
const SHARD_BINDING = /^SHARD_[A-Z0-9_]+$/;

function isDatabase(value: unknown): value is D1Database {
  return typeof value === 'object' && value !== null && typeof (value as D1Database).prepare === 'function' && typeof (value as D1Database).batch === 'function';
}

/** Where new tenants may be placed: the declared SHARD_* bindings, in name order, else DB alone. */
export function placementShards(env: object): string[] {
  const declared = Object.keys(env)
    .filter((name) => SHARD_BINDING.test(name) && isDatabase((env as Record<string, unknown>)[name]))
    .sort();
  return declared.length > 0 ? declared : [CONTROL];
}

/** Every database a tenant may live on: DB (tenants placed before shards were declared stay there) and the shards. */
export function allShards(env: object): string[] {
  return [...new Set([CONTROL, ...placementShards(env)])];
}

/** The D1 database of a shard name, or undefined when no such binding exists. */
export function shardDatabase(env: object, name: string): D1Database | undefined {
  if (name !== CONTROL && !SHARD_BINDING.test(name)) return undefined;
  const value = (env as Record<string, unknown>)[name];
  return isDatabase(value) ? value : undefined;
}

/**
 * The placement rule for a tenant no operator placed: the shard holding the fewest tenants, the
 * first by name on a tie (so a new deployment fills SHARD_1, SHARD_2, … in turn).
 */
export function leastLoaded(candidates: string[], tenantsOn: Map<string, number>): string {
  let best = candidates[0]!;
  for (const name of candidates) if ((tenantsOn.get(name) ?? 0) < (tenantsOn.get(best) ?? 0)) best = name;
  return best;
}
