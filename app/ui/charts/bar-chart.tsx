/** Horizontal bars drawn as server-rendered SVG: no client library, readable at 360 px. */
export function BarChart({ items, label, unit = '' }: { items: Array<{ label: string; value: number; note?: string }>; label: string; unit?: string }) {
  const rowH = 22;
  const max = Math.max(1, ...items.map((i) => i.value));
  const height = items.length * rowH + 4;
  return (
    <svg className="chart" role="img" aria-label={label} viewBox={`0 0 320 ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
      <title>{label}</title>
      {items.map((item, i) => {
        const w = Math.round((item.value / max) * 170);
        const y = i * rowH + 2;
        return (
          <g key={item.label}>
            <text x="0" y={y + 15} fontSize="12">
              {item.label}
            </text>
            <rect x="100" y={y + 3} width={Math.max(w, item.value > 0 ? 2 : 0)} height={rowH - 8} rx="2" fill="#0b5cad" />
            <text x={106 + w} y={y + 15} fontSize="12">
              {item.value}
              {unit}
              {item.note ? ` ${item.note}` : ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
