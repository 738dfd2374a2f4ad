// Failure switches of the NextBank fake: what the next N requests (or every request until cleared)
// should suffer. A switch fires either before the command is applied (the bank never saw it) or
// after (the bank applied it, but the reply is lost): the second is what idempotency keys are for.

export type FailureKind =
  /** Answer with this HTTP status (5xx by default) and a JSON error body. */
  | 'status'
  /** Never answer; the socket stays open until the caller gives up or the fake stops. */
  | 'hang'
  /** Destroy the connection without a reply. */
  | 'drop'
  /** 401 whatever the credentials. */
  | 'unauthorized'
  /** 200 with a truncated JSON body. */
  | 'malformed';

export interface FailureOptions {
  /** How many requests it hits; omitted = every request until clearFailures(). */
  times?: number;
  /** Only requests to this path (e.g. '/command/UpdateCustomer'); omitted = every path. */
  path?: string;
  /** hang, drop, malformed: apply the command first, then fail the reply. Default false. */
  afterApply?: boolean;
  /** 'status' only: the status to answer. Default 503. */
  status?: number;
}

export interface FailureRule {
  kind: FailureKind;
  remaining: number | 'until_cleared';
  path?: string;
  afterApply: boolean;
  status: number;
}

export class FailureSwitches {
  private rules: FailureRule[] = [];

  add(kind: FailureKind, options: FailureOptions = {}): void {
    if (options.times !== undefined && (!Number.isInteger(options.times) || options.times < 1)) {
      throw new Error(`NextBank fake: times must be a positive integer, got ${options.times}`);
    }
    const afterApply = options.afterApply ?? false;
    if (afterApply && (kind === 'status' || kind === 'unauthorized')) {
      throw new Error(`NextBank fake: ${kind} failures happen before the command is applied`);
    }
    this.rules.push({
      kind,
      remaining: options.times ?? 'until_cleared',
      path: options.path,
      afterApply,
      status: options.status ?? 503,
    });
  }

  clear(): void {
    this.rules = [];
  }

  active(): readonly FailureRule[] {
    return this.rules;
  }

  /** The first matching rule for this stage, consumed by one use. */
  take(path: string, stage: 'before' | 'after'): FailureRule | undefined {
    const rule = this.rules.find((r) => (r.path === undefined || r.path === path) && r.afterApply === (stage === 'after'));
    if (!rule) return undefined;
    if (rule.remaining !== 'until_cleared') {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    return { ...rule };
  }
}
