#!/usr/bin/env node
// npm run token -- <create|list|rotate|revoke|tenant|schema|events|webhook> …   (README "Managing tokens")
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { AdminError, adminClient, adminTokenFromEnv } from './admin-client.mjs';

const USAGE = `usage: npm run token -- <command> [args] [--url URL] [--admin-token SECRET]

  create <tenant> --label LABEL [--scopes scim:read,scim:write] [--expires-in-days N] [--subject USER_ID]
  list   <tenant>
  rotate <tenant> <token-id> [--grace-seconds N]     (default 0: the old token stops at once)
  revoke <tenant> <token-id>
  tenant <tenant> [--name NAME] [--shard SHARD_N]    (creates the tenant; fine if it exists)
  tenant move <tenant> <SHARD_N> | --rollback        moves the tenant to another database, with a
                progress bar (resumes a move under way; --rollback undoes one that has not flipped)
  tenant export <tenant> [--out FILE]                the tenant as NDJSON (stdout without --out)
  tenant import <tenant> <file>                      an export loaded into an empty tenant
  shards                                             the databases and how many tenants each holds

  schema apply  <tenant> <file-or-folder> [--dry-run]
                one JSON file, or every *.json in a folder: Schemas (RFC 7643 §7), ResourceTypes (§6),
                arrays of them or a ListResponse; applied in dependency order, whatever the file order
  schema list   <tenant>                             (the tenant's schemas and resource types)
  schema delete <tenant> <urn-or-resource-type-name>  (urn:… deletes a schema, anything else a resource type)

  events tail <tenant> [--types user.*,group.*] [--from-start]
                follows the tenant's change feed live, one event per line (Ctrl-C stops); from now
                on, or with --from-start from the oldest event kept
  webhook add    <tenant> <https-url> [--types user.*] [--description TEXT]   (prints the secret once)
  webhook list   <tenant>
  webhook remove <tenant> <webhook-id>

The admin URL comes from --url, else ADMIN_URL, else http://127.0.0.1:8787.
The admin secret comes from --admin-token, else ADMIN_TOKEN, else .dev.vars. --json prints JSON.`;

function fail(message) {
  console.error(`error: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function needs(positionals, n, what) {
  if (positionals.length < n) fail(`missing ${what}`);
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        'admin-token': { type: 'string' },
        label: { type: 'string' },
        scopes: { type: 'string' },
        'expires-in-days': { type: 'string' },
        subject: { type: 'string' },
        'grace-seconds': { type: 'string' },
        name: { type: 'string' },
        shard: { type: 'string' },
        rollback: { type: 'boolean' },
        out: { type: 'string' },
        types: { type: 'string' },
        description: { type: 'string' },
        'from-start': { type: 'boolean' },
        json: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    fail(e.message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return;
  }
  const [command, ...args] = positionals;
  const url = values.url ?? process.env.ADMIN_URL ?? 'http://127.0.0.1:8787';
  const admin = adminClient(url, values['admin-token'] ?? adminTokenFromEnv());
  const number = (flag) => {
    if (values[flag] === undefined) return undefined;
    const n = Number(values[flag]);
    if (!Number.isFinite(n) || n < 0) fail(`--${flag} must be a non-negative number`);
    return n;
  };

  switch (command) {
    case 'create': {
      needs(args, 1, '<tenant>');
      if (!values.label) fail('--label is required');
      const created = await admin.createToken(args[0], {
        label: values.label,
        ...(values.scopes ? { scopes: values.scopes.split(',').map((s) => s.trim()) } : {}),
        ...(values['expires-in-days'] !== undefined ? { expiresInDays: number('expires-in-days') } : {}),
        ...(values.subject ? { subject: values.subject } : {}),
      });
      print(values.json, created, `token id ${created.id}\n${created.token}\n(shown once: store it in your IdP now)`);
      return;
    }
    case 'list': {
      needs(args, 1, '<tenant>');
      const { tokens } = await admin.listTokens(args[0]);
      const lines = tokens.map((t) =>
        [t.id, t.label, t.scopes.join(','), t.hint, `created ${t.created}`, t.expires ? `expires ${t.expires}` : 'no expiry', t.lastUsed ? `last used ${t.lastUsed}` : 'never used'].join('  '),
      );
      print(values.json, { tokens }, lines.join('\n') || '(no tokens)');
      return;
    }
    case 'rotate': {
      needs(args, 2, '<tenant> <token-id>');
      const rotated = await admin.rotateToken(args[0], args[1], number('grace-seconds') ?? 0);
      print(values.json, rotated, `new token id ${rotated.id} (replaces ${rotated.replaces})\n${rotated.token}\n(shown once)`);
      return;
    }
    case 'revoke': {
      needs(args, 2, '<tenant> <token-id>');
      await admin.revokeToken(args[0], args[1]);
      print(values.json, { revoked: args[1] }, `revoked ${args[1]}`);
      return;
    }
    case 'tenant': {
      needs(args, 1, '<tenant>');
      if (['move', 'export', 'import'].includes(args[0]) && args.length > 1) return tenantCommand(admin, args, values);
      const tenant = await admin.ensureTenant(args[0], values.name ?? args[0], values.shard);
      print(values.json, tenant, `tenant ${args[0]} ready${tenant?.shard ? ` on ${tenant.shard}` : ''}`);
      return;
    }
    case 'shards': {
      const { shards } = await admin.shards();
      print(values.json, { shards }, shards.map((s) => `${s.name.padEnd(12)} ${String(s.tenants).padStart(6)} tenant(s)${s.placement ? '' : '  (no new tenants)'}`).join('\n'));
      return;
    }
    case 'schema':
      return schemaCommand(admin, args, values);
    case 'events':
      return eventsCommand(admin, args, values);
    case 'webhook':
      return webhookCommand(admin, args, values);
    default:
      fail(`unknown command '${command}'`);
  }
}

// --- schema apply | list | delete ---------------------------------------------------------------

const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const RESOURCE_TYPE_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
/** Statuses a declaration may fail with only because another one is not applied yet. */
const RETRYABLE = [400, 404, 409];

/** A fault in the files themselves (not the server's): exit 1 before anything is sent. */
class InputError extends Error {}

async function schemaCommand(admin, args, values) {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'apply': {
      needs(rest, 2, '<tenant> <file-or-folder>');
      const declarations = readDeclarations(rest[1]);
      const report = await applyDeclarations(admin, rest[0], declarations, { dryRun: Boolean(values['dry-run']), json: Boolean(values.json) });
      if (values.json) console.log(JSON.stringify(report));
      for (const f of report.failed) console.error(`error: ${f.kind} ${f.id} (${f.file}): ${f.message}`);
      if (report.failed.length > 0) {
        const applied = report.applied.length;
        console.error(
          `error: ${report.failed.length} of ${declarations.length} declarations failed; ` +
            (report.dryRun ? 'dry run, nothing was applied' : applied ? `${applied} applied` : 'nothing was applied'),
        );
        process.exitCode = 1;
        return;
      }
      if (report.dryRun && !values.json) console.log('(dry run: nothing was applied)');
      return;
    }
    case 'list': {
      needs(rest, 1, '<tenant>');
      const { schemas } = await admin.getSchemas(rest[0]);
      const { resourceTypes } = await admin.getResourceTypes(rest[0]);
      const lines = [
        ...schemas.map((s) => [`schema ${s.id}`, s.name, `${s.attributes?.length ?? 0} attributes`].join('  ')),
        ...resourceTypes.map((rt) => {
          const extensions = (rt.schemaExtensions ?? []).map((e) => `${e.schema}${e.required ? ' (required)' : ''}`);
          return [`resource type ${rt.name}`, rt.endpoint, rt.schema, `extensions: ${extensions.join(', ') || 'none'}`].join('  ');
        }),
      ];
      print(values.json, { schemas, resourceTypes }, lines.join('\n') || '(no schemas or resource types declared)');
      return;
    }
    case 'delete': {
      needs(rest, 2, '<tenant> <urn-or-resource-type-name>');
      const [tenant, target] = rest;
      const isSchema = target.toLowerCase().startsWith('urn:');
      await (isSchema ? admin.deleteSchema(tenant, target) : admin.deleteResourceType(tenant, target));
      const kind = isSchema ? 'schema' : 'resource type';
      print(values.json, { deleted: target, kind }, `deleted ${kind} ${target}`);
      return;
    }
    default:
      fail(sub ? `unknown schema command '${sub}'` : 'missing schema command (apply, list or delete)');
  }
}

/** Every declaration in a file, or in each *.json of a folder (sorted by name), in file order. */
function readDeclarations(target) {
  let files;
  try {
    files = statSync(target).isDirectory()
      ? readdirSync(target)
          .filter((name) => name.endsWith('.json'))
          .sort()
          .map((name) => join(target, name))
      : [target];
  } catch (e) {
    throw new InputError(`cannot read ${target}: ${e.code ?? e.message}`);
  }
  if (files.length === 0) throw new InputError(`no *.json files in ${target}`);
  const declarations = [];
  const seen = new Map();
  for (const file of files) {
    let doc;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new InputError(`${file}: ${e instanceof SyntaxError ? `not valid JSON: ${e.message}` : e.code ?? e.message}`);
    }
    const items = Array.isArray(doc) ? doc : Array.isArray(doc?.Resources) ? doc.Resources : [doc];
    items.forEach((item, i) => {
      const where = items.length > 1 || Array.isArray(doc) || doc?.Resources ? `${basename(file)}#${i}` : basename(file);
      const kind = classify(item);
      if (!kind) throw new InputError(`${where}: neither a Schema (attributes) nor a ResourceType (endpoint)`);
      const id = kind === 'schema' ? item.id : item.name;
      if (typeof id !== 'string' || id === '') throw new InputError(`${where}: a ${kind} needs a string ${kind === 'schema' ? '"id" (its URN)' : '"name"'}`);
      const key = `${kind}:${id.toLowerCase()}`;
      if (seen.has(key)) throw new InputError(`${where}: ${kind} ${id} is also declared in ${seen.get(key)}`);
      seen.set(key, where);
      // meta is the server's (a ListResponse copied from /Schemas carries one); everything else is sent as written.
      const { meta, ...body } = item;
      declarations.push({ kind, id, key, file: where, body });
    });
  }
  return declarations;
}

function classify(item) {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const schemas = Array.isArray(item.schemas) ? item.schemas.map((s) => String(s).toLowerCase()) : [];
  if (schemas.includes(SCHEMA_URN.toLowerCase())) return 'schema';
  if (schemas.includes(RESOURCE_TYPE_URN.toLowerCase())) return 'resource type';
  if ('attributes' in item && !('endpoint' in item)) return 'schema';
  if ('endpoint' in item && !('attributes' in item)) return 'resource type';
  return undefined;
}

/** Keys of the declarations `d` needs first: a schema the resource types its references name, a resource type its schemas. */
function dependencies(d) {
  if (d.kind === 'resource type') {
    const extensions = Array.isArray(d.body.schemaExtensions) ? d.body.schemaExtensions.map((e) => e?.schema) : [];
    return [d.body.schema, ...extensions].filter((u) => typeof u === 'string').map((u) => `schema:${u.toLowerCase()}`);
  }
  const types = new Set();
  (function walk(attributes) {
    if (!Array.isArray(attributes)) return;
    for (const a of attributes) {
      for (const t of Array.isArray(a?.referenceTypes) ? a.referenceTypes : []) {
        if (typeof t === 'string' && !['external', 'uri'].includes(t.toLowerCase())) types.add(`resource type:${t.toLowerCase()}`);
      }
      walk(a?.subAttributes);
    }
  })(d.body.attributes);
  return [...types];
}

/** File order, except that a declaration goes after the ones of the batch it needs (cycles keep file order). */
function dependencyOrder(declarations) {
  const inBatch = new Set(declarations.map((d) => d.key));
  const placed = new Set();
  const ordered = [];
  const rest = [...declarations];
  while (rest.length > 0) {
    let i = rest.findIndex((d) => dependencies(d).every((k) => k === d.key || !inBatch.has(k) || placed.has(k)));
    if (i < 0) i = 0;
    const [d] = rest.splice(i, 1);
    placed.add(d.key);
    ordered.push(d);
  }
  return ordered;
}

/**
 * PUTs every declaration; those failing with 400/404/409 are tried again while a round applies at least
 * one more (a schema can need a resource type of the batch, and the resource type that schema), so the
 * files may come in any order. In a dry run nothing is stored, so a declaration needing one the batch
 * would create cannot be checked: it is reported as unchecked, not as failed.
 */
async function applyDeclarations(admin, tenant, declarations, { dryRun, json }) {
  await admin.getSchemas(tenant); // an unknown tenant fails here, once, rather than once per declaration
  const previous = new Map();
  for (const d of declarations) {
    previous.set(d.key, d.kind === 'schema' ? await admin.getSchema(tenant, d.id) : await admin.getResourceType(tenant, d.id));
  }
  const applied = [];
  const failures = new Map();
  let pending = dependencyOrder(declarations);
  while (pending.length > 0) {
    const retry = [];
    let progress = false;
    for (const d of pending) {
      try {
        const put = (options) => (d.kind === 'schema' ? admin.putSchema(tenant, d.body, options) : admin.putResourceType(tenant, d.body, options));
        const before = previous.get(d.key);
        let result;
        if (before) {
          // Checked first: what the tenant already has as written is left alone (no new version to publish).
          result = outcome(d, before, await put({ dryRun: true }), true);
          if (!dryRun && result.action !== 'unchanged') result = outcome(d, before, await put({ dryRun: false }), false);
        } else {
          result = outcome(d, before, await put({ dryRun }), dryRun);
        }
        failures.delete(d.key);
        applied.push(result);
        progress = true;
        if (!json) console.log(describe(result, dryRun));
      } catch (e) {
        // Unreachable server, wrong secret: every declaration would fail the same way.
        if (!(e instanceof AdminError) || e.status === undefined || e.status === 401 || e.status === 403) throw e;
        failures.set(d.key, { d, error: e });
        if (RETRYABLE.includes(e.status)) retry.push(d);
      }
    }
    if (!progress) break;
    pending = retry;
  }

  const unchecked = [];
  if (dryRun) {
    // Needs (directly or through another unchecked one) a declaration this batch would create.
    const label = new Map(declarations.map((d) => [d.key, `${d.kind} ${d.id}`]));
    const wouldCreate = new Set(applied.filter((r) => r.action === 'created').map((r) => `${r.kind}:${r.id.toLowerCase()}`));
    for (let changed = true; changed; ) {
      changed = false;
      for (const [key, { d, error }] of failures) {
        const missing = dependencies(d).filter((k) => k !== key && wouldCreate.has(k));
        if (missing.length === 0) continue;
        failures.delete(key);
        if (!previous.get(key) && !isBuiltIn(d)) wouldCreate.add(key);
        const result = { kind: d.kind, id: d.id, file: d.file, action: 'unchecked', needs: missing.map((k) => label.get(k)), message: error.message };
        unchecked.push(result);
        if (!json) console.log(describe(result, dryRun));
        changed = true;
      }
    }
  }

  const failed = [...failures.values()].map(({ d, error }) => {
    const { error: code, message, pointer, ...details } = error.data && typeof error.data === 'object' ? error.data : {};
    // The message carries the status, the server's message and the pointer; --json also has the server's details.
    return {
      kind: d.kind,
      id: d.id,
      file: d.file,
      status: error.status,
      error: code,
      message: error.message,
      ...(pointer !== undefined ? { pointer } : {}),
      ...(Object.keys(details).length > 0 ? { details } : {}),
    };
  });
  return { tenant, dryRun, applied, unchecked, failed };
}

/** The resource types every tenant has; PUT of one attaches extensions (it is never "created"). */
function isBuiltIn(d) {
  return d.kind === 'resource type' && /^(user|group)$/i.test(d.id);
}

/** `answer` is a put's `{created, schema | resourceType}`; `dry` when it was a dry run. */
function outcome(d, before, answer, dry) {
  const body = answer.schema ?? answer.resourceType;
  // A dry run answers {dryRun, outcome, declaration}; a PUT the stored declaration. Anything else: compare with the file.
  const report = dry && body?.dryRun === true ? body : undefined;
  const echoed = report ? report.declaration : body;
  const isDeclaration = echoed && typeof echoed === 'object' && (d.kind === 'schema' ? 'attributes' in echoed : 'endpoint' in echoed);
  let action;
  if (answer.created || report?.outcome === 'created' || (dry && !report && !before && !isBuiltIn(d))) action = 'created';
  else if (!before) action = 'replaced';
  else action = sameDeclaration(before, isDeclaration ? echoed : d.body) ? 'unchanged' : 'replaced';
  const version = action === 'unchanged' ? before.meta?.version : dry ? undefined : echoed?.meta?.version;
  const note = !isDeclaration && typeof body?.message === 'string' ? body.message : undefined;
  return { kind: d.kind, id: d.id, file: d.file, action, ...(version !== undefined ? { version } : {}), ...(note ? { message: note } : {}) };
}

function describe(result, dryRun) {
  if (result.action === 'unchecked') {
    return `${result.kind} ${result.id} not checked (dry run): needs ${result.needs.join(', ')}, which this batch would create first  [${result.file}]\n    (server: ${result.message})`;
  }
  const notes = [dryRun ? 'dry run' : undefined, result.version !== undefined ? `version ${result.version}` : undefined, result.message].filter(Boolean);
  return `${result.kind} ${result.id} ${result.action}${notes.length ? ` (${notes.join('; ')})` : ''}  [${result.file}]`;
}

/** Equal once the server's `meta` and the `schemas` list are set aside; key order does not matter. */
function sameDeclaration(a, b) {
  const canonical = (v) =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]))
        : v;
  const strip = ({ meta, schemas, ...rest }) => rest;
  return JSON.stringify(canonical(strip(a))) === JSON.stringify(canonical(strip(b)));
}

// --- events tail | webhook add | list | remove ----------------------------------------------------

async function eventsCommand(admin, args, values) {
  const [sub, tenant] = args;
  if (sub !== 'tail') fail(`unknown events command '${sub ?? ''}'`);
  needs(args, 2, '<tenant>');
  let cursor = values['from-start'] ? undefined : 'latest';
  if (!values.json) console.error(`following ${tenant}'s change feed${values.types ? ` (${values.types})` : ''}; Ctrl-C stops`);
  for (;;) {
    const page = await admin.events(tenant, { after: cursor, types: values.types, wait: 25, limit: 500 });
    for (const e of page.events) {
      if (values.json) console.log(JSON.stringify(e));
      else console.log([e.occurredAt, `#${e.seq}`, e.type, e.resourceId, e.member ? `member ${e.member.value}` : '', e.changed.length ? `changed ${e.changed.join(',')}` : '', e.actor?.tokenLabel ? `by ${e.actor.tokenLabel}` : ''].filter(Boolean).join('  '));
    }
    cursor = page.nextCursor;
  }
}

async function webhookCommand(admin, args, values) {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      needs(rest, 2, '<tenant> <url>');
      const types = values.types ? values.types.split(',').map((t) => t.trim()) : undefined;
      const created = await admin.addWebhook(rest[0], { url: rest[1], ...(types ? { types } : {}), ...(values.description ? { description: values.description } : {}) });
      print(values.json, created, `webhook ${created.id} → ${created.url} (${created.types.length ? created.types.join(',') : 'every event'})\nsecret ${created.secret}\n(shown once: give it to the receiver's Standard Webhooks verifier)`);
      return;
    }
    case 'list': {
      needs(rest, 1, '<tenant>');
      const { webhooks } = await admin.listWebhooks(rest[0]);
      const lines = webhooks.map((w) => [w.id, w.url, w.types.length ? w.types.join(',') : 'every event', w.enabled ? 'enabled' : `disabled (${w.disabledReason})`, w.description ?? ''].filter(Boolean).join('  '));
      print(values.json, { webhooks }, lines.join('\n') || '(no webhooks)');
      return;
    }
    case 'remove': {
      needs(rest, 2, '<tenant> <webhook-id>');
      await admin.removeWebhook(rest[0], rest[1]);
      print(values.json, { removed: rest[1] }, `removed ${rest[1]}`);
      return;
    }
    default:
      fail(`unknown webhook command '${sub ?? ''}'`);
  }
}

function print(asJson, data, text) {
  console.log(asJson ? JSON.stringify(data) : text);
}

main().catch((e) => {
  console.error(`error: ${e instanceof AdminError || e instanceof InputError ? e.message : e.stack ?? e}`);
  process.exit(1);
});

// --- tenant move | export | import --------------------------------------------------------------

async function tenantCommand(admin, [verb, tenant, third], values) {
  if (verb === 'move') {
    if (!values.rollback && !third) fail('missing <SHARD_N> (or --rollback)');
    const bar = (s) => {
      const total = s.tables.reduce((n, t) => n + t.copied, 0);
      process.stderr.write(`\r${s.state.padEnd(9)} ${s.from} -> ${s.to}  ${total.toLocaleString('en')} rows copied${s.state === 'done' ? '\n' : ''}`);
    };
    let status;
    for (;;) {
      status = await admin.moveTenant(tenant, values.rollback ? { rollback: true } : { to: third });
      if (!values.json) bar(status);
      if (status.state === 'done' || status.state === 'failed') break;
    }
    if (status.state === 'failed' && !values.rollback) {
      console.error(`\nmove failed: ${status.error}`);
      process.exitCode = 1;
    }
    print(values.json, status, status.state === 'done' ? `tenant ${tenant} is on ${status.to}; its rows on ${status.from} are deleted after ${status.cleanupAfter}` : `move of ${tenant}: ${status.state}${status.error ? ` (${status.error})` : ''}`);
    return;
  }
  if (verb === 'export') {
    const body = await admin.exportTenant(tenant);
    if (values.out) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(values.out, body);
      console.error(`wrote ${values.out} (${body.split('\n').filter(Boolean).length} lines)`);
    } else process.stdout.write(body);
    return;
  }
  if (!third) fail('missing <file>');
  const result = await admin.importTenant(tenant, readFileSync(third));
  print(values.json, result, `imported into ${tenant}: ${Object.entries(result.rows).map(([t, n]) => `${n} ${t}`).join(', ')}`);
}
