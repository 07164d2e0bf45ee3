import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { exportLines } from '../../src/service/tenant-transfer';
import { Executor } from '../../src/store/executor';
import { QueryMeter } from '../../src/store/meter';
import { DIRECTORY_TABLES } from '../../src/store/tenant-copy';
import { admin, ADMIN, call } from '../helpers';
import { populate, tenantOn } from './fixtures';

// What the shard paths cost in D1 round trips (docs/operations.md "Shards"), on D1's own counters.

const trips = (res: Response) => Number(res.headers.get('X-D1-Round-Trips'));

describe('the cost of the shard paths', () => {
  it('reads the directory once per admin request on a tenant, whatever its middleware and handler ask', async () => {
    const scim = await tenantOn('SHARD_1');
    expect(trips(await admin(`/tenants/${scim.tenant}`))).toBe(1);
    // The directory, then the list on the tenant's database.
    expect(trips(await admin(`/tenants/${scim.tenant}/webhooks`))).toBe(2);
    expect(trips(await admin(`/tenants/${scim.tenant}/requests`))).toBe(2);
    // The directory, the move check, the feed's newest event (where the endpoint starts), the insert.
    expect(trips(await admin(`/tenants/${scim.tenant}/webhooks`, 'POST', { url: 'https://example.com/hook' }))).toBe(4);
  });

  it('exports a page a round trip, moves a page in three, imports ten insert statements a round trip', async () => {
    const scim = await tenantOn('SHARD_1');
    await populate(scim);
    // Export: the tenant's version, then one page per table (each of these fits in one).
    const meter = new QueryMeter();
    let lines = 0;
    for await (const _ of exportLines(new Executor(env.SHARD_1!, meter, 'SHARD_1'), scim.tenant)) lines++;
    expect(meter.roundTrips).toBe(1 + DIRECTORY_TABLES.length);
    expect(meter.rowsRead).toBeLessThanOrEqual(2 * (lines - 2) + 10);

    const moved = await admin(`/tenants/${scim.tenant}/move`, 'POST', { to: 'SHARD_2' });
    expect(moved.status).toBe(200);
    const { tables } = (await moved.json()) as { tables: { copied: number }[] };
    const full = tables.filter((t) => t.copied > 0).length;
    // Start 3 (the route's directory read, the move record, its save), first step 3 (source
    // read-only, target cleared, the tenant's row there), a page 3 (read, write and read back,
    // save) or 2 for an empty table (read, save), verification 3 (both summaries, save), the flip
    // 5 (version, target row, directory, source row, save).
    expect(trips(moved)).toBe(3 + 3 + 3 * full + 2 * (tables.length - full) + 3 + 5);

    const file = await (await admin(`/tenants/${scim.tenant}/export`)).text();
    const target = await tenantOn('SHARD_1');
    const imported = await call(`/admin/tenants/${target.tenant}/import`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN}` }, body: file });
    expect(imported.status).toBe(200);
    // The directory, the move check, the empty check, one batch (fewer than ten insert statements),
    // the tenant's version raised.
    expect(trips(imported)).toBe(5);
  });
});
