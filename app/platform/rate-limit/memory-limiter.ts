import type { Clock } from "../clock";
import type { LimitResult, RateLimiter } from "./limiter";
import { resolvePolicies, type LimitPolicyName } from "./policies";

/**
 * In-process sliding-window limiter (the same approximation Upstash uses: the previous window's
 * count weighted by how much of it still overlaps). Only for one process: the embedded default.
 */
export function createMemoryLimiter(clock: Clock, overrides?: string): RateLimiter {
  const policies = resolvePolicies(overrides);
  const windows = new Map<string, { start: number; current: number; previous: number }>();
  let lastSweep = 0;

  function sweep(now: number) {
    if (now - lastSweep < 60_000) return;
    lastSweep = now;
    for (const [key, w] of windows) if (now - w.start > 3_600_000) windows.delete(key);
  }

  return {
    kind: "memory",
    policies,
    async limit(name: LimitPolicyName, key: string): Promise<LimitResult> {
      const policy = policies[name];
      const windowMs = policy.windowSeconds * 1000;
      const now = clock.now().getTime();
      sweep(now);
      const start = Math.floor(now / windowMs) * windowMs;
      const id = `${name}:${key}`;
      let w = windows.get(id);
      if (!w || w.start !== start) {
        const previous = w && w.start === start - windowMs ? w.current : 0;
        w = { start, current: 0, previous };
        windows.set(id, w);
      }
      const overlap = 1 - (now - start) / windowMs;
      const used = Math.floor(w.previous * overlap) + w.current;
      if (used >= policy.max) {
        return { success: false, limit: policy.max, remaining: 0, resetAt: start + windowMs };
      }
      w.current += 1;
      return { success: true, limit: policy.max, remaining: policy.max - used - 1, resetAt: start + windowMs };
    },
  };
}
