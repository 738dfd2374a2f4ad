import { useId } from 'react';

export const CHART_ROWS = 20;

/**
 * Completion (conversion %) per branch or agent as server-rendered SVG bars on a 0–100 % scale: no
 * client library. role="img" with a title and a description; the table above stays the source of
 * truth (the chart shows its first CHART_ROWS rows, in the table's order).
 */
export function CompletionChart({ items, subject }: { items: Array<{ label: string; rate: number }>; subject: string }) {
  const id = useId();
  if (items.length === 0) return null;
  const shown = items.slice(0, CHART_ROWS);
  const rowH = 20;
  const left = 120;
  const width = 170;
  const height = shown.length * rowH + 18;
  const best = shown.reduce((a, b) => (b.rate > a.rate ? b : a));
  const worst = shown.reduce((a, b) => (b.rate < a.rate ? b : a));
  return (
    <svg
      className="chart"
      role="img"
      aria-labelledby={`${id}-t ${id}-d`}
      viewBox={`0 0 330 ${height}`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
      data-testid="completion-chart"
    >
      <title id={`${id}-t`}>Completion per {subject}</title>
      <desc id={`${id}-d`}>
        {`Conversion (completed ÷ clients) of ${shown.length}${items.length > shown.length ? ` of ${items.length}` : ''} ${subject === 'branch' ? 'branches' : 'agents'} in the table's order; highest ${best.label} ${best.rate.toFixed(1)}%, lowest ${worst.label} ${worst.rate.toFixed(1)}%.`}
      </desc>
      {[0, 50, 100].map((tick) => (
        <g key={tick}>
          <line x1={left + (tick / 100) * width} y1="0" x2={left + (tick / 100) * width} y2={height - 14} stroke="#d8dde3" />
          <text x={left + (tick / 100) * width} y={height - 2} fontSize="10" textAnchor="middle">
            {tick}%
          </text>
        </g>
      ))}
      {shown.map((item, i) => {
        const y = i * rowH;
        const w = Math.round((Math.min(100, Math.max(0, item.rate)) / 100) * width);
        return (
          <g key={`${item.label}-${i}`}>
            <text x="0" y={y + 14} fontSize="11">
              {item.label.length > 18 ? `${item.label.slice(0, 17)}…` : item.label}
            </text>
            <rect x={left} y={y + 4} width={Math.max(w, item.rate > 0 ? 2 : 0)} height={rowH - 8} rx="2" fill="#0b5cad" />
            <text x={left + w + 4} y={y + 14} fontSize="11">
              {item.rate.toFixed(1)}%
            </text>
          </g>
        );
      })}
    </svg>
  );
}
