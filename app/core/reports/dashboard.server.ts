import { and, eq, inArray, sql } from 'drizzle-orm';
import { branches, clientStatusCounts, pensionTypes, statusEventDays, users } from '../../../db/schema';
import { cachePolicies, cached } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';
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
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
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
  const [grid, daily] = await Promise.all([
    ctx.db
      .select({
        statusTypeId: csc.statusTypeId,
        pension: sql<string>`coalesce(${pensionTypes.code}, '—')`,
        branch: branches.code,
        agentId: sql<number | null>`nullif(${csc.agentId}, 0)`,
        n: sql<number>`sum(${csc.n})`,
        payments: sql<number>`sum(${csc.n} * ${csc.hasPayment})`,
        terminal: sql<number>`sum(${csc.n} * ${csc.isTerminal})`,
      })
      .from(csc)
      .innerJoin(branches, eq(branches.id, csc.branchId))
      .leftJoin(pensionTypes, eq(pensionTypes.id, csc.pensionTypeId))
      .where(and(eq(csc.periodKey, period.key), eq(csc.companyId, companyId), scopeCondition(scope, { companyId: csc.companyId, branchId: csc.branchId })))
      .groupBy(csc.statusTypeId, pensionTypes.code, branches.code, csc.agentId)
      .having(sql`sum(${csc.n}) > 0`),
    ctx.db
      .select({ day: sed.day, updates: sql<number>`sum(${sed.updates})`, done: sql<number>`sum(${sed.done})` })
      .from(sed)
      .where(and(eq(sed.periodKey, period.key), eq(sed.companyId, companyId), scopeCondition(scope, { companyId: sed.companyId, branchId: sed.branchId })))
      .groupBy(sed.day)
      .having(sql`sum(${sed.updates}) > 0`)
      .orderBy(sed.day),
  ]);
  const tally = <K>(key: (g: (typeof grid)[number]) => K) => {
    const out = new Map<K, { n: number; done: number; payments: number; terminal: number }>();
    for (const g of grid) {
      const t = out.get(key(g)) ?? { n: 0, done: 0, payments: 0, terminal: 0 };
      t.n += Number(g.n);
      t.done += g.statusTypeId === done ? Number(g.n) : 0;
      t.payments += Number(g.payments ?? 0);
      t.terminal += Number(g.terminal ?? 0);
      out.set(key(g), t);
    }
    return out;
  };
  const byStatus = [...tally((g) => g.statusTypeId)].map(([id, t]) => ({ id, n: t.n, payments: t.payments, terminal: t.terminal }));
  const byPension = [...tally((g) => g.pension)].sort(([a], [b]) => a.localeCompare(b)).map(([code, t]) => ({ code, total: t.n, done: t.done }));
  const byBranch = [...tally((g) => g.branch)].map(([code, t]) => ({ code, total: t.n, done: t.done }));
  const agentTallies = [...tally((g) => g.agentId)].filter(([id]) => id !== null) as Array<[number, { n: number; done: number }]>;
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
