/**
 * The rate-limit policies of domain.md ("Limits"). failClosed: refuse when the store is down.
 * algorithm: what the limit promises (docs/decisions/080-rate-limit-bounds.md):
 * - "tokenBucket" for the fail-closed policies: at most `max` at once, one back every
 *   windowSeconds / max seconds, counted exactly (no weighting or rounding);
 * - "slidingWindow" for reads, writes and public pages: smooth, with a one-request slack at a
 *   window boundary (the previous window's count is weighted and rounded down).
 * Both keep the same bound: a run of requests that spans d ms is admitted at most
 * max + ceil(d / interval) times, interval = windowSeconds × 1000 / max (see limitBound).
 */
export type LimitAlgorithm = 'slidingWindow' | 'tokenBucket';

export interface LimitPolicy {
  name: LimitPolicyName;
  max: number;
  windowSeconds: number;
  failClosed: boolean;
  algorithm: LimitAlgorithm;
}

export type LimitPolicyName = 'read' | 'write' | 'export' | 'sync' | 'loginUser' | 'loginIp' | 'public';

const defaults: Record<LimitPolicyName, Omit<LimitPolicy, 'name'>> = {
  read: { max: 100, windowSeconds: 60, failClosed: false, algorithm: 'slidingWindow' },
  write: { max: 30, windowSeconds: 60, failClosed: false, algorithm: 'slidingWindow' },
  export: { max: 5, windowSeconds: 300, failClosed: true, algorithm: 'tokenBucket' },
  sync: { max: 2, windowSeconds: 600, failClosed: true, algorithm: 'tokenBucket' },
  loginUser: { max: 5, windowSeconds: 300, failClosed: true, algorithm: 'tokenBucket' },
  loginIp: { max: 30, windowSeconds: 300, failClosed: true, algorithm: 'tokenBucket' },
  public: { max: 20, windowSeconds: 60, failClosed: false, algorithm: 'slidingWindow' },
};

/** Applies RATE_LIMITS overrides like "read=100/60,public=20/60" on top of the defaults. */
export function resolvePolicies(overrides?: string): Record<LimitPolicyName, LimitPolicy> {
  const out = {} as Record<LimitPolicyName, LimitPolicy>;
  for (const [name, p] of Object.entries(defaults)) out[name as LimitPolicyName] = { name: name as LimitPolicyName, ...p };
  for (const part of (overrides ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\w+)=(\d+)\/(\d+)$/.exec(part);
    if (!m || !(m[1] in out)) throw new Error(`RATE_LIMITS: cannot read "${part}" (expected name=count/seconds)`);
    const name = m[1] as LimitPolicyName;
    out[name] = { ...out[name], max: Number(m[2]), windowSeconds: Number(m[3]) };
  }
  return out;
}

/** Milliseconds between two tokens coming back in a token bucket: the window shared out over max. */
export function refillIntervalMs(policy: Pick<LimitPolicy, 'max' | 'windowSeconds'>): number {
  return Math.max(1, Math.floor((policy.windowSeconds * 1000) / policy.max));
}

/**
 * The most requests a policy admits in a run that spans `spanMs` milliseconds (decision 080).
 * The tests assert this, on Node and at the edge; it is never a target to aim for.
 */
export function limitBound(policy: Pick<LimitPolicy, 'max' | 'windowSeconds'>, spanMs: number): number {
  return policy.max + Math.ceil(Math.max(0, spanMs) / refillIntervalMs(policy));
}
