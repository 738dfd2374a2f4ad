// Decision 130: on a local file a sync of more than one chunk writes its chunks on a writer thread
// while this thread reads the next one, and each chunk writes the period rows of the clients it
// creates or makes eligible. Whichever thread writes, the database must end the same.
import { afterEach, expect, it } from 'vitest';
import type { Warehouse } from '../../fakes/snowflake/warehouse';
import { createTestDb, type TestDb } from '../support/db';
import { clientsSnapshot, scalar, startSyncHarness, testWarehouse, type SyncHarness } from '../support/snowflake';

const open: { db: TestDb; harness?: SyncHarness }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.harness?.stop();
    await o.db.close();
  }
});

const PERIODS = "('2026-11', '2026-Q4')";

/**
 * Everything a sync writes, by client code. Client ids aside: an upsert that meets its conflict still
 * takes an AUTOINCREMENT number, so new clients' ids depend on how many changed ones came first.
 */
async function written(t: TestDb, syncJobId: number) {
  const rows = async (sql: string, args: (string | number)[] = []) => JSON.stringify((await t.client.execute({ sql, args })).rows);
  return {
    clients: (JSON.parse(await clientsSnapshot(t.db)) as Record<string, unknown>[])
      .map(({ id: _id, ...row }) => row)
      .sort((a, b) => String(a.client_code).localeCompare(String(b.client_code))),
    history: await rows(
      'SELECT c.client_code, h.field, h.old_value, h.new_value FROM client_sync_history h JOIN clients c ON c.id = h.client_id WHERE h.sync_job_id = ? ORDER BY 1, 2',
      [syncJobId],
    ),
    periodRows: await rows(
      `SELECT c.client_code, s.period_key, s.branch_id, s.status_type_id FROM client_period_status s JOIN clients c ON c.id = s.client_id
       WHERE s.period_key IN ${PERIODS} ORDER BY 1, 2`,
    ),
    counts: await rows('SELECT * FROM client_branch_counts ORDER BY 1, 2'),
  };
}

async function syncWith(warehouse: Warehouse, batchRows: number) {
  const db = await createTestDb();
  const o: (typeof open)[number] = { db };
  open.push(o);
  o.harness = await startSyncHarness(db.db, { warehouse, config: { batchRows } });
  const { sync } = await o.harness.runSync({ mode: 'full' });
  return { db, sync };
}

it('one chunk written on the service thread and eight on the writer thread leave the same clients, history, period rows and counts', async () => {
  const warehouse = testWarehouse(2_300); // the 2,000 seeded clients + 300 new ones
  warehouse.mutate({ count: 80, fields: ['branch', 'par', 'product', 'active', 'contact', 'amount'], among: warehouse.clientCodes().slice(0, 2_000) });

  const whole = await syncWith(warehouse, 5_000);
  const chunked = await syncWith(warehouse, 300);

  expect(whole.sync.report).toMatchObject({ complete: true, writer: 'service thread' });
  expect(chunked.sync.report).toMatchObject({ complete: true, writer: 'writer thread' });
  for (const key of ['rows_read', 'rows_inserted', 'rows_updated', 'rows_unchanged', 'rows_deactivated'] as const)
    expect(chunked.sync[key]).toBe(whole.sync[key]);
  expect(chunked.sync.report!.periodInit).toEqual(whole.sync.report!.periodInit);
  expect(await written(chunked.db, chunked.sync.id)).toEqual(await written(whole.db, whole.sync.id));
}, 120_000);

it('a client the sync brings back (inactive to active) gets its period row in the chunk that reactivates it; new clients get theirs', async () => {
  const db = await createTestDb();
  open.push({ db });
  // Inactive seeded clients who would be eligible once active: trackable PAR, no row in their cycle's period.
  const returning = (
    await db.client.execute(`SELECT c.client_code FROM clients c JOIN products p ON p.id = c.product_id JOIN par_statuses ps ON ps.id = c.par_status_id
      WHERE c.is_active = 0 AND c.deleted_at IS NULL AND ps.is_trackable = 1
        AND NOT EXISTS (SELECT 1 FROM client_period_status s WHERE s.client_id = c.id AND s.period_key IN ${PERIODS})
        AND NOT EXISTS (SELECT 1 FROM client_period_status t WHERE t.client_id = c.id AND t.is_terminal = 1)
      ORDER BY c.client_code LIMIT 5`)
  ).rows.map((r) => String(r.client_code));
  expect(returning.length).toBe(5);
  const warehouse = testWarehouse(2_300);
  warehouse.mutate({ count: returning.length, fields: ['active'], among: returning });
  const o = open[0];
  o.harness = await startSyncHarness(db.db, { warehouse, config: { batchRows: 500 } });

  const { sync } = await o.harness.runSync({ mode: 'full' });

  expect(sync.status).toBe('done');
  expect(sync.report).toMatchObject({ writer: 'writer thread' });
  const withRow = (codes: string[]) =>
    scalar(
      db.db,
      `SELECT count(*) FROM clients c JOIN products p ON p.id = c.product_id JOIN client_period_status s ON s.client_id = c.id
       AND s.period_key = CASE p.tracking_cycle WHEN 'monthly' THEN '2026-11' ELSE '2026-Q4' END
       WHERE c.client_code IN (SELECT value FROM json_each(?))`,
      [JSON.stringify(codes)],
    );
  expect(
    await scalar(db.db, 'SELECT count(*) FROM clients WHERE is_active = 1 AND client_code IN (SELECT value FROM json_each(?))', [JSON.stringify(returning)]),
  ).toBe(5);
  expect(await withRow(returning)).toBe(5);
  const newEligible = (
    await db.client.execute(`SELECT c.client_code FROM clients c JOIN par_statuses ps ON ps.id = c.par_status_id
      WHERE c.sync_source = 'snowflake' AND c.created_at = c.updated_at AND c.is_active = 1 AND ps.is_trackable = 1`)
  ).rows.map((r) => String(r.client_code));
  expect(newEligible.length).toBeGreaterThan(100);
  expect(await withRow(newEligible)).toBe(newEligible.length);
  const created = (sync.report!.periodInit as { created: number }[]).reduce((n, p) => n + p.created, 0);
  expect(created).toBe(5 + newEligible.length);
}, 120_000);
