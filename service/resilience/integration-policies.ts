// One resilience policy per outside system (cockatiel: circuit breaker + retry with exponential
// backoff and jitter + timeout; docs/decisions/050). Thresholds are domain.md's: Snowflake opens after
// 5 consecutive failures for 60 s, NextBank after 3 for 30 s. The service publishes every breaker's
// state in its heartbeat (/status shows them), so the registry lives here.
import {
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  retry,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';

export type IntegrationName = 'snowflake' | 'nextbank';

export interface IntegrationPolicyOptions {
  /** Consecutive failures that open the breaker. */
  failures: number;
  /** How long it stays open before one trial call (half-open). */
  openMs: number;
  /** Per-call timeout (the call gets an AbortSignal). */
  timeoutMs: number;
  /** Retries after the first try, with exponential backoff and jitter. 0 = no retry. */
  retries: number;
  /** First backoff delay; grows exponentially with decorrelated jitter up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export const DEFAULT_POLICIES: Record<IntegrationName, IntegrationPolicyOptions> = {
  snowflake: { failures: 5, openMs: 60_000, timeoutMs: 60_000, retries: 2, initialDelayMs: 500, maxDelayMs: 10_000 },
  nextbank: { failures: 3, openMs: 30_000, timeoutMs: 10_000, retries: 2, initialDelayMs: 200, maxDelayMs: 5_000 },
};

export type BreakerStateName = 'closed' | 'open' | 'half_open' | 'isolated';

const STATE_NAMES: Record<CircuitState, BreakerStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

export interface IntegrationPolicy {
  name: IntegrationName;
  /**
   * Runs one call to the outside system under timeout → retry → breaker. Throws
   * cockatiel's BrokenCircuitError when the breaker is open (the caller fails fast, no request sent).
   */
  execute<T>(call: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  breakerState(): BreakerStateName;
  /** When the breaker last changed state (ms since epoch), for the heartbeat. */
  lastChangeAt(): number | null;
}

const registry = new Map<IntegrationName, IntegrationPolicy>();

/**
 * The breaker sits outermost so that one failed call (after its retries) counts once toward the
 * threshold, and an open breaker refuses before any retry delay is spent.
 */
export function createIntegrationPolicy(name: IntegrationName, options: IntegrationPolicyOptions = DEFAULT_POLICIES[name]): IntegrationPolicy {
  const breaker = circuitBreaker(handleAll, { halfOpenAfter: options.openMs, breaker: new ConsecutiveBreaker(options.failures) });
  let changedAt: number | null = null;
  breaker.onStateChange(() => {
    changedAt = Date.now();
  });
  const retryPolicy = retry(handleAll, {
    maxAttempts: options.retries,
    backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs ?? 200, maxDelay: options.maxDelayMs ?? 5_000 }),
  });
  const timeoutPolicy = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
  const policy: IPolicy = options.retries > 0 ? wrap(breaker, retryPolicy, timeoutPolicy) : wrap(breaker, timeoutPolicy);
  const integration: IntegrationPolicy = {
    name,
    execute: (call, signal) => policy.execute(({ signal: s }) => call(s), signal),
    breakerState: () => STATE_NAMES[breaker.state],
    lastChangeAt: () => changedAt,
  };
  registry.set(name, integration);
  return integration;
}

/** Every breaker this process created, for the heartbeat: { snowflake: { state, changedAt } }. */
export function breakerStates(): Record<string, { state: BreakerStateName; changedAt: string | null }> {
  const out: Record<string, { state: BreakerStateName; changedAt: string | null }> = {};
  for (const [name, p] of registry) {
    const at = p.lastChangeAt();
    out[name] = { state: p.breakerState(), changedAt: at === null ? null : new Date(at).toISOString() };
  }
  return out;
}
