import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { buildDocsAssets } from './scripts/docs-assets.mjs';
import { defineConfig } from 'vitest/config';

// Projects: the pure protocol core in plain Node (seconds, and proof that src/scim and src/util
// need no runtime), the suite inside workerd (real D1 and KV), the same Worker with two data
// databases (shards), the command-line scripts in Node against one real dev server, and the
// console in headless Chromium (`npm run test:browser`).
// Swagger UI's assets (public/docs), as wrangler's [build] makes them for dev and deploy.
buildDocsAssets();

/** The Worker on workerd with the test bindings; `extra` adds Miniflare options (more databases). */
async function workerd(extra: Record<string, unknown> = {}) {
  return cloudflareTest({
    main: './src/index.ts',
    wrangler: { configPath: './wrangler.toml' },
    miniflare: {
      bindings: {
        TEST_MIGRATIONS: await readD1Migrations('./drizzle'),
        ADMIN_TOKEN: 'test-admin-secret-0123456789abcdef',
        // Whatever a developer's .dev.vars says (npm run dev allows loopback webhooks there).
        ALLOW_LOOPBACK_WEBHOOKS: 'false',
      },
      // Deliveries at once in tests (production waits up to a second to batch).
      queueConsumers: { 'scim-webhooks': { maxBatchTimeout: 0, maxRetries: 10 }, 'scim-request-log': { maxBatchTimeout: 0, maxBatchSize: 100, maxRetries: 3 } },
      ...extra,
    },
  });
}

export default defineConfig(async () => ({
  test: {
    // Access logs are one JSON line per request; keep test output to failures and errors.
    onConsoleLog: (log: string) => (log.startsWith('{"requestId"') ? false : undefined),
    // Vitest's default on two cores is one file at a time; the suite is mostly waiting on workerd.
    maxWorkers: '100%',
    projects: [
      {
        test: {
          name: 'core',
          environment: 'node',
          include: ['test/scim/**/*.test.ts', 'test/util/**/*.test.ts', 'test/layers.test.ts'],
        },
      },
      {
        plugins: [await workerd()],
        test: {
          name: 'workers',
          // One workerd per pool worker, reused across files: a fresh runtime per file cost about 5 s
          // each. Storage is shared, so every test makes its own tenant (test/helpers.ts).
          isolate: false,
          setupFiles: ['./test/apply-migrations.ts'],
          include: ['test/**/*.test.ts'],
          exclude: ['test/scripts/**', 'test/scim/**', 'test/util/**', 'test/shards/**', 'test/layers.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        // The same Worker with two data databases declared (SHARD_1, SHARD_2; issue 15): placement,
        // isolation across databases, moves, export and import.
        plugins: [await workerd({ d1Databases: { DB: 'shards-control', SHARD_1: 'shards-one', SHARD_2: 'shards-two' } })],
        test: {
          name: 'shards',
          isolate: false,
          setupFiles: ['./test/apply-migrations.ts'],
          include: ['test/shards/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'scripts',
          environment: 'node',
          // One real `wrangler dev` for the project's files, started once (test/scripts/dev-server.mjs).
          globalSetup: ['./test/scripts/dev-server.mjs'],
          include: ['test/scripts/**/*.test.mjs'],
          testTimeout: 60_000,
          hookTimeout: 150_000,
        },
      },
      {
        test: {
          // `npm run test:browser`: the console in headless Chromium (test/browser), against the same
          // kind of `wrangler dev`; not part of `npm test`, which needs no browser.
          name: 'browser',
          environment: 'node',
          globalSetup: ['./test/scripts/dev-server.mjs'],
          include: ['test/browser/**/*.test.mjs'],
          testTimeout: 90_000,
          hookTimeout: 150_000,
        },
      },
    ],
  },
}));
