// The AppContext a bench drives the core with directly (no HTTP): the app's real ports on the bench's
// database, in-memory cache and limits, a quiet logger, and the bench's fixed "today" (02:00 UTC).
import { createMemoryCache } from '../app/platform/cache/memory-cache';
import { fixedClock } from '../app/platform/clock';
import type { AppContext, AppDatabase } from '../app/platform/context';
import { parseAppEnv } from '../app/platform/env';
import { createLogger } from '../app/platform/logger';
import { createMemoryLimiter } from '../app/platform/rate-limit/memory-limiter';
import { childSpan } from '../app/platform/trace-context';
import { writePort } from '../app/platform/write-queue';

export function benchContext(db: AppDatabase, today: string, requestId: string): AppContext {
  const clock = fixedClock(new Date(`${today}T02:00:00Z`));
  return {
    db,
    write: writePort(db),
    cache: createMemoryCache(),
    limiter: createMemoryLimiter(clock),
    clock,
    logger: createLogger({ level: 'error', write: () => {} }),
    env: parseAppEnv({ NODE_ENV: 'test' }),
    requestId,
    trace: childSpan(null),
    host: 'node',
    clientIp: '127.0.0.1',
    cspNonce: '',
    state: {},
  };
}
