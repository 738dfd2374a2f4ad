import { describe, expect, it } from 'vitest';
import { manilaDate, manilaMidnightMs, periodContaining, periodKey, recentPeriods } from '../../db/seed/periods';

describe('seed period arithmetic (Asia/Manila)', () => {
  it('formats period keys', () => {
    expect(periodKey('monthly', 2026, 3)).toBe('2026-03');
    expect(periodKey('quarterly', 2026, 4)).toBe('2026-Q4');
  });

  it('reads the Manila date of an instant (UTC+8)', () => {
    expect(manilaDate(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
    expect(manilaDate(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
  });

  it('starts periods at Manila midnight', () => {
    const p = periodContaining('monthly', '2026-12-31');
    expect(new Date(p.startMs).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(new Date(p.endMs).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(manilaMidnightMs('2026-12-01')).toBe(p.startMs);
    const q = periodContaining('quarterly', '2026-05-20');
    expect(q.key).toBe('2026-Q2');
    expect(new Date(q.startMs).toISOString()).toBe('2026-03-31T16:00:00.000Z');
  });

  it('lists the recent periods oldest first, across year ends', () => {
    expect(recentPeriods('monthly', '2026-02-10', 6).map((p) => p.key)).toEqual(['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02']);
    expect(recentPeriods('quarterly', '2026-11-15', 6).map((p) => p.key)).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
  });

  it('rejects a malformed date', () => {
    expect(() => manilaMidnightMs('2026-1-5')).toThrow();
  });
});
