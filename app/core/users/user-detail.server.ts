import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  activityLogs,
  areas,
  branches,
  permissions,
  roleTemplates,
  userAreas,
  userBranches,
  userPermissions,
  userRoles,
  userSessions,
  users,
} from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { activityReachCondition } from '../audit/activity-query.server';
import { scopeCompanyIds, wideCompanyIds, type StaffScope } from '../access/scope.server';
import { manageableUserCondition, visibleUserCondition } from './user-admin-scope.server';
import { liveBranchesIn } from '../org/live-branches.server';
import { liveAreas } from '../org/live-areas.server';
import { accessEditorLookups, type AccessEditorLookups } from './access-editor-lookups.server';
import { grantChangeRefusal, grantsBeyondCeiling, type GrantMap } from './grant-ceiling.server';
import type { StaffAccess } from '../access/staff-access.server';

const userColumns = {
  id: users.id,
  email: users.email,
  fullName: users.fullName,
  isActive: users.isActive,
  mustChangePassword: users.mustChangePassword,
  lockedUntil: users.lockedUntil,
  failedLoginCount: users.failedLoginCount,
  lastLoginAt: users.lastLoginAt,
  loginCount: users.loginCount,
  passwordChangedAt: users.passwordChangedAt,
  createdAt: users.createdAt,
};

/**
 * The user as an admin sees it, or null when outside the admin's scope (answer 404). With
 * `manage`, only a user entirely inside the admin's reach (see manageableUserCondition).
 */
export async function userInScope(ctx: AppContext, scope: StaffScope, userId: number, mode: 'see' | 'manage' = 'see') {
  const [user] = await ctx.db
    .select(userColumns)
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt), mode === 'manage' ? manageableUserCondition(ctx.db, scope) : visibleUserCondition(ctx.db, scope)))
    .limit(1);
  return user ? withLocked(ctx, user) : null;
}

/** The user row with whether its lock still holds now. */
function withLocked<U extends { lockedUntil: Date | null }>(ctx: AppContext, user: U) {
  return { ...user, locked: Boolean(user.lockedUntil && user.lockedUntil.getTime() > ctx.clock.now().getTime()) };
}

/**
 * The user page's read: the user as `seeScope` sees it (null outside it, answer 404) and whether
 * `manageScope` may change them, in one statement instead of two (issue 13 item 3).
 */
export async function userWithManageRight(ctx: AppContext, seeScope: StaffScope, manageScope: StaffScope | null, userId: number) {
  const manageable = manageScope ? sql<number>`case when ${manageableUserCondition(ctx.db, manageScope)} then 1 else 0 end` : sql<number>`0`;
  const [row] = await ctx.db
    .select({ ...userColumns, manageable, accessVersion: users.accessVersion })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt), visibleUserCondition(ctx.db, seeScope)))
    .limit(1);
  if (!row) return null;
  const { manageable: canManage, accessVersion, ...user } = row;
  // The version the page's forms carry (decision 101), read with the user: one statement, not two.
  return { user: withLocked(ctx, user), canManage: Number(canManage) === 1, accessVersion };
}

/**
 * Grants, roles and territory of a user, for the admin's page and edit forms: only what the
 * reader's own companies grant (decision 007), so a one-company admin never reads what the other
 * company gave a user who works for both.
 */
export async function userAccessDetail(ctx: AppContext, readScope: StaffScope, userId: number) {
  const companyIds = scopeCompanyIds(readScope);
  const [grants, roles, assignedBranches, assignedAreas] = await Promise.all([
    ctx.db
      .select({ companyId: userPermissions.companyId, code: permissions.code, scope: userPermissions.scope })
      .from(userPermissions)
      .innerJoin(permissions, eq(permissions.id, userPermissions.permissionId))
      .where(and(eq(userPermissions.userId, userId), inArray(userPermissions.companyId, companyIds)))
      .orderBy(asc(permissions.sortOrder)),
    ctx.db
      .select({ companyId: userRoles.companyId, code: roleTemplates.code, name: roleTemplates.name })
      .from(userRoles)
      .innerJoin(roleTemplates, eq(roleTemplates.id, userRoles.roleTemplateId))
      .where(and(eq(userRoles.userId, userId), inArray(userRoles.companyId, companyIds))),
    ctx.db
      .select({ id: branches.id, code: branches.code, name: branches.name, companyId: branches.companyId })
      .from(userBranches)
      .innerJoin(branches, eq(branches.id, userBranches.branchId))
      .where(and(eq(userBranches.userId, userId), inArray(branches.companyId, companyIds)))
      .orderBy(asc(branches.code)),
    ctx.db
      .select({ id: areas.id, code: areas.code, name: areas.name, companyId: areas.companyId })
      .from(userAreas)
      .innerJoin(areas, eq(areas.id, userAreas.areaId))
      .where(and(eq(userAreas.userId, userId), inArray(areas.companyId, companyIds)))
      .orderBy(asc(areas.code)),
  ]);
  return { grants, roles, branches: assignedBranches, areas: assignedAreas };
}

/**
 * What the grant and territory editors offer: permissions, templates, and the admin's branches and areas.
 * Only templates the admin (`actorId`) may apply in at least one company they give roles in are offered
 * (decision 089's ceiling; applying another is refused anyway, so it is not shown). The reference lists
 * come from the cache port (decision 131); the admin's own grants from the access the request's gate
 * loaded (the same the gate trusts; saving a grant checks the ceiling against fresh rows).
 */
export async function accessEditorOptions(ctx: AppContext, adminScope: StaffScope, actor: StaffAccess) {
  const companyIds = adminScope.companies.map((c) => c.companyId);
  const wide = wideCompanyIds(adminScope);
  const [lookups, branchRows, areaRows] = await Promise.all([accessEditorLookups(ctx), liveBranchesIn(ctx, adminScope), liveAreas(ctx)]);
  const grantCompanyIds = lookups.companies.filter((c) => wide.includes(c.id)).map((c) => c.id);
  return {
    permissions: lookups.permissions,
    templates: templatesWithinCeiling(actor, grantCompanyIds, lookups),
    companies: lookups.companies.filter((c) => companyIds.includes(c.id)),
    grantCompanies: lookups.companies.filter((c) => wide.includes(c.id)),
    branches: branchRows,
    areas: areaRows.filter((a) => wide.includes(a.companyId)),
  };
}

function templatesWithinCeiling(actor: StaffAccess, companyIds: number[], lookups: AccessEditorLookups) {
  const wanted = new Map<string, GrantMap>();
  for (const g of lookups.templateGrants) wanted.set(g.template, { ...wanted.get(g.template), [g.code]: g.scope });
  const actorIn = new Map<number, GrantMap>(companyIds.map((id) => [id, actor.grantsIn(id)]));
  const allowedIn = (template: AccessEditorLookups['templates'][number], companyId: number) => {
    const grants = actorIn.get(companyId)!;
    return grantChangeRefusal(actor.userId, null, grants) === null && grantsBeyondCeiling(grants, {}, wanted.get(template.code) ?? {}).length === 0;
  };
  return lookups.templates.filter((t) => companyIds.some((id) => (t.companyId === null || t.companyId === id) && allowedIn(t, id)));
}

/** Open and recently ended sessions of a user, newest first. */
export async function sessionsOf(ctx: AppContext, userId: number, limit = 20) {
  return ctx.db
    .select({
      id: userSessions.id,
      createdAt: userSessions.createdAt,
      lastSeenAt: userSessions.lastSeenAt,
      expiresAt: userSessions.expiresAt,
      ip: userSessions.ip,
      userAgent: userSessions.userAgent,
      endedAt: userSessions.endedAt,
      endReason: userSessions.endReason,
    })
    .from(userSessions)
    .where(eq(userSessions.userId, userId))
    .orderBy(sql`${userSessions.endedAt} is not null`, desc(userSessions.lastSeenAt))
    .limit(limit);
}

/**
 * Activity by the user or about the user, newest first, within the reader's activity:read scope
 * (the activity viewer's reach: rows about another company's or territory's clients stay out);
 * null without activity:read, so the page shows no activity panel.
 */
export async function recentActivityOf(ctx: AppContext, activityScope: StaffScope | null, userId: number, everyCompanyId?: readonly number[], limit = 25) {
  if (!activityScope) return null;
  const reach = await activityReachCondition(ctx, activityScope, everyCompanyId);
  return ctx.db
    .select({
      id: activityLogs.id,
      action: activityLogs.action,
      userId: activityLogs.userId,
      userEmail: users.email,
      resourceType: activityLogs.resourceType,
      resourceId: activityLogs.resourceId,
      ip: activityLogs.ip,
      createdAt: activityLogs.createdAt,
      details: activityLogs.details,
    })
    .from(activityLogs)
    .leftJoin(users, eq(users.id, activityLogs.userId))
    .where(and(reach, or(eq(activityLogs.userId, userId), and(eq(activityLogs.resourceType, 'user'), eq(activityLogs.resourceId, String(userId))))))
    .orderBy(desc(activityLogs.id))
    .limit(limit);
}
