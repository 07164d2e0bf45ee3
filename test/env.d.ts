declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    TOKENS: KVNamespace;
    ADMIN_TOKEN?: string;
    ASSETS: Fetcher;
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
