// The service's parts wired together: job worker + scheduler + heartbeat, on one database.
// service/main.ts runs it with the real handlers; tests/service/fixtures may run it with test ones.
import type { AppDatabase } from '../db/database';
import type { Clock } from '../app/platform/clock';
import type { Logger } from '../app/platform/logger';
import { breakerStates } from './resilience/integration-policies';
import type { ServiceConfig } from './config';
import { publishHeartbeat, queueDepths } from './heartbeat';
import type { JobHandlers } from './jobs/handler';
import { JobWorker } from './jobs/worker';
import { refreshStaleSnapshots } from './maintenance/snapshot-freshness';
import { Scheduler } from './scheduler/scheduler';
import { tracingSetup } from '../app/platform/otel-export.server';

export interface RunningService {
  worker: JobWorker;
  scheduler: Scheduler | undefined;
  /** Sends the spans recorded so far (OTLP export on). */
  flushSpans(): Promise<void>;
  /** Graceful: stop claiming and firing, let running jobs finish (bounded), last heartbeat. */
  stop(): Promise<void>;
}

export interface ServiceParts {
  config: ServiceConfig;
  db: AppDatabase;
  clock: Clock;
  logger: Logger;
  handlers: JobHandlers;
}

export async function startService({ config, db, clock, logger, handlers }: ServiceParts): Promise<RunningService> {
  const { env, instanceId } = config;
  const startedAt = clock.now();
  const telemetry = tracingSetup({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, ratio: env.OTEL_TRACES_SAMPLER_ARG, serviceName: 'client-updater-service' });
  const worker = new JobWorker({
    tracing: telemetry.tracing,
    db,
    clock,
    logger,
    handlers,
    instanceId,
    queues: config.queues,
    policyOverrides: config.policyOverrides,
    pollMs: env.SERVICE_POLL_MS,
  });
  const watchers = [{ name: 'performance-snapshots', run: () => refreshStaleSnapshots(db, clock, logger) }];
  const scheduler = env.SERVICE_SCHEDULER === 'on' ? new Scheduler({ db, clock, logger, refreshMs: env.SERVICE_SCHEDULE_REFRESH_MS, watchers }) : undefined;
  let state: 'running' | 'stopping' | 'stopped' = 'running';

  const beat = async () => {
    try {
      const now = clock.now();
      await publishHeartbeat(
        db,
        instanceId,
        {
          instanceId,
          pid: process.pid,
          startedAt: startedAt.toISOString(),
          uptimeSeconds: Math.round((now.getTime() - startedAt.getTime()) / 1000),
          state,
          heartbeatMs: env.SERVICE_HEARTBEAT_MS,
          runs: worker.queues,
          runningJobs: worker.runningCount(),
          scheduler: scheduler ? 'on' : 'off',
          queues: await queueDepths(db),
          breakers: breakerStates(),
        },
        { now, startedAt },
      );
    } catch (error) {
      logger.error('service heartbeat failed', { error });
    }
  };

  await beat();
  worker.start();
  scheduler?.start();
  const timer = setInterval(beat, env.SERVICE_HEARTBEAT_MS);
  logger.info('service started', { instanceId, queues: worker.queues, scheduler: Boolean(scheduler), heartbeatMs: env.SERVICE_HEARTBEAT_MS });

  return {
    worker,
    scheduler,
    flushSpans: () => telemetry.flush(),
    async stop() {
      if (state !== 'running') return;
      state = 'stopping';
      clearInterval(timer);
      await beat();
      await Promise.all([scheduler?.stop(), worker.stop(env.SERVICE_SHUTDOWN_GRACE_MS)]);
      state = 'stopped';
      await beat();
      await telemetry.shutdown();
      logger.info('service stopped', { instanceId });
    },
  };
}
