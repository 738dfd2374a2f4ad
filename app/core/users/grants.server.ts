import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { permissions, roleTemplateGrants, roleTemplates, userPermissions, userRoles } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { forgetAccess } from '../access/access.server';
import type { ScopeLevel } from '../access/scope.server';
import { logActivity } from '../audit/activity-log.server';

export const scopeLevels = ['self', 'branch', 'area', 'all'] as const;

/** The grants form: one optional scope per permission code, for one company. */
export const grantsFormSchema = z.object({
  companyId: z.coerce.number().int().positive(),
  grants: z.record(z.string().regex(/^[a-z]+(:[a-z]+)+$/), z.enum(scopeLevels)),
});

type GrantMap = Record<string, ScopeLevel>;

async function grantsOf(ctx: AppContext, userId: number, companyId: number): Promise<GrantMap> {
  const rows = await ctx.db
    .select({ code: permissions.code, scope: userPermissions.scope })
    .from(userPermissions)
    .innerJoin(permissions, eq(permissions.id, userPermissions.permissionId))
    .where(and(eq(userPermissions.userId, userId), eq(userPermissions.companyId, companyId)))
    .orderBy(asc(permissions.code));
  return Object.fromEntries(rows.map((r) => [r.code, r.scope as ScopeLevel]));
}

/**
 * Replaces a user's grants in one company (one transaction), logs old and new values and drops
 * the cached access so the change applies on the user's next request.
 */
export async function setCompanyGrants(
  ctx: AppContext,
  actorId: number,
  userId: number,
  companyId: number,
  wanted: GrantMap,
  via?: { roleTemplateId: number; code: string },
): Promise<{ ok: true } | { ok: false; message: string }> {
  const known = await ctx.db.select({ id: permissions.id, code: permissions.code }).from(permissions);
  const idByCode = new Map(known.map((p) => [p.code, p.id]));
  const unknown = Object.keys(wanted).filter((code) => !idByCode.has(code));
  if (unknown.length) return { ok: false, message: `Unknown permission: ${unknown.join(', ')}` };
  const before = await grantsOf(ctx, userId, companyId);
  await ctx.write(async (tx) => {
    await tx.delete(userPermissions).where(and(eq(userPermissions.userId, userId), eq(userPermissions.companyId, companyId)));
    const rows = Object.entries(wanted).map(([code, scope]) => ({ userId, companyId, permissionId: idByCode.get(code)!, scope, grantedBy: actorId }));
    if (rows.length) await tx.insert(userPermissions).values(rows);
    await tx.delete(userRoles).where(and(eq(userRoles.userId, userId), eq(userRoles.companyId, companyId)));
    if (via) await tx.insert(userRoles).values({ userId, companyId, roleTemplateId: via.roleTemplateId, assignedBy: actorId });
  });
  await forgetAccess(ctx, userId);
  await logActivity(ctx, {
    userId: actorId,
    action: via ? 'user.role_applied' : 'user.grants_changed',
    resourceType: 'user',
    resourceId: userId,
    details: { companyId, roleTemplate: via?.code ?? null, old: before, new: wanted },
  });
  return { ok: true };
}

/** Applies a role template for one company: the user's grants there become the template's. */
export async function applyRoleTemplate(ctx: AppContext, actorId: number, userId: number, companyId: number, templateCode: string) {
  const [template] = await ctx.db
    .select({ id: roleTemplates.id, code: roleTemplates.code, companyId: roleTemplates.companyId })
    .from(roleTemplates)
    .where(and(eq(roleTemplates.code, templateCode), eq(roleTemplates.isActive, true)));
  if (!template) return { ok: false as const, message: 'Unknown role template.' };
  if (template.companyId !== null && template.companyId !== companyId) {
    return { ok: false as const, message: 'This role template belongs to the other company.' };
  }
  const grants = await ctx.db
    .select({ code: permissions.code, scope: roleTemplateGrants.scope })
    .from(roleTemplateGrants)
    .innerJoin(permissions, eq(permissions.id, roleTemplateGrants.permissionId))
    .where(eq(roleTemplateGrants.roleTemplateId, template.id));
  const wanted = Object.fromEntries(grants.map((g) => [g.code, g.scope as ScopeLevel]));
  return setCompanyGrants(ctx, actorId, userId, companyId, wanted, { roleTemplateId: template.id, code: template.code });
}
