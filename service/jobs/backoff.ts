// Delay before a failed job's next attempt: exponential in the attempt number, capped, with jitter
// ("equal jitter": half fixed, half random) so jobs that failed together do not retry together.

export interface BackoffOptions {
  /** Delay after the first failed attempt, before jitter. */
  baseMs: number;
  /** Upper bound of the delay, before jitter. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 30 * 60_000 };

/** attempt = the attempt that just failed (1 = first). random() in [0, 1). Result in [d/2, d]. */
export function retryDelayMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const delay = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(delay / 2 + random() * (delay / 2));
}
