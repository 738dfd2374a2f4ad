// Which cached reads each config table feeds, and their invalidation after a committed edit.
// The cache port is the same on both hosts (lru-cache on Node, Upstash Redis at the edge), so one
// delete here reaches every reader of that store; a reader that raced the commit is bounded by the
// lookups/filterOptions/settings TTLs (cachePolicies). Decision 073.
import { companies } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { filterLookupsKey } from '../clients/filter-options.server';
import { statusLookupsKey } from '../status/status-lookups.server';
import { teleLookupsKey } from '../tele/tele-lookups.server';
import { companySettingsKey, globalSettingsKey } from './settings.server';

type KeysFor = (companyIds: number[]) => string[];

const tele: KeysFor = (ids) => ids.map(teleLookupsKey);

const KEYS: Record<string, KeysFor> = {
  status_types: () => [statusLookupsKey, filterLookupsKey],
  status_reasons: () => [statusLookupsKey],
  products: () => [filterLookupsKey],
  par_statuses: () => [filterLookupsKey],
  pension_types: () => [filterLookupsKey],
  tele_statuses: tele,
  update_statuses: tele,
  config_categories: tele,
  config_options: tele,
  config_settings: (ids) => [globalSettingsKey, ...ids.map(companySettingsKey)],
};

export function cacheKeysOf(sqlName: string, companyIds: number[]): string[] {
  return KEYS[sqlName]?.(companyIds) ?? [];
}

/** Deletes the cached reads an edit of that table made stale. Never fails the edit: the TTL bounds a miss. */
export async function invalidateConfigCaches(ctx: AppContext, sqlName: string): Promise<void> {
  const ids = (await ctx.db.select({ id: companies.id }).from(companies)).map((c) => c.id);
  const keys = cacheKeysOf(sqlName, ids);
  if (!keys.length) return;
  await ctx.cache.delete(...keys).catch((error: unknown) => {
    ctx.logger.warn('config cache invalidation failed', { table: sqlName, error: String(error) });
  });
}
