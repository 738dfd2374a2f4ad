// The Snowflake sync end to end: the real snowflake-sdk (key-pair login) against the loopback fake,
// the real job worker, a fresh copy of the seeded test database per test. The fake's warehouse
// starts as the test database's own 2,000 clients, so every difference below is one we made.
import { afterEach, describe, expect, it } from 'vitest';
import type { ColumnChange } from '../../fakes/snowflake/warehouse';
import { createTestDb, type TestDb } from '../support/db';
import { clientsSnapshot, scalar, startSyncHarness, testWarehouse, type SyncHarness } from '../support/snowflake';

const HISTORY_FIELD: Record<string, string> = {
  FULL_NAME: 'full_name',
  PENSION_NUMBER: 'pension_number',
  BIRTH_DATE: 'birth_date',
  CONTACT_NUMBER: 'contact_number',
  CONTACT_NUMBER_ALT: 'contact_number_alt',
  PENSION_TYPE_CODE: 'pension_type',
  PENSIONER_TYPE_CODE: 'pensioner_type',
  PRODUCT_CODE: 'product',
  BRANCH_CODE: 'branch',
  PAR_STATUS_CODE: 'par_status',
  ACCOUNT_TYPE_CODE: 'account_type',
  PAST_DUE_AMOUNT: 'past_due_amount',
  LOAN_STATUS: 'loan_status',
  IS_ACTIVE: 'is_active',
};

let testDb: TestDb | undefined;
let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  await testDb?.close();
  harness = undefined;
  testDb = undefined;
});

const historyOf = async (db: TestDb, syncJobId: number) =>
  (
    await db.client.execute({
      sql: 'SELECT c.client_code, h.field, h.old_value, h.new_value FROM client_sync_history h JOIN clients c ON c.id = h.client_id WHERE h.sync_job_id = ? ORDER BY 1, 2',
      args: [syncJobId],
    })
  ).rows.map((r) => `${r.client_code} ${r.field}: ${r.old_value} -> ${r.new_value}`);

const expected = (changes: ColumnChange[]) => changes.map((c) => `${c.clientCode} ${HISTORY_FIELD[c.column]}: ${c.old} -> ${c.new}`).sort();

describe('Snowflake full sync', () => {
  it('creates the new clients, updates the changed ones with a history row per field, and gives them this period', async () => {
    testDb = await createTestDb();
    const warehouse = testWarehouse(2_300); // the 2,000 seeded clients + 300 the database has never seen
    const seeded = warehouse.clientCodes().slice(0, 2_000);
    const changed = warehouse.mutate({ count: 40, fields: ['branch', 'par', 'product', 'contact', 'amount'], among: seeded });
    harness = await startSyncHarness(testDb.db, { warehouse });

    const { outcome, sync } = await harness.runSync({ mode: 'full' });

    expect(outcome).toBe('done');
    expect(sync.status).toBe('done');
    expect(sync).toMatchObject({ rows_read: 2_300, rows_inserted: 300, rows_updated: 40, rows_unchanged: 1_960, rows_rejected: 0, rows_deactivated: 0 });
    expect(await historyOf(testDb, sync.id)).toEqual(expected(changed));
    expect(await scalar(testDb.db, 'SELECT count(*) FROM clients')).toBe(2_300);
    // A moved client is in its new branch, and its open period rows went with it.
    const moved = changed.find((c) => c.column === 'BRANCH_CODE')!;
    const row = (
      await testDb.client.execute({
        sql: `SELECT b.code AS branch, (SELECT count(*) FROM client_period_status s WHERE s.client_id = c.id AND s.period_key IN ('2026-11', '2026-Q4') AND s.branch_id <> c.branch_id) AS stale
            FROM clients c JOIN branches b ON b.id = c.branch_id WHERE c.client_code = ?`,
        args: [moved.clientCode],
      })
    ).rows[0];
    expect(row).toMatchObject({ branch: moved.new, stale: 0 });
    // Every new, active, trackable client got its PENDING row for the current period of its cycle.
    const newWithoutPeriod = await scalar(
      testDb.db,
      `
      SELECT count(*) FROM clients c JOIN products p ON p.id = c.product_id JOIN par_statuses ps ON ps.id = c.par_status_id
      WHERE c.sync_source = 'snowflake' AND c.created_at = c.updated_at AND c.is_active = 1 AND ps.is_trackable = 1
        AND NOT EXISTS (SELECT 1 FROM client_period_status s WHERE s.client_id = c.id
                        AND s.period_key = CASE p.tracking_cycle WHEN 'monthly' THEN '2026-11' ELSE '2026-Q4' END)`,
    );
    expect(newWithoutPeriod).toBe(0);
    expect(sync.report).toMatchObject({ complete: true, changesTotal: changed.length, periodInit: [{ periodKey: '2026-11' }, { periodKey: '2026-Q4' }] });
    expect(harness.fake.counters.logins).toBe(1);
    expect(harness.fake.counters.chunks).toBeGreaterThan(1); // the rows came in chunks, as large results do
  });

  it('a second full sync with 1% of the rows changed records exactly those field changes and nothing else', async () => {
    testDb = await createTestDb();
    const warehouse = testWarehouse(2_000);
    harness = await startSyncHarness(testDb.db, { warehouse });
    const first = await harness.runSync({ mode: 'full' });
    expect(first.sync).toMatchObject({ status: 'done', rows_updated: 0, rows_unchanged: 2_000 });

    const changed = warehouse.mutate({ percent: 1, fields: ['branch', 'par', 'product', 'contact', 'amount', 'active', 'name', 'loan_status'] });
    const historyBefore = await scalar(testDb.db, 'SELECT count(*) FROM client_sync_history');
    harness.clock.advance(60_000);
    const second = await harness.runSync({ mode: 'full' });

    expect(second.sync).toMatchObject({ status: 'done', rows_read: 2_000, rows_inserted: 0, rows_updated: 20, rows_unchanged: 1_980, rows_deactivated: 0 });
    const history = await historyOf(testDb, second.sync.id);
    expect(history).toEqual(expected(changed));
    expect(await scalar(testDb.db, 'SELECT count(*) FROM client_sync_history')).toBe(historyBefore + changed.length);
    expect(changed.length).toBeGreaterThan(20); // product changes carry their pension type
  });

  it('deactivates clients missing from a complete full sync, each with an is_active history row', async () => {
    testDb = await createTestDb();
    const warehouse = testWarehouse(2_000);
    const gone = warehouse.clientCodes().filter((_, i) => i % 250 === 7); // 8 clients
    const activeGone = await scalar(testDb.db, `SELECT count(*) FROM clients WHERE is_active = 1 AND client_code IN (${gone.map(() => '?').join(',')})`, gone);
    warehouse.removeRows(gone);
    harness = await startSyncHarness(testDb.db, { warehouse });

    const { sync } = await harness.runSync({ mode: 'full' });

    expect(sync).toMatchObject({ status: 'done', rows_read: 1_992, rows_deactivated: activeGone });
    expect(await scalar(testDb.db, `SELECT count(*) FROM clients WHERE is_active = 1 AND client_code IN (${gone.map(() => '?').join(',')})`, gone)).toBe(0);
    expect(
      await scalar(
        testDb.db,
        "SELECT count(*) FROM client_sync_history WHERE sync_job_id = ? AND field = 'is_active' AND old_value = '1' AND new_value = '0'",
        [sync.id],
      ),
    ).toBe(activeGone);
  });

  it('holds deactivation back when too many clients vanish at once, and says so', async () => {
    testDb = await createTestDb();
    const warehouse = testWarehouse(2_000);
    warehouse.removeRows(warehouse.clientCodes().slice(0, 600)); // 30 %: an upstream fault, not 600 closures
    harness = await startSyncHarness(testDb.db, { warehouse });
    const before = await scalar(testDb.db, 'SELECT count(*) FROM clients WHERE is_active = 1');

    const { sync } = await harness.runSync({ mode: 'full' });

    expect(sync).toMatchObject({ status: 'done', rows_deactivated: 0 });
    expect(String((sync.report?.deactivation as { heldBack?: string }).heldBack)).toMatch(/none deactivated/);
    expect(await scalar(testDb.db, 'SELECT count(*) FROM clients WHERE is_active = 1')).toBe(before);
  });
});

describe('Snowflake incremental, dry-run and branch-filtered syncs', () => {
  it('incremental reads only rows updated since the last complete sync, and carries the watermark on', async () => {
    testDb = await createTestDb();
    const warehouse = testWarehouse(2_000);
    harness = await startSyncHarness(testDb.db, { warehouse });
    const full = await harness.runSync({ mode: 'full' });
    const changed = warehouse.mutate({ count: 7, fields: ['branch', 'par'] });
    harness.clock.advance(60_000);

    const inc = await harness.runSync({ mode: 'incremental', manual: false });

    expect(inc.sync).toMatchObject({
      status: 'done',
      mode: 'incremental',
      rows_read: 7,
      rows_updated: 7,
      rows_deactivated: 0,
      watermark_from: full.sync.watermark_to,
    });
    expect(Number(inc.sync.watermark_to)).toBe(warehouse.latestUpdatedMs);
    expect(await historyOf(testDb, inc.sync.id)).toEqual(expected(changed));
    expect(harness.fake.statements.at(-1)?.sqlText).toMatch(/WHERE UPDATED_AT > \?/);

    harness.clock.advance(60_000);
    const nothing = await harness.runSync({ mode: 'incremental', manual: false });
    expect(nothing.sync).toMatchObject({ status: 'done', rows_read: 0, watermark_from: inc.sync.watermark_to, watermark_to: inc.sync.watermark_to });
  });

  it('a dry run reports what would change and writes no client', async () => {
    testDb = await createTestDb();
    const warehouse = testWarehouse(2_100);
    warehouse.removeRows(warehouse.clientCodes().slice(10, 15));
    const changed = warehouse.mutate({ count: 12, fields: ['branch', 'contact', 'par'], among: warehouse.clientCodes().slice(0, 1_995) });
    harness = await startSyncHarness(testDb.db, { warehouse });
    const before = await clientsSnapshot(testDb.db);
    const historyBefore = await scalar(testDb.db, 'SELECT count(*) FROM client_sync_history');
    const periodRowsBefore = await scalar(testDb.db, 'SELECT count(*) FROM client_period_status');

    const dry = await harness.runSync({ mode: 'full', dryRun: true });

    expect(dry.sync).toMatchObject({ status: 'done', is_dry_run: 1, rows_inserted: 100, rows_updated: 12, rows_deactivated: 5, watermark_to: null });
    expect((dry.sync.report?.changes as unknown[]).length).toBe(changed.length);
    expect(await clientsSnapshot(testDb.db)).toBe(before);
    expect(await scalar(testDb.db, 'SELECT count(*) FROM client_sync_history')).toBe(historyBefore);
    expect(await scalar(testDb.db, 'SELECT count(*) FROM client_period_status')).toBe(periodRowsBefore);

    // The real run then does what the preview said.
    harness.clock.advance(60_000);
    const real = await harness.runSync({ mode: 'full' });
    expect(real.sync).toMatchObject({ rows_inserted: 100, rows_updated: 12, rows_deactivated: 5 });
  });

  it('a branch-filtered sync reads only those branches and never deactivates', async () => {
    testDb = await createTestDb();
    const warehouse = testWarehouse(2_000);
    const inBranch = (code: string) => warehouse.row(code)?.BRANCH_CODE === 'MNLA01';
    const branchCodes = warehouse.clientCodes().filter(inBranch);
    warehouse.removeRows(branchCodes.slice(0, 2)); // gone from the source, but a filtered run must not act on it
    const edited = branchCodes[2];
    const change = warehouse.patch(edited, { LOAN_STATUS: 'RESTRUCTURED', CONTACT_NUMBER: '09171234567' });
    const elsewhere = warehouse.clientCodes().find((c) => !inBranch(c))!;
    warehouse.patch(elsewhere, { CONTACT_NUMBER: '09998887777' });
    harness = await startSyncHarness(testDb.db, { warehouse });

    const { sync } = await harness.runSync({ mode: 'full', branchCodes: ['MNLA01'] });

    expect(sync).toMatchObject({ status: 'done', rows_read: branchCodes.length - 2, rows_updated: 1, rows_deactivated: 0 });
    expect(sync.report).toMatchObject({ branchCodes: ['MNLA01'], deactivation: { skipped: expect.stringMatching(/branch-filtered/) } });
    expect(await historyOf(testDb, sync.id)).toEqual(expected(change));
    expect(await scalar(testDb.db, 'SELECT count(*) FROM clients WHERE client_code = ? AND contact_number = ?', [elsewhere, '09998887777'])).toBe(0);
    expect(harness.fake.statements.at(-1)?.sqlText).toMatch(/BRANCH_CODE IN \(\?\)/);
  });
});

describe('Snowflake rows the sync refuses', () => {
  it('rejects malformed rows and unknown codes into the report, stores nothing of them, and deactivates none', async () => {
    testDb = await createTestDb();
    const warehouse = testWarehouse(2_000);
    const bad = warehouse.corrupt({ count: 12, kinds: ['bad_date', 'unknown_product', 'unknown_branch', 'unknown_par', 'bad_amount', 'missing_name'] });
    harness = await startSyncHarness(testDb.db, { warehouse });
    const before = await clientsSnapshot(testDb.db);

    const { outcome, sync } = await harness.runSync({ mode: 'full' });

    expect(outcome).toBe('done');
    expect(sync).toMatchObject({ status: 'done', rows_read: 2_000, rows_rejected: 12, rows_updated: 0, rows_deactivated: 0 });
    const rejected = sync.report?.rejected as { clientCode: string; reason: string }[];
    const reasons = Object.fromEntries(rejected.map((r) => [r.clientCode, r.reason]));
    const pattern: Record<string, RegExp> = {
      bad_date: /BIRTH_DATE '1950-02-30' is not a date/,
      unknown_product: /PRODUCT_CODE 'FCASH_GOLD' is unknown/,
      unknown_branch: /BRANCH_CODE 'ZZZ99' is unknown/,
      unknown_par: /PAR_STATUS_CODE 'tele_999' is unknown/,
      bad_amount: /PAST_DUE_AMOUNT '12,3O4.50' is not an amount/,
      missing_name: /FULL_NAME is missing/,
    };
    for (const b of bad) expect(reasons[b.clientCode]).toMatch(pattern[b.kind]);
    expect(await clientsSnapshot(testDb.db)).toBe(before); // the rest were unchanged; the bad ones kept their last good values
  });
});
