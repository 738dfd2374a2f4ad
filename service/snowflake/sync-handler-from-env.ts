// The 'sync' queue's handler as service/handlers.ts registers it. A half-done Snowflake environment
// fails the service at start with every bad variable named (parseSnowflakeConfig). No Snowflake
// environment at all (SNOWFLAKE_ACCOUNT unset) still registers a handler: it fails each sync job at
// once with a message saying what to set, so an admin sees why on /admin/jobs instead of a job
// that waits forever.
import { PermanentJobError, type JobHandler } from '../jobs/handler';
import { parseSnowflakeConfig, snowflakeConfigured } from './config';
import { createSnowflakeSyncHandler } from './sync-handler';

export const NOT_CONFIGURED =
  'Snowflake is not configured on this service: set SNOWFLAKE_ACCOUNT, SNOWFLAKE_USERNAME and SNOWFLAKE_PRIVATE_KEY_PATH (docs/integrations/snowflake.md)';

export function snowflakeSyncHandlerFromEnv(env: Record<string, string | undefined>): JobHandler {
  if (!snowflakeConfigured(env)) {
    return async () => {
      throw new PermanentJobError(NOT_CONFIGURED);
    };
  }
  return createSnowflakeSyncHandler(parseSnowflakeConfig(env));
}
