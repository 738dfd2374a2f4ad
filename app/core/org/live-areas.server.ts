/**
 * Every live area (id, "COMPANY AREA" code, name, company), ordered by company code then area code: the
 * territory picker of the user editor. Read through the cache (decision 131), as the live branches are
 * (decision 120). Areas change only through area-writes.server.ts, which deletes the key after each
 * committed write; the TTL bounds a reader that raced the commit.
 */
import { asc, eq, isNull, sql } from 'drizzle-orm';
import { areas, companies } from '../../../db/schema';
import { cachePolicies, cached } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';

export interface AreaOption {
  id: number;
  code: string;
  name: string;
  companyId: number;
}

export const liveAreasKey = 'org:live-areas:v1';

export function liveAreas(ctx: AppContext): Promise<AreaOption[]> {
  return cached(ctx.cache, liveAreasKey, cachePolicies.branchList, () =>
    ctx.db
      .select({ id: areas.id, code: sql<string>`${companies.code} || ' ' || ${areas.code}`, name: areas.name, companyId: areas.companyId })
      .from(areas)
      .innerJoin(companies, eq(companies.id, areas.companyId))
      .where(isNull(areas.deletedAt))
      .orderBy(asc(companies.code), asc(areas.code)),
  );
}

/** After a committed area write. Never fails the write: the TTL bounds a missed delete. */
export async function forgetLiveAreas(ctx: AppContext): Promise<void> {
  await ctx.cache.delete(liveAreasKey).catch((error: unknown) => {
    ctx.logger.warn('area list cache invalidation failed', { error: String(error) });
  });
}
