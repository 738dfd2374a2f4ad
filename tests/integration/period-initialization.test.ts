// Period initialization (shared/domain.md): one set-based, idempotent INSERT … SELECT per period that
// creates a PENDING row for exactly the eligible clients, and reports why the others were left out.
// Compared with an independent SQL answer on the seeded base (today 2026-11-15, rows up to 2026-11
// and 2026-Q4), and once at 200,000 clients counting the INSERT statements at the libSQL client.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import type { AppDatabase } from '../../db/database';
import { migrateDatabase } from '../../db/migrate';
import { seedDatabase } from '../../db/seed/index';
import { initializePeriod, type InitializationReport, type PeriodRef } from '../../app/core/status/initialize-period.server';
import { testContext, type TestAppContext } from '../support/app-context';
import { fileUrl, newTestDir } from '../support/db-base';
import { createTestDb, TEST_DB_SEED, type TestDb } from '../support/db';
import { idByCode, sqlCount, sqlRows } from '../support/sql';
import { eligibleClientIds, eligibleClientsSql, recordStatements, statusIdOf } from '../support/status';

const DECEMBER: PeriodRef = { type: 'monthly', year: 2026, number: 12 };
const Q1_2027: PeriodRef = { type: 'quarterly', year: 2027, number: 1 };

let t: TestDb;
let ctx: TestAppContext;

beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

const rowsOf = (client: Client, key: string) => sqlRows(client, 'SELECT * FROM client_period_status WHERE period_key = ? ORDER BY client_id', [key]);
const clientIdsOf = async (client: Client, key: string) => (await rowsOf(client, key)).map((r) => Number(r.client_id));

/** Why clients are left out, answered directly (each client in its first matching bucket, as the report says). */
async function expectedBuckets(client: Client, period: PeriodRef) {
  const base = `FROM clients c JOIN products p ON p.id = c.product_id JOIN par_statuses ps ON ps.id = c.par_status_id`;
  const live = 'c.is_active = 1 AND c.deleted_at IS NULL';
  const eligible = eligibleClientsSql(period.type, period.year, period.number);
  return {
    inactive: await sqlCount(client, `SELECT count(*) ${base} WHERE NOT (${live})`),
    parNotTrackable: await sqlCount(client, `SELECT count(*) ${base} WHERE ${live} AND ps.is_trackable = 0`),
    otherCycle: await sqlCount(client, `SELECT count(*) ${base} WHERE ${live} AND ps.is_trackable = 1 AND p.tracking_cycle <> ?`, [period.type]),
    terminalEarlier:
      (await sqlCount(client, `SELECT count(*) ${base} WHERE ${live} AND ps.is_trackable = 1 AND p.tracking_cycle = ?`, [period.type])) -
      (await sqlCount(client, `SELECT count(*) FROM (${eligible.sql})`, eligible.args)),
  };
}

function bucketTotal(report: InitializationReport): number {
  const l = report.leftOut;
  return l.inactive + l.parNotTrackable + l.otherCycle + l.terminalEarlier + report.created + report.alreadyPresent;
}

/** The first `n` clients eligible for December whose product is monthly (FCASH or PCNI Non-PNP). */
async function eligibleForDecember(client: Client, n: number, skip = 0): Promise<number[]> {
  return (await eligibleClientIds(client, 'monthly', 2026, 12)).slice(skip, skip + n);
}

describe('initializePeriod on the seeded base', () => {
  it('creates a PENDING row for exactly the eligible clients of the next month, copying company and branch', async () => {
    const expected = await eligibleClientIds(t.client, 'monthly', 2026, 12);
    expect(expected.length).toBeGreaterThan(1000);
    const report = await initializePeriod(ctx, DECEMBER);
    expect(report.periodKey).toBe('2026-12');
    expect(report.created).toBe(expected.length);
    expect(report.alreadyPresent).toBe(0);
    expect(await clientIdsOf(t.client, '2026-12')).toEqual(expected);

    const pending = await statusIdOf(t.client, 'PENDING');
    const mismatched = await sqlRows(
      t.client,
      `SELECT s.* FROM client_period_status s JOIN clients c ON c.id = s.client_id
       WHERE s.period_key = '2026-12' AND NOT (
         s.company_id = c.company_id AND s.branch_id = c.branch_id AND s.period_type = 'monthly' AND s.period_year = 2026
         AND s.period_number = 12 AND s.status_type_id = ? AND s.status_reason_id IS NULL AND s.remarks IS NULL
         AND s.has_payment = 0 AND s.is_terminal = 0 AND s.update_count = 0 AND s.version = 1
         AND s.last_updated_by IS NULL AND s.last_updated_at IS NULL)`,
      [pending],
    );
    expect(mismatched).toEqual([]);
    // Creating rows writes no events.
    expect(
      await sqlCount(t.client, "SELECT count(*) FROM status_events e JOIN client_period_status s ON s.id = e.period_status_id WHERE s.period_key = '2026-12'"),
    ).toBe(0);
  });

  it('reports why the others were left out, and the buckets add up to every client', async () => {
    const report = await initializePeriod(ctx, DECEMBER);
    expect(report.leftOut).toEqual(await expectedBuckets(t.client, DECEMBER));
    expect(report.leftOut.terminalEarlier).toBeGreaterThan(0); // the seed has terminal clients in earlier months
    expect(report.leftOut.otherCycle).toBeGreaterThan(0); // PCNI PNP is quarterly
    expect(bucketTotal(report)).toBe(await sqlCount(t.client, 'SELECT count(*) FROM clients'));
  });

  it('leaves out an inactive, a deleted and a tele_hardcore (not trackable) client, and counts each in its bucket', async () => {
    const [inactive, deleted, hardcore, kept] = await eligibleForDecember(t.client, 4);
    const eligibleBefore = (await eligibleClientIds(t.client, 'monthly', 2026, 12)).length;
    const bucketsBefore = await expectedBuckets(t.client, DECEMBER);
    await t.client.execute('UPDATE clients SET is_active = 0 WHERE id = ?', [inactive]);
    await t.client.execute('UPDATE clients SET deleted_at = ? WHERE id = ?', [ctx.clock.now().getTime(), deleted]);
    await t.client.execute('UPDATE clients SET par_status_id = ? WHERE id = ?', [await idByCode(t.client, 'par_statuses', 'tele_hardcore'), hardcore]);

    const report = await initializePeriod(ctx, DECEMBER);
    const created = await clientIdsOf(t.client, '2026-12');
    expect(created).not.toContain(inactive);
    expect(created).not.toContain(deleted);
    expect(created).not.toContain(hardcore);
    expect(created).toContain(kept);
    expect(report.created).toBe(eligibleBefore - 3);
    expect(created).toEqual(await eligibleClientIds(t.client, 'monthly', 2026, 12));
    expect(report.leftOut).toEqual({
      ...bucketsBefore,
      inactive: bucketsBefore.inactive + 2,
      parNotTrackable: bucketsBefore.parNotTrackable + 1,
    });
    expect(bucketTotal(report)).toBe(await sqlCount(t.client, 'SELECT count(*) FROM clients'));
  });

  it('is idempotent: a second run creates 0, reports them as already present and changes nothing', async () => {
    const first = await initializePeriod(ctx, DECEMBER);
    const rows = await rowsOf(t.client, '2026-12');
    const second = await initializePeriod(ctx, DECEMBER);
    expect(second).toEqual({ ...first, created: 0, alreadyPresent: first.created });
    expect(await rowsOf(t.client, '2026-12')).toEqual(rows);
    expect(bucketTotal(second)).toBe(await sqlCount(t.client, 'SELECT count(*) FROM clients'));
  });

  it('keeps quarterly and monthly products apart', async () => {
    const monthly = await initializePeriod(ctx, DECEMBER);
    const quarterly = await initializePeriod(ctx, Q1_2027);
    expect(quarterly.periodKey).toBe('2027-Q1');
    expect(quarterly.created).toBe((await eligibleClientIds(t.client, 'quarterly', 2027, 1)).length);
    expect(quarterly.created).toBeGreaterThan(0);
    expect(await clientIdsOf(t.client, '2027-Q1')).toEqual(await eligibleClientIds(t.client, 'quarterly', 2027, 1));
    expect(quarterly.leftOut).toEqual(await expectedBuckets(t.client, Q1_2027));

    const cyclesIn = (key: string) =>
      sqlRows(
        t.client,
        `SELECT p.tracking_cycle AS cycle, s.period_type AS type, s.period_number AS number, count(*) AS n FROM client_period_status s
       JOIN clients c ON c.id = s.client_id JOIN products p ON p.id = c.product_id WHERE s.period_key = ? GROUP BY 1, 2, 3`,
        [key],
      );
    expect(await cyclesIn('2026-12')).toEqual([{ cycle: 'monthly', type: 'monthly', number: 12, n: monthly.created }]);
    expect(await cyclesIn('2027-Q1')).toEqual([{ cycle: 'quarterly', type: 'quarterly', number: 1, n: quarterly.created }]);
    const pnpOnly = await sqlRows(
      t.client,
      `SELECT DISTINCT p.code FROM client_period_status s JOIN clients c ON c.id = s.client_id JOIN products p ON p.id = c.product_id
       WHERE s.period_key = '2027-Q1'`,
    );
    expect(pnpOnly).toEqual([{ code: 'PCNI_PNP' }]);
    // Each period's "other cycle" bucket is the other period's trackable, active clients.
    expect(monthly.leftOut.otherCycle).toBe(quarterly.created + quarterly.leftOut.terminalEarlier);
    expect(quarterly.leftOut.otherCycle).toBe(monthly.created + monthly.leftOut.terminalEarlier);
  });

  it('in the current month creates nothing more, then only the newly eligible clients after a sync', async () => {
    const present = await sqlCount(t.client, "SELECT count(*) FROM client_period_status WHERE period_key = '2026-11'");
    const again = await initializePeriod(ctx, { type: 'monthly', year: 2026, number: 11 });
    expect(again).toMatchObject({ created: 0, alreadyPresent: present });

    // A sync reactivates a client and brings a new one.
    const [reactivated] = await sqlRows(
      t.client,
      `SELECT c.id FROM clients c JOIN products p ON p.id = c.product_id JOIN par_statuses ps ON ps.id = c.par_status_id
       WHERE c.is_active = 0 AND ps.is_trackable = 1 AND p.tracking_cycle = 'monthly' ORDER BY c.id LIMIT 1`,
    );
    await t.client.execute('UPDATE clients SET is_active = 1 WHERE id = ?', [Number(reactivated.id)]);
    const inserted = await t.client.execute({
      sql: `INSERT INTO clients (client_code, full_name, company_id, product_id, par_status_id, branch_id, sync_source)
            SELECT 'SYNC-NEW-1', 'New From Sync', p.company_id, p.id, (SELECT id FROM par_statuses WHERE code = 'tele_130'),
                   (SELECT id FROM branches WHERE code = 'MNLA01' AND company_id = p.company_id), 'snowflake'
            FROM products p WHERE p.code = 'FCASH_SSS' RETURNING id`,
      args: [],
    });
    const newId = Number(inserted.rows[0].id);

    const afterSync = await initializePeriod(ctx, { type: 'monthly', year: 2026, number: 11 });
    expect(afterSync.created).toBe(2);
    expect(afterSync.alreadyPresent).toBe(present);
    const ids = await clientIdsOf(t.client, '2026-11');
    expect(ids).toContain(Number(reactivated.id));
    expect(ids).toContain(newId);
    expect(ids).toEqual(await eligibleClientIds(t.client, 'monthly', 2026, 11));
  });

  it('leaves out only clients terminal in an EARLIER period (a later terminal row does not count)', async () => {
    // Terminal in November 2026, yet eligible for an earlier month (May 2026, before the seeded months).
    const [terminalNovember] = await sqlRows(
      t.client,
      "SELECT client_id FROM client_period_status WHERE period_key = '2026-11' AND is_terminal = 1 ORDER BY client_id LIMIT 1",
    );
    const may = await initializePeriod(ctx, { type: 'monthly', year: 2026, number: 5 });
    expect(may.leftOut.terminalEarlier).toBe(0);
    expect(await clientIdsOf(t.client, '2026-05')).toContain(Number(terminalNovember.client_id));
    expect(await clientIdsOf(t.client, '2026-05')).toEqual(await eligibleClientIds(t.client, 'monthly', 2026, 5));
    // …and out of December.
    await initializePeriod(ctx, DECEMBER);
    expect(await clientIdsOf(t.client, '2026-12')).not.toContain(Number(terminalNovember.client_id));
  });

  // A client who had a row and has since left (deactivated) is counted once: as left out, not also as present.
  it('still adds up when a client with a row was deactivated after the first run', async () => {
    await initializePeriod(ctx, DECEMBER);
    const [client] = await eligibleForDecember(t.client, 1);
    await t.client.execute('UPDATE clients SET is_active = 0 WHERE id = ?', [client]);
    const report = await initializePeriod(ctx, DECEMBER);
    expect(bucketTotal(report)).toBe(await sqlCount(t.client, 'SELECT count(*) FROM clients'));
  });
});

describe('initializePeriod at 200,000 clients', () => {
  const TOTAL = 200_000;
  let dir: string;
  let client: Client;
  let db: AppDatabase;
  let buildMs = 0;

  beforeAll(async () => {
    const started = performance.now();
    dir = newTestDir('init-200k');
    ({ client, db } = await openDatabase(fileUrl(join(dir, 'scale.db'))));
    await migrateDatabase(client);
    // Reference data and the demo territory (150 branches), no users, no generated clients…
    await seedDatabase(client, { clients: 0, demoUsers: false, seed: TEST_DB_SEED.seed, today: TEST_DB_SEED.today });
    // …then 200,000 minimal clients in one INSERT … SELECT over a recursive CTE: products round-robin
    // (3 of 5 monthly FCASH, 1 monthly PCNI, 1 quarterly PCNI PNP), each company's branches in turn,
    // 1 in 25 at 60+ days (not trackable), 1 in 53 inactive, 1 in 211 deleted.
    await client.execute({
      sql: `INSERT INTO clients (client_code, full_name, company_id, product_id, pension_type_id, par_status_id, branch_id, is_active, deleted_at, sync_source)
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
            p AS (SELECT id, company_id, pension_type_id, row_number() OVER (ORDER BY id) - 1 AS rn FROM products),
            b AS (SELECT id, company_id, row_number() OVER (PARTITION BY company_id ORDER BY id) - 1 AS rn,
                         count(*) OVER (PARTITION BY company_id) AS cnt
                  FROM branches WHERE is_active = 1 AND deleted_at IS NULL),
            par AS (SELECT max(CASE code WHEN 'do_not_show' THEN id END) AS current_id, max(CASE code WHEN 'tele_130' THEN id END) AS late_id,
                           max(CASE code WHEN 'tele_hardcore' THEN id END) AS hardcore_id FROM par_statuses)
            SELECT printf('SCALE-%06d', n.i), 'Scale Client ' || n.i, p.company_id, p.id, p.pension_type_id,
                   CASE WHEN n.i % 25 = 7 THEN par.hardcore_id WHEN n.i % 9 = 0 THEN par.late_id ELSE par.current_id END,
                   b.id, CASE WHEN n.i % 53 = 3 THEN 0 ELSE 1 END, CASE WHEN n.i % 211 = 5 THEN ? END, 'test'
            FROM n JOIN p ON p.rn = n.i % 5 JOIN b ON b.company_id = p.company_id AND b.rn = (n.i / 5) % b.cnt CROSS JOIN par`,
      args: [TOTAL - 1, Date.parse('2026-11-01T00:00:00Z')],
    });
    // Some history: 1 in 101 clients has a November row; of those, every other one terminal.
    const done = await idByCode(client, 'status_types', 'DONE');
    await client.execute({
      sql: `INSERT INTO client_period_status (client_id, company_id, branch_id, period_type, period_year, period_number, period_key,
                                              status_type_id, is_terminal, update_count, version)
            SELECT c.id, c.company_id, c.branch_id, 'monthly', 2026, 11, '2026-11', ?, (c.id / 101) % 2, 1, 2
            FROM clients c JOIN products p ON p.id = c.product_id WHERE p.tracking_cycle = 'monthly' AND c.id % 101 = 0`,
      args: [done],
    });
    buildMs = performance.now() - started;
  }, 120_000);

  afterAll(() => {
    client?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates exactly the eligible clients in ONE insert statement per period; a second run creates nothing', async () => {
    expect(await sqlCount(client, 'SELECT count(*) FROM clients')).toBe(TOTAL);
    const ctx200k = testContext({ db });
    const recorder = recordStatements(client);
    const timings: Record<string, number> = {};
    const timed = async <T>(label: string, work: () => Promise<T>) => {
      const started = performance.now();
      const value = await work();
      timings[label] = Math.round(performance.now() - started);
      return value;
    };
    try {
      const expected = eligibleClientsSql('monthly', 2026, 12);
      const eligible = await sqlCount(client, `SELECT count(*) FROM (${expected.sql})`, expected.args);
      expect(eligible).toBeGreaterThan(100_000);

      const first = await timed('first run', () => initializePeriod(ctx200k, DECEMBER));
      expect(recorder.periodStatusInserts()).toHaveLength(1);
      expect(first.created).toBe(eligible);
      expect(first.alreadyPresent).toBe(0);
      expect(first.leftOut.terminalEarlier).toBeGreaterThan(0);
      expect(bucketTotal(first)).toBe(TOTAL);
      // The very clients, not just as many: no row outside the eligible set, none missing.
      expect(
        await sqlCount(
          client,
          `SELECT count(*) FROM (SELECT client_id FROM client_period_status WHERE period_key = '2026-12' EXCEPT ${expected.sql})`,
          expected.args,
        ),
      ).toBe(0);
      expect(
        await sqlCount(
          client,
          `SELECT count(*) FROM (${expected.sql} EXCEPT SELECT client_id FROM client_period_status WHERE period_key = '2026-12')`,
          expected.args,
        ),
      ).toBe(0);

      const second = await timed('second run', () => initializePeriod(ctx200k, DECEMBER));
      expect(recorder.periodStatusInserts()).toHaveLength(2); // still one statement for the run
      expect(second).toEqual({ ...first, created: 0, alreadyPresent: eligible });
      expect(await sqlCount(client, "SELECT count(*) FROM client_period_status WHERE period_key = '2026-12'")).toBe(eligible);

      const quarterly = await timed('quarterly run', () => initializePeriod(ctx200k, Q1_2027));
      expect(recorder.periodStatusInserts()).toHaveLength(3);
      const expectedQ = eligibleClientsSql('quarterly', 2027, 1);
      expect(quarterly.created).toBe(await sqlCount(client, `SELECT count(*) FROM (${expectedQ.sql})`, expectedQ.args));
      expect(bucketTotal(quarterly)).toBe(TOTAL);
    } finally {
      recorder.restore();
      console.log(`200k: built in ${Math.round(buildMs)} ms; ${JSON.stringify(timings)}; ${recorder.statements.length} statements sent`);
    }
  }, 60_000);
});
