// Period arithmetic for the seed, in Asia/Manila time (UTC+8 all year, no DST).
import type { PeriodType } from '../schema/columns';

export const MANILA_OFFSET_MS = 8 * 60 * 60 * 1000;

export interface Period {
  type: PeriodType;
  year: number;
  number: number; // month 1-12 or quarter 1-4
  key: string; // '2026-11' or '2026-Q4'
  startMs: number; // UTC instant of Manila midnight on the first day
  endMs: number; // UTC instant of the next period's start
}

/** The Manila calendar date ('YYYY-MM-DD') of an instant. */
export function manilaDate(instant: Date): string {
  return new Date(instant.getTime() + MANILA_OFFSET_MS).toISOString().slice(0, 10);
}

/** UTC instant of Manila midnight starting the given calendar date. */
export function manilaMidnightMs(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`Expected YYYY-MM-DD, got ${date}`);
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) - MANILA_OFFSET_MS;
}

export function periodKey(type: PeriodType, year: number, number: number): string {
  return type === 'monthly' ? `${year}-${String(number).padStart(2, '0')}` : `${year}-Q${number}`;
}

export function periodOf(type: PeriodType, year: number, number: number): Period {
  const firstMonth = type === 'monthly' ? number : (number - 1) * 3 + 1;
  const months = type === 'monthly' ? 1 : 3;
  const startMs = Date.UTC(year, firstMonth - 1, 1) - MANILA_OFFSET_MS;
  const endMs = Date.UTC(year, firstMonth - 1 + months, 1) - MANILA_OFFSET_MS;
  return { type, year, number, key: periodKey(type, year, number), startMs, endMs };
}

/** The period containing a Manila calendar date. */
export function periodContaining(type: PeriodType, date: string): Period {
  const [y, m] = date.split('-').map(Number);
  return periodOf(type, y, type === 'monthly' ? m : Math.ceil(m / 3));
}

/** The `count` periods ending with the one containing `date`, oldest first. */
export function recentPeriods(type: PeriodType, date: string, count: number): Period[] {
  const current = periodContaining(type, date);
  const perYear = type === 'monthly' ? 12 : 4;
  const index = current.year * perYear + (current.number - 1);
  const periods: Period[] = [];
  for (let i = index - count + 1; i <= index; i++) {
    periods.push(periodOf(type, Math.floor(i / perYear), (i % perYear) + 1));
  }
  return periods;
}
