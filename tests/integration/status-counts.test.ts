// The maintained aggregates (decision 100) against a full recount, after a random mix of writes
// through the real code paths: single updates (forward, same, revert), bulk updates, refused writes
// (stale version, wrong company's status, missing reason, out of scope), two connections writing
// the same row at once, reinstatement, a period initialization, a Snowflake sync batch that moves
// clients to another branch and adds a new one, and a soft delete. Deterministic per seed.
import type { InValue } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { applyBulkStatusUpdate } from '../../app/core/status/bulk-update.server';
import { applyStatusUpdate, type StatusUpdateResult } from '../../app/core/status/apply-status-update.server';
import { initializePeriod } from '../../app/core/status/initialize-period.server';
import { periodOf, shiftPeriod } from '../../app/core/status/periods';
import { reinstateClient } from '../../app/core/status/reinstate-client.server';
import { applyClientBatch } from '../../service/snowflake/client-batch';
import { loadCodeMaps, type ClientValues } from '../../service/snowflake/code-maps';
import { testContext, type TestAppContext } from '../support/app-context';
import { createTestDb, type TestDb } from '../support/db';
import { sqlRows } from '../support/sql';
import { whoIs } from '../support/status';
import { AGGREGATE_TABLES, aggregateAndRecount } from '../support/status-counts-recount';
import { seededRng } from '../support/fuzz-inputs';

const ADMIN = 'admin@demo.test';
const AREA = 'area.ncr@demo.test'; // status:update + status:revert over NCR
const OFFICER = 'branch.mnla01@demo.test'; // MNLA01 only, no revert

let t: TestDb;
let ctx: TestAppContext;
beforeEach(async () => {
  t = await createTestDb();
  ctx = testContext({ db: t.db });
});
afterEach(() => t.close());

async function expectAggregatesEqualRecount(label: string) {
  for (const table of AGGREGATE_TABLES) {
    const { stored, recount } = await aggregateAndRecount(t.client, table);
    expect(stored, `${table} after ${label}`).toEqual(recount);
  }
}

interface Row {
  clientId: number;
  periodKey: string;
  version: number;
  companyId: number;
}
interface Status {
  id: number;
  code: string;
  companyId: number | null;
  reasons: Array<{ id: number; requiresRemarks: boolean }>;
}

async function lookups() {
  const statuses = (await sqlRows(t.client, 'SELECT id, code, company_id FROM status_types WHERE is_active = 1')).map((s): Status => ({
    id: Number(s.id),
    code: String(s.code),
    companyId: s.company_id === null ? null : Number(s.company_id),
    reasons: [],
  }));
  for (const r of await sqlRows(t.client, 'SELECT id, status_type_id, requires_remarks FROM status_reasons WHERE is_active = 1')) {
    statuses.find((s) => s.id === Number(r.status_type_id))?.reasons.push({ id: Number(r.id), requiresRemarks: Number(r.requires_remarks) === 1 });
  }
  return statuses;
}

async function rowsOf(periodKey: string, extra = '1 = 1', args: InValue[] = []): Promise<Row[]> {
  return (
    await sqlRows(
      t.client,
      `SELECT p.client_id, p.period_key, p.version, c.company_id FROM client_period_status p JOIN clients c ON c.id = p.client_id
       WHERE p.period_key = ? AND ${extra} ORDER BY p.id`,
      [periodKey, ...args],
    )
  ).map((r) => ({ clientId: Number(r.client_id), periodKey: String(r.period_key), version: Number(r.version), companyId: Number(r.company_id) }));
}

const freshVersion = async (row: Row) =>
  Number(
    (await sqlRows(t.client, 'SELECT version FROM client_period_status WHERE client_id = ? AND period_key = ?', [row.clientId, row.periodKey]))[0].version,
  );

/** The sync's values for an existing client, as Snowflake would send them. */
async function sourceValues(clientId: number): Promise<ClientValues> {
  const [c] = await sqlRows(t.client, 'SELECT * FROM clients WHERE id = ?', [clientId]);
  return {
    clientCode: String(c.client_code),
    fullName: String(c.full_name),
    pensionNumber: (c.pension_number as string | null) ?? null,
    birthDate: (c.birth_date as string | null) ?? null,
    contactNumber: (c.contact_number as string | null) ?? null,
    contactNumberAlt: (c.contact_number_alt as string | null) ?? null,
    companyId: Number(c.company_id),
    productId: Number(c.product_id),
    pensionTypeId: c.pension_type_id === null ? null : Number(c.pension_type_id),
    pensionerTypeId: c.pensioner_type_id === null ? null : Number(c.pensioner_type_id),
    accountTypeId: c.account_type_id === null ? null : Number(c.account_type_id),
    parStatusId: Number(c.par_status_id),
    branchId: Number(c.branch_id),
    pastDueCentavos: Number(c.past_due_amount ?? 0),
    loanStatus: (c.loan_status as string | null) ?? null,
    isActive: Number(c.is_active) === 1,
  };
}

describe('maintained status counts', () => {
  it('are filled by the migration for the seeded rows', async () => {
    await expectAggregatesEqualRecount('the seed');
  });

  for (const seed of [1, 2, 3]) {
    it(`equal a full recount after a random mix of writes (seed ${seed})`, async () => {
      const rnd = seededRng(seed); // mulberry32: a failing mix replays from its seed
      const statuses = await lookups();
      const month = periodOf('monthly', ctx.clock.now());
      const admin = await whoIs(ctx, ADMIN);
      const area = await whoIs(ctx, AREA);
      const officer = await whoIs(ctx, OFFICER);
      const rows = await rowsOf(month.key);
      const outcomes = { ok: 0, refused: 0 };
      const tally = (r: StatusUpdateResult | { ok: boolean }) => (r.ok ? outcomes.ok++ : outcomes.refused++);
      const requestFor = async (row: Row, valid: boolean) => {
        const own = statuses.filter((s) => s.companyId === null || s.companyId === row.companyId);
        const status = valid ? rnd.pick(own) : rnd.pick(statuses);
        const reason = status.reasons.length && (valid || rnd.next() < 0.5) ? rnd.pick(status.reasons) : null;
        return {
          statusTypeId: status.id,
          reasonId: reason?.id ?? null,
          remarks: valid || rnd.next() < 0.5 ? `mix ${seed}` : null,
          hasPayment: rnd.next() < 0.4,
          baseVersion: valid ? await freshVersion(row) : rnd.pick([row.version - 1, await freshVersion(row)]),
        };
      };
      const second = await openDatabase(t.url);
      try {
        const ctx2 = testContext({ db: second.db });
        for (let step = 0; step < 40; step++) {
          const kind = rnd.int(6);
          const row = rnd.pick(rows);
          if (kind <= 1) {
            // One update by the admin or the area manager (who may revert), valid or not.
            const who = rnd.pick([admin, area]);
            tally(await applyStatusUpdate(ctx, who, row, await requestFor(row, kind === 0)));
          } else if (kind === 2) {
            // Bulk by the branch officer: rows outside MNLA01 are refused one by one.
            const items = await Promise.all(
              Array.from({ length: 2 + rnd.int(8) }, async () => {
                const r = rnd.pick(rows);
                return { clientId: r.clientId, baseVersion: await freshVersion(r) };
              }),
            );
            const target = rnd.pick(statuses.filter((s) => s.companyId === null && !s.reasons.length && s.code !== 'PENDING'));
            const results = await applyBulkStatusUpdate(ctx, officer, month.key, items, {
              statusTypeId: target?.id ?? statuses[0].id,
              reasonId: null,
              remarks: null,
              hasPayment: rnd.next() < 0.5,
            });
            results.forEach(tally);
          } else if (kind === 3) {
            // Two connections write the same row from the same base version at once.
            const request = await requestFor(row, true);
            const both = await Promise.allSettled([ctx, ctx2].map((c) => applyStatusUpdate(c, admin, row, request)));
            both.forEach((r) => tally(r.status === 'fulfilled' ? r.value : { ok: false }));
          } else if (kind === 4) {
            // Reinstate a client a terminal reason took out (when there is one).
            const [terminal] = await sqlRows(t.client, 'SELECT client_id FROM client_period_status WHERE is_terminal = 1 ORDER BY id LIMIT 1');
            if (terminal) tally(await reinstateClient(ctx, admin, Number(terminal.client_id), { remarks: `reinstated by mix ${seed}` }));
          } else {
            // The payment sync's path: has_payment set directly on the period row.
            await t.client.execute({
              sql: 'UPDATE client_period_status SET has_payment = 1, version = version + 1 WHERE client_id = ? AND period_key = ?',
              args: [row.clientId, row.periodKey],
            });
          }
        }
      } finally {
        second.client.close();
      }
      expect(outcomes.ok).toBeGreaterThan(0);
      expect(outcomes.refused).toBeGreaterThan(0);
      await expectAggregatesEqualRecount('the status writes');

      // A Snowflake sync batch: three clients with events move branch (one also changes pension
      // type), one new client arrives; then the next month is initialized.
      const moved = (await sqlRows(t.client, 'SELECT DISTINCT client_id FROM status_events ORDER BY client_id LIMIT 3')).map((r) => Number(r.client_id));
      const maps = await loadCodeMaps(t.client);
      const values = await Promise.all(moved.map(sourceValues));
      for (const v of values) {
        const others = [...maps.branches.values()].filter((b) => b.companyId === v.companyId && b.id !== v.branchId);
        v.branchId = rnd.pick(others).id;
      }
      values[0].pensionTypeId = values[0].pensionTypeId === null ? ([...maps.pensionTypes.values()][0]?.id ?? null) : null;
      values.push({ ...values[1], clientCode: `MIX-${seed}-NEW`, fullName: 'New From Sync' });
      const [job] = await sqlRows(
        t.client,
        "INSERT INTO sync_jobs (mode, trigger, source_view, created_at) VALUES ('full', 'manual', 'CLIENT_UPDATER.CLIENTS_VIEW', ?) RETURNING id",
        [ctx.clock.now().getTime()],
      );
      const tx = await t.client.transaction('write');
      await applyClientBatch(tx, values, {
        maps,
        syncJobId: Number(job.id),
        now: ctx.clock.now(),
        dryRun: false,
        currentPeriodKeys: [month.key],
        currentPeriods: [month],
      }).catch(async (error) => {
        await tx.rollback();
        throw error;
      });
      await tx.commit();
      await expectAggregatesEqualRecount('a sync that moves clients');

      const report = await initializePeriod(ctx, shiftPeriod(month, 1));
      expect(report.created).toBeGreaterThan(0);
      await expectAggregatesEqualRecount('a period initialization');

      // A soft-deleted client leaves the workspace counts but not the dashboard's.
      await t.client.execute({ sql: 'UPDATE clients SET deleted_at = ? WHERE id = ?', args: [ctx.clock.now().getTime(), moved[2]] });
      await expectAggregatesEqualRecount('a soft delete');
    }, 60_000);
  }

  it('stay exact when a status event, a period row or a client is deleted (retention, cascades)', async () => {
    const [event] = await sqlRows(t.client, 'SELECT id, client_id, period_status_id FROM status_events ORDER BY id LIMIT 1');
    await t.client.execute({ sql: 'DELETE FROM status_events WHERE id = ?', args: [Number(event.id)] });
    await t.client.execute({ sql: 'DELETE FROM client_period_status WHERE id = ?', args: [Number(event.period_status_id)] });
    const [other] = await sqlRows(t.client, 'SELECT client_id FROM status_events WHERE client_id <> ? ORDER BY id LIMIT 1', [Number(event.client_id)]);
    await t.client.execute({ sql: 'DELETE FROM clients WHERE id = ?', args: [Number(other.client_id)] });
    await expectAggregatesEqualRecount('deletes');
  });

  it('a refused write changes no aggregate', async () => {
    const [row] = await rowsOf(periodOf('monthly', ctx.clock.now()).key);
    const before = await Promise.all(AGGREGATE_TABLES.map((table) => aggregateAndRecount(t.client, table)));
    const done = (await lookups()).find((s) => s.code === 'DONE')!;
    const result = await applyStatusUpdate(ctx, await whoIs(ctx, ADMIN), row, {
      statusTypeId: done.id,
      reasonId: null, // DONE has reasons: refused
      remarks: null,
      hasPayment: true,
      baseVersion: row.version,
    });
    expect(result.ok).toBe(false);
    expect(await Promise.all(AGGREGATE_TABLES.map((table) => aggregateAndRecount(t.client, table)))).toEqual(before);
  });
});
