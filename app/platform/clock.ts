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

/** APP_FIXED_NOW pins the clock outside production (demos, e2e). */
export function clockFromEnv(fixedNow: string | undefined, nodeEnv: string): Clock {
  if (fixedNow && nodeEnv !== "production") return fixedClock(fixedNow);
  return systemClock;
}
