import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/sqlite-core';
import { branches, clientStatusCounts, pensionTypes, statusEventDays, users } from '../../../db/schema';
import { cachePolicies, cached } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';
import { sha256Hex } from '../../platform/sha256';
import { scopeCondition, type StaffScope } from '../access/scope.server';
import { statusLookups } from '../status/status-lookups.server';
import { workflowOf } from '../status/workflow';
import type { Period, PeriodType } from '../status/periods';
import { dashboardGeneration } from './dashboard-cache';

export interface Dashboard {
  total: number;
  statuses: Array<{ id: number; code: string; name: string; count: number; share: number }>;
  payments: number;
  terminal: number;
  pensionTypes: Array<{ code: string; total: number; done: number }>;
  branchesTop: BranchCompletion[];
  branchesBottom: BranchCompletion[];
  /** Per agent (the user who last updated the row), best completion first; at most AGENTS_SHOWN. */
  agents: AgentCompletion[];
  /** Rows of the period no one has updated yet. */
  unassigned: number;
  daily: Array<{ day: string; updates: number; done: number }>;
}

export interface BranchCompletion {
  code: string;
  total: number;
  done: number;
  pct: number;
}

/**
 * An agent's completion in the period (decision 043): `touched` = the scope's rows of the period
 * this user updated last, `done` = those of them at DONE, pct = done ÷ touched. Rows nobody has
 * updated yet (still the initial PENDING) belong to no agent and are counted in `unassigned`.
 */
export interface AgentCompletion {
  userId: number;
  name: string;
  touched: number;
  done: number;
  pct: number;
}
export const AGENTS_SHOWN = 50;

/** Share with one decimal, as the dashboard shows it (0.0 when there is nothing to share). */
export const share = (part: number, whole: number) => (whole ? Math.round((part * 1000) / whole) / 10 : 0);

/** A short stable name for a scope, for cache keys: "all" or a digest of the branch ids per company. */
async function scopeKey(scope: StaffScope): Promise<string> {
  const text = scope.companies
    .map((c) => `${c.companyId}:${c.branchIds === 'all' ? 'all' : c.branchIds.join(',')}`)
    .sort()
    .join('|');
  return (await sha256Hex(text)).slice(0, 16); // the first 8 bytes
}

/**
 * The managers' dashboard for one company, cycle and period inside the scope. Cached per (company,
 * period, scope) for 2 minutes under the current dashboard generation: a status write starts a new
 * generation, so no cached figure outlives a change.
 */
export async function dashboardFor(ctx: AppContext, scope: StaffScope, companyId: number, cycle: PeriodType, period: Period): Promise<Dashboard> {
  const key = `dashboard:v2:${await dashboardGeneration(ctx)}:${companyId}:${cycle}:${period.key}:${await scopeKey(scope)}`;
  return cached(ctx.cache, key, cachePolicies.dashboard, () => computeDashboard(ctx, scope, companyId, cycle, period));
}

export async function computeDashboard(ctx: AppContext, scope: StaffScope, companyId: number, _cycle: PeriodType, period: Period): Promise<Dashboard> {
  const lookups = await statusLookups(ctx);
  const done = lookups.statuses.find((s) => s.code === 'DONE')!.id;
  // The period key names the cycle ('2026-11' monthly, '2026-Q4' quarterly): no join to products.
  // Read the maintained aggregates (decision 100; kept exact by triggers in every write's transaction),
  // keyed by the client's current company and branch as the scan over the period's rows was: a few
  // thousand groups at 200,000 clients instead of a pass over every row.
  const csc = clientStatusCounts;
  const sed = statusEventDays;
  const where = and(eq(csc.periodKey, period.key), eq(csc.companyId, companyId), scopeCondition(scope, { companyId: csc.companyId, branchId: csc.branchId }));
  // One total per status, pension type, branch and agent, summed in SQL (UNION ALL of four GROUP BYs, ~110 rows
  // for an admin), not the whole status × pension × branch × agent grid (~1,800 rows at 200k) tallied here:
  // @libsql/client builds each returned row as an object, which cost most of the cold dashboard (decision 105).
  const tallyOf = (dim: string, key: SQL) =>
    ctx.db
      .select({
        dim: sql<string>`${dim}`.as('dim'),
        key: sql<string | number | null>`${key}`.as('key'),
        n: sql<number>`sum(${csc.n})`.mapWith(Number).as('n'),
        done: sql<number>`sum(case when ${csc.statusTypeId} = ${done} then ${csc.n} else 0 end)`.mapWith(Number).as('done'),
        payments: sql<number>`sum(${csc.n} * ${csc.hasPayment})`.mapWith(Number).as('payments'),
        terminal: sql<number>`sum(${csc.n} * ${csc.isTerminal})`.mapWith(Number).as('terminal'),
      })
      .from(csc)
      .innerJoin(branches, eq(branches.id, csc.branchId)) // as the grid read: only rows of a known branch
      .leftJoin(pensionTypes, eq(pensionTypes.id, csc.pensionTypeId))
      .where(where)
      .groupBy(key)
      .having(sql`sum(${csc.n}) > 0`);
  const [tallies, daily] = await Promise.all([
    unionAll(
      tallyOf('status', sql`${csc.statusTypeId}`),
      tallyOf('pension', sql`coalesce(${pensionTypes.code}, '—')`),
      tallyOf('branch', sql`${branches.code}`),
      tallyOf('agent', sql`nullif(${csc.agentId}, 0)`),
    ),
    ctx.db
      .select({ day: sed.day, updates: sql<number>`sum(${sed.updates})`, done: sql<number>`sum(${sed.done})` })
      .from(sed)
      .where(and(eq(sed.periodKey, period.key), eq(sed.companyId, companyId), scopeCondition(scope, { companyId: sed.companyId, branchId: sed.branchId })))
      .groupBy(sed.day)
      .having(sql`sum(${sed.updates}) > 0`)
      .orderBy(sed.day),
  ]);
  const of = (dim: string) => tallies.filter((t) => t.dim === dim);
  const byStatus = of('status').map((t) => ({ id: Number(t.key), n: t.n, payments: t.payments, terminal: t.terminal }));
  const byPension = of('pension')
    .map((t) => ({ code: String(t.key), total: t.n, done: t.done }))
    .sort((a, b) => a.code.localeCompare(b.code));
  const byBranch = of('branch').map((t) => ({ code: String(t.key), total: t.n, done: t.done }));
  const agentTallies = of('agent')
    .filter((t) => t.key !== null)
    .map((t) => [Number(t.key), t] as const);
  const names = agentTallies.length
    ? new Map(
        (
          await ctx.db
            .select({ id: users.id, name: users.fullName })
            .from(users)
            .where(
              inArray(
                users.id,
                agentTallies.map(([id]) => id),
              ),
            )
        ).map((u) => [u.id, u.name]),
      )
    : new Map<number, string>();
  const byAgent = agentTallies.map(([userId, t]) => ({ userId, name: names.get(userId) ?? `User ${userId}`, total: t.n, done: t.done }));
  const sum = (key: 'n' | 'payments' | 'terminal') => byStatus.reduce((a, r) => a + Number(r[key] ?? 0), 0);
  const total = sum('n');
  const counts = new Map(byStatus.map((r) => [r.id, Number(r.n)]));
  const completion = byBranch
    .map((b) => ({ code: b.code, total: Number(b.total), done: Number(b.done), pct: share(Number(b.done), Number(b.total)) }))
    .sort((a, b) => b.pct - a.pct || a.code.localeCompare(b.code));
  return {
    total,
    statuses: workflowOf(lookups.statuses, companyId).map((s) => ({
      id: s.id,
      code: s.code,
      name: lookups.names[s.id],
      count: counts.get(s.id) ?? 0,
      share: share(counts.get(s.id) ?? 0, total),
    })),
    payments: sum('payments'),
    terminal: sum('terminal'),
    pensionTypes: byPension.map((p) => ({ code: p.code, total: Number(p.total), done: Number(p.done) })),
    branchesTop: completion.slice(0, 10),
    branchesBottom: completion.slice(-10).reverse(),
    agents: byAgent
      .map((a) => ({ userId: Number(a.userId), name: a.name, touched: Number(a.total), done: Number(a.done), pct: share(Number(a.done), Number(a.total)) }))
      .sort((a, b) => b.pct - a.pct || b.touched - a.touched || a.name.localeCompare(b.name))
      .slice(0, AGENTS_SHOWN),
    unassigned: total - byAgent.reduce((a, r) => a + Number(r.total), 0),
    daily: daily.map((d) => ({ day: d.day, updates: Number(d.updates), done: Number(d.done) })),
  };
}
