import type { Redis } from '@upstash/redis';
import type { Cache } from './cache/cache';
import { createMemoryCache } from './cache/memory-cache';
import { createUpstashCache } from './cache/upstash-cache';
import type { Clock } from './clock';
import type { AppEnv } from './env';
import type { RateLimiter } from './rate-limit/limiter';
import { createMemoryLimiter } from './rate-limit/memory-limiter';
import { createUpstashLimiter } from './rate-limit/upstash-limiter';

export type HostKind = 'node' | 'worker';

/**
 * The cache and the rate limiter a host runs with: Upstash when it is configured, else the
 * in-process adapters. The Node host's in-process adapters are its embedded default; on Workers
 * they would be per isolate (every isolate its own five login attempts), so a production Worker
 * without Upstash refuses to start instead (decision 080, addendum).
 */
export function hostStores(host: HostKind, env: AppEnv, clock: Clock, redis: Redis | undefined): { cache: Cache; limiter: RateLimiter } {
  if (redis) return { cache: createUpstashCache(redis), limiter: createUpstashLimiter(redis, clock, env.RATE_LIMITS) };
  if (host === 'worker' && env.NODE_ENV === 'production') {
    throw new Error(
      'Refusing to start: the Workers host needs UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN in production (per-isolate rate limits are no limits).',
    );
  }
  return { cache: createMemoryCache(), limiter: createMemoryLimiter(clock, env.RATE_LIMITS) };
}
