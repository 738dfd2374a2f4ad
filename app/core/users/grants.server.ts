import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { companies, permissions, roleTemplateGrants, roleTemplates, userPermissions, userRoles } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { Decide } from '../approvals/checked-action.server';
import { bumpAccessVersion } from './access-version.server';
import { forgetAccess } from '../access/access.server';
import type { ScopeLevel } from '../access/scope.server';
import { logActivity } from '../audit/activity-log.server';
import { isNoChange, recordAudit } from '../audit/audit-trail.server';
import { ceilingMessage, grantChangeRefusal, grantsBeyondCeiling, grantsInCompany, logRefusal, type GrantMap } from './grant-ceiling.server';

export const scopeLevels = ['self', 'branch', 'area', 'all'] as const;

/** The grants form: one optional scope per permission code, for one company. */
export const grantsFormSchema = z.object({
  companyId: z.coerce.number().int().positive(),
  grants: z.record(z.string().regex(/^[a-z]+(:[a-z]+)+$/), z.enum(scopeLevels)),
});

type Result = { ok: true } | { ok: false; message: string; conflict?: boolean };

/**
 * A maker-checker approval applying the change (decision 101): `decide` runs inside the same
 * transaction, before anything is written, with the target's grants as they are now ({ grants }). It
 * closes the request, or answers why it may not apply (a conflict: nothing written).
 */
export interface ChangeApproval {
  requestId: number;
  makerId: number;
  decide: Decide;
}

/**
 * Replaces a user's grants in one company (one transaction), logs old and new values and drops
 * the cached access so the change applies on the user's next request. The privilege ceiling is
 * decided inside the same transaction (grant-ceiling.server.ts): never one's own grants, only
 * with users:manage company-wide there, and only grants the actor holds at least as wide.
 */
export async function setCompanyGrants(
  ctx: AppContext,
  actorId: number,
  userId: number,
  companyId: number,
  wanted: GrantMap,
  via?: { roleTemplateId: number; code: string },
  approval?: ChangeApproval,
): Promise<Result> {
  const known = await ctx.db.select({ id: permissions.id, code: permissions.code }).from(permissions);
  const idByCode = new Map(known.map((p) => [p.code, p.id]));
  const unknown = Object.keys(wanted).filter((code) => !idByCode.has(code));
  if (unknown.length) return { ok: false, message: `Unknown permission: ${unknown.join(', ')}` };
  const decided = await ctx.write(async (tx) => {
    const actor = await grantsInCompany(tx, actorId, companyId);
    const refusal = grantChangeRefusal(actorId, userId, actor);
    if (refusal) return { ok: false as const, message: refusal, breaches: [] };
    const before = await grantsInCompany(tx, userId, companyId);
    const breaches = grantsBeyondCeiling(actor, before, wanted);
    if (breaches.length) return { ok: false as const, message: ceilingMessage(breaches, via?.code), breaches };
    if (approval) {
      const closed = await approval.decide(tx, { grants: before });
      if (!closed.ok) return { ok: false as const, message: closed.message, breaches: [], conflict: true };
    }
    await tx.delete(userPermissions).where(and(eq(userPermissions.userId, userId), eq(userPermissions.companyId, companyId)));
    const rows = Object.entries(wanted).map(([code, scope]) => ({ userId, companyId, permissionId: idByCode.get(code)!, scope, grantedBy: actorId }));
    if (rows.length) await tx.insert(userPermissions).values(rows);
    await tx.delete(userRoles).where(and(eq(userRoles.userId, userId), eq(userRoles.companyId, companyId)));
    if (via) await tx.insert(userRoles).values({ userId, companyId, roleTemplateId: via.roleTemplateId, assignedBy: actorId });
    // In the audit log too (record = the user), so its viewer and CSV show grant changes with their approval (decision 101).
    const [company] = await tx.select({ code: companies.code }).from(companies).where(eq(companies.id, companyId));
    const [old, neu] = [auditFields(company.code, before), auditFields(company.code, wanted)];
    if (!isNoChange(old, neu))
      await recordAudit(ctx, { table: 'user_permissions', recordId: userId, action: 'update', before: old, after: neu, userId: actorId }, tx);
    await bumpAccessVersion(tx, userId);
    return { ok: true as const, before };
  });
  if (!decided.ok && 'conflict' in decided) return { ok: false, message: decided.message, conflict: true };
  if (!decided.ok) {
    await logRefusal(ctx, 'user.grant_refused', actorId, userId, {
      companyId,
      roleTemplate: via?.code ?? null,
      reason: decided.message,
      beyond: decided.breaches,
      wanted,
    });
    return { ok: false, message: decided.message };
  }
  await forgetAccess(ctx, userId);
  await logActivity(ctx, {
    userId: actorId,
    action: via ? 'user.role_applied' : 'user.grants_changed',
    resourceType: 'user',
    resourceId: userId,
    details: {
      companyId,
      roleTemplate: via?.code ?? null,
      old: decided.before,
      new: wanted,
      ...(approval ? { approval: { requestId: approval.requestId, makerId: approval.makerId, checkerId: actorId } } : {}),
    },
  });
  return { ok: true };
}

/** A company's grants as audit fields: "PCNI users:manage" → scope. */
const auditFields = (companyCode: string, grants: GrantMap) =>
  Object.fromEntries(Object.entries(grants).map(([code, scope]) => [`${companyCode} ${code}`, scope]));

type TemplateLookup = { ok: true; id: number; code: string; wanted: GrantMap } | { ok: false; message: string };

async function templateFor(ctx: AppContext, companyId: number, templateCode: string): Promise<TemplateLookup> {
  const [template] = await ctx.db
    .select({ id: roleTemplates.id, code: roleTemplates.code, companyId: roleTemplates.companyId })
    .from(roleTemplates)
    .where(and(eq(roleTemplates.code, templateCode), eq(roleTemplates.isActive, true)));
  if (!template) return { ok: false, message: 'Unknown role template.' };
  if (template.companyId !== null && template.companyId !== companyId) {
    return { ok: false, message: 'This role template belongs to the other company.' };
  }
  const grants = await ctx.db
    .select({ code: permissions.code, scope: roleTemplateGrants.scope })
    .from(roleTemplateGrants)
    .innerJoin(permissions, eq(permissions.id, roleTemplateGrants.permissionId))
    .where(eq(roleTemplateGrants.roleTemplateId, template.id));
  return { ok: true, id: template.id, code: template.code, wanted: Object.fromEntries(grants.map((g) => [g.code, g.scope as ScopeLevel])) };
}

/** Applies a role template for one company: the user's grants there become the template's (within the actor's ceiling). */
export async function applyRoleTemplate(
  ctx: AppContext,
  actorId: number,
  userId: number,
  companyId: number,
  templateCode: string,
  approval?: ChangeApproval,
): Promise<Result> {
  const template = await templateFor(ctx, companyId, templateCode);
  if (!template.ok) return template;
  return setCompanyGrants(ctx, actorId, userId, companyId, template.wanted, { roleTemplateId: template.id, code: template.code }, approval);
}

/** What a role template grants in a company (the maker's request shows it as the new value), or why not. */
export async function roleTemplateLookup(ctx: AppContext, companyId: number, templateCode: string) {
  return templateFor(ctx, companyId, templateCode);
}

/**
 * Before creating a user with a role: null when the actor may give this template in this company,
 * else the reason (logged as user.grant_refused), so nothing is created for a refused role.
 */
export async function roleTemplateRefusal(ctx: AppContext, actorId: number, companyId: number, templateCode: string): Promise<string | null> {
  const template = await templateFor(ctx, companyId, templateCode);
  if (!template.ok) return template.message;
  const actor = await grantsInCompany(ctx.db, actorId, companyId);
  const refusal = grantChangeRefusal(actorId, null, actor);
  const breaches = refusal ? [] : grantsBeyondCeiling(actor, {}, template.wanted);
  const message = refusal ?? (breaches.length ? ceilingMessage(breaches, template.code) : null);
  if (message) await logRefusal(ctx, 'user.grant_refused', actorId, null, { companyId, roleTemplate: template.code, reason: message, beyond: breaches });
  return message;
}
