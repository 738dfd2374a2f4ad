/** Daily updates (and DONE) of the period as an SVG line chart with day ticks. */
export function TrendChart({ points, label }: { points: Array<{ day: string; updates: number; done: number }>; label: string }) {
  if (points.length === 0) return <p className="muted">No updates in this period yet.</p>;
  const W = 320,
    H = 120,
    left = 28,
    bottom = 18;
  const max = Math.max(1, ...points.map((p) => p.updates));
  const x = (i: number) => left + (points.length === 1 ? (W - left) / 2 : (i * (W - left - 4)) / (points.length - 1));
  const y = (v: number) => H - bottom - (v / max) * (H - bottom - 8);
  const line = (key: 'updates' | 'done') => points.map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const ticks = points.filter((_, i) => i % Math.ceil(points.length / 6) === 0 || i === points.length - 1);
  return (
    <svg className="chart" role="img" aria-label={label} viewBox={`0 0 ${W} ${H}`} width="100%">
      <title>{label}</title>
      <line x1={left} y1={H - bottom} x2={W} y2={H - bottom} stroke="#d8dde3" />
      <text x="0" y="12" fontSize="10">
        {max}
      </text>
      <text x="0" y={H - bottom} fontSize="10">
        0
      </text>
      <polyline points={line('updates')} fill="none" stroke="#0b5cad" strokeWidth="2" />
      <polyline points={line('done')} fill="none" stroke="#1f7a3a" strokeWidth="2" strokeDasharray="4 3" />
      {ticks.map((p) => (
        <text key={p.day} x={x(points.indexOf(p))} y={H - 4} fontSize="9" textAnchor="middle">
          {p.day.slice(5)}
        </text>
      ))}
    </svg>
  );
}
