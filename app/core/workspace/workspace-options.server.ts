import { and, asc, eq } from 'drizzle-orm';
import { companies, pensionTypes } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { StaffScope } from '../access/scope.server';
import { clientFilterOptions } from '../clients/filter-options.server';
import { periodKey, periodLabel, selectableYears, type PeriodType } from '../status/periods';
import { statusLookups } from '../status/status-lookups.server';
import { reasonsOf, workflowOf } from '../status/workflow';
import type { WorkspaceKind } from './workspace-query.server';

/** The workspace company's id when the scope reaches it, else null (the route answers 404). */
export async function workspaceCompanyId(ctx: AppContext, scope: StaffScope, kind: WorkspaceKind): Promise<number | null> {
  const [company] = await ctx.db.select({ id: companies.id }).from(companies).where(eq(companies.code, kind.companyCode));
  return company && scope.companies.some((c) => c.companyId === company.id) ? company.id : null;
}

/** What the workspace's filters and forms offer for one company: its workflow, reasons, branches in scope. */
export async function workspaceOptions(ctx: AppContext, scope: StaffScope, kind: WorkspaceKind) {
  // One step: the company and everything else at once, its pension types found by its code (decision 103).
  const [[company], base, lookups, pensionTypeRows] = await Promise.all([
    ctx.db.select({ id: companies.id, name: companies.name }).from(companies).where(eq(companies.code, kind.companyCode)),
    clientFilterOptions(ctx, scope),
    statusLookups(ctx),
    ctx.db
      .select({ id: pensionTypes.id, code: pensionTypes.code, name: pensionTypes.name })
      .from(pensionTypes)
      .innerJoin(companies, eq(companies.id, pensionTypes.companyId))
      .where(and(eq(companies.code, kind.companyCode), eq(pensionTypes.isActive, true)))
      .orderBy(asc(pensionTypes.sortOrder)),
  ]);
  if (!company || !scope.companies.some((c) => c.companyId === company.id)) return null;
  const statuses = workflowOf(lookups.statuses, company.id).map((s) => ({ id: s.id, code: s.code, name: lookups.names[s.id] }));
  const reasons = statuses
    .flatMap((s) => reasonsOf(lookups.reasons, s.id) as typeof lookups.reasons)
    .map((r) => ({ id: r.id, name: r.name, statusTypeId: r.statusTypeId, isTerminal: r.isTerminal, requiresRemarks: r.requiresRemarks }));
  return {
    company,
    statuses,
    reasons,
    branches: base.branches.filter((b) => b.companyId === company.id),
    parStatuses: base.parStatuses,
    pensionTypes: pensionTypeRows,
    periods: periodChoices(kind.cycle, ctx.clock.now()),
  };
}

/** Every period of the selectable years, newest first, for the period picker. */
export function periodChoices(cycle: PeriodType, now: Date) {
  const perYear = cycle === 'monthly' ? 12 : 4;
  return selectableYears(now)
    .reverse()
    .flatMap((year) =>
      Array.from({ length: perYear }, (_, i) => perYear - i).map((number) => ({
        key: periodKey(cycle, year, number),
        label: periodLabel({ type: cycle, year, number }),
      })),
    );
}
