import { asc } from 'drizzle-orm';
import { statusReasons, statusTypes } from '../../../db/schema';
import { cachePolicies, cached } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';
import type { StatusReason, StatusType } from './workflow';

export const statusLookupsKey = 'lookups:status:v1';

/** Status types and reasons (inactive included: old rows still show their names), cached. */
export async function statusLookups(
  ctx: AppContext,
): Promise<{ statuses: StatusType[]; reasons: (StatusReason & { name: string })[]; names: Record<number, string> }> {
  return cached(ctx.cache, statusLookupsKey, cachePolicies.lookups, async () => {
    const [statuses, reasons] = await Promise.all([
      ctx.db
        .select({
          id: statusTypes.id,
          code: statusTypes.code,
          name: statusTypes.name,
          sequence: statusTypes.sequence,
          companyId: statusTypes.companyId,
          isActive: statusTypes.isActive,
        })
        .from(statusTypes)
        .orderBy(asc(statusTypes.sequence)),
      ctx.db
        .select({
          id: statusReasons.id,
          code: statusReasons.code,
          name: statusReasons.name,
          statusTypeId: statusReasons.statusTypeId,
          isTerminal: statusReasons.isTerminal,
          requiresRemarks: statusReasons.requiresRemarks,
          isActive: statusReasons.isActive,
        })
        .from(statusReasons)
        .orderBy(asc(statusReasons.sortOrder)),
    ]);
    return { statuses, reasons, names: Object.fromEntries(statuses.map((s) => [s.id, s.name])) };
  });
}
