import { sql } from 'drizzle-orm';
import { appliedMigrationId, latestMigrationTag } from '../../../db/migration-status';
import type { AppContext } from '../../platform/context';
import { serviceHealth, unknownServiceHealth, type ServiceHealth } from './service-heartbeats.server';

export interface Probe {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

async function probe(run: () => Promise<unknown>): Promise<Probe> {
  const started = performance.now();
  try {
    await run();
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: error instanceof Error ? error.name : 'error' };
  }
}

/**
 * What /status shows: reachability and latency of the database and the cache, version, migration,
 * and the Node service's last heartbeats. `ok` (the 200/503) is the web app's own health: a silent
 * service is shown as such but does not make the web app unavailable (docs/decisions/069).
 */
export async function systemHealth(ctx: AppContext) {
  let migration: string | null = null;
  const [database, cache] = await Promise.all([
    probe(async () => {
      await ctx.db.run(sql`select 1`);
      migration = await appliedMigrationId(ctx.db.$client);
    }),
    probe(() => ctx.cache.ping()),
  ]);
  let service: ServiceHealth = unknownServiceHealth();
  if (database.ok) {
    try {
      service = await serviceHealth(ctx);
    } catch (error) {
      ctx.logger.warn('status: service heartbeats unreadable', { error: error instanceof Error ? error.name : 'error' });
    }
  }
  return {
    ok: database.ok && cache.ok,
    version: ctx.env.APP_VERSION,
    host: ctx.host,
    checkedAt: ctx.clock.now().toISOString(),
    database,
    cache: { ...cache, kind: ctx.cache.kind },
    limiter: ctx.limiter.kind,
    migration,
    migrationCurrent: migration === latestMigrationTag,
    service,
  };
}
