// The scope an export's rows are read with: what BOTH the read permission of the kind and
// reports:export reach, per company (a company missing from either is left out; within a company
// the narrower branch list wins). Pure.
import type { StaffScope } from '../access/scope.server';

export function intersectScopes(read: StaffScope | null, exporting: StaffScope | null): StaffScope | null {
  if (!read || !exporting) return null;
  const companies: StaffScope['companies'] = [];
  for (const r of read.companies) {
    const e = exporting.companies.find((c) => c.companyId === r.companyId);
    if (!e) continue;
    const branchIds =
      r.branchIds === 'all' ? e.branchIds : e.branchIds === 'all' ? r.branchIds : r.branchIds.filter((id) => (e.branchIds as number[]).includes(id));
    companies.push({ companyId: r.companyId, level: rankMin(r.level, e.level), branchIds });
  }
  return companies.length ? { userId: read.userId, permission: read.permission, companies } : null;
}

const RANK = { self: 0, branch: 1, area: 2, all: 3 } as const;
function rankMin(a: keyof typeof RANK, b: keyof typeof RANK) {
  return RANK[a] <= RANK[b] ? a : b;
}

/** Keeps only one company of the scope (an export filtered to one company), or null when the scope lacks it. */
export function scopeToCompany(scope: StaffScope, companyId: number | undefined): StaffScope | null {
  if (companyId === undefined) return scope;
  const companies = scope.companies.filter((c) => c.companyId === companyId);
  return companies.length ? { ...scope, companies } : null;
}
