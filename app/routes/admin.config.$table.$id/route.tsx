import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Link, useActionData, useLoaderData, type MetaFunction } from '@remix-run/react';
import { auditEntries } from '../../core/audit/audit-query.server';
import { configChoices } from '../../core/config/config-choices.server';
import { AuditEntries } from '../../ui/admin/config/audit-entries';
import { ConfigRowActions } from '../../ui/admin/config/config-row-actions';
import { AdminForm, replyFor } from '../../ui/forms/admin-form';
import { formatDateTime } from '../../ui/format';
import { configGate, configRowOf } from '../../web/config-gate.server';
import { editConfigRowAction } from './actions.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? 'Configuration'} · Client Updater` }];

export async function loader(args: LoaderFunctionArgs) {
  const gate = await configGate(args, 'read');
  const ctx = args.context.app;
  const row = await configRowOf(args, gate);
  const def = gate.def;
  const fields = def.fields(await configChoices(ctx, def, gate.reach, row.canManage ? 'write' : 'display', row)).map((f) => {
    // A select always shows the current value, even one no longer offered (inactive, or outside the admin's choices).
    const current = row[f.name];
    if (f.kind !== 'select' || current === null || current === undefined || f.options?.some((o) => o.value === String(current))) return f;
    return { ...f, options: [...(f.options ?? []), { value: String(current), label: `#${String(current)} (current)` }] };
  });
  const audit = await auditEntries(ctx, gate.reach, { table: def.sqlName, record: row.id, page: 1, pageSize: 10 });
  return json({
    title: `${def.noun} ${String(row[def.keyField])}`,
    table: {
      slug: def.slug,
      label: def.label,
      noun: def.noun,
      sqlName: def.sqlName,
      keyField: def.keyField,
      ordered: def.ordered,
      softDelete: def.softDelete,
      system: def.system,
    },
    row,
    fields,
    audit,
  });
}

export async function action(args: ActionFunctionArgs) {
  return editConfigRowAction(args);
}

export default function ConfigRowScreen() {
  const { title, table, row, fields, audit } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const other = replyFor(reply);
  const here = `/admin/config/${table.slug}/${row.id}`;
  return (
    <>
      <p>
        <Link to={`/admin/config/${table.slug}`}>← {table.label}</Link>
      </p>
      <h1 data-testid="config-title">{title}</h1>
      {other && other.intent !== 'save' && other.formError ? (
        <p className="banner error" role="alert" data-testid="action-error">
          {other.formError}
        </p>
      ) : null}
      <p>
        {row.isSystem ? <span className="badge">System</span> : null} {row.isActive === false ? <span className="badge">Inactive</span> : null}{' '}
        <span className="muted">
          Created {formatDateTime(row.createdAt as string)} · changed {formatDateTime(row.updatedAt as string)}
        </span>
      </p>
      <AdminForm
        fields={fields}
        defaults={row as never}
        reply={reply}
        intent="save"
        mode="edit"
        readOnly={!row.canManage}
        submitLabel="Save"
        pendingLabel="Saving…"
        testId="config-form"
        key={row.id}
      />
      {row.canManage ? (
        <section className="card">
          <h2>Order and state</h2>
          <div className="actions">
            <ConfigRowActions
              slug={table.slug}
              row={row}
              ordered={table.ordered}
              softDelete={table.softDelete}
              system={table.system}
              returnTo={here}
              noun={table.noun}
            />
          </div>
        </section>
      ) : (
        <p className="muted">Read only: changing this needs config:manage for its company.</p>
      )}
      <section className="card">
        <h2>Changes</h2>
        <AuditEntries rows={audit.rows} configSlugs={{ [table.sqlName]: table.slug }} />
        <p>
          <Link to={`/admin/audit?table=${table.sqlName}&record=${row.id}`}>All changes of this row</Link>
        </p>
      </section>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../../ui/general-error-boundary';
