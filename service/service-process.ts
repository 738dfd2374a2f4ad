// Runs the service as a process: config from env (zod), logger, database, clock, signals.
// SIGTERM / SIGINT stop it gracefully (no new claims, running jobs get SERVICE_SHUTDOWN_GRACE_MS).
import { openDatabase } from '../db/client';
import { clockFromEnv } from '../app/platform/clock';
import { createLogger } from '../app/platform/logger';
import { parseServiceConfig, type ServiceConfig } from './config';
import type { JobHandlers } from './jobs/handler';
import { startService } from './run-service';

export async function runServiceProcess(handlersFor: (config: ServiceConfig) => JobHandlers): Promise<void> {
  let config: ServiceConfig;
  try {
    config = parseServiceConfig(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const { env } = config;
  const logger = createLogger({ level: env.LOG_LEVEL, base: { host: 'service', instanceId: config.instanceId } });
  const { client, db } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  const clock = clockFromEnv(env.APP_FIXED_NOW, env.NODE_ENV);
  const service = await startService({ config, db, clock, logger, handlers: handlersFor(config) });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('service stopping', { signal });
    try {
      await service.stop();
    } catch (error) {
      logger.error('service stop failed', { error });
    }
    client.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
