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

type Figures = { total: number; contacted: number; updated: number; completed: number; conversionRateBp: number };

/** The expected snapshot rows, computed row by row in TypeScript. */
async function expectedFigures(periodKey: string) {
  const rows = await t.db.all<{ id: number; company_id: number; branch_id: number; code: string; seq: number }>(sql`
    select cps.id, cps.company_id, cps.branch_id, st.code, st.sequence as seq
    from client_period_status cps join status_types st on st.id = cps.status_type_id where cps.period_key = ${periodKey}`);
  const events = await t.db.all<{ period_status_id: number; created_by: number }>(sql`
    select se.period_status_id, se.created_by from status_events se
    join client_period_status cps on cps.id = se.period_status_id where cps.period_key = ${periodKey} and se.created_by is not null`);
  const seqOf = async (code: string) => (await t.db.select({ s: statusTypes.sequence }).from(statusTypes).where(eq(statusTypes.code, code)))[0].s;
  const [called, updated] = [await seqOf('CALLED'), await seqOf('UPDATED')];
  const add = (map: Map<string, Figures>, key: string, r: (typeof rows)[number]) => {
    const f = map.get(key) ?? { total: 0, contacted: 0, updated: 0, completed: 0, conversionRateBp: 0 };
    f.total++;
    if (r.seq >= called) f.contacted++;
    if (r.seq >= updated) f.updated++;
    if (r.code === 'DONE') f.completed++;
    f.conversionRateBp = Math.round((f.completed * 10000) / f.total);
    map.set(key, f);
  };
  const branches = new Map<string, Figures>();
  for (const r of rows) add(branches, `${r.company_id}:${r.branch_id}`, r);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const worked = new Set(events.map((e) => `${e.period_status_id}:${e.created_by}`));
  const agents = new Map<string, Figures>();
  for (const key of worked) {
    const [rowId, userId] = key.split(':').map(Number);
    const r = byId.get(rowId)!;
    add(agents, `${r.company_id}:${userId}`, r);
  }
  return { branches, agents };
}

async function snapshotFigures(periodKey: string) {
  const rows = await t.db.select().from(performanceSnapshots).where(eq(performanceSnapshots.periodKey, periodKey));
  const pick = (r: (typeof rows)[number]): Figures => ({
    total: r.total,
    contacted: r.contacted,
    updated: r.updated,
    completed: r.completed,
    conversionRateBp: r.conversionRateBp,
  });
  return {
    rows,
    branches: new Map(rows.filter((r) => r.scope === 'branch').map((r) => [`${r.companyId}:${r.branchId}`, pick(r)])),
    agents: new Map(rows.filter((r) => r.scope === 'agent').map((r) => [`${r.companyId}:${r.userId}`, pick(r)])),
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

  it('without a period key it refreshes the current monthly and quarterly periods', async () => {
    const worker = testWorker(t.db, clock, { performance: performanceHandler });
    await enqueue(t.db, clock, { queue: 'performance', payload: {} });
    expect((await worker.runOnce())?.outcome).toBe('done');
    const keys = await t.db.all<{ k: string }>(sql`select distinct period_key as k from performance_snapshots order by 1`);
    expect(keys.map((k) => k.k)).toEqual(['2026-11', '2026-Q4']);
  });

  it('a bad period key is dead at once and leaves the snapshots alone', async () => {
    const worker = testWorker(t.db, clock, { performance: performanceHandler });
    const id = await enqueue(t.db, clock, { queue: 'performance', payload: { periodKey: 'November' } });
    expect((await worker.runOnce())?.outcome).toBe('dead');
    expect((await jobRow(t.db, id)).lastError).toContain('periodKey "November" is not a period');
    expect(await t.db.select().from(performanceSnapshots)).toEqual([]);
  });
});
