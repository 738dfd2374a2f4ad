import { Link } from '@remix-run/react';
import { ProgressCells, ProgressHeadings, type ProgressView } from './progress-cells';

export interface AreaListRow {
  id: number;
  code: string;
  name: string;
  isActive: boolean;
  branches: number;
  progress: ProgressView;
}

/** One company's areas with their branch count and current-period progress. */
export function AreaListTable({ company, areas, deleted }: { company: string; areas: AreaListRow[]; deleted: boolean }) {
  return (
    <section className="card" data-testid={`areas-${company}`}>
      <h2>{company}</h2>
      <table className="responsive">
        <thead>
          <tr>
            <th>Code</th>
            <th>Name</th>
            <th className="num">Branches</th>
            {deleted ? null : <ProgressHeadings />}
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {areas.map((a) => (
            <tr key={a.id} data-testid="area-row" data-area-code={a.code}>
              <td data-label="Code">
                <Link to={`/areas/${a.id}`}>
                  <code>{a.code}</code>
                </Link>
              </td>
              <td data-label="Name">{a.name}</td>
              <td data-label="Branches" className="num">
                {a.branches}
              </td>
              {deleted ? null : <ProgressCells progress={a.progress} />}
              <td data-label="State">{deleted ? 'Deleted' : a.isActive ? 'Active' : 'Inactive'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
