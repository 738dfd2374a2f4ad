import { RowAction } from '../../forms/admin-list';

type Row = { id: number; isActive?: boolean | null; isSystem?: boolean | null; canManage?: boolean } & Record<string, unknown>;

/** Move up/down and delete/restore of one config row; each a small POST to the row's URL, back to `returnTo`. */
export function ConfigRowActions({
  slug,
  row,
  ordered,
  softDelete,
  system,
  returnTo,
  noun,
}: {
  slug: string;
  row: Row;
  ordered: boolean;
  softDelete: boolean;
  system: boolean;
  returnTo: string;
  noun: string;
}) {
  if (!row.canManage) return <span className="muted">read only</span>;
  const action = `/admin/config/${slug}/${row.id}`;
  const extra = { returnTo };
  const label = String(row.code ?? row.key ?? row.id);
  return (
    <>
      {ordered ? (
        <>
          <RowAction action={action} intent="move-up" rowId={row.id} label="↑" pendingLabel="…" title={`Move ${label} up`} extra={extra} />
          <RowAction action={action} intent="move-down" rowId={row.id} label="↓" pendingLabel="…" title={`Move ${label} down`} extra={extra} />
        </>
      ) : null}
      {softDelete && row.isActive === false ? (
        <RowAction action={action} intent="restore" rowId={row.id} label="Restore" pendingLabel="Restoring…" title={`Restore ${label}`} extra={extra} />
      ) : system && row.isSystem ? (
        <span className="muted" title={`A system ${noun.toLowerCase()} cannot be deleted`}>
          system
        </span>
      ) : softDelete || row.companyId ? (
        <RowAction
          action={action}
          intent="delete"
          rowId={row.id}
          label={softDelete ? 'Deactivate' : 'Delete'}
          pendingLabel="…"
          title={`${softDelete ? 'Deactivate' : 'Delete'} ${label}`}
          extra={extra}
        />
      ) : null}
    </>
  );
}
