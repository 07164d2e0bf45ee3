declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    TOKENS: KVNamespace;
    ADMIN_TOKEN?: string;
    ASSETS: Fetcher;
    /** Declared in the `shards` test project only. */
    SHARD_1?: D1Database;
    SHARD_2?: D1Database;
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
