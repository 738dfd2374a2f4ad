import { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import type { Clock } from '../clock';
import type { LimitResult, RateLimiter } from './limiter';
import { refillIntervalMs, resolvePolicies, type LimitPolicy, type LimitPolicyName } from './policies';

/**
 * How long a limit check waits for Upstash (decision 080, "a slow store"). @upstash/ratelimit's own
 * default is 5 s, after which it answers success with reason "timeout": a hung store would let
 * every sign-in, sync and export through, each five seconds late. One second is far above a
 * healthy round trip (a few ms in the region) and short enough that a refused page is quick.
 */
export const UPSTASH_LIMIT_TIMEOUT_MS = 1_000;

/** The store did not answer in time: checkLimit treats it as down (fail-closed policies refuse). */
export class LimitStoreTimeout extends Error {
  constructor(policy: LimitPolicyName, timeoutMs: number) {
    super(`rate limiter store did not answer within ${timeoutMs} ms (policy ${policy})`);
    this.name = 'LimitStoreTimeout';
  }
}

/** @upstash/ratelimit, one Ratelimit per named policy, with the policy's algorithm (decision 080). */
export function createUpstashLimiter(redis: Redis, clock: Clock, overrides?: string, options: { timeoutMs?: number } = {}): RateLimiter {
  const policies = resolvePolicies(overrides);
  const timeoutMs = options.timeoutMs ?? UPSTASH_LIMIT_TIMEOUT_MS;
  const limiters = new Map<LimitPolicyName, Ratelimit>();
  for (const policy of Object.values(policies)) {
    limiters.set(
      policy.name,
      new Ratelimit({
        redis,
        prefix: `rl:${policy.name}`,
        limiter: algorithmOf(policy),
        analytics: false,
        // No in-isolate memo of blocked keys: an admin unlock or a test reset must take effect at once.
        ephemeralCache: false,
        timeout: timeoutMs,
      }),
    );
  }
  return {
    kind: 'upstash',
    policies,
    async limit(name: LimitPolicyName, key: string): Promise<LimitResult> {
      const r = await limiters.get(name)!.limit(key);
      // The library's timeout answers "success" without asking the store: that is a store outage, never a pass.
      if (r.reason === 'timeout') throw new LimitStoreTimeout(name, timeoutMs);
      // Upstash counts in real time; express the wait on the app's clock (pinned in demos and tests).
      const resetAt = clock.now().getTime() + Math.max(0, r.reset - Date.now());
      return { success: r.success, limit: r.limit, remaining: r.remaining, resetAt };
    },
  };
}

function algorithmOf(policy: LimitPolicy) {
  if (policy.algorithm === 'tokenBucket') return Ratelimit.tokenBucket(1, `${refillIntervalMs(policy)} ms`, policy.max);
  return Ratelimit.slidingWindow(policy.max, `${policy.windowSeconds} s`);
}
