import { and, asc, eq, isNull, or } from 'drizzle-orm';
import { configCategories, configOptions, teleStatusUpdateStatuses, teleStatuses, updateStatuses } from '../../../db/schema';
import { cachePolicies, cached } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';
import type { TeleLookups } from './tele-rules';

/** The config category whose options are the tele reasons (decision 040). */
export const TELE_REASONS_CATEGORY = 'tele_reasons';

/** Cache key per company; config edits of these tables should delete it (issue 6's screens). */
export const teleLookupsKey = (companyId: number) => `lookups:tele:v1:${companyId}`;

/**
 * Tele statuses (with their requires flags), update statuses, the allowed pairs, and the tele
 * reasons of the company (options of config category tele_reasons for that company or for all).
 * Inactive rows are included so old history still shows names; the rules offer only active ones.
 */
export async function teleLookups(ctx: AppContext, companyId: number): Promise<TeleLookups> {
  return cached(ctx.cache, teleLookupsKey(companyId), cachePolicies.lookups, async () => {
    const [tele, updates, allowed, reasons] = await Promise.all([
      ctx.db
        .select({
          id: teleStatuses.id,
          code: teleStatuses.code,
          name: teleStatuses.name,
          requiresReason: teleStatuses.requiresReason,
          requiresRemarks: teleStatuses.requiresRemarks,
          isActive: teleStatuses.isActive,
        })
        .from(teleStatuses)
        .orderBy(asc(teleStatuses.sortOrder), asc(teleStatuses.id)),
      ctx.db
        .select({ id: updateStatuses.id, code: updateStatuses.code, name: updateStatuses.name, isActive: updateStatuses.isActive })
        .from(updateStatuses)
        .orderBy(asc(updateStatuses.sortOrder), asc(updateStatuses.id)),
      ctx.db
        .select({ teleStatusId: teleStatusUpdateStatuses.teleStatusId, updateStatusId: teleStatusUpdateStatuses.updateStatusId })
        .from(teleStatusUpdateStatuses),
      ctx.db
        .select({ code: configOptions.code, label: configOptions.label, isActive: configOptions.isActive, categoryActive: configCategories.isActive })
        .from(configOptions)
        .innerJoin(configCategories, eq(configCategories.id, configOptions.categoryId))
        .where(
          and(
            eq(configCategories.code, TELE_REASONS_CATEGORY),
            isNull(configOptions.parentOptionId),
            or(isNull(configOptions.companyId), eq(configOptions.companyId, companyId)),
          ),
        )
        .orderBy(asc(configOptions.sortOrder), asc(configOptions.id)),
    ]);
    return {
      teleStatuses: tele,
      updateStatuses: updates,
      allowed,
      reasons: reasons.map((r) => ({ code: r.code, label: r.label, isActive: r.isActive && r.categoryActive })),
    };
  });
}
