// The client page's panels that depend on more than clients:read: the FCASH tele panel and the
// reinstate form, each from the access the gate already loaded (no second lookup).
import { scopeIncludesBranch } from '../../core/access/scope.server';
import type { StaffAccess } from '../../core/access/staff-access.server';
import { terminalPeriodsOf } from '../../core/status/reinstate-client.server';
import { manilaToday } from '../../core/tele/month-to-update.server';
import { latestMonthCommand, latestTeleHistoryId, TELE_COMPANY_CODE } from '../../core/tele/tele-client.server';
import { teleHistory } from '../../core/tele/tele-history.server';
import { teleLookups } from '../../core/tele/tele-lookups.server';
import { activeReasons, activeTeleStatuses, allowedUpdateStatuses, monthToUpdateRange } from '../../core/tele/tele-rules';
import type { AppContext } from '../../platform/context';

interface PageClient {
  id: number;
  companyId: number;
  branchId: number;
  companyCode: string;
}

/** The tele panel of an FCASH client (null for other companies): choices, state and history. */
export async function telePanelData(ctx: AppContext, access: StaffAccess, client: PageClient) {
  if (client.companyCode !== TELE_COMPANY_CODE) return null;
  const [updateScope, historyScope] = [access.scope('status:update'), access.scope('status:history:read')];
  // All at once: over HTTP each read is a round trip (decision 103).
  const [lookups, latest, baseTeleHistoryId, history] = await Promise.all([
    teleLookups(ctx, client.companyId),
    latestMonthCommand(ctx.db, client.id),
    latestTeleHistoryId(ctx.db, client.id),
    historyScope ? teleHistory(ctx, historyScope, access.userId, client.id) : Promise.resolve(null),
  ]);
  const teleStatuses = activeTeleStatuses(lookups).map((t) => ({
    code: t.code,
    name: t.name,
    requiresReason: t.requiresReason,
    requiresRemarks: t.requiresRemarks,
    updateStatuses: allowedUpdateStatuses(lookups, t.code).map((u) => ({ code: u.code, name: u.name })),
  }));
  return {
    canEdit: Boolean(updateScope && scopeIncludesBranch(updateScope, client.companyId, client.branchId)),
    /** The version token the tele forms carry (decision 045). */
    baseTeleHistoryId,
    teleStatuses,
    names: Object.fromEntries([...lookups.teleStatuses, ...lookups.updateStatuses].map((s) => [s.code, s.name])),
    reasons: activeReasons(lookups).map((r) => ({ code: r.code, label: r.label })),
    reasonLabels: Object.fromEntries(lookups.reasons.map((r) => [r.code, r.label])),
    monthRange: monthToUpdateRange(manilaToday(ctx.clock.now())),
    latest: latest && {
      id: latest.id,
      status: latest.nextbankStatus,
      monthToUpdate: latest.monthToUpdate,
      error: latest.error,
      confirmedAt: latest.confirmedAt,
    },
    history,
  };
}

/** The reinstate form's data: the client's terminal periods, when the user may reinstate here. */
export async function reinstateData(ctx: AppContext, access: StaffAccess, client: PageClient) {
  const scope = access.scope('status:revert');
  if (!scope || !scopeIncludesBranch(scope, client.companyId, client.branchId)) return null;
  const periods = await terminalPeriodsOf(ctx, client.id);
  return periods.length ? { periods } : null;
}
