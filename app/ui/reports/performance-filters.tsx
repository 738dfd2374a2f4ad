import { Form } from '@remix-run/react';

interface Option {
  id: number;
  code: string;
  name: string;
}

/** The GET form of the performance screen: company (+ PCNI segment), period, area, branch and view. Works without JS. */
export function PerformanceFilters({
  companies,
  kind,
  period,
  periods,
  options,
  filters,
}: {
  companies: string[];
  kind: { companyCode: string; segment: string };
  period: string;
  periods: Array<{ key: string; label: string }>;
  options: { areas: Option[]; branches: Option[] };
  filters: Record<string, string>;
}) {
  return (
    <Form method="get" className="card filters" role="search" data-testid="report-filters">
      <div>
        <label htmlFor="r-company">Company</label>
        <select id="r-company" name="company" defaultValue={kind.companyCode.toLowerCase()}>
          {companies.map((c) => (
            <option key={c} value={c.toLowerCase()}>
              {c}
            </option>
          ))}
        </select>
      </div>
      {kind.companyCode === 'PCNI' ? (
        <div>
          <label htmlFor="r-segment">Segment</label>
          <select id="r-segment" name="segment" defaultValue={kind.segment}>
            <option value="non-pnp">Non-PNP (monthly)</option>
            <option value="pnp">PNP (quarterly)</option>
          </select>
        </div>
      ) : null}
      <div>
        <label htmlFor="r-period">Period</label>
        <select id="r-period" name="period" defaultValue={period}>
          {periods.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="r-area">Area</label>
        <select id="r-area" name="area" defaultValue={filters.area ?? ''}>
          <option value="">All areas</option>
          {options.areas.map((a) => (
            <option key={a.id} value={a.id}>
              {a.code} · {a.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="r-branch">Branch</label>
        <select id="r-branch" name="branch" defaultValue={filters.branch ?? ''}>
          <option value="">All branches</option>
          {options.branches.map((b) => (
            <option key={b.id} value={b.id}>
              {b.code} · {b.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="r-view">View</label>
        <select id="r-view" name="view" defaultValue={filters.view}>
          <option value="branch">Per branch</option>
          <option value="agent">Per agent</option>
        </select>
      </div>
      <div>
        <button type="submit">Show</button>
      </div>
    </Form>
  );
}
