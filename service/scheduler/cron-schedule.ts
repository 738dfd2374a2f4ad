// Cron arithmetic for scheduled_jobs rows (croner; docs/decisions/050). Only used to compute tick
// instants: firing is driven by the scheduler's own loop and the next_run_at column, so several
// service instances agree on what "this tick" is.
import { Cron } from 'croner';

export interface CronRow {
  cron: string;
  timezone: string;
}

export type ParsedCron = { ok: true; cron: Cron } | { ok: false; error: string };

export function parseCron(row: CronRow): ParsedCron {
  try {
    return { ok: true, cron: new Cron(row.cron, { timezone: row.timezone || 'Asia/Manila' }) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The first tick strictly after `after`, or null when the pattern has none left. */
export function tickAfter(cron: Cron, after: Date): Date | null {
  return cron.nextRun(after);
}

/** Is this instant one of the pattern's ticks? (An edited pattern no longer matches the stored next_run_at.) */
export function isTick(cron: Cron, at: Date): boolean {
  return at.getUTCMilliseconds() === 0 && cron.match(at);
}
