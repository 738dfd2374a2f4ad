import { describe, expect, it } from 'vitest';
import { manilaDateParts, periodLabel, periodOf, selectableYears, shiftPeriod } from '../../app/core/status/periods';

describe('periods are computed in Asia/Manila time (UTC+08:00)', () => {
  it('puts 2026-11-30T16:00:00Z (midnight in Manila) in December already', () => {
    expect(periodOf('monthly', new Date('2026-11-30T16:00:00Z')).key).toBe('2026-12');
    expect(periodOf('monthly', new Date('2026-11-30T15:59:59.999Z')).key).toBe('2026-11');
  });

  it('starts the new year at 16:00 UTC on 31 December', () => {
    expect(periodOf('monthly', new Date('2026-12-31T16:00:00Z'))).toEqual({ type: 'monthly', year: 2027, number: 1, key: '2027-01' });
    expect(periodOf('quarterly', new Date('2026-12-31T16:00:00Z')).key).toBe('2027-Q1');
    expect(periodOf('quarterly', new Date('2026-12-31T15:59:59Z')).key).toBe('2026-Q4');
  });

  it('reads the calendar date a Manila clock shows', () => {
    expect(manilaDateParts(new Date('2026-02-28T17:30:00Z'))).toEqual({ year: 2026, month: 3, day: 1 });
  });

  it('maps months to calendar quarters', () => {
    const quarterOfMonth = (month: number) => periodOf('quarterly', new Date(Date.UTC(2026, month - 1, 15, 4))).number;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(quarterOfMonth)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(periodOf('quarterly', new Date('2026-06-30T16:00:00Z')).key).toBe('2026-Q3');
  });

  it('labels periods for people', () => {
    expect(periodLabel({ type: 'monthly', year: 2026, number: 11 })).toBe('November 2026');
    expect(periodLabel({ type: 'quarterly', year: 2026, number: 4 })).toBe('Q4 2026');
  });

  it('labels every month as the en-PH formatter does (the names are made once, not per call)', () => {
    const labels = Array.from({ length: 12 }, (_, i) => periodLabel({ type: 'monthly', year: 2025, number: i + 1 }));
    expect(labels).toEqual([
      'January 2025',
      'February 2025',
      'March 2025',
      'April 2025',
      'May 2025',
      'June 2025',
      'July 2025',
      'August 2025',
      'September 2025',
      'October 2025',
      'November 2025',
      'December 2025',
    ]);
    for (let i = 0; i < 12; i++) {
      const month = new Date(Date.UTC(2025, i, 1)).toLocaleString('en-PH', { month: 'long', timeZone: 'UTC' });
      expect(labels[i]).toBe(`${month} 2025`);
    }
  });
});

describe('shiftPeriod', () => {
  const nov2026 = periodOf('monthly', new Date('2026-11-15T02:00:00Z'));
  const q4 = periodOf('quarterly', new Date('2026-11-15T02:00:00Z'));

  it('moves months forward and back across years', () => {
    expect(shiftPeriod(nov2026, 2).key).toBe('2027-01');
    expect(shiftPeriod(nov2026, -11).key).toBe('2025-12');
    expect(shiftPeriod(nov2026, -23)).toEqual({ type: 'monthly', year: 2024, number: 12, key: '2024-12' });
    expect(shiftPeriod(nov2026, 0)).toEqual(nov2026);
  });

  it('moves quarters forward and back across years', () => {
    expect(shiftPeriod(q4, 1).key).toBe('2027-Q1');
    expect(shiftPeriod(q4, -4).key).toBe('2025-Q4');
    expect(shiftPeriod(q4, -5)).toEqual({ type: 'quarterly', year: 2025, number: 3, key: '2025-Q3' });
  });

  it('is undone by the opposite shift', () => {
    for (const steps of [-30, -13, -1, 1, 7, 25]) expect(shiftPeriod(shiftPeriod(nov2026, steps), -steps)).toEqual(nov2026);
  });
});

describe('the year selector', () => {
  it('offers [y-2, y-1, y] before September', () => {
    expect(selectableYears(new Date('2026-01-15T00:00:00Z'))).toEqual([2024, 2025, 2026]);
    expect(selectableYears(new Date('2026-08-31T15:59:59Z'))).toEqual([2024, 2025, 2026]);
  });

  it('offers [y-1, y, y+1] from 1 September (Manila) on', () => {
    expect(selectableYears(new Date('2026-08-31T16:00:00Z'))).toEqual([2025, 2026, 2027]);
    expect(selectableYears(new Date('2026-12-31T15:00:00Z'))).toEqual([2025, 2026, 2027]);
  });

  it('rolls over with the Manila new year', () => {
    expect(selectableYears(new Date('2026-12-31T16:00:00Z'))).toEqual([2025, 2026, 2027]);
  });
});
