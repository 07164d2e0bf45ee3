import { resourceTypeResource, schemaResource } from '../scim/discovery';
import { BUILT_IN_SCHEMAS, builtInType, registryWith } from '../scim/schema/builtins';
import { breakingChanges } from '../scim/schema/compatibility';
import { DeclarationError, readResourceTypeDeclaration, readSchemaDeclaration } from '../scim/schema/declaration';
import type { SchemaRegistry } from '../scim/schema/registry';
import type { ResourceTypeDef, SchemaDef } from '../scim/schema/types';
import { DeclarationStore, type DeclarationKind, type Stored, type TenantDeclarations } from '../store/declarations';
import { isConflict, type Executor, type Query } from '../store/executor';
import { isUniqueViolation } from '../store/resources';
import { ImpactStore } from '../store/impact';
import { adminConflict, adminNotFound, invalidSchema } from './admin-error';
import { conflict, newReferences, refuseBroken, schemaConflicts, typeConflicts, uniqueChanges } from './declaration-impact';
import { publishVersion } from './registry';

// The admin API's declarations (README "Tenant schemas and resource types"): validated
// (schema/declaration.ts), checked against stored resources (a change they would violate is a 409
// naming how many break), applied in one batch with the tenant's version, and published at once
// here and within the KV bound everywhere (service/registry.ts).

export interface DeclarationContext {
  exec: Executor;
  kv: KVNamespace;
  tenantId: string;
  /** The tenant's SCIM base URL, for the echoed declarations' locations. */
  scimBase: string;
  /** Runs work after the response (the KV write of the new version: KV allows one write a second per key). */
  defer: (work: Promise<unknown>) => void;
}

export interface PutResult {
  status: 200 | 201;
  body: Record<string, unknown>;
}

const BUILT_IN_URNS = new Set(BUILT_IN_SCHEMAS.map((s) => s.id.toLowerCase()));

function invalid(error: unknown): never {
  if (error instanceof DeclarationError) throw invalidSchema(error.message, error.pointer);
  throw error;
}

function meta(stored: Stored<unknown>, resourceType: string, location: string) {
  return { resourceType, created: stored.created, lastModified: stored.lastModified, version: `W/"${stored.version}"`, location };
}

function schemaView(ctx: DeclarationContext, stored: Stored<SchemaDef>) {
  const body = schemaResource(stored.body, ctx.scimBase);
  return { ...body, meta: meta(stored, 'Schema', body.meta.location) };
}

function typeView(ctx: DeclarationContext, registry: SchemaRegistry, stored: Stored<ResourceTypeDef>) {
  const rt = registry.resourceType(stored.body.name);
  const body = rt ? resourceTypeResource(rt, ctx.scimBase) : { ...stored.body, meta: { location: '' } };
  return { ...body, meta: meta(stored, 'ResourceType', body.meta.location) };
}

function lookup<T extends { id?: string; name?: string }>(list: Stored<T>[], key: string): Stored<T> | undefined {
  return list.find((d) => (d.body.id ?? d.body.name ?? '').toLowerCase() === key.toLowerCase());
}

async function load(ctx: DeclarationContext): Promise<{ current: TenantDeclarations; registry: SchemaRegistry }> {
  const current = await new DeclarationStore(ctx.exec, ctx.tenantId).load();
  return { current, registry: registryWith(bodies(current)) };
}

function bodies(d: TenantDeclarations) {
  return { schemas: d.schemas.map((s) => s.body), resourceTypes: d.resourceTypes.map((r) => r.body) };
}

export async function listSchemas(ctx: DeclarationContext) {
  const { current } = await load(ctx);
  return { schemas: current.schemas.map((s) => schemaView(ctx, s)) };
}

export async function getSchema(ctx: DeclarationContext, urn: string) {
  const { current } = await load(ctx);
  const found = lookup(current.schemas, urn);
  if (!found) throw adminNotFound(`Schema '${urn}' is not declared for tenant '${ctx.tenantId}'.`);
  return schemaView(ctx, found);
}

export async function listResourceTypes(ctx: DeclarationContext) {
  const { current, registry } = await load(ctx);
  return { resourceTypes: current.resourceTypes.map((r) => typeView(ctx, registry, r)) };
}

export async function getResourceType(ctx: DeclarationContext, name: string) {
  const { current, registry } = await load(ctx);
  const found = lookup(current.resourceTypes, name);
  if (!found) throw adminNotFound(`Resource type '${name}' is not declared for tenant '${ctx.tenantId}'.`);
  return typeView(ctx, registry, found);
}

/** PUT /admin/tenants/{t}/schemas/{urn}: an RFC 7643 §7 Schema. */
export async function putSchema(ctx: DeclarationContext, urn: string, body: unknown, dryRun: boolean): Promise<PutResult> {
  const { current, registry } = await load(ctx);
  if (BUILT_IN_URNS.has(urn.toLowerCase())) throw invalidSchema(`'${urn}' is a built-in schema and cannot be replaced.`, '/id');
  let schema: SchemaDef;
  try {
    schema = readSchemaDeclaration(body, urn, { resourceTypes: registry.resourceTypes.map((rt) => rt.name) });
  } catch (error) {
    invalid(error);
  }
  const before = lookup(current.schemas, urn);
  // Stored documents and keys use the URN as spelled: a change of case alone would orphan them.
  if (before && before.body.id !== schema.id) throw invalidSchema(`The schema is declared as '${before.body.id}'; its spelling cannot change.`, '/id');
  const next = bodies(current);
  next.schemas = [...next.schemas.filter((s) => s.id.toLowerCase() !== urn.toLowerCase()), schema];
  const changes = before ? breakingChanges(before.body, schema) : [];
  const impact = new ImpactStore(ctx.exec, ctx.tenantId);
  const nextRegistry = registryWith(next);
  await refuseBroken([...(await schemaConflicts(impact, registry, schema.id, changes)), ...(await newReferences(impact, registry, nextRegistry))]);
  const unique = await uniqueChanges(impact, registry, nextRegistry);
  return apply(ctx, 'schema', schema.id, schema, before, current.version, dryRun, unique, (stored) => schemaView(ctx, stored as Stored<SchemaDef>));
}

/** PUT /admin/tenants/{t}/resource-types/{name}: an RFC 7643 §6 ResourceType (User and Group: extensions only). */
export async function putResourceType(ctx: DeclarationContext, name: string, body: unknown, dryRun: boolean): Promise<PutResult> {
  const { current, registry } = await load(ctx);
  const base = builtInType(name);
  const before = lookup(current.resourceTypes, name);
  let declared: ResourceTypeDef;
  try {
    declared = readResourceTypeDeclaration(body, name, {
      // A declared type's schemas are the tenant's own (built-in ones carry hand-declared storage
      // that a declared type would not get); a built-in type keeps its own built-in extensions.
      schemas: [...current.schemas.map((s) => s.body.id), ...(base ? [base.schema, ...base.schemaExtensions.map((e) => e.schema)] : [])],
      otherTypes: registry.resourceTypes.filter((rt) => rt.name.toLowerCase() !== name.toLowerCase()).map((rt) => ({ name: rt.name, endpoint: rt.endpoint })),
      builtIn: base ? { schema: base.schema, endpoint: base.endpoint } : undefined,
    });
  } catch (error) {
    invalid(error);
  }
  // Stored rows carry the type's name as spelled: a change of case alone would orphan them.
  if (before && before.body.name !== declared.name) throw invalidSchema(`The resource type is declared as '${before.body.name}'; its spelling cannot change.`, '/name');
  const next = bodies(current);
  next.resourceTypes = [...next.resourceTypes.filter((r) => r.name.toLowerCase() !== name.toLowerCase()), declared];
  const nextRegistry = registryWith(next);
  const impact = new ImpactStore(ctx.exec, ctx.tenantId);
  const old = registry.resourceType(name);
  if (old) await refuseBroken([...(await typeConflicts(impact, old, nextRegistry.resourceType(name)!)), ...(await newReferences(impact, registry, nextRegistry))]);
  const unique = await uniqueChanges(impact, registry, nextRegistry);
  return apply(ctx, 'resourceType', declared.name, declared, before, current.version, dryRun, unique, (stored) => typeView(ctx, nextRegistry, stored as Stored<ResourceTypeDef>));
}

export async function deleteSchema(ctx: DeclarationContext, urn: string): Promise<void> {
  const { current, registry } = await load(ctx);
  const found = lookup(current.schemas, urn);
  if (!found) throw adminNotFound(`Schema '${urn}' is not declared for tenant '${ctx.tenantId}'.`);
  const users = registry.resourceTypes.filter((rt) => [rt.core, ...rt.extensions].some((s) => s.id === found.body.id)).map((rt) => rt.name);
  if (users.length > 0) throw adminConflict(`Schema '${found.body.id}' is used by resource type ${users.join(', ')}; change or delete those first.`);
  await commit(ctx, new DeclarationStore(ctx.exec, ctx.tenantId).deleteStatements('schema', found.body.id, current.version));
}

export async function deleteResourceType(ctx: DeclarationContext, name: string): Promise<void> {
  const { current, registry } = await load(ctx);
  const found = lookup(current.resourceTypes, name);
  if (!found) throw adminNotFound(`Resource type '${name}' is not declared for tenant '${ctx.tenantId}'.`);
  const impact = new ImpactStore(ctx.exec, ctx.tenantId);
  const rt = registry.resourceType(name)!;
  const base = builtInType(name);
  if (base) {
    // Removing the layer detaches the tenant's extensions from the built-in type.
    const next = registryWith({ ...bodies(current), resourceTypes: bodies(current).resourceTypes.filter((r) => r !== found.body) });
    await refuseBroken(await typeConflicts(impact, rt, next.resourceType(name)!));
  } else {
    const stored = await impact.all(rt.name);
    if (stored.count > 0) throw conflict(`${stored.count} ${rt.name} resources exist; delete them before the resource type.`, stored, []);
    const referrers = registry.resourceTypes.filter((other) => other.storage.references.some((r) => r.types.includes(rt.name))).map((other) => other.name);
    if (referrers.length > 0) throw adminConflict(`Resource type ${referrers.join(', ')} refers to ${rt.name}; change those declarations first.`);
  }
  await commit(ctx, new DeclarationStore(ctx.exec, ctx.tenantId).deleteStatements('resourceType', found.body.name, current.version));
}

/**
 * Stores one declaration (or, with dryRun, only answers what it would be). The echo is built from
 * what was written: the compare-and-swap on the tenant's version means no other change came between
 * the check and the commit, so the declaration's version is the old one plus one (no re-read).
 */
async function apply<T>(
  ctx: DeclarationContext,
  kind: DeclarationKind,
  key: string,
  body: T,
  before: Stored<T> | undefined,
  expected: number,
  dryRun: boolean,
  extra: Query[],
  view: (stored: Stored<unknown>) => Record<string, unknown>,
): Promise<PutResult> {
  const now = new Date().toISOString();
  const stored: Stored<T> = { body, version: (before?.version ?? 0) + 1, created: before?.created ?? now, lastModified: now };
  if (dryRun) return { status: 200, body: { dryRun: true, outcome: before ? 'replaced' : 'created', declaration: view(stored) } };
  await commit(ctx, [...new DeclarationStore(ctx.exec, ctx.tenantId).putStatements(kind, key, body, now, expected), ...extra]);
  return { status: before ? 200 : 201, body: view(stored) };
}

/** One batch (atomic) ending with the tenant's new version, then published. */
async function commit(ctx: DeclarationContext, statements: Query[]): Promise<void> {
  const store = new DeclarationStore(ctx.exec, ctx.tenantId);
  let results;
  try {
    results = await ctx.exec.batch([...statements, store.versionStatement()]);
  } catch (error) {
    if (isConflict(error)) throw adminConflict("The tenant's declarations changed while this change was checked; nothing was applied. Retry.");
    // A value repeated by a resource written after the check (the backfill of a new unique key).
    if (isUniqueViolation(error)) throw adminConflict('Stored resources now share a value that would become unique; nothing was applied.');
    throw error;
  }
  const version = (results[results.length - 1]!.results[0] as { version: number } | undefined)?.version;
  if (version === undefined) throw adminNotFound(`Tenant '${ctx.tenantId}' not found.`);
  await publishVersion(ctx.kv, ctx.tenantId, version, ctx.defer);
}
