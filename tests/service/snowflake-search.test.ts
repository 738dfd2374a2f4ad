// The Snowflake sync keeps the client search exact (decision 099): renamed and renumbered clients are
// found by their new values and no longer by their old ones, and new clients are found at once.
import { afterEach, describe, expect, it } from 'vitest';
import { loader } from '../../app/routes/clients._index';
import { callRoute, signedInRequest, testContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { startSyncHarness, testWarehouse, type SyncHarness } from '../support/snowflake';

let testDb: TestDb | undefined;
let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  await testDb?.close();
  harness = undefined;
  testDb = undefined;
});

describe('Snowflake sync and the client search', () => {
  it('finds synced clients by their new name, number and code, and no longer by an old number', async () => {
    testDb = await createTestDb();
    const ctx = testContext({ db: testDb.db });
    const search = async (q: string) => {
      const answer = await callRoute(loader, ctx, await signedInRequest(ctx, 'admin@demo.test', `/clients?q=${encodeURIComponent(q)}&pageSize=100`));
      expect(answer.status).toBe(200);
      return (answer.data.list.rows as Array<{ clientCode: string }>).map((r) => r.clientCode).sort();
    };
    const warehouse = testWarehouse(2_010); // the 2,000 seeded clients + 10 new ones
    const seeded = warehouse.clientCodes().slice(0, 2_000);
    const changed = warehouse.mutate({ count: 8, fields: ['name', 'contact'], among: seeded });
    const renamed = changed.filter((c) => c.column === 'FULL_NAME').map((c) => c.clientCode);
    const renumbered = changed.filter((c) => c.column === 'CONTACT_NUMBER');
    expect(renamed.length).toBeGreaterThan(0);
    expect(renumbered.length).toBeGreaterThan(0);
    expect(await search('(Vda.)')).toEqual([]);

    harness = await startSyncHarness(testDb.db, { warehouse });
    const { outcome } = await harness.runSync({ mode: 'full' });
    expect(outcome).toBe('done');

    expect(await search('(Vda.)')).toEqual(renamed.sort()); // the fake appends " (Vda.)" to a renamed client
    for (const c of renumbered) {
      expect(await search(String(c.new))).toContain(c.clientCode);
      expect(await search(String(c.old))).not.toContain(c.clientCode);
    }
    for (const code of warehouse.clientCodes().slice(2_000)) expect(await search(code.slice(-6))).toContain(code);
  });
});
