export function StatusBadge({ code, name }: { code: string | null; name?: string | null }) {
  if (!code)
    return (
      <span className="badge" title="No row for this period">
        —
      </span>
    );
  return <span className={`badge ${code}`}>{name ?? code}</span>;
}
