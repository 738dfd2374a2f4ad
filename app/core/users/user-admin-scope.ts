import { and, eq, exists, inArray, not, or, sql, type SQL } from "drizzle-orm";
import { areaBranches, branches, userAreas, userBranches, userPermissions, users } from "../../../db/schema";
import type { AppDatabase } from "../../platform/context";
import { scopeCondition, type StaffScope } from "../access/scope";

/**
 * Which users an admin may see: those with a branch or area inside the admin's scope, or with a
 * grant in a company the admin holds company-wide; users with no grant and no territory yet are
 * seen by company-wide admins. Everyone else is 404, so companies never see each other's staff.
 */
export function visibleUserCondition(db: AppDatabase, scope: StaffScope): SQL {
  const inScope = scopeCondition(scope, { companyId: branches.companyId, branchId: branches.id });
  const wideCompanies = scope.companies.filter((c) => c.branchIds === "all").map((c) => c.companyId);
  const parts: SQL[] = [
    exists(
      db.select({ one: sql`1` }).from(userBranches).innerJoin(branches, eq(branches.id, userBranches.branchId))
        .where(and(eq(userBranches.userId, users.id), inScope)),
    ),
    exists(
      db.select({ one: sql`1` }).from(userAreas).innerJoin(areaBranches, eq(areaBranches.areaId, userAreas.areaId))
        .innerJoin(branches, eq(branches.id, areaBranches.branchId))
        .where(and(eq(userAreas.userId, users.id), inScope)),
    ),
  ];
  if (wideCompanies.length) {
    parts.push(
      exists(db.select({ one: sql`1` }).from(userPermissions)
        .where(and(eq(userPermissions.userId, users.id), inArray(userPermissions.companyId, wideCompanies)))),
      and(
        not(exists(db.select({ one: sql`1` }).from(userPermissions).where(eq(userPermissions.userId, users.id)))),
        not(exists(db.select({ one: sql`1` }).from(userBranches).where(eq(userBranches.userId, users.id)))),
        not(exists(db.select({ one: sql`1` }).from(userAreas).where(eq(userAreas.userId, users.id)))),
      )!,
    );
  }
  return or(...parts)!;
}

/** Companies where the admin holds the permission company-wide: only they change grants there. */
export function companyWideIds(scope: StaffScope): number[] {
  return scope.companies.filter((c) => c.branchIds === "all").map((c) => c.companyId);
}
