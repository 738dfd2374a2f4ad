// The sync's writer (decision 130): chunks go to the writer thread when one started, and to the
// service's own thread when it could not start (say, its module is missing), with the reason told.
import { afterEach, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { periodOf } from '../../app/core/status/periods';
import { startBatchWriter, type StartedBatchWriter } from '../../service/snowflake/batch-writer';
import { loadCodeMaps, type ClientValues } from '../../service/snowflake/code-maps';
import { createTestDb, type TestDb } from '../support/db';
import { scalar } from '../support/snowflake';

let t: TestDb | undefined;
let started: StartedBatchWriter | undefined;
afterEach(async () => {
  await started?.close();
  await t?.close();
  started = t = undefined;
});

const NOW = new Date('2026-11-15T02:00:00.000Z');

async function setUp() {
  t = await createTestDb();
  const [job] = (
    await t.client.execute({
      sql: "INSERT INTO sync_jobs (mode, trigger, source_view, status, started_at, created_at) VALUES ('full', 'manual', 'CLIENT_UPDATER.CLIENTS_VIEW', 'running', ?, ?) RETURNING id, started_at",
      args: [NOW.getTime(), NOW.getTime()],
    })
  ).rows;
  // Three new clients shaped like a seeded one (its lookups), under codes the database has never seen.
  const [like] = (await t.client.execute('SELECT * FROM clients WHERE is_active = 1 AND deleted_at IS NULL ORDER BY id LIMIT 1')).rows;
  const rows: ClientValues[] = ['NEW-W-1', 'NEW-W-2', 'NEW-W-3'].map((clientCode, i) => ({
    clientCode,
    fullName: `Writer, Test ${i}`,
    pensionNumber: null,
    birthDate: null,
    contactNumber: null,
    contactNumberAlt: null,
    companyId: Number(like.company_id),
    productId: Number(like.product_id),
    pensionTypeId: null,
    pensionerTypeId: null,
    accountTypeId: null,
    parStatusId: Number(like.par_status_id),
    branchId: Number(like.branch_id),
    pastDueCentavos: 0,
    loanStatus: null,
    isActive: true,
  }));
  const periods = [periodOf('monthly', NOW), periodOf('quarterly', NOW)];
  const context = {
    maps: await loadCodeMaps(t.client),
    syncJobId: Number(job.id),
    now: NOW,
    dryRun: false,
    currentPeriodKeys: periods.map((p) => p.key),
    currentPeriods: periods,
  };
  return { rows, setup: { context, sync: { id: Number(job.id), startedAt: Number(job.started_at) } } };
}

const counters = { read: 3, created: 0, updated: 0, unchanged: 0, rejected: 0, deactivated: 0 };
const written = () => scalar(t!.db, "SELECT count(*) FROM clients WHERE client_code LIKE 'NEW-W-%'");

it('a sync of more than one chunk writes on the writer thread: the rows and the progress are in the file', async () => {
  const { rows, setup } = await setUp();
  started = startBatchWriter(t!.db, setup);
  const reasons: string[] = [];

  const writer = await started.choose({ expectedRows: 10_000, batchRows: 5_000 }, (r) => reasons.push(r));
  const result = await writer.write(rows, counters);

  expect(writer.threaded).toBe(true);
  expect(reasons).toEqual([]);
  expect(result.created).toBe(3);
  expect(await written()).toBe(3);
  expect(await scalar(t!.db, 'SELECT rows_inserted FROM sync_jobs WHERE id = ?', [setup.sync.id])).toBe(3);
});

it('a writer thread that cannot start leaves the chunks to the service thread, and says why', async () => {
  const { rows, setup } = await setUp();
  started = startBatchWriter(t!.db, setup, pathToFileURL('/nonexistent/batch-writer-thread.ts'));
  const reasons: string[] = [];

  const writer = await started.choose({ expectedRows: 10_000, batchRows: 5_000 }, (r) => reasons.push(r));
  const result = await writer.write(rows, counters);

  expect(writer.threaded).toBe(false);
  expect(reasons).toHaveLength(1);
  expect(reasons[0]).toMatch(/nonexistent|Cannot find|not found|ERR_MODULE_NOT_FOUND/i);
  expect(result.created).toBe(3);
  expect(await written()).toBe(3);
});

it('one chunk is written on the service thread without asking the writer thread', async () => {
  const { rows, setup } = await setUp();
  started = startBatchWriter(t!.db, setup);

  const writer = await started.choose({ expectedRows: 3, batchRows: 5_000 });
  await writer.write(rows, counters);

  expect(writer.threaded).toBe(false);
  expect(await written()).toBe(3);
});
