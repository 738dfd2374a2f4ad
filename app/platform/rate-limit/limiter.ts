import type { LimitPolicy, LimitPolicyName } from './policies';

export interface LimitResult {
  success: boolean;
  limit: number;
  remaining: number;
  /** Epoch ms when the caller may try again. */
  resetAt: number;
  /** True when the store could not be reached and the policy decided for us. */
  storeDown?: boolean;
}

/** The rate limiter port. */
export interface RateLimiter {
  /** primary: the memory limiter held by the cluster's primary, asked over IPC (decision 106). */
  readonly kind: 'memory' | 'upstash' | 'primary';
  limit(policy: LimitPolicyName, key: string): Promise<LimitResult>;
  policies: Record<LimitPolicyName, LimitPolicy>;
}

export function retryAfterSeconds(result: LimitResult, nowMs: number): number {
  return Math.max(1, Math.ceil((result.resetAt - nowMs) / 1000));
}
