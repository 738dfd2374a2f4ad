import { cachePolicies } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';

/**
 * Dashboards are cached under a generation number; a status write starts a new generation, so every
 * cached dashboard is recomputed on its next view (at most one cache read per view to find it).
 */
const generationKey = 'dashboard:generation';

export async function dashboardGeneration(ctx: AppContext): Promise<string> {
  return (await ctx.cache.get<string>(generationKey).catch(() => undefined)) ?? '0';
}

export async function forgetDashboards(ctx: AppContext) {
  await ctx.cache
    .set(generationKey, String(ctx.clock.now().getTime()) + Math.random().toString(36).slice(2, 6), cachePolicies.generation)
    .catch((error) => ctx.logger.warn('dashboard cache not invalidated', { error }));
}
