// The performance screen's pure rules (decision 092): the conversion rate's rounding, the row order
// and the sort links.
import { describe, expect, it } from 'vitest';
import { conversionRate, sortHref, sortRows, type PerformanceRow } from '../../app/core/reports/performance-figures';

const row = (id: number | null, label: string, total: number, completed: number): PerformanceRow => ({
  id,
  label,
  detail: null,
  total,
  contacted: 0,
  updated: 0,
  completed,
  payments: 0,
  terminal: 0,
  conversionRate: conversionRate(completed, total),
  behind: null,
});

describe('conversion rate', () => {
  it('is completed ÷ total × 100 with one decimal, half up, and 0 without clients', () => {
    expect(conversionRate(1, 3)).toBe(33.3);
    expect(conversionRate(2, 3)).toBe(66.7);
    expect(conversionRate(1, 16)).toBe(6.3); // 6.25 → 6.3
    expect(conversionRate(1, 8)).toBe(12.5);
    expect(conversionRate(7, 7)).toBe(100);
    expect(conversionRate(0, 0)).toBe(0);
    // From the counts, never from the stored basis points: 249 of 20,000 is 1.245 %, stored as 125 bp
    // (1.25 %), which rounded again would show 1.3; the screen shows 1.2.
    expect(conversionRate(249, 20_000)).toBe(1.2);
  });
});

describe('sorting', () => {
  const rows = [row(1, 'B', 10, 5), row(2, 'A', 10, 2), row(null, 'Not yet updated', 50, 0), row(3, 'C', 4, 4)];

  it('by a figure, the name breaking ties, the "Not yet updated" line last both ways', () => {
    expect(sortRows(rows, 'total', 'desc').map((r) => r.label)).toEqual(['A', 'B', 'C', 'Not yet updated']);
    expect(sortRows(rows, 'total', 'asc').map((r) => r.label)).toEqual(['C', 'A', 'B', 'Not yet updated']);
    expect(sortRows(rows, 'conversionRate', 'desc').map((r) => r.label)).toEqual(['C', 'B', 'A', 'Not yet updated']);
    expect(sortRows(rows, 'label', 'desc').map((r) => r.label)).toEqual(['C', 'B', 'A', 'Not yet updated']);
  });

  it('a heading link keeps the filters, starts figures largest first and turns the current column around', () => {
    const filters = { company: 'pcni', segment: 'pnp', period: '2026-Q4', view: 'agent', area: '' };
    expect(sortHref(filters, 'total', 'conversionRate', 'desc')).toBe('/reports?company=pcni&segment=pnp&period=2026-Q4&view=agent&sort=total&dir=desc');
    expect(sortHref(filters, 'total', 'total', 'desc')).toContain('sort=total&dir=asc');
    expect(sortHref(filters, 'label', 'total', 'desc')).toContain('sort=label&dir=asc');
  });
});
