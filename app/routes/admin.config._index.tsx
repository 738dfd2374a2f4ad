import { json, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Link, useLoaderData, type MetaFunction } from '@remix-run/react';
import { configReach } from '../core/config/config-reach.server';
import { configTableCounts } from '../core/config/config-rows.server';
import { CONFIG_TABLES } from '../core/config/config-tables.server';
import { requireStaff } from '../web/require-staff.server';

export const meta: MetaFunction = () => [{ title: 'Configuration · Client Updater' }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-config', permission: 'config:read', limit: 'read' });
  const ctx = args.context.app;
  const reach = await configReach(ctx, staff.scope, staff.access.scope('config:manage'));
  const counts = await configTableCounts(ctx, CONFIG_TABLES, reach);
  const groups = [...new Set(CONFIG_TABLES.map((t) => t.group))].map((group) => ({
    group,
    tables: CONFIG_TABLES.filter((t) => t.group === group).map((t) => ({
      ...counts.find((c) => c.slug === t.slug)!,
      label: t.label,
      description: t.description,
    })),
  }));
  return json({ groups, canManage: reach.manageIds.length > 0 });
}

export default function ConfigIndex() {
  const { groups, canManage } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Configuration</h1>
      <p className="muted">
        Lookup values, option lists and settings.{' '}
        {canManage ? 'Changes apply on the next page load and are kept in the audit log.' : 'You can read these; changing them needs config:manage.'}{' '}
        <Link to="/admin/audit">Audit log</Link>
      </p>
      <div className="grid-2">
        {groups.map((g) => (
          <section className="card" key={g.group}>
            <h2>{g.group}</h2>
            <ul data-testid="config-tables">
              {g.tables.map((t) => (
                <li key={t.slug}>
                  <Link to={`/admin/config/${t.slug}`}>{t.label}</Link>{' '}
                  <span className="muted">
                    ({t.active} active of {t.total})
                  </span>
                  <br />
                  <span className="muted">{t.description}</span>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
