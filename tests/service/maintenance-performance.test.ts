// The performance job on the seeded database: snapshots per branch and per agent, checked against
// the same figures computed here in TypeScript from the raw rows.
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientPeriodStatus, performanceSnapshots, statusTypes } from '../../db/schema';
import { performanceHandler } from '../../service/maintenance/performance-snapshots';
import { createTestDb, type TestDb } from '../support/db';
import { enqueue, jobRow, movableClock, testWorker, type MovableClock } from './fixtures/job-fixtures';

let t: TestDb;
let clock: MovableClock;
beforeEach(async () => {
  t = await createTestDb();
  clock = movableClock();
});
afterEach(async () => {
  await t.close();
});

type Figures = {
  total: number;
  contacted: number;
  updated: number;
  completed: number;
  payments: number;
  terminal: number;
  conversionRateBp: number;
};

/**
 * The expected snapshot rows: a GROUP BY on client_period_status written here, independently of the
 * service's SQL (status codes instead of sequences; the rate rounded in TypeScript).
 */
async function expectedFigures(periodKey: string) {
  const group = async (by: string, where = '') =>
    t.db.all<{ k: string; total: number; contacted: number; updated: number; completed: number; payments: number; terminal: number }>(
      sql.raw(`select ${by} as k, count(*) as total,
         sum(st.code in ('CALLED', 'VISITED', 'UPDATED', 'DONE')) as contacted,
         sum(st.code in ('UPDATED', 'DONE')) as updated,
         sum(st.code = 'DONE') as completed,
         sum(cps.has_payment = 1) as payments,
         sum(cps.is_terminal = 1) as terminal
       from client_period_status cps join status_types st on st.id = cps.status_type_id
       where cps.period_key = '${periodKey}' ${where}
       group by ${by}`),
    );
  const figures = (rows: Awaited<ReturnType<typeof group>>) =>
    new Map(
      rows.map((r) => [
        r.k,
        {
          total: Number(r.total),
          contacted: Number(r.contacted),
          updated: Number(r.updated),
          completed: Number(r.completed),
          payments: Number(r.payments),
          terminal: Number(r.terminal),
          conversionRateBp: Math.round((Number(r.completed) * 10000) / Number(r.total)),
        } satisfies Figures,
      ]),
    );
  return {
    branches: figures(await group(`cps.company_id || ':' || cps.branch_id`)),
    // Agent = who last updated the row (decision 043), one row per branch (decision 092).
    agents: figures(await group(`cps.company_id || ':' || cps.branch_id || ':' || cps.last_updated_by`, 'and cps.last_updated_by is not null')),
  };
}

async function snapshotFigures(periodKey: string) {
  const rows = await t.db.select().from(performanceSnapshots).where(eq(performanceSnapshots.periodKey, periodKey));
  const pick = (r: (typeof rows)[number]): Figures => ({
    total: r.total,
    contacted: r.contacted,
    updated: r.updated,
    completed: r.completed,
    payments: r.payments,
    terminal: r.terminal,
    conversionRateBp: r.conversionRateBp,
  });
  return {
    rows,
    branches: new Map(rows.filter((r) => r.scope === 'branch').map((r) => [`${r.companyId}:${r.branchId}`, pick(r)])),
    agents: new Map(rows.filter((r) => r.scope === 'agent').map((r) => [`${r.companyId}:${r.branchId}:${r.userId}`, pick(r)])),
  };
}

describe('performance job', () => {
  it('writes per-branch and per-agent figures for the period that match the raw rows', async () => {
    const worker = testWorker(t.db, clock, { performance: performanceHandler });
    const id = await enqueue(t.db, clock, { queue: 'performance', payload: { periodKey: '2026-11' } });
    expect((await worker.runOnce())?.outcome).toBe('done');

    const expected = await expectedFigures('2026-11');
    const actual = await snapshotFigures('2026-11');
    expect(expected.branches.size).toBeGreaterThan(50);
    expect(expected.agents.size).toBeGreaterThan(0);
    expect(actual.branches).toEqual(expected.branches);
    expect(actual.agents).toEqual(expected.agents);
    expect(actual.rows.every((r) => r.periodType === 'monthly' && r.periodYear === 2026 && r.periodNumber === 11)).toBe(true);
    expect(actual.rows.every((r) => r.computedAt.getTime() === clock.now().getTime())).toBe(true);
    expect((await jobRow(t.db, id)).progress).toEqual({
      message: `2026-11: ${expected.branches.size} branch rows, ${expected.agents.size} agent rows`,
    });
  });

  it('a refresh replaces the period figures (no duplicates) and follows status changes', async () => {
    const worker = testWorker(t.db, clock, { performance: performanceHandler });
    await enqueue(t.db, clock, { queue: 'performance', payload: { periodKey: '2026-11' } });
    await worker.runOnce();
    const before = await snapshotFigures('2026-11');

    // A branch's rows all become DONE: its conversion becomes 100.00 %.
    const [done] = await t.db.select({ id: statusTypes.id }).from(statusTypes).where(eq(statusTypes.code, 'DONE'));
    const [{ branchId }] = await t.db
      .select({ branchId: clientPeriodStatus.branchId })
      .from(clientPeriodStatus)
      .where(eq(clientPeriodStatus.periodKey, '2026-11'))
      .limit(1);
    await t.db
      .update(clientPeriodStatus)
      .set({ statusTypeId: done.id })
      .where(sql`${clientPeriodStatus.periodKey} = '2026-11' and ${clientPeriodStatus.branchId} = ${branchId}`);

    clock.advance(30 * 60_000);
    await enqueue(t.db, clock, { queue: 'performance', payload: { periodKey: '2026-11' } });
    expect((await worker.runOnce())?.outcome).toBe('done');
    const after = await snapshotFigures('2026-11');
    expect(after.rows).toHaveLength(before.rows.length);
    const branch = after.rows.find((r) => r.scope === 'branch' && r.branchId === branchId)!;
    expect(branch).toMatchObject({ completed: branch.total, updated: branch.total, contacted: branch.total, conversionRateBp: 10_000 });
    expect(after.branches).toEqual((await expectedFigures('2026-11')).branches);
  });

  it('without a period key it refreshes the current periods, and once the trend periods never computed', async () => {
    const worker = testWorker(t.db, clock, { performance: performanceHandler });
    await enqueue(t.db, clock, { queue: 'performance', payload: {} });
    expect((await worker.runOnce())?.outcome).toBe('done');
    const keys = async () =>
      await t.db.all<{ k: string; at: number }>(sql`select period_key as k, max(created_at) as at from performance_snapshots group by 1 order by 1`);
    // The seed holds 2026-06..11 and 2025-Q3..2026-Q4: the current two and the five before each.
    expect((await keys()).map((k) => k.k)).toEqual([
      '2025-Q3',
      '2025-Q4',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
      '2026-Q4',
    ]);
    for (const k of ['2026-06', '2025-Q3']) expect((await snapshotFigures(k)).branches).toEqual((await expectedFigures(k)).branches);

    // The next run: only the current periods are computed again (the past ones exist).
    const first = new Map((await keys()).map((k) => [k.k, Number(k.at)]));
    clock.advance(30 * 60_000);
    await enqueue(t.db, clock, { queue: 'performance', payload: {} });
    expect((await worker.runOnce())?.outcome).toBe('done');
    const moved = (await keys()).filter((k) => Number(k.at) !== first.get(k.k)).map((k) => k.k);
    expect(moved).toEqual(['2026-11', '2026-Q4']);
  });

  it('per agent: rows the agent updated last, per branch; they add up to the branch rows anyone updated', async () => {
    const worker = testWorker(t.db, clock, { performance: performanceHandler });
    await enqueue(t.db, clock, { queue: 'performance', payload: { periodKey: '2026-11' } });
    await worker.runOnce();
    const { rows } = await snapshotFigures('2026-11');
    const touched = await t.db.all<{ branch_id: number; n: number }>(
      sql`select branch_id, count(*) as n from client_period_status where period_key = '2026-11' and last_updated_by is not null group by branch_id`,
    );
    for (const b of touched) {
      const agentSum = rows.filter((r) => r.scope === 'agent' && r.branchId === b.branch_id).reduce((a, r) => a + r.total, 0);
      expect(agentSum, `branch ${b.branch_id}`).toBe(Number(b.n));
    }
    expect(rows.every((r) => r.branchId !== null)).toBe(true);
  });

  it('a bad period key is dead at once and leaves the snapshots alone', async () => {
    const worker = testWorker(t.db, clock, { performance: performanceHandler });
    const id = await enqueue(t.db, clock, { queue: 'performance', payload: { periodKey: 'November' } });
    expect((await worker.runOnce())?.outcome).toBe('dead');
    expect((await jobRow(t.db, id)).lastError).toContain('periodKey "November" is not a period');
    expect(await t.db.select().from(performanceSnapshots)).toEqual([]);
  });
});
