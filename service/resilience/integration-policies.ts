// One resilience policy per outside system (cockatiel: retry with exponential backoff and jitter,
// circuit breaker, timeout; docs/decisions/061). Thresholds are domain.md's: Snowflake opens after
// 5 consecutive failures for 60 s, NextBank after 3 for 30 s. The service publishes every breaker's
// state in its heartbeat (/status shows them), so the registry lives here.
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IsolatedCircuitError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';

export { BrokenCircuitError, IsolatedCircuitError, TaskCancelledError } from 'cockatiel';

export type IntegrationName = 'snowflake' | 'nextbank';

export interface IntegrationPolicyOptions {
  /** Consecutive failed requests that open the breaker. */
  failures: number;
  /** How long it stays open before one trial call (half-open). */
  openMs: number;
  /** Per-request timeout (the call's AbortSignal fires, and the call is abandoned). */
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

/**
 * How a call's error is treated. Integration clients set these on their own errors:
 * - retryable: false → a definite answer another try cannot change (HTTP 4xx, bad credentials);
 * - countsAsFailure: false → the outside system is healthy, it just said no (a 404, a validation
 *   error), so the breaker does not count it.
 * Anything else (network error, 5xx, timeout, malformed reply) is retried and counted.
 */
export interface CallFailureTraits {
  retryable?: boolean;
  countsAsFailure?: boolean;
}

/** The caller gave up (shutdown, job timeout, lease lost): neither retried nor blamed on the remote. */
export class CallerAbortedError extends Error implements CallFailureTraits {
  override name = 'CallerAbortedError';
  readonly retryable = false;
  readonly countsAsFailure = false;
  constructor(reason?: unknown) {
    super(`call aborted by the caller${reason instanceof Error ? `: ${reason.message}` : ''}`);
  }
}

export type BreakerStateName = 'closed' | 'open' | 'half_open' | 'isolated';

const STATE_NAMES: Record<CircuitState, BreakerStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

export interface IntegrationPolicy {
  name: IntegrationName;
  options: IntegrationPolicyOptions;
  /**
   * Runs one call to the outside system under retry → breaker → timeout. The call gets an
   * AbortSignal that fires on timeout, when `signal` aborts, and as soon as the call returns:
   * read the whole reply inside `call`. Throws BrokenCircuitError when the breaker is open (no
   * request sent), CallerAbortedError when `signal` aborted, else the last attempt's error.
   */
  execute<T>(call: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  breakerState(): BreakerStateName;
  /** When the breaker last changed state (ms since epoch), for the heartbeat. */
  lastChangeAt(): number | null;
  /** Called at each breaker transition (for logs and tests); returns the unsubscribe. */
  onStateChange(listener: (state: BreakerStateName) => void): () => void;
}

const registry = new Map<IntegrationName, IntegrationPolicy>();

const isBreakerRefusal = (error: unknown) => error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError;
const traitsOf = (error: unknown): CallFailureTraits => (typeof error === 'object' && error !== null ? (error as CallFailureTraits) : {});

/**
 * The breaker sits inside the retry: each failed request counts toward the threshold (3 failed
 * requests open NextBank's breaker, not 3 × (1 + retries)), and the retry does not handle the
 * breaker's refusal, so an open breaker fails fast with no request and no backoff spent.
 * The timeout is innermost: one slow request is one failure.
 * The caller's signal is not handed to cockatiel: its aggressive timeout would report a caller's
 * abort as "timed out" and the breaker would count it. We combine it with the timeout ourselves.
 */
export function createIntegrationPolicy(name: IntegrationName, overrides: Partial<IntegrationPolicyOptions> = {}): IntegrationPolicy {
  const options: IntegrationPolicyOptions = { ...DEFAULT_POLICIES[name], ...overrides };
  const breaker = circuitBreaker(
    handleWhen((error) => traitsOf(error).countsAsFailure !== false),
    { halfOpenAfter: options.openMs, breaker: new ConsecutiveBreaker(options.failures) },
  );
  let changedAt: number | null = null;
  breaker.onStateChange(() => {
    changedAt = Date.now();
  });
  const timeoutPolicy = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
  const retryPolicy = retry(
    handleWhen((error) => !isBreakerRefusal(error) && traitsOf(error).retryable !== false),
    {
      maxAttempts: options.retries,
      backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs ?? 200, maxDelay: options.maxDelayMs ?? 5_000 }),
    },
  );
  const policy: IPolicy = wrap(retryPolicy, breaker, timeoutPolicy);

  const execute = async <T>(call: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> => {
    if (signal?.aborted) throw new CallerAbortedError(signal.reason);
    return policy.execute(async ({ signal: timeoutSignal }) => {
      if (signal?.aborted) throw new CallerAbortedError(signal.reason);
      const combined = signal ? AbortSignal.any([timeoutSignal, signal]) : timeoutSignal;
      try {
        return await call(combined);
      } catch (error) {
        if (signal?.aborted) throw new CallerAbortedError(signal.reason);
        throw error;
      }
    });
  };

  const integration: IntegrationPolicy = {
    name,
    options,
    execute,
    breakerState: () => STATE_NAMES[breaker.state],
    lastChangeAt: () => changedAt,
    onStateChange: (listener) => {
      const subscription = breaker.onStateChange((state) => listener(STATE_NAMES[state]));
      return () => subscription.dispose();
    },
  };
  registry.set(name, integration);
  return integration;
}

/** The process's shared policy for an integration (created with the defaults on first use). */
export function integrationPolicy(name: IntegrationName): IntegrationPolicy {
  return registry.get(name) ?? createIntegrationPolicy(name);
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

/** Short operator-facing text for an error from execute(). */
export function describeCallFailure(name: IntegrationName, error: unknown): string {
  if (error instanceof BrokenCircuitError) return `${name} circuit breaker is open: call not sent, will retry after it closes`;
  if (error instanceof IsolatedCircuitError) return `${name} circuit breaker is isolated by an operator: call not sent`;
  if (error instanceof Error) return error.message;
  return String(error);
}
