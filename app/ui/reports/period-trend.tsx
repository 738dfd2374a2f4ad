import { useId } from 'react';

export interface TrendPoint {
  key: string;
  label: string;
  total: number;
  completed: number;
  conversionRate: number;
  computed: boolean;
}

const short = (label: string) => label.replace(/^(\w{3})\w* (\d{4})$/, '$1 $2');

/**
 * Conversion over the last periods (oldest first) as SVG columns on a 0–100 % scale, with a title and
 * a description; the small table beside it holds the same figures.
 */
export function PeriodTrend({ points }: { points: TrendPoint[] }) {
  const id = useId();
  const W = 330;
  const H = 130;
  const bottom = 20;
  const slot = (W - 30) / points.length;
  const y = (rate: number) => H - bottom - (rate / 100) * (H - bottom - 14);
  const described = points.map((p) => `${p.label}: ${p.computed ? `${p.conversionRate.toFixed(1)}%` : 'not computed'}`).join('; ');
  return (
    <>
      <svg className="chart" role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${W} ${H}`} width="100%" data-testid="trend-chart">
        <title id={`${id}-t`}>Conversion over the last {points.length} periods</title>
        <desc id={`${id}-d`}>{described}.</desc>
        <line x1="30" y1={H - bottom} x2={W} y2={H - bottom} stroke="#d8dde3" />
        <text x="0" y={y(100) + 4} fontSize="10">
          100%
        </text>
        <text x="0" y={H - bottom} fontSize="10">
          0%
        </text>
        {points.map((p, i) => {
          const x = 30 + i * slot + slot * 0.2;
          return (
            <g key={p.key}>
              {p.computed ? <rect x={x} y={y(p.conversionRate)} width={slot * 0.6} height={H - bottom - y(p.conversionRate)} fill="#1f7a3a" /> : null}
              <text x={x + slot * 0.3} y={p.computed ? y(p.conversionRate) - 3 : H - bottom - 3} fontSize="10" textAnchor="middle">
                {p.computed ? `${p.conversionRate.toFixed(1)}` : '—'}
              </text>
              <text x={x + slot * 0.3} y={H - 6} fontSize="9" textAnchor="middle">
                {short(p.label)}
              </text>
            </g>
          );
        })}
      </svg>
      <table data-testid="trend-table">
        <caption className="sr-only">Conversion per period</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col" className="num">
              Clients
            </th>
            <th scope="col" className="num">
              Completed
            </th>
            <th scope="col" className="num">
              Conversion
            </th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.key}>
              <th scope="row">{p.label}</th>
              <td className="num">{p.computed ? p.total.toLocaleString('en-PH') : '—'}</td>
              <td className="num">{p.computed ? p.completed.toLocaleString('en-PH') : '—'}</td>
              <td className="num">{p.computed ? `${p.conversionRate.toFixed(1)}%` : 'not computed'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
