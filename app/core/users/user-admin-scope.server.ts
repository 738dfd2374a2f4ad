import { and, eq, exists, inArray, not, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { areaBranches, areas, branches, userAreas, userBranches, userPermissions, users } from '../../../db/schema';
import type { AppDatabase } from '../../platform/context';
import { scopeCondition, wideCompanyIds, type StaffScope } from '../access/scope.server';

type UserRef = SQLiteColumn | SQL;
const one = sql`1`;

function hasNothing(db: AppDatabase, userId: UserRef): SQL {
  return and(
    not(exists(db.select({ one }).from(userPermissions).where(eq(userPermissions.userId, userId)))),
    not(exists(db.select({ one }).from(userBranches).where(eq(userBranches.userId, userId)))),
    not(exists(db.select({ one }).from(userAreas).where(eq(userAreas.userId, userId)))),
  )!;
}

/**
 * Which users an admin may SEE: those with a branch or area inside the admin's scope, or with a
 * grant in a company the admin holds company-wide; users with no grant and no territory yet are
 * seen by company-wide admins. Everyone else is 404, so companies never see each other's staff.
 * `userId` is the column (or expression) holding the user id to test, e.g. users.id.
 */
export function visibleUserCondition(db: AppDatabase, scope: StaffScope, userId: UserRef = users.id): SQL {
  const inScope = scopeCondition(scope, { companyId: branches.companyId, branchId: branches.id });
  const wide = wideCompanyIds(scope);
  const parts: SQL[] = [
    exists(
      db
        .select({ one })
        .from(userBranches)
        .innerJoin(branches, eq(branches.id, userBranches.branchId))
        .where(and(eq(userBranches.userId, userId), inScope)),
    ),
    exists(
      db
        .select({ one })
        .from(userAreas)
        .innerJoin(areaBranches, eq(areaBranches.areaId, userAreas.areaId))
        .innerJoin(branches, eq(branches.id, areaBranches.branchId))
        .where(and(eq(userAreas.userId, userId), inScope)),
    ),
  ];
  if (wide.length) {
    parts.push(
      exists(
        db
          .select({ one })
          .from(userPermissions)
          .where(and(eq(userPermissions.userId, userId), inArray(userPermissions.companyId, wide))),
      ),
      hasNothing(db, userId),
    );
  }
  return or(...parts)!;
}

/**
 * Which users an admin may CHANGE: visible, and with nothing outside the admin's reach — no grant
 * in a company the admin does not hold company-wide, no branch or area outside the admin's scope.
 * Without this an admin of one company could reset the password of an admin of both.
 */
export function manageableUserCondition(db: AppDatabase, scope: StaffScope, userId: UserRef = users.id): SQL {
  const wide = wideCompanyIds(scope);
  const outsideCompany = wide.length ? notInArray(userPermissions.companyId, wide) : sql`1`;
  const branchOutside = not(scopeCondition(scope, { companyId: branches.companyId, branchId: branches.id }));
  const areaOutside = wide.length ? notInArray(areas.companyId, wide) : sql`1`;
  return and(
    visibleUserCondition(db, scope, userId),
    not(
      exists(
        db
          .select({ one })
          .from(userPermissions)
          .where(and(eq(userPermissions.userId, userId), outsideCompany)),
      ),
    ),
    not(
      exists(
        db
          .select({ one })
          .from(userBranches)
          .innerJoin(branches, eq(branches.id, userBranches.branchId))
          .where(and(eq(userBranches.userId, userId), branchOutside)),
      ),
    ),
    not(
      exists(
        db
          .select({ one })
          .from(userAreas)
          .innerJoin(areas, eq(areas.id, userAreas.areaId))
          .where(and(eq(userAreas.userId, userId), areaOutside)),
      ),
    ),
  )!;
}
