import { Link } from '@remix-run/react';
import {
  PERFORMANCE_SORTS,
  SORT_LABELS,
  sortHref,
  type PerformanceCounts,
  type PerformanceRow,
  type PerformanceSort,
  type PerformanceView,
  type SortDir,
} from '../../core/reports/performance-figures';

const count = (n: number) => n.toLocaleString('en-PH');
const FIGURES = PERFORMANCE_SORTS.filter((s): s is Exclude<PerformanceSort, 'label'> => s !== 'label');

/**
 * The source of truth of the performance screen: one row per branch or agent, every column a GET
 * link that sorts by it (aria-sort says how the table is sorted now), and the totals in the footer.
 */
export function PerformanceTable({
  rows,
  totals,
  view,
  filters,
  sort,
  dir,
}: {
  rows: PerformanceRow[];
  totals: PerformanceCounts & { conversionRate: number };
  view: PerformanceView;
  filters: Record<string, string>;
  sort: PerformanceSort;
  dir: SortDir;
}) {
  const heading = (column: PerformanceSort, label: string, className?: string) => (
    <th key={column} className={className} aria-sort={sort === column ? (dir === 'asc' ? 'ascending' : 'descending') : undefined} scope="col">
      <Link to={sortHref(filters, column, sort, dir)} data-testid={`sort-${column}`} preventScrollReset>
        {label}
        {sort === column ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </Link>
    </th>
  );
  const cell = (label: string, value: string) => (
    <td data-label={label} className="num">
      {value}
    </td>
  );
  return (
    <table className="responsive" data-testid="performance-table">
      <caption className="sr-only">Performance per {view === 'branch' ? 'branch' : 'agent'}</caption>
      <thead>
        <tr>
          {heading('label', view === 'branch' ? 'Branch' : 'Agent')}
          {FIGURES.map((column) => heading(column, SORT_LABELS[column], 'num'))}
          {view === 'branch' ? <th scope="col">Schedule</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id ?? 'nobody'} data-testid="performance-row" data-id={r.id ?? ''}>
            <th scope="row" data-label={view === 'branch' ? 'Branch' : 'Agent'}>
              {view === 'branch' && r.id !== null ? <Link to={`/branches/${r.id}`}>{r.label}</Link> : r.label}
              {r.detail ? <span className="muted"> {r.detail}</span> : null}
            </th>
            {cell('Clients', count(r.total))}
            {cell('Contacted', count(r.contacted))}
            {cell('Updated', count(r.updated))}
            {cell('Completed', count(r.completed))}
            {cell('Conversion', `${r.conversionRate.toFixed(1)}%`)}
            {cell('Payments', count(r.payments))}
            {cell('Terminal', count(r.terminal))}
            {view === 'branch' ? (
              <td data-label="Schedule">
                {r.behind ? (
                  <span className="badge PENDING" data-testid="behind">
                    Behind
                  </span>
                ) : (
                  <span className="badge DONE">On track</span>
                )}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr data-testid="performance-totals">
          <th scope="row" data-label="All">
            All shown
          </th>
          {cell('Clients', count(totals.total))}
          {cell('Contacted', count(totals.contacted))}
          {cell('Updated', count(totals.updated))}
          {cell('Completed', count(totals.completed))}
          {cell('Conversion', `${totals.conversionRate.toFixed(1)}%`)}
          {cell('Payments', count(totals.payments))}
          {cell('Terminal', count(totals.terminal))}
          {view === 'branch' ? <td /> : null}
        </tr>
      </tfoot>
    </table>
  );
}
