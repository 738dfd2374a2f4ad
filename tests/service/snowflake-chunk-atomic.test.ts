// A sync chunk is one write transaction: its new clients, changed clients, history rows and progress
// counters commit together or not at all. A fault in the chunk's last statements (after its new and
// changed clients were written) must leave none of the chunk behind; the chunks before it stay, and
// the retry completes exactly.
import { afterEach, expect, it } from 'vitest';
import type { ColumnChange } from '../../fakes/snowflake/warehouse';
import { createTestDb, type TestDb } from '../support/db';
import { scalar, startSyncHarness, testWarehouse, type SyncHarness } from '../support/snowflake';

const CHUNK = 1_000;

let testDb: TestDb | undefined;
let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  await testDb?.close();
  harness = undefined;
  testDb = undefined;
});

const rowsOf = async (db: TestDb, codes: string[]) =>
  JSON.stringify(
    (
      await db.client.execute({
        sql: `SELECT * FROM clients WHERE client_code IN (SELECT value FROM json_each(?)) ORDER BY client_code`,
        args: [JSON.stringify(codes)],
      })
    ).rows,
  );

it('a chunk whose history write fails leaves none of its clients written; earlier chunks stay; the retry completes exactly', async () => {
  testDb = await createTestDb();
  const warehouse = testWarehouse(2_300); // the 2,000 seeded clients + 300 new ones
  const seeded = new Set(warehouse.clientCodes().slice(0, 2_000));
  const changed: ColumnChange[] = warehouse.mutate({ count: 60, fields: ['branch', 'par', 'contact', 'amount'], among: [...seeded] });
  // The view is read in CLIENT_CODE order, so the chunks are slices of the sorted codes.
  const sorted = warehouse.clientCodes().sort();
  const chunkOf = (code: string) => Math.floor(sorted.indexOf(code) / CHUNK);
  const failing = sorted.slice(CHUNK, 2 * CHUNK);
  const victim = changed.find((c) => chunkOf(c.clientCode) === 1)!.clientCode;
  const newInFailing = failing.filter((code) => !seeded.has(code));
  const changedInFailing = [...new Set(changed.filter((c) => chunkOf(c.clientCode) === 1).map((c) => c.clientCode))];
  const changedInFirst = [...new Set(changed.filter((c) => chunkOf(c.clientCode) === 0).map((c) => c.clientCode))];
  // The fault comes after the chunk's INSERT of new clients and its upsert of changed ones.
  expect(newInFailing.length).toBeGreaterThan(0);
  expect(changedInFailing.length).toBeGreaterThan(1);
  expect(changedInFirst.length).toBeGreaterThan(0);
  const failingBefore = await rowsOf(testDb, failing);
  const countsBefore = await scalar(testDb.db, 'SELECT coalesce(sum(live), 0) FROM client_branch_counts');
  await testDb.client.execute(`CREATE TRIGGER test_refuse_history BEFORE INSERT ON client_sync_history
    WHEN new.client_id = (SELECT id FROM clients WHERE client_code = '${victim}')
    BEGIN SELECT RAISE(ABORT, 'injected fault: history row refused'); END`);
  harness = await startSyncHarness(testDb.db, { warehouse, config: { batchRows: CHUNK } });

  const failed = await harness.runSync({ mode: 'full' });

  expect(failed.sync.status).toBe('failed');
  expect(String(failed.sync.error)).toMatch(/injected fault: history row refused/);
  // Exactly the first chunk is counted, and exactly it is written.
  expect(failed.sync).toMatchObject({ rows_inserted: 0, rows_updated: changedInFirst.length, rows_unchanged: CHUNK - changedInFirst.length });
  expect(await rowsOf(testDb, failing)).toBe(failingBefore);
  expect(await scalar(testDb.db, 'SELECT count(*) FROM clients')).toBe(2_000);
  expect(await scalar(testDb.db, 'SELECT coalesce(sum(live), 0) FROM client_branch_counts')).toBe(countsBefore);
  expect(await scalar(testDb.db, 'SELECT count(DISTINCT client_id) FROM client_sync_history WHERE sync_job_id = ?', [failed.sync.id])).toBe(
    changedInFirst.length,
  );
  // The search index has none of the chunk's new clients.
  expect(await scalar(testDb.db, `SELECT count(*) FROM clients_search WHERE clients_search MATCH ?`, [`code:"${newInFailing[0]}"`])).toBe(0);

  await testDb.client.execute('DROP TRIGGER test_refuse_history');
  const retried = await harness.retry();

  expect(retried.sync.status).toBe('done');
  expect(await scalar(testDb.db, 'SELECT count(*) FROM clients')).toBe(2_300);
  expect(await scalar(testDb.db, 'SELECT coalesce(sum(live), 0) FROM client_branch_counts')).toBe(countsBefore + 300);
  expect(await scalar(testDb.db, 'SELECT count(*) FROM client_sync_history WHERE sync_job_id = ?', [retried.sync.id])).toBe(changed.length);
  expect(await scalar(testDb.db, `SELECT count(*) FROM clients_search WHERE clients_search MATCH ?`, [`code:"${newInFailing[0]}"`])).toBe(1);
}, 120_000);
