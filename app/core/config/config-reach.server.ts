// Which config rows an admin reaches (docs/decisions/071). Config is company-level, not territorial:
// - read: config:read in a company (any scope level) shows that company's rows and the shared rows
//   (company_id null, or tables without a company);
// - edit: config:manage at scope 'all' in a company edits that company's rows; shared rows change
//   every company's behaviour, so they need config:manage 'all' in EVERY company.
import { asc } from 'drizzle-orm';
import { companies } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { wideCompanyIds, type StaffScope } from '../access/scope.server';

export interface ConfigReach {
  readIds: number[];
  /**
   * Per readable company, the branches the reader reaches: 'all' (config:read company-wide, or
   * config:manage there) or the territory's branches. Config is company-level, but audit rows of
   * branch-owned tables (branches, contacts, user and area links) follow the territory (decision 072).
   */
  readBranches: Array<{ companyId: number; branchIds: number[] | 'all' }>;
  manageIds: number[];
  manageShared: boolean;
  companies: Array<{ id: number; code: string; name: string }>;
}

export async function configReach(ctx: AppContext, read: StaffScope | null, manage: StaffScope | null): Promise<ConfigReach> {
  const all = await ctx.db.select({ id: companies.id, code: companies.code, name: companies.name }).from(companies).orderBy(asc(companies.sortOrder));
  return configReachOf(all, read, manage);
}

/** The reach over a company list already read (every company, in display order): e.g. the request's, read with the session. */
export function configReachOf(all: ConfigReach['companies'], read: StaffScope | null, manage: StaffScope | null): ConfigReach {
  const manageIds = wideCompanyIds(manage);
  const readIds = [...new Set([...(read?.companies ?? []).map((c) => c.companyId), ...manageIds])];
  const readBranches = readIds.map((companyId) => {
    const grant = read?.companies.find((c) => c.companyId === companyId);
    return { companyId, branchIds: manageIds.includes(companyId) || !grant ? ('all' as const) : grant.branchIds };
  });
  return { readIds, readBranches, manageIds, manageShared: all.length > 0 && all.every((c) => manageIds.includes(c.id)), companies: all };
}

/** A row's company (null = shared by every company) as the reach sees it. */
export function canReadCompany(reach: ConfigReach, companyId: number | null): boolean {
  return companyId === null || reach.readIds.includes(companyId);
}

export function canManageCompany(reach: ConfigReach, companyId: number | null): boolean {
  return companyId === null ? reach.manageShared : reach.manageIds.includes(companyId);
}

/** True when the admin can create anything at all in a table of that company kind. */
export function canCreateIn(reach: ConfigReach, companyKind: 'none' | 'required' | 'optional' | 'statusType'): boolean {
  return companyKind === 'none' ? reach.manageShared : reach.manageShared || reach.manageIds.length > 0;
}
