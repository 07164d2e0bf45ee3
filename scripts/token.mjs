#!/usr/bin/env node
// npm run token -- <create|list|rotate|revoke|tenant> …   (README "Managing tokens")
import { parseArgs } from 'node:util';
import { AdminError, adminClient, adminTokenFromEnv } from './admin-client.mjs';

const USAGE = `usage: npm run token -- <command> [args] [--url URL] [--admin-token SECRET]

  create <tenant> --label LABEL [--scopes scim:read,scim:write] [--expires-in-days N] [--subject USER_ID]
  list   <tenant>
  rotate <tenant> <token-id> [--grace-seconds N]     (default 0: the old token stops at once)
  revoke <tenant> <token-id>
  tenant <tenant> [--name NAME]                      (creates the tenant; fine if it exists)

The admin URL comes from --url, else ADMIN_URL, else http://127.0.0.1:8787.
The admin secret comes from --admin-token, else ADMIN_TOKEN, else .dev.vars.`;

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
        json: { type: 'boolean' },
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
      const tenant = await admin.ensureTenant(args[0], values.name ?? args[0]);
      print(values.json, tenant, `tenant ${args[0]} ready`);
      return;
    }
    default:
      fail(`unknown command '${command}'`);
  }
}

function print(asJson, data, text) {
  console.log(asJson ? JSON.stringify(data) : text);
}

main().catch((e) => {
  console.error(`error: ${e instanceof AdminError ? e.message : e.stack ?? e}`);
  process.exit(1);
});
