/**
 * Which areas and branches a user reaches (docs/decisions/075). Every org query takes one of
 * these conditions; routes never build their own.
 *
 * - Branches: inside the permission's scope (company-wide, or the territory's branch ids).
 * - Areas, company-wide: every area of the company. Territory scopes: areas the user is assigned
 *   to (user_areas) and areas holding at least one branch of the territory; their figures and
 *   branch lists stay limited to the territory's branches.
 * - Changing areas, creating, deleting or restoring branches needs the manage permission
 *   company-wide in that company; editing a branch, its contacts and users needs it for that branch.
 */
import { and, eq, exists, inArray, or, sql, type SQL } from 'drizzle-orm';
import { areaBranches, areas, branches, userAreas } from '../../../db/schema';
import type { AppDatabase } from '../../platform/context';
import { scopeCondition, wideCompanyIds, type StaffScope } from '../access/scope.server';

const one = sql`1`;

export function branchInScope(scope: StaffScope): SQL {
  return scopeCondition(scope, { companyId: branches.companyId, branchId: branches.id });
}

export function areaInScope(db: AppDatabase, scope: StaffScope): SQL {
  const parts: SQL[] = [];
  for (const c of scope.companies) {
    if (c.branchIds === 'all') {
      parts.push(eq(areas.companyId, c.companyId));
      continue;
    }
    const reach: SQL[] = [
      exists(
        db
          .select({ one })
          .from(userAreas)
          .where(and(eq(userAreas.areaId, areas.id), eq(userAreas.userId, scope.userId))),
      ),
    ];
    if (c.branchIds.length) {
      reach.push(
        exists(
          db
            .select({ one })
            .from(areaBranches)
            .where(and(eq(areaBranches.areaId, areas.id), inArray(areaBranches.branchId, c.branchIds))),
        ),
      );
    }
    parts.push(and(eq(areas.companyId, c.companyId), or(...reach))!);
  }
  return parts.length ? or(...parts)! : sql`0`;
}

/** Company-wide in the given company: may change its areas and create, delete and restore its branches. */
export function managesCompany(scope: StaffScope | null, companyId: number): boolean {
  return wideCompanyIds(scope).includes(companyId);
}
