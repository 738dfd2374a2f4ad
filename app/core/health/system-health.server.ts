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
  // Every read starts at once (decision 103: on Workers each is a round trip to another region).
  // The heartbeats are read beside the probe, and their answer (or error) used only when the
  // database answered: a failed probe still shows the service as unknown, with nothing logged.
  const heartbeats = serviceHealth(ctx).then(
    (service) => ({ service }),
    (error: unknown) => ({ error }),
  );
  const [database, cache, read] = await Promise.all([
    probe(async () => {
      const [, applied] = await Promise.all([ctx.db.run(sql`select 1`), appliedMigrationId(ctx.db.$client)]);
      migration = applied;
    }),
    probe(() => ctx.cache.ping()),
    heartbeats,
  ]);
  let service: ServiceHealth = unknownServiceHealth();
  if (database.ok) {
    if ('service' in read) service = read.service;
    else ctx.logger.warn('status: service heartbeats unreadable', { error: read.error instanceof Error ? read.error.name : 'error' });
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
