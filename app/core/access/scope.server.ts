import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

export type ScopeLevel = 'self' | 'branch' | 'area' | 'all';
export const scopeRank: Record<ScopeLevel, number> = { self: 0, branch: 1, area: 2, all: 3 };

export interface Grant {
  permission: string;
  companyId: number;
  scope: ScopeLevel;
}

export interface Access {
  userId: number;
  grants: Grant[];
  /** Territory: user_branches ∪ branches of user_areas (active, not deleted), with their company. */
  branches: Array<{ id: number; companyId: number }>;
}

/** What one permission lets the user reach: per company, everything (all) or the territory branches. */
export interface StaffScope {
  userId: number;
  permission: string;
  companies: Array<{ companyId: number; level: ScopeLevel; branchIds: number[] | 'all' }>;
}

/** The scope a permission gives, or null when the user lacks it in every company. Pure. */
export function scopeFor(access: Access, permission: string): StaffScope | null {
  const companies: StaffScope['companies'] = [];
  for (const grant of access.grants) {
    if (grant.permission !== permission) continue;
    const branchIds = grant.scope === 'all' ? ('all' as const) : access.branches.filter((b) => b.companyId === grant.companyId).map((b) => b.id);
    companies.push({ companyId: grant.companyId, level: grant.scope, branchIds });
  }
  return companies.length ? { userId: access.userId, permission, companies } : null;
}

export function scopeCompanyIds(scope: StaffScope): number[] {
  return scope.companies.map((c) => c.companyId);
}

/** True when the scope is company-wide ('all') in every one of the given companies (e.g. all companies there are). */
/** Companies where the scope is company-wide ('all' branches): only there may one manage company-level things. */
export function wideCompanyIds(scope: StaffScope | null): number[] {
  return scope ? scope.companies.filter((c) => c.branchIds === 'all').map((c) => c.companyId) : [];
}

export function scopeCoversEveryCompany(scope: StaffScope, companyIds: readonly number[]): boolean {
  return companyIds.length > 0 && companyIds.every((id) => scope.companies.some((c) => c.companyId === id && c.branchIds === 'all'));
}

/** True when a branch of that company lies inside the scope. */
export function scopeIncludesBranch(scope: StaffScope, companyId: number, branchId: number): boolean {
  return scope.companies.some((c) => c.companyId === companyId && (c.branchIds === 'all' || c.branchIds.includes(branchId)));
}

/**
 * The WHERE condition that keeps a query inside the scope, for any table with company and branch
 * columns. Every scoped query takes this; routes never build their own territory filter.
 */
export function scopeCondition(scope: StaffScope, cols: { companyId: SQLiteColumn; branchId: SQLiteColumn }): SQL {
  const parts: SQL[] = [];
  for (const c of scope.companies) {
    if (c.branchIds === 'all') parts.push(eq(cols.companyId, c.companyId));
    else if (c.branchIds.length) parts.push(and(eq(cols.companyId, c.companyId), inArray(cols.branchId, c.branchIds))!);
  }
  return parts.length ? or(...parts)! : sql`0`;
}
