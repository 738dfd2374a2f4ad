import { Link, useLocation } from '@remix-run/react';

/** Counts per status for the period, each a link that filters the list to that status. */
export function StatusCounts({
  statuses,
  counts,
  active,
}: {
  statuses: Array<{ id: number; code: string; name: string }>;
  counts: Record<string, number>;
  active?: number;
}) {
  const location = useLocation();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const href = (id?: number) => {
    const params = new URLSearchParams(location.search);
    params.delete('page');
    if (id) params.set('status', String(id));
    else params.delete('status');
    return `${location.pathname}?${params}`;
  };
  return (
    <nav className="counts" aria-label="Counts per status">
      <Link to={href()} className={!active ? 'count active' : 'count'} data-testid="count-all">
        All <strong>{total}</strong>
      </Link>
      {statuses.map((s) => (
        <Link key={s.id} to={href(s.id)} className={active === s.id ? 'count active' : 'count'} data-testid={`count-${s.code}`}>
          {s.name} <strong>{counts[s.id] ?? 0}</strong>
        </Link>
      ))}
    </nav>
  );
}
