import { and, eq, sql, type SQL } from "drizzle-orm";
import { branches, clientPeriodStatus, clients, pensionTypes, products, statusEvents, users } from "../../../db/schema";
import { cachePolicies, cached } from "../../platform/cache/cache";
import type { AppContext } from "../../platform/context";
import { scopeCondition, type StaffScope } from "../access/scope";
import { statusLookups } from "../status/status-lookups";
import { workflowOf } from "../status/workflow";
import type { Period, PeriodType } from "../status/periods";
import { dashboardGeneration } from "./dashboard-cache";

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

export interface BranchCompletion { code: string; total: number; done: number; pct: number }

/**
 * An agent's completion in the period (decision 043): `touched` = the scope's rows of the period
 * this user updated last, `done` = those of them at DONE, pct = done ÷ touched. Rows nobody has
 * updated yet (still the initial PENDING) belong to no agent and are counted in `unassigned`.
 */
export interface AgentCompletion { userId: number; name: string; touched: number; done: number; pct: number }
export const AGENTS_SHOWN = 50;

/** Share with one decimal, as the dashboard shows it (0.0 when there is nothing to share). */
export const share = (part: number, whole: number) => (whole ? Math.round((part * 1000) / whole) / 10 : 0);

/** A short stable name for a scope, for cache keys: "all" or a digest of the branch ids per company. */
async function scopeKey(scope: StaffScope): Promise<string> {
  const text = scope.companies.map((c) => `${c.companyId}:${c.branchIds === "all" ? "all" : c.branchIds.join(",")}`).sort().join("|");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
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

export async function computeDashboard(ctx: AppContext, scope: StaffScope, companyId: number, cycle: PeriodType, period: Period): Promise<Dashboard> {
  const lookups = await statusLookups(ctx);
  const done = lookups.statuses.find((s) => s.code === "DONE")!.id;
  const where: SQL = and(
    eq(clientPeriodStatus.periodKey, period.key), eq(clients.companyId, companyId), eq(products.trackingCycle, cycle),
    scopeCondition(scope, { companyId: clients.companyId, branchId: clients.branchId }),
  )!;
  const isDone = sql<number>`sum(case when ${clientPeriodStatus.statusTypeId} = ${done} then 1 else 0 end)`;
  // Manila calendar day of an event (UTC+8, no DST).
  const day = sql<string>`date(${statusEvents.createdAt} / 1000 + 28800, 'unixepoch')`;

  // Per status, with payments and terminal rows: the totals are sums of these (one scan, not two).
  const [byStatus, byPension, byBranch, daily, byAgent] = await Promise.all([
    ctx.db.select({
      id: clientPeriodStatus.statusTypeId, n: sql<number>`count(*)`,
      payments: sql<number>`sum(${clientPeriodStatus.hasPayment})`, terminal: sql<number>`sum(${clientPeriodStatus.isTerminal})`,
    }).from(clientPeriodStatus)
      .innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId)).innerJoin(products, eq(products.id, clients.productId))
      .where(where).groupBy(clientPeriodStatus.statusTypeId),
    ctx.db.select({ code: sql<string>`coalesce(${pensionTypes.code}, '—')`, total: sql<number>`count(*)`, done: isDone })
      .from(clientPeriodStatus).innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
      .innerJoin(products, eq(products.id, clients.productId)).leftJoin(pensionTypes, eq(pensionTypes.id, clients.pensionTypeId))
      .where(where).groupBy(pensionTypes.code),
    ctx.db.select({ code: branches.code, total: sql<number>`count(*)`, done: isDone })
      .from(clientPeriodStatus).innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
      .innerJoin(products, eq(products.id, clients.productId)).innerJoin(branches, eq(branches.id, clients.branchId))
      .where(where).groupBy(branches.code),
    ctx.db.select({ day, updates: sql<number>`count(*)`, done: sql<number>`sum(case when ${statusEvents.toStatusTypeId} = ${done} then 1 else 0 end)` })
      .from(statusEvents).innerJoin(clientPeriodStatus, eq(clientPeriodStatus.id, statusEvents.periodStatusId))
      .innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId)).innerJoin(products, eq(products.id, clients.productId))
      .where(where).groupBy(day).orderBy(day),
    ctx.db.select({ userId: clientPeriodStatus.lastUpdatedBy, name: users.fullName, total: sql<number>`count(*)`, done: isDone })
      .from(clientPeriodStatus).innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
      .innerJoin(products, eq(products.id, clients.productId)).innerJoin(users, eq(users.id, clientPeriodStatus.lastUpdatedBy))
      .where(where).groupBy(clientPeriodStatus.lastUpdatedBy, users.fullName),
  ]);
  const sum = (key: "n" | "payments" | "terminal") => byStatus.reduce((a, r) => a + Number(r[key] ?? 0), 0);
  const total = sum("n");
  const counts = new Map(byStatus.map((r) => [r.id, Number(r.n)]));
  const completion = byBranch
    .map((b) => ({ code: b.code, total: Number(b.total), done: Number(b.done), pct: share(Number(b.done), Number(b.total)) }))
    .sort((a, b) => b.pct - a.pct || a.code.localeCompare(b.code));
  return {
    total,
    statuses: workflowOf(lookups.statuses, companyId).map((s) => ({
      id: s.id, code: s.code, name: lookups.names[s.id], count: counts.get(s.id) ?? 0, share: share(counts.get(s.id) ?? 0, total),
    })),
    payments: sum("payments"),
    terminal: sum("terminal"),
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
