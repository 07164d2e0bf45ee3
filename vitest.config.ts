import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      main: './src/index.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations('./drizzle'),
          ADMIN_TOKEN: 'test-admin-secret-0123456789abcdef',
        },
      },
    }),
  ],
  test: {
    setupFiles: ['./test/apply-migrations.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Access logs are one JSON line per request; keep test output to failures and errors.
    onConsoleLog: (log: string) => (log.startsWith('{"requestId"') ? false : undefined),
  },
}));
