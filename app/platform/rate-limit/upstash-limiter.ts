import { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import type { Clock } from '../clock';
import type { LimitResult, RateLimiter } from './limiter';
import { refillIntervalMs, resolvePolicies, type LimitPolicy, type LimitPolicyName } from './policies';

/** @upstash/ratelimit, one Ratelimit per named policy, with the policy's algorithm (decision 080). */
export function createUpstashLimiter(redis: Redis, clock: Clock, overrides?: string): RateLimiter {
  const policies = resolvePolicies(overrides);
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
      }),
    );
  }
  return {
    kind: 'upstash',
    policies,
    async limit(name: LimitPolicyName, key: string): Promise<LimitResult> {
      const r = await limiters.get(name)!.limit(key);
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
