import { json, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { Form, Link, useLoaderData, type MetaFunction } from '@remix-run/react';
import { usersInScope } from '../core/users/list-users.server';
import { accessEditorOptions } from '../core/users/user-detail.server';
import { parseUserListQuery } from '../core/users/user-list-query.server';
import { FilterSelect } from '../ui/filter-select';
import { formatDateTime } from '../ui/format';
import { Pager } from '../ui/pager';
import { notFound } from '../web/http-errors.server';
import { requireStaff } from '../web/require-staff.server';
import { inputHints } from '../core/config/form-fields';
import { searchField } from '../core/forms/search-fields';

export const meta: MetaFunction = () => [{ title: 'Users · Client Updater' }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'admin-users', permission: 'users:read', limit: 'read' });
  const ctx = args.context.app;
  const url = new URL(args.request.url);
  const options = await accessEditorOptions(ctx, staff.scope, staff.access);
  const canManage = Boolean(staff.access.scope('users:manage'));
  const params = Object.fromEntries(url.searchParams);
  const parsed = parseUserListQuery(url.searchParams);
  if (!parsed.ok) return json({ error: parsed.message, options, params, canManage, list: null }, { status: 400 });
  const list = await usersInScope(ctx, staff.scope, parsed.query);
  if (!list) notFound(); // a branch or area of another company (or outside the territory), like an unknown id
  return json({ error: null, options, params, canManage, list });
}

export default function UsersScreen() {
  const { error, options, params, canManage, list } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Users</h1>
      {canManage ? (
        <p>
          <Link className="button" to="/admin/users/new">
            New user
          </Link>
        </p>
      ) : null}
      <Form method="get" className="card filters" role="search">
        <div className="span-all">
          <label htmlFor="u-q">Search by name or email</label>
          <input id="u-q" type="search" defaultValue={params.q ?? ''} {...inputHints(searchField)} name="q" />
        </div>
        <div>
          <label htmlFor="u-role">Role</label>
          <select id="u-role" name="role" defaultValue={params.role ?? ''}>
            <option value="">All</option>
            {options.templates.map((t) => (
              <option key={t.code} value={t.code}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <FilterSelect idPrefix="u" name="branch" label="Branch" options={options.branches} value={params.branch} />
        <FilterSelect idPrefix="u" name="area" label="Area" options={options.areas} value={params.area} />
        {(['active', 'locked'] as const).map((name) => (
          <div key={name}>
            <label htmlFor={`u-${name}`}>{name === 'active' ? 'Active' : 'Locked'}</label>
            <select id={`u-${name}`} name={name} defaultValue={params[name] ?? ''}>
              <option value="">Any</option>
              <option value="yes">Yes</option>
              <option value="no">No</option>
            </select>
          </div>
        ))}
        <div>
          <button type="submit">Search</button>
        </div>
      </Form>
      {error ? (
        <p className="banner error" role="alert" data-testid="filter-error">
          {error}
        </p>
      ) : null}
      {list ? (
        <>
          <table className="responsive">
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Role</th>
                <th>State</th>
                <th>Last sign-in</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((u) => (
                <tr key={u.id} data-testid="user-row">
                  <td data-label="Name">
                    <Link to={`/admin/users/${u.id}`}>{u.fullName}</Link>
                  </td>
                  <td data-label="Email">{u.email}</td>
                  <td data-label="Role">{u.roles ?? '—'}</td>
                  <td data-label="State">{!u.isActive ? 'Inactive' : u.locked ? 'Locked' : u.mustChangePassword ? 'Must change password' : 'Active'}</td>
                  <td data-label="Last sign-in">{formatDateTime(u.lastLoginAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={list.page} pages={list.pages} total={list.total} noun="users" />
        </>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
