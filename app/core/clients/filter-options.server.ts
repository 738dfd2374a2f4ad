import { asc, eq, inArray } from 'drizzle-orm';
import { companies, parStatuses, products, statusTypes } from '../../../db/schema';
import { cachePolicies, cached } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';
import { scopeCompanyIds, type StaffScope } from '../access/scope.server';
import { liveBranchesIn } from '../org/live-branches.server';
import type { ClientListQuery } from './list-query.server';

export interface Option {
  id: number;
  code: string;
  name: string;
  companyId?: number | null;
}

/** Cache key of the active lookups every filter form offers; config edits delete it (app/core/config/config-cache.server.ts). */
export const filterLookupsKey = 'lookups:filter-options:v1';

/** Active products, PAR statuses and status types (inactive ones leave the dropdowns, old rows keep their names). */
async function activeFilterLookups(ctx: AppContext) {
  return cached(ctx.cache, filterLookupsKey, cachePolicies.filterOptions, async () => {
    const [productRows, parRows, statusRows] = await Promise.all([
      ctx.db
        .select({ id: products.id, code: products.code, name: products.name, companyId: products.companyId })
        .from(products)
        .where(eq(products.isActive, true))
        .orderBy(asc(products.sortOrder), asc(products.id)),
      ctx.db
        .select({ id: parStatuses.id, code: parStatuses.code, name: parStatuses.name })
        .from(parStatuses)
        .where(eq(parStatuses.isActive, true))
        .orderBy(asc(parStatuses.sortOrder), asc(parStatuses.id)),
      ctx.db
        .select({ id: statusTypes.id, code: statusTypes.code, name: statusTypes.name, companyId: statusTypes.companyId })
        .from(statusTypes)
        .where(eq(statusTypes.isActive, true))
        .orderBy(asc(statusTypes.sequence), asc(statusTypes.id)),
    ]);
    return { products: productRows, parStatuses: parRows, statuses: statusRows };
  });
}

/** The values each filter may take for this user: only companies and branches in the scope. */
export async function clientFilterOptions(ctx: AppContext, scope: StaffScope) {
  const companyIds = scopeCompanyIds(scope);
  const [companyRows, branchRows, lookups] = await Promise.all([
    ctx.db
      .select({ id: companies.id, code: companies.code, name: companies.name })
      .from(companies)
      .where(inArray(companies.id, companyIds))
      .orderBy(asc(companies.sortOrder)),
    liveBranchesIn(ctx, scope),
    activeFilterLookups(ctx),
  ]);
  return {
    companies: companyRows,
    branches: branchRows,
    products: lookups.products.filter((p) => companyIds.includes(p.companyId)),
    parStatuses: lookups.parStatuses,
    statuses: lookups.statuses.filter((s) => s.companyId === null || companyIds.includes(s.companyId)),
  };
}

export type ClientFilterOptions = Awaited<ReturnType<typeof clientFilterOptions>>;

/** Names the first filter whose id is not among the user's options (unknown or out of scope). */
export function unknownFilter(q: ClientListQuery, options: ClientFilterOptions): string | null {
  const checks: Array<[keyof ClientListQuery, Option[], string]> = [
    ['company', options.companies, 'company'],
    ['branch', options.branches, 'branch'],
    ['product', options.products, 'product'],
    ['par', options.parStatuses, 'PAR status'],
    ['status', options.statuses, 'status'],
  ];
  for (const [key, list, label] of checks) {
    const id = q[key];
    if (typeof id === 'number' && !list.some((o) => o.id === id)) return `There is no ${label} with id ${id} that you can filter on.`;
  }
  return null;
}
