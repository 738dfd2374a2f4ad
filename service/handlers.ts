// The one place that says which code runs each queue. A queue without a handler here is never
// claimed by this service. Handlers that need configuration get it from main.ts through `config`.
import type { JobHandlers } from './jobs/handler';
import { createCleanupHandler } from './maintenance/retention-cleanup';
import { exportHandlerFromEnv, exportStorageFromServiceEnv } from './exports/export-handler-from-env';
import { performanceHandler } from './maintenance/performance-snapshots';
import { periodInitHandler } from './maintenance/period-init';
import { nextbankHandlerFromEnv } from './nextbank/outbox-delivery';
import { paymentSyncHandlerFromEnv } from './nextbank/payment-sync-job';
import { snowflakeSyncHandlerFromEnv } from './snowflake/sync-handler-from-env';

export interface HandlerConfig {
  /** The process environment: each integration validates its own variables with zod at start. */
  env: Record<string, string | undefined>;
}

export function jobHandlers(config: HandlerConfig): JobHandlers {
  const exportStorage = exportStorageFromServiceEnv(config.env);
  return {
    period_init: periodInitHandler,
    performance: performanceHandler,
    cleanup: createCleanupHandler(exportStorage),
    export: exportHandlerFromEnv(config.env, exportStorage),
    nextbank: nextbankHandlerFromEnv(config.env),
    nextbank_sync: paymentSyncHandlerFromEnv(config.env),
    sync: snowflakeSyncHandlerFromEnv(config.env),
  };
}
