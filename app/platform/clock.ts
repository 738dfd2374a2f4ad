/** The app's only source of "now", so tests and demos can set today. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock {
  const ms = new Date(at).getTime();
  if (Number.isNaN(ms)) throw new Error(`fixedClock: not a date: ${String(at)}`);
  return { now: () => new Date(ms) };
}

/**
 * A clock that starts at a given instant and then runs at real speed: "today" is fixed for demos
 * and e2e, while rate-limit windows, lockouts and idle timeouts still pass as they would.
 */
export function startingClock(at: Date | string, realNow: () => number = Date.now): Clock {
  const start = new Date(at).getTime();
  if (Number.isNaN(start)) throw new Error(`startingClock: not a date: ${String(at)}`);
  const bootedAt = realNow();
  return { now: () => new Date(start + (realNow() - bootedAt)) };
}

/** APP_FIXED_NOW sets the clock's starting instant outside production (demos, e2e). */
export function clockFromEnv(fixedNow: string | undefined, nodeEnv: string): Clock {
  if (fixedNow && nodeEnv !== 'production') return startingClock(fixedNow);
  return systemClock;
}
