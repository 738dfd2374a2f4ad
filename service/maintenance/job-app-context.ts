// A real AppContext for app/core functions called from a job (initializePeriod, logActivity):
// the job's database, clock and logger; in-process cache and limiter (the service serves no users).
import type { JobRunContext } from '../jobs/handler';
import { createMemoryCache } from '../../app/platform/cache/memory-cache';
import type { AppContext } from '../../app/platform/context';
import { parseAppEnv } from '../../app/platform/env';
import { createMemoryLimiter } from '../../app/platform/rate-limit/memory-limiter';
import { writePort } from '../../app/platform/write-queue';

const cache = createMemoryCache(500);

export function jobAppContext(run: Pick<JobRunContext, 'db' | 'clock' | 'logger' | 'job' | 'trace'>): AppContext {
  return {
    db: run.db,
    write: writePort(run.db),
    cache,
    limiter: createMemoryLimiter(run.clock),
    clock: run.clock,
    logger: run.logger,
    // Only the app's defaults: the service's own settings live in service/config.ts.
    env: parseAppEnv({ NODE_ENV: process.env.NODE_ENV === 'production' ? 'production' : 'development' }),
    // Activity rows written by a job carry its attempt's trace id where a request's would be (decision 094).
    requestId: run.trace.traceId,
    trace: run.trace,
    host: 'node',
    clientIp: 'service',
    cspNonce: '',
    state: {},
  };
}
