import { permissions } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { ceilingMessage, grantChangeRefusal, grantsBeyondCeiling, grantsInCompany, logRefusal, type GrantMap } from '../users/grant-ceiling.server';
import { roleTemplateLookup } from '../users/grants.server';
import { askForChange, remarkIssue } from './request-store.server';

export { remarkIssue } from './request-store.server';

/** What a user.grants request stores: the new grants of one company, resolved when asked (a role's too). */
export interface GrantRequestPayload {
  companyId: number;
  grants: GrantMap;
  roleTemplate: { id: number; code: string } | null;
}

export type GrantRequestResult = { ok: true; requestId: number } | { ok: false; message: string };

/**
 * The maker's side of a checked grant change (decision 101): the same checks the direct path makes
 * (known permissions, not one's own grants, the privilege ceiling) decide whether it may be asked at
 * all; then the change waits as a pending request and nothing else is written. One pending request
 * per user and company: a second one is refused (withdraw the first).
 */
export async function requestGrantChange(
  ctx: AppContext,
  makerId: number,
  targetId: number,
  companyId: number,
  change: { grants: GrantMap } | { roleTemplate: string },
  remark: string,
): Promise<GrantRequestResult> {
  const issue = remarkIssue(remark);
  if (issue) return { ok: false, message: issue };
  let grants: GrantMap;
  let roleTemplate: GrantRequestPayload['roleTemplate'] = null;
  if ('roleTemplate' in change) {
    const template = await roleTemplateLookup(ctx, companyId, change.roleTemplate);
    if (!template.ok) return template;
    grants = template.wanted;
    roleTemplate = { id: template.id, code: template.code };
  } else {
    const known = new Set((await ctx.db.select({ code: permissions.code }).from(permissions)).map((p) => p.code));
    const unknown = Object.keys(change.grants).filter((code) => !known.has(code));
    if (unknown.length) return { ok: false, message: `Unknown permission: ${unknown.join(', ')}` };
    grants = change.grants;
  }
  return ctx.write(async (tx) => {
    const maker = await grantsInCompany(tx, makerId, companyId);
    const refusal = grantChangeRefusal(makerId, targetId, maker);
    const before = await grantsInCompany(tx, targetId, companyId);
    const breaches = refusal ? [] : grantsBeyondCeiling(maker, before, grants);
    const message = refusal ?? (breaches.length ? ceilingMessage(breaches, roleTemplate?.code) : null);
    if (message) {
      await logRefusal(
        ctx,
        'user.grant_refused',
        makerId,
        targetId,
        { companyId, roleTemplate: roleTemplate?.code ?? null, reason: message, beyond: breaches },
        tx,
      );
      return { ok: false as const, message };
    }
    const payload: GrantRequestPayload = { companyId, grants, roleTemplate };
    return askForChange(ctx, tx, {
      action: 'user.grants',
      companyId,
      targetType: 'user',
      targetId,
      payload: payload as unknown as Record<string, unknown>,
      before: { grants: before },
      remark,
      makerId,
    });
  });
}
