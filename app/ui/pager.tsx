import { Link, useLocation } from '@remix-run/react';

/** Previous/next links that keep every other search param. */
export function Pager({ page, pages, total, noun = 'clients' }: { page: number; pages: number; total: number; noun?: string }) {
  const location = useLocation();
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search);
    params.set('page', String(p));
    return `${location.pathname}?${params}`;
  };
  return (
    <nav className="pager" aria-label="Pages">
      {page > 1 ? (
        <Link to={hrefFor(page - 1)} rel="prev">
          ← Previous
        </Link>
      ) : (
        <span className="muted">← Previous</span>
      )}
      <span data-testid="pager-status">
        Page {page} of {pages} · {total.toLocaleString('en-PH')} {noun}
      </span>
      {page < pages ? (
        <Link to={hrefFor(page + 1)} rel="next">
          Next →
        </Link>
      ) : (
        <span className="muted">Next →</span>
      )}
    </nav>
  );
}
