/**
 * The performance screen's figures and columns (decision 092). Browser-safe: no zod, no database;
 * the screen's table, sort links and chart import these, the server reads and sorts with them.
 */

/** Periods in the screen's trend: the chosen one and the five before it. */
export const TREND_PERIODS = 6;

export const PERFORMANCE_VIEWS = ['branch', 'agent'] as const;
export type PerformanceView = (typeof PERFORMANCE_VIEWS)[number];

export interface PerformanceCounts {
  total: number;
  contacted: number;
  updated: number;
  completed: number;
  payments: number;
  terminal: number;
}

export interface PerformanceRow extends PerformanceCounts {
  /** Branch id (branch view), user id (agent view), null for the "Not yet updated" line. */
  id: number | null;
  /** Branch code or agent name. */
  label: string;
  /** The branch's name (branch view). */
  detail: string | null;
  /** completed ÷ total × 100, one decimal (0 when total is 0). */
  conversionRate: number;
  /** Branch view: done share more than the grace below the elapsed share of the period (decision 076). Agents: null. */
  behind: boolean | null;
}

/** completed ÷ total × 100 with one decimal, half up, from the counts (never from a rounded rate). */
export function conversionRate(completed: number, total: number): number {
  return total ? Math.round((completed * 1000) / total) / 10 : 0;
}

export const PERFORMANCE_SORTS = ['label', 'total', 'contacted', 'updated', 'completed', 'conversionRate', 'payments', 'terminal'] as const;
export type PerformanceSort = (typeof PERFORMANCE_SORTS)[number];
export type SortDir = 'asc' | 'desc';

export const SORT_LABELS: Record<PerformanceSort, string> = {
  label: 'Name',
  total: 'Clients',
  contacted: 'Contacted',
  updated: 'Updated',
  completed: 'Completed',
  conversionRate: 'Conversion',
  payments: 'Payments',
  terminal: 'Terminal',
};

/** The direction a column starts in when first clicked: names A→Z, figures largest first. */
export const firstDir = (sort: PerformanceSort): SortDir => (sort === 'label' ? 'asc' : 'desc');

/** Stable order: the column, then the name; the "Not yet updated" line (id null) always last. */
export function sortRows<T extends PerformanceRow>(rows: readonly T[], sort: PerformanceSort, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (a.id === null || b.id === null) return a.id === null ? (b.id === null ? 0 : 1) : -1;
    const by = sort === 'label' ? a.label.localeCompare(b.label) : a[sort] - b[sort];
    return sign * by || a.label.localeCompare(b.label) || Number(a.id) - Number(b.id);
  });
}

/**
 * The GET link of a column heading: the current filters with this column; clicking the column the
 * table is sorted by turns the direction around. Works without JavaScript (a plain link).
 */
export function sortHref(filters: Readonly<Record<string, string>>, column: PerformanceSort, sort: PerformanceSort, dir: SortDir): string {
  const next: SortDir = column === sort ? (dir === 'asc' ? 'desc' : 'asc') : firstDir(column);
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));
  params.set('sort', column);
  params.set('dir', next);
  return `/reports?${params.toString()}`;
}
