import type { AppContext } from '../context';
import type { LimitResult } from './limiter';
import type { LimitPolicyName } from './policies';

/**
 * Asks the limiter, and decides for an unreachable store as domain.md says: login, sync and
 * export refuse (failClosed); reads and writes go on and the outage is logged. A store that does
 * not answer within the limiter's timeout (UPSTASH_LIMIT_TIMEOUT_MS) is unreachable too.
 */
export async function checkLimit(ctx: AppContext, name: LimitPolicyName, key: string): Promise<LimitResult> {
  const policy = ctx.limiter.policies[name];
  try {
    return await ctx.limiter.limit(name, key);
  } catch (error) {
    ctx.logger.error('rate limiter store unreachable', { policy: name, error });
    const resetAt = ctx.clock.now().getTime() + 30_000;
    return { success: !policy.failClosed, limit: policy.max, remaining: 0, resetAt, storeDown: true };
  }
}
