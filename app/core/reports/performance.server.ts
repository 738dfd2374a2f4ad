/**
 * The performance screen's figures (decision 092): read from performance_snapshots, which the
 * service computes, inside the reader's scope and filters. Branch rows are the snapshots' branch
 * rows; agent rows add up one agent's per-branch rows over the branches shown; the rows nobody
 * updated yet are the "Not yet updated" line (the branches' sums less the agents'). Rates are
 * computed from the counts here, never from a stored rounded rate.
 */
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { areaBranches, areas, branches, performanceSnapshots, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { scopeCondition, type StaffScope } from '../access/scope.server';
import { numberSetting } from '../config/settings.server';
import { areaInScope, branchInScope } from '../org/org-scope.server';
import { BEHIND_GRACE_SETTING, DEFAULT_BEHIND_GRACE_POINTS, elapsedShare, progressOf } from '../org/schedule';
import { periodLabel, shiftPeriod, type Period } from '../status/periods';
import {
  TREND_PERIODS,
  conversionRate,
  sortRows,
  type PerformanceCounts,
  type PerformanceRow,
  type PerformanceSort,
  type PerformanceView,
  type SortDir,
} from './performance-figures';

const ps = performanceSnapshots;

export interface PerformanceFilter {
  companyId: number;
  period: Period;
  areaId: number | null;
  branchId: number | null;
}

/** The areas and branches of the company the reader may filter on (inside the scope, not deleted). */
export async function performanceFilterOptions(ctx: AppContext, scope: StaffScope, companyId: number, areaId: number | null) {
  const [areaRows, branchRows] = await Promise.all([
    ctx.db
      .select({ id: areas.id, code: areas.code, name: areas.name })
      .from(areas)
      .where(and(eq(areas.companyId, companyId), isNull(areas.deletedAt), areaInScope(ctx.db, scope)))
      .orderBy(asc(areas.code)),
    ctx.db
      .select({ id: branches.id, code: branches.code, name: branches.name, areaIds: sql<string | null>`group_concat(${areaBranches.areaId})` })
      .from(branches)
      .leftJoin(areaBranches, eq(areaBranches.branchId, branches.id))
      .where(and(eq(branches.companyId, companyId), isNull(branches.deletedAt), branchInScope(scope)))
      .groupBy(branches.id)
      .orderBy(asc(branches.code)),
  ]);
  const inArea = (b: (typeof branchRows)[number]) => areaId === null || (b.areaIds ?? '').split(',').map(Number).includes(areaId);
  return {
    areas: areaRows,
    /** The branches offered in the picker: those of the chosen area, if any. */
    branches: branchRows.filter(inArea).map(({ id, code, name }) => ({ id, code, name })),
  };
}

/** The snapshot rows of the selection: company, period(s), scope, area, branch. */
function selection(scope: StaffScope, f: PerformanceFilter, kind: 'branch' | 'agent', periodKeys: string[]): SQL {
  return and(
    eq(ps.scope, kind),
    eq(ps.companyId, f.companyId),
    inArray(ps.periodKey, periodKeys),
    scopeCondition(scope, { companyId: ps.companyId, branchId: ps.branchId }),
    f.branchId === null ? undefined : eq(ps.branchId, f.branchId),
    f.areaId === null
      ? undefined
      : inArray(ps.branchId, sql`(select ${areaBranches.branchId} from ${areaBranches} where ${areaBranches.areaId} = ${f.areaId})`),
  )!;
}

const sums = {
  total: sql<number>`sum(${ps.total})`,
  contacted: sql<number>`sum(${ps.contacted})`,
  updated: sql<number>`sum(${ps.updated})`,
  completed: sql<number>`sum(${ps.completed})`,
  payments: sql<number>`sum(${ps.payments})`,
  terminal: sql<number>`sum(${ps.terminal})`,
};

const COUNT_KEYS = ['total', 'contacted', 'updated', 'completed', 'payments', 'terminal'] as const;

function counts(r: Record<(typeof COUNT_KEYS)[number], unknown>): PerformanceCounts {
  return Object.fromEntries(COUNT_KEYS.map((k) => [k, Number(r[k] ?? 0)])) as unknown as PerformanceCounts;
}

function add(a: PerformanceCounts, b: PerformanceCounts, sign = 1): PerformanceCounts {
  return Object.fromEntries(COUNT_KEYS.map((k) => [k, a[k] + sign * b[k]])) as unknown as PerformanceCounts;
}

const ZERO: PerformanceCounts = { total: 0, contacted: 0, updated: 0, completed: 0, payments: 0, terminal: 0 };

export interface PerformanceReport {
  rows: PerformanceRow[];
  totals: PerformanceCounts & { conversionRate: number };
  /** When the service computed the period's figures (ms), or null: never computed yet. */
  computedAt: number | null;
  trend: Array<{ key: string; label: string; total: number; completed: number; conversionRate: number; computed: boolean }>;
  /** The elapsed share of the period (percent, one decimal) the behind-schedule mark compares with. */
  expectedPct: number;
}

export async function performanceReport(
  ctx: AppContext,
  scope: StaffScope,
  f: PerformanceFilter,
  view: PerformanceView,
  sort: PerformanceSort,
  dir: SortDir,
): Promise<PerformanceReport> {
  const now = ctx.clock.now();
  const trendPeriods = Array.from({ length: TREND_PERIODS }, (_, i) => shiftPeriod(f.period, i - (TREND_PERIODS - 1)));
  const [branchRows, agentRows, trendRows, [computed], grace] = await Promise.all([
    ctx.db
      .select({ id: ps.branchId, code: branches.code, name: branches.name, ...sums })
      .from(ps)
      .innerJoin(branches, eq(branches.id, ps.branchId))
      .where(selection(scope, f, 'branch', [f.period.key]))
      .groupBy(ps.branchId),
    view === 'agent'
      ? ctx.db
          .select({ id: ps.userId, name: sql<string | null>`max(${users.fullName})`, ...sums })
          .from(ps)
          .leftJoin(users, eq(users.id, ps.userId))
          .where(selection(scope, f, 'agent', [f.period.key]))
          .groupBy(ps.userId)
      : Promise.resolve([]),
    ctx.db
      .select({ key: ps.periodKey, total: sums.total, completed: sums.completed })
      .from(ps)
      .where(
        selection(
          scope,
          f,
          'branch',
          trendPeriods.map((p) => p.key),
        ),
      )
      .groupBy(ps.periodKey),
    ctx.db
      .select({ at: sql<number | null>`max(${ps.computedAt})` })
      .from(ps)
      .where(and(eq(ps.companyId, f.companyId), eq(ps.periodKey, f.period.key))),
    numberSetting(ctx, BEHIND_GRACE_SETTING, DEFAULT_BEHIND_GRACE_POINTS),
  ]);
  const elapsed = elapsedShare(f.period, now);
  const asRow = (id: number | null, label: string, detail: string | null, c: PerformanceCounts, behind: boolean | null): PerformanceRow => ({
    id,
    label,
    detail,
    ...c,
    conversionRate: conversionRate(c.completed, c.total),
    behind,
  });
  const perBranch = branchRows.map((b) => {
    const c = counts(b);
    const progress = progressOf([{ cycle: f.period.type, total: c.total, done: c.completed }], { monthly: elapsed, quarterly: elapsed }, grace);
    return asRow(Number(b.id), b.code, b.name, c, progress.behind);
  });
  const totals = perBranch.reduce<PerformanceCounts>((acc, r) => add(acc, r), ZERO);
  let rows = perBranch;
  if (view === 'agent') {
    const perAgent = agentRows.map((a) => asRow(Number(a.id), a.name ?? `User ${a.id}`, null, counts(a), null));
    const nobody = perAgent.reduce<PerformanceCounts>((acc, r) => add(acc, r, -1), totals);
    rows = nobody.total > 0 ? [...perAgent, asRow(null, 'Not yet updated', null, nobody, null)] : perAgent;
  }
  const trendByKey = new Map(trendRows.map((t) => [t.key, t]));
  return {
    rows: sortRows(rows, sort, dir),
    totals: { ...totals, conversionRate: conversionRate(totals.completed, totals.total) },
    computedAt: computed?.at == null ? null : Number(computed.at),
    expectedPct: Math.round(elapsed * 1000) / 10,
    trend: trendPeriods.map((p) => {
      const t = trendByKey.get(p.key);
      const total = Number(t?.total ?? 0);
      const completed = Number(t?.completed ?? 0);
      return { key: p.key, label: periodLabel(p), total, completed, conversionRate: conversionRate(completed, total), computed: Boolean(t) };
    }),
  };
}

/** The companies the reader's reports:read scope reaches, in the companies' order: [{ id, code }]. */
export function reportCompanies<C extends { id: number; code: string }>(everyCompany: readonly C[], scope: StaffScope): C[] {
  const ids = scope.companies.map((c) => c.companyId);
  return everyCompany.filter((r) => ids.includes(r.id));
}

/**
 * The company of an area or branch the reader reaches (any of their companies), or null when it is
 * unknown, deleted or outside the scope. The screen drops a filter of another reachable company
 * (the company was switched with the old filter still in the form) and answers 404 to the rest.
 */
export async function reachableCompanyOf(ctx: AppContext, scope: StaffScope, what: 'area' | 'branch', id: number): Promise<number | null> {
  const [row] =
    what === 'area'
      ? await ctx.db
          .select({ companyId: areas.companyId })
          .from(areas)
          .where(and(eq(areas.id, id), isNull(areas.deletedAt), areaInScope(ctx.db, scope)))
      : await ctx.db
          .select({ companyId: branches.companyId })
          .from(branches)
          .where(and(eq(branches.id, id), isNull(branches.deletedAt), branchInScope(scope)));
  return row?.companyId ?? null;
}
