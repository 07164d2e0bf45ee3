import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { allShards, shardDatabase } from '../src/store/shards';

// Applied before each test file to every database (the control one and any SHARD_*);
// applyD1Migrations skips migrations already applied.
for (const shard of allShards(env)) await applyD1Migrations(shardDatabase(env, shard)!, env.TEST_MIGRATIONS);
