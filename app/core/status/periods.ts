/**
 * Period keys in Asia/Manila time. Manila has kept UTC+08:00 with no daylight saving since 1990,
 * so a fixed offset is exact and works the same on Node and in workerd.
 */
export type PeriodType = 'monthly' | 'quarterly';

export interface Period {
  type: PeriodType;
  year: number;
  number: number; // month 1-12 or quarter 1-4
  key: string; // '2026-11' or '2026-Q4'
}

const manilaOffsetMs = 8 * 60 * 60 * 1000;

/** Calendar date parts as a clock in Manila shows them. */
export function manilaDateParts(at: Date): { year: number; month: number; day: number } {
  const local = new Date(at.getTime() + manilaOffsetMs);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

export function periodKey(type: PeriodType, year: number, number: number): string {
  return type === 'monthly' ? `${year}-${String(number).padStart(2, '0')}` : `${year}-Q${number}`;
}

export function periodOf(type: PeriodType, at: Date): Period {
  const { year, month } = manilaDateParts(at);
  const number = type === 'monthly' ? month : Math.ceil(month / 3);
  return { type, year, number, key: periodKey(type, year, number) };
}

/** The period `steps` before (negative) or after (positive) the given one. */
export function shiftPeriod(period: Period, steps: number): Period {
  const perYear = period.type === 'monthly' ? 12 : 4;
  const index = period.year * perYear + (period.number - 1) + steps;
  const year = Math.floor(index / perYear);
  const number = (index % perYear) + 1;
  return { type: period.type, year, number, key: periodKey(period.type, year, number) };
}

/** The year selector: [y-1, y, y+1] from September on, otherwise [y-2, y-1, y] (Manila date). */
export function selectableYears(at: Date): number[] {
  const { year, month } = manilaDateParts(at);
  return month >= 9 ? [year - 1, year, year + 1] : [year - 2, year - 1, year];
}

// Made once: toLocaleString with options builds a new Intl.DateTimeFormat per call, and the period
// pickers label 36 periods per request (issue 13 item 3: a fifth of the dashboard's CPU).
const monthNames = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2000, i, 1)).toLocaleString('en-PH', { month: 'long', timeZone: 'UTC' }));

export function periodLabel(period: Pick<Period, 'type' | 'year' | 'number'>): string {
  if (period.type === 'quarterly') return `Q${period.number} ${period.year}`;
  return `${monthNames[period.number - 1]} ${period.year}`;
}
