import { Link, useLocation } from '@remix-run/react';

/** "Page 2 of 7 · 160 clients"; a capped total (counted only this far, decision 105) reads "Page 1 of 200+ · 5,000+ clients". */
export function pagerStatus(page: number, pages: number, total: number, noun: string, capped = false): string {
  const more = capped ? '+' : '';
  return `Page ${page} of ${pages}${more} · ${total.toLocaleString('en-PH')}${more} ${noun}`;
}

/** Previous/next links that keep every other search param. `capped`: the total was counted only this far (a search with many matches): marked "+", and Next stays. */
export function Pager({
  page,
  pages,
  total,
  noun = 'clients',
  capped = false,
}: {
  page: number;
  pages: number;
  total: number;
  noun?: string;
  capped?: boolean;
}) {
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
      <span data-testid="pager-status">{pagerStatus(page, pages, total, noun, capped)}</span>
      {page < pages || capped ? (
        <Link to={hrefFor(page + 1)} rel="next">
          Next →
        </Link>
      ) : (
        <span className="muted">Next →</span>
      )}
    </nav>
  );
}
