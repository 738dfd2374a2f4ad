// The integration policies (service/resilience/integration-policies.ts) with cockatiel's real
// breaker, retry and timeout: what an operator relies on when NextBank or Snowflake misbehaves.
// Short openMs/timeoutMs; waits only for those windows to pass, never asserts durations.
import { describe, expect, it } from 'vitest';
import {
  BrokenCircuitError,
  CallerAbortedError,
  DEFAULT_POLICIES,
  TaskCancelledError,
  breakerStates,
  createIntegrationPolicy,
  integrationPolicy,
} from '../../service/resilience/integration-policies';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fast = { initialDelayMs: 1, maxDelayMs: 5 };

class Remote {
  calls = 0;
  failing = true;
  async call(): Promise<string> {
    this.calls += 1;
    if (this.failing) throw new Error('HTTP 503');
    return 'ok';
  }
}

describe('integration policies', () => {
  it('uses the thresholds of domain.md', () => {
    expect(DEFAULT_POLICIES.nextbank).toMatchObject({ failures: 3, openMs: 30_000 });
    expect(DEFAULT_POLICIES.snowflake).toMatchObject({ failures: 5, openMs: 60_000 });
  });

  it('opens after 3 failed requests (retries included) and then refuses without calling the remote', async () => {
    const policy = createIntegrationPolicy('nextbank', { retries: 2, openMs: 10_000, ...fast });
    const remote = new Remote();
    // One execute = first try + 2 retries = 3 failed requests: the breaker opens on the third.
    await expect(policy.execute(() => remote.call())).rejects.toThrow('HTTP 503');
    expect(remote.calls).toBe(3);
    expect(policy.breakerState()).toBe('open');
    expect(breakerStates().nextbank.state).toBe('open');
    expect(breakerStates().nextbank.changedAt).not.toBeNull();

    for (let i = 0; i < 5; i++) await expect(policy.execute(() => remote.call())).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(remote.calls).toBe(3); // no 4th request while open
  });

  it('counts failures across calls: the third consecutive failed call opens it', async () => {
    const policy = createIntegrationPolicy('nextbank', { retries: 0, openMs: 10_000, ...fast });
    const remote = new Remote();
    for (let i = 0; i < 2; i++) await expect(policy.execute(() => remote.call())).rejects.toThrow('HTTP 503');
    expect(policy.breakerState()).toBe('closed');
    await expect(policy.execute(() => remote.call())).rejects.toThrow('HTTP 503');
    expect(policy.breakerState()).toBe('open');
    await expect(policy.execute(() => remote.call())).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(remote.calls).toBe(3);
  });

  it('a success between failures resets the count', async () => {
    const policy = createIntegrationPolicy('nextbank', { retries: 0, openMs: 10_000, ...fast });
    const remote = new Remote();
    for (let round = 0; round < 3; round++) {
      remote.failing = true;
      await expect(policy.execute(() => remote.call())).rejects.toThrow();
      await expect(policy.execute(() => remote.call())).rejects.toThrow();
      remote.failing = false;
      await expect(policy.execute(() => remote.call())).resolves.toBe('ok');
    }
    expect(policy.breakerState()).toBe('closed');
  });

  it('after openMs one trial call goes through: success closes it, failure opens it again', async () => {
    const policy = createIntegrationPolicy('nextbank', { retries: 0, openMs: 150, ...fast });
    const remote = new Remote();
    for (let i = 0; i < 3; i++) await expect(policy.execute(() => remote.call())).rejects.toThrow();
    expect(policy.breakerState()).toBe('open');

    await sleep(200);
    await expect(policy.execute(() => remote.call())).rejects.toThrow('HTTP 503'); // the trial fails
    expect(remote.calls).toBe(4);
    expect(policy.breakerState()).toBe('open');
    await expect(policy.execute(() => remote.call())).rejects.toBeInstanceOf(BrokenCircuitError);

    await sleep(200);
    remote.failing = false;
    await expect(policy.execute(() => remote.call())).resolves.toBe('ok');
    expect(policy.breakerState()).toBe('closed');
    await expect(policy.execute(() => remote.call())).resolves.toBe('ok');
  });

  it('retries a passing failure with backoff and returns the value', async () => {
    const policy = createIntegrationPolicy('snowflake', { retries: 2, ...fast });
    let calls = 0;
    const value = await policy.execute(async () => {
      calls += 1;
      if (calls < 3) throw new Error('ECONNRESET');
      return 42;
    });
    expect(value).toBe(42);
    expect(calls).toBe(3);
    expect(policy.breakerState()).toBe('closed');
  });

  it('a definite refusal (retryable false) is not retried; countsAsFailure false never opens the breaker', async () => {
    const policy = createIntegrationPolicy('nextbank', { retries: 2, ...fast });
    let calls = 0;
    const notFound = Object.assign(new Error('HTTP 404'), { retryable: false, countsAsFailure: false });
    for (let i = 0; i < 6; i++) {
      await expect(
        policy.execute(async () => {
          calls += 1;
          throw notFound;
        }),
      ).rejects.toBe(notFound);
    }
    expect(calls).toBe(6);
    expect(policy.breakerState()).toBe('closed');

    // Bad credentials: not retried, but counted (every call fails until someone fixes them).
    const unauthorized = Object.assign(new Error('HTTP 401'), { retryable: false });
    for (let i = 0; i < 3; i++) await expect(policy.execute(async () => Promise.reject(unauthorized))).rejects.toBe(unauthorized);
    expect(policy.breakerState()).toBe('open');
  });

  it('times out a hanging call, aborts its signal, and counts it as a failure', async () => {
    const policy = createIntegrationPolicy('nextbank', { retries: 0, timeoutMs: 50, openMs: 10_000, ...fast });
    const signals: AbortSignal[] = [];
    const hang = (signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<never>(() => undefined);
    };
    for (let i = 0; i < 3; i++) await expect(policy.execute(hang)).rejects.toBeInstanceOf(TaskCancelledError);
    expect(signals).toHaveLength(3);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(policy.breakerState()).toBe('open');
  });

  it("a caller's abort is reported as such, never retried, never counted by the breaker", async () => {
    const policy = createIntegrationPolicy('nextbank', { retries: 2, timeoutMs: 5_000, ...fast });
    let calls = 0;
    for (let i = 0; i < 5; i++) {
      const caller = new AbortController();
      const pending = policy.execute((signal) => {
        calls += 1;
        return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('fetch aborted'))));
      }, caller.signal);
      caller.abort(new Error('service shutting down'));
      await expect(pending).rejects.toBeInstanceOf(CallerAbortedError);
    }
    expect(calls).toBe(5);
    expect(policy.breakerState()).toBe('closed');

    const already = new AbortController();
    already.abort();
    await expect(policy.execute(async () => 'never', already.signal)).rejects.toBeInstanceOf(CallerAbortedError);
    expect(calls).toBe(5);
  });

  it("the call's signal is aborted once the call returns (read the whole reply inside the call)", async () => {
    const policy = createIntegrationPolicy('nextbank', { retries: 0 });
    let seen: AbortSignal | undefined;
    await policy.execute(async (signal) => {
      seen = signal;
      expect(signal.aborted).toBe(false);
    });
    expect(seen?.aborted).toBe(true);
  });

  it('integrationPolicy() is one shared policy per process, so the heartbeat shows the breaker the calls use', () => {
    const created = createIntegrationPolicy('snowflake');
    expect(integrationPolicy('snowflake')).toBe(created);
    expect(integrationPolicy('snowflake').options.failures).toBe(5);
  });
});
