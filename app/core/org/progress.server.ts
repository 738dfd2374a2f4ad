/**
 * Current-period progress of areas, branches and agents: one GROUP BY over the period_status_counts
 * aggregate per call (never a query per row), inside the reader's scope. The current period of each cycle
 * comes from the clock (Manila time); a PCNI area counts its monthly and quarterly clients together.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { areaBranches, periodStatusCounts, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { numberSetting } from '../config/settings.server';
import { scopeCondition, type StaffScope } from '../access/scope.server';
import type { PeriodType } from '../status/periods';
import { statusLookups } from '../status/status-lookups.server';
import {
  BEHIND_GRACE_SETTING,
  DEFAULT_BEHIND_GRACE_POINTS,
  currentPeriods,
  elapsedShare,
  progressOf,
  type CurrentPeriods,
  type CycleCounts,
  type Progress,
} from './schedule';

export interface ProgressBasis {
  periods: CurrentPeriods;
  elapsed: Record<PeriodType, number>;
  gracePoints: number;
  doneStatusId: number;
}

export async function progressBasis(ctx: AppContext): Promise<ProgressBasis> {
  const now = ctx.clock.now();
  const periods = currentPeriods(now);
  const [lookups, gracePoints] = await Promise.all([statusLookups(ctx), numberSetting(ctx, BEHIND_GRACE_SETTING, DEFAULT_BEHIND_GRACE_POINTS)]);
  const done = lookups.statuses.find((s) => s.code === 'DONE');
  if (!done) throw new Error('status type DONE is missing from the lookups');
  return {
    periods,
    gracePoints,
    doneStatusId: done.id,
    elapsed: { monthly: elapsedShare(periods.monthly, now), quarterly: elapsedShare(periods.quarterly, now) },
  };
}

// Read from the maintained aggregate keyed by the period row's own company and branch (decision
// 100): a few rows per branch instead of every period row. The period key names the cycle.
const psc = periodStatusCounts;

function currentRows(scope: StaffScope, basis: ProgressBasis) {
  return and(
    inArray(psc.periodKey, [basis.periods.monthly.key, basis.periods.quarterly.key]),
    scopeCondition(scope, { companyId: psc.companyId, branchId: psc.branchId }),
  )!;
}

const total = sql<number>`sum(${psc.n})`;
const nonEmpty = sql`sum(${psc.n}) > 0`;

function doneCount(basis: ProgressBasis) {
  return sql<number>`sum(case when ${psc.statusTypeId} = ${basis.doneStatusId} then ${psc.n} else 0 end)`;
}

const cycleOf = (basis: ProgressBasis, periodKey: string): PeriodType => (periodKey === basis.periods.quarterly.key ? 'quarterly' : 'monthly');

function fold<K>(rows: Array<{ key: K; periodKey: string; total: number; done: number }>, basis: ProgressBasis): Map<K, Progress> {
  const byKey = new Map<K, CycleCounts[]>();
  for (const r of rows) {
    const list = byKey.get(r.key) ?? [];
    list.push({ cycle: cycleOf(basis, r.periodKey), total: Number(r.total), done: Number(r.done ?? 0) });
    byKey.set(r.key, list);
  }
  return new Map([...byKey].map(([key, counts]) => [key, progressOf(counts, basis.elapsed, basis.gracePoints)]));
}

export const emptyProgress = (): Progress => ({ total: 0, done: 0, donePct: 0, expectedPct: 0, behind: false });

/** Per area: the period rows of every branch linked to it (primary or not) that lies inside the scope. */
export async function progressByArea(ctx: AppContext, scope: StaffScope, basis: ProgressBasis, areaIds: number[]): Promise<Map<number, Progress>> {
  if (!areaIds.length) return new Map();
  const rows = await ctx.db
    .select({ key: areaBranches.areaId, periodKey: psc.periodKey, total, done: doneCount(basis) })
    .from(psc)
    .innerJoin(areaBranches, eq(areaBranches.branchId, psc.branchId))
    .where(and(currentRows(scope, basis), inArray(areaBranches.areaId, areaIds)))
    .groupBy(areaBranches.areaId, psc.periodKey)
    .having(nonEmpty);
  return fold(rows, basis);
}

/** Per branch, for the given branches (those inside the scope). */
export async function progressByBranch(ctx: AppContext, scope: StaffScope, basis: ProgressBasis, branchIds: number[]): Promise<Map<number, Progress>> {
  if (!branchIds.length) return new Map();
  const rows = await ctx.db
    .select({ key: psc.branchId, periodKey: psc.periodKey, total, done: doneCount(basis) })
    .from(psc)
    .where(and(currentRows(scope, basis), inArray(psc.branchId, branchIds)))
    .groupBy(psc.branchId, psc.periodKey)
    .having(nonEmpty);
  return fold(rows, basis);
}

export interface AgentProgress {
  userId: number | null;
  name: string;
  /** Period rows this agent updated last. */
  updated: number;
  done: number;
  donePct: number;
}

/**
 * Per agent in one branch: the period rows each user updated last, and how many of them are
 * done; rows nobody has touched yet come as one "Not yet updated" line (userId null).
 */
export async function progressByAgent(ctx: AppContext, scope: StaffScope, basis: ProgressBasis, branchId: number): Promise<AgentProgress[]> {
  const rows = await ctx.db
    .select({
      userId: sql<number | null>`nullif(${psc.agentId}, 0)`,
      name: sql<string | null>`max(${users.fullName})`,
      total,
      done: doneCount(basis),
    })
    .from(psc)
    .leftJoin(users, eq(users.id, psc.agentId))
    .where(and(currentRows(scope, basis), eq(psc.branchId, branchId)))
    .groupBy(psc.agentId)
    .having(nonEmpty)
    .orderBy(asc(sql`max(${users.fullName})`));
  return rows
    .map((r) => {
      const updated = Number(r.total);
      const done = Number(r.done ?? 0);
      return {
        userId: r.userId,
        name: r.userId === null ? 'Not yet updated' : (r.name ?? `User ${r.userId}`),
        updated,
        done,
        donePct: updated ? Math.round((done * 1000) / updated) / 10 : 0,
      };
    })
    .sort((a, b) => (a.userId === null ? 1 : b.userId === null ? -1 : b.updated - a.updated || a.name.localeCompare(b.name)));
}
