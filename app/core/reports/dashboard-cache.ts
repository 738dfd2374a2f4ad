import { sql } from 'drizzle-orm';
import { statusEvents } from '../../../db/schema';
import { cachePolicies } from '../../platform/cache/cache';
import type { AppContext } from '../../platform/context';

/**
 * Dashboards are cached under a generation; a status write starts a new one, so every cached
 * dashboard is recomputed on its next view. The generation is the last status event's id (every
 * status update, bulk or approved revert writes one in its own transaction: nothing to bump after
 * the commit, which at the edge was one more round trip; decision 109) with a counter in the cache
 * that writes without an event (reinstatement) bump after their commit. Both are read together.
 */
const generationKey = 'dashboard:generation';

export async function dashboardGeneration(ctx: AppContext): Promise<string> {
  const [counter, [last]] = await Promise.all([
    ctx.cache.get<string>(generationKey).catch(() => undefined),
    ctx.db.select({ id: sql<number | null>`max(${statusEvents.id})` }).from(statusEvents),
  ]);
  return `${counter ?? '0'}.${last?.id ?? 0}`;
}

/** For a write that leaves no status event: a new generation (after its commit). */
export async function forgetDashboards(ctx: AppContext) {
  await ctx.cache
    .set(generationKey, String(ctx.clock.now().getTime()) + Math.random().toString(36).slice(2, 6), cachePolicies.generation)
    .catch((error) => ctx.logger.warn('dashboard cache not invalidated', { error }));
}
