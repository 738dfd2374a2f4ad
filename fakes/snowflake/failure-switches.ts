// Failure switches of the Snowflake fake: what the next N requests of a kind (or every one until
// cleared) suffer. Note that snowflake-sdk retries 5xx and network errors by itself (query-request
// up to 7 times with 1–16 s sleeps, result chunks up to 10 times): a switch with `times` below
// that is recovered by the SDK; one left on until cleared is what the sync's own timeout and
// stall watchdog must turn into a failed job.

export type FailureTarget = 'login' | 'query' | 'chunk';

export type FailureSwitch =
  /** Login refused (success:false, 390100 "Incorrect username or password"): the SDK does not retry. */
  | { kind: 'login_error'; times?: number }
  /** Answer with an HTTP status (default 503) and an HTML error page, as a load balancer would. */
  | { kind: 'status'; target: FailureTarget; status?: number; times?: number }
  /** Accept the request and never answer (the socket stays open until the client gives up or the fake stops). */
  | { kind: 'hang'; target: FailureTarget; times?: number }
  /**
   * Send the reply's first `afterRows` rows (of the inline rowset or the chunk), then destroy the
   * connection mid-body. For login, destroy before any reply.
   */
  | { kind: 'drop'; target: FailureTarget; afterRows?: number; times?: number };

interface ArmedSwitch {
  spec: FailureSwitch;
  remaining: number; // Infinity = until cleared
}

export class FailureSwitches {
  private armed: ArmedSwitch[] = [];
  /** How many requests each kind of failure has hit. */
  readonly fired: Record<FailureSwitch['kind'], number> = { login_error: 0, status: 0, hang: 0, drop: 0 };

  arm(spec: FailureSwitch): void {
    if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) throw new Error('times must be a positive integer');
    this.armed.push({ spec, remaining: spec.times ?? Infinity });
  }

  clear(): void {
    this.armed = [];
  }

  /** The switch that hits this request (consumed), or undefined. */
  take(target: FailureTarget): FailureSwitch | undefined {
    const found = this.armed.find((a) => a.remaining > 0 && (a.spec.kind === 'login_error' ? target === 'login' : a.spec.target === target));
    if (!found) return undefined;
    found.remaining -= 1;
    this.fired[found.spec.kind] += 1;
    return found.spec;
  }
}
