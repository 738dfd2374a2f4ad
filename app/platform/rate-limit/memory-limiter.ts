import type { Clock } from '../clock';
import type { LimitResult, RateLimiter } from './limiter';
import { refillIntervalMs, resolvePolicies, type LimitPolicy, type LimitPolicyName } from './policies';

/**
 * In-process limiter for one process (the embedded default), on the app's clock. It keeps the
 * same two algorithms, with the same arithmetic, as the @upstash/ratelimit scripts the edge runs
 * (decision 080), so a test of either host checks the same promise.
 */
export function createMemoryLimiter(clock: Clock, overrides?: string): RateLimiter {
  const policies = resolvePolicies(overrides);
  const windows = new Map<string, SlidingState>();
  const buckets = new Map<string, BucketState>();
  let lastSweep = 0;

  function sweep(now: number) {
    if (now - lastSweep < 60_000) return;
    lastSweep = now;
    for (const [key, w] of windows) if (now - w.start > 3_600_000) windows.delete(key);
    for (const [key, b] of buckets) if (now >= b.expiresAt) buckets.delete(key);
  }

  return {
    kind: 'memory',
    policies,
    async limit(name: LimitPolicyName, key: string): Promise<LimitResult> {
      const policy = policies[name];
      const now = clock.now().getTime();
      sweep(now);
      const id = `${name}:${key}`;
      return policy.algorithm === 'tokenBucket' ? takeToken(buckets, id, policy, now) : slide(windows, id, policy, now);
    },
  };
}

interface SlidingState {
  start: number;
  current: number;
  previous: number;
}

/** The previous window's count weighted by how much of it still overlaps, rounded down (as Upstash). */
function slide(windows: Map<string, SlidingState>, id: string, policy: LimitPolicy, now: number): LimitResult {
  const windowMs = policy.windowSeconds * 1000;
  const start = Math.floor(now / windowMs) * windowMs;
  let w = windows.get(id);
  if (!w || w.start !== start) {
    const previous = w && w.start === start - windowMs ? w.current : 0;
    w = { start, current: 0, previous };
    windows.set(id, w);
  }
  const overlap = 1 - (now - start) / windowMs;
  const used = Math.floor(w.previous * overlap) + w.current;
  const resetAt = start + windowMs;
  if (used >= policy.max) return { success: false, limit: policy.max, remaining: 0, resetAt };
  w.current += 1;
  return { success: true, limit: policy.max, remaining: policy.max - used - 1, resetAt };
}

interface BucketState {
  refilledAt: number;
  tokens: number;
  /** As the Upstash script's PEXPIRE: the bucket is forgotten once it would be full again. */
  expiresAt: number;
}

/**
 * A full bucket of `max` tokens; one comes back every refill interval, counted from first use.
 * Same arithmetic as @upstash/ratelimit's script, including the key expiring (a new bucket and a
 * new refill phase) once enough time has passed for it to be full.
 */
function takeToken(buckets: Map<string, BucketState>, id: string, policy: LimitPolicy, now: number): LimitResult {
  const interval = refillIntervalMs(policy);
  let b = buckets.get(id);
  if (!b || now >= b.expiresAt) {
    b = { refilledAt: now, tokens: policy.max, expiresAt: Number.POSITIVE_INFINITY };
    buckets.set(id, b);
  } else if (now >= b.refilledAt + interval) {
    const refills = Math.floor((now - b.refilledAt) / interval);
    b.tokens = Math.min(policy.max, b.tokens + refills);
    b.refilledAt += refills * interval;
  }
  const resetAt = b.refilledAt + interval;
  if (b.tokens < 1) return { success: false, limit: policy.max, remaining: 0, resetAt };
  b.tokens -= 1;
  b.expiresAt = now + (policy.max - b.tokens) * interval;
  return { success: true, limit: policy.max, remaining: b.tokens, resetAt };
}
