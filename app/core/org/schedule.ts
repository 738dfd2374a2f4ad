/**
 * "Behind schedule" for areas, branches and agents (docs/decisions/076). Pure: no I/O.
 *
 * A period's work is expected to be done at an even pace. At any moment the expected done share
 * is the elapsed share of the period (Manila time), weighted by how many of the clients belong to
 * each cycle (PCNI has monthly Non-PNP and quarterly PNP clients at once). A group is behind
 * schedule when its done share is more than `gracePoints` percentage points below that expected
 * share. The grace keeps the first days of a period (and rounding) from flagging everybody.
 */
import { periodOf, type Period, type PeriodType } from '../status/periods';

export const DEFAULT_BEHIND_GRACE_POINTS = 10;
/** A global setting (number, percentage points) overrides the default when an admin adds it. */
export const BEHIND_GRACE_SETTING = 'behind_schedule_grace_points';

const manilaOffsetMs = 8 * 60 * 60 * 1000;

export interface CurrentPeriods {
  monthly: Period;
  quarterly: Period;
}

export function currentPeriods(now: Date): CurrentPeriods {
  return { monthly: periodOf('monthly', now), quarterly: periodOf('quarterly', now) };
}

/** Start (inclusive) and end (exclusive) of a period as UTC instants of Manila midnights. */
export function periodBounds(period: Pick<Period, 'type' | 'year' | 'number'>): { start: Date; end: Date } {
  const firstMonth = period.type === 'monthly' ? period.number : (period.number - 1) * 3 + 1;
  const months = period.type === 'monthly' ? 1 : 3;
  const start = Date.UTC(period.year, firstMonth - 1, 1) - manilaOffsetMs;
  const end = Date.UTC(period.year, firstMonth - 1 + months, 1) - manilaOffsetMs;
  return { start: new Date(start), end: new Date(end) };
}

/** How much of the period has gone by at `now`, 0..1. */
export function elapsedShare(period: Period, now: Date): number {
  const { start, end } = periodBounds(period);
  const share = (now.getTime() - start.getTime()) / (end.getTime() - start.getTime());
  return Math.min(1, Math.max(0, share));
}

export interface CycleCounts {
  cycle: PeriodType;
  total: number;
  done: number;
}

export interface Progress {
  total: number;
  done: number;
  /** Done share in percent, one decimal. */
  donePct: number;
  /** The share expected by now in percent, one decimal. */
  expectedPct: number;
  behind: boolean;
}

const pct = (share: number) => Math.round(share * 1000) / 10;

/** Adds up the counts of each cycle and judges the pace against the elapsed share of each cycle's period. */
export function progressOf(counts: readonly CycleCounts[], elapsed: Record<PeriodType, number>, gracePoints: number): Progress {
  let total = 0;
  let done = 0;
  let expected = 0;
  for (const c of counts) {
    total += c.total;
    done += c.done;
    expected += c.total * elapsed[c.cycle];
  }
  const doneShare = total ? done / total : 0;
  const expectedShare = total ? expected / total : 0;
  return {
    total,
    done,
    donePct: pct(doneShare),
    expectedPct: pct(expectedShare),
    behind: total > 0 && doneShare * 100 < expectedShare * 100 - gracePoints,
  };
}
