// A sync report's items (rejected rows, field changes) as the service wrote them. Their shape is the
// service's; the table shows the keys it finds, known ones first, so a new field shows up unasked.
const PREFERRED = [
  'row',
  'clientCode',
  'CLIENT_CODE',
  'code',
  'field',
  'column',
  'reason',
  'value',
  'from',
  'old',
  'oldValue',
  'to',
  'new',
  'newValue',
  'message',
];
const MAX_COLUMNS = 8;

function columnsOf(items: Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const item of items) for (const key of Object.keys(item)) seen.add(key);
  const known = PREFERRED.filter((k) => seen.has(k));
  const rest = [...seen].filter((k) => !PREFERRED.includes(k)).sort();
  return [...known, ...rest].slice(0, MAX_COLUMNS);
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value).slice(0, 200);
  return String(value).slice(0, 200);
}

export function ReportTable({ items, testId, empty }: { items: Record<string, unknown>[]; testId: string; empty: string }) {
  if (!items.length)
    return (
      <p className="muted" data-testid={`${testId}-empty`}>
        {empty}
      </p>
    );
  const columns = columnsOf(items);
  return (
    <table className="responsive" data-testid={testId}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {items.map((item, i) => (
          <tr key={i} data-testid={`${testId}-row`}>
            {columns.map((c) => (
              <td key={c} data-label={c}>
                {cell(item[c])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
