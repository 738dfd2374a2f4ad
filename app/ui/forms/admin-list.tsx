// The generic admin list: a GET search/filter/sort form, a table built from column descriptions,
// row actions, and paging (server clamps the page size to 100). Usage: ./admin-form.tsx.
import { Form, Link, useFetcher, useFetchers } from '@remix-run/react';
import type { ReactNode } from 'react';
import type { AdminListQuery } from '../../core/config/admin-list-query';
import type { FieldOption } from '../../core/config/form-fields';
import { formatDateTime } from '../format';
import { Pager } from '../pager';
import { inputHints } from '../../core/config/form-fields';
import { searchField } from '../../core/forms/search-fields';

export interface ListColumn {
  key: string;
  label: string;
  kind?: 'text' | 'code' | 'boolean' | 'number' | 'date';
  /** This column's cell links to the row (rowHref). */
  link?: boolean;
}

export interface ListFilter {
  name: string;
  label: string;
  options: FieldOption[];
}

type Row = { id: number; isActive?: boolean | null } & Record<string, unknown>;

/** Intents whose outcome the list shows before the server answers. */
const OPTIMISTIC: Record<string, (row: Row) => Row> = {
  delete: (row) => ({ ...row, isActive: false }),
  restore: (row) => ({ ...row, isActive: true }),
};

/** Rows as they will be once the pending row actions succeed (deactivate/restore, move up/down). */
function withPendingActions(rows: Row[], pending: Array<{ intent: string; id: number }>): Row[] {
  let out = rows.slice();
  for (const p of pending) {
    const i = out.findIndex((r) => r.id === p.id);
    if (i < 0) continue;
    if (OPTIMISTIC[p.intent]) out[i] = { ...OPTIMISTIC[p.intent](out[i]), pending: true };
    const j = p.intent === 'move-up' ? i - 1 : p.intent === 'move-down' ? i + 1 : -1;
    if (j >= 0 && j < out.length) {
      out = out.slice();
      [out[i], out[j]] = [{ ...out[j] }, { ...out[i], pending: true }];
    }
  }
  return out;
}

function Cell({ value, kind }: { value: unknown; kind?: ListColumn['kind'] }) {
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  if (kind === 'boolean') return <>{value ? 'Yes' : 'No'}</>;
  if (kind === 'code') return <code>{String(value)}</code>;
  if (kind === 'date') return <>{formatDateTime(String(value))}</>;
  return <>{String(value)}</>;
}

export function AdminList(props: {
  columns: readonly ListColumn[];
  rows: Row[];
  total: number;
  page: number;
  pages: number;
  query: AdminListQuery;
  filters?: readonly ListFilter[];
  sorts?: readonly { value: string; label: string }[];
  searchLabel?: string;
  rowHref?: (row: Row) => string;
  rowActions?: (row: Row) => ReactNode;
  noun?: string;
  error?: string | null;
  testId?: string;
}) {
  const pending = useFetchers()
    .filter((f) => f.state !== 'idle' && f.formData)
    .map((f) => ({ intent: String(f.formData!.get('intent') ?? ''), id: Number(f.formData!.get('rowId') ?? 0) }));
  const rows = withPendingActions(props.rows, pending);
  const q = props.query;
  return (
    <>
      <Form method="get" className="card filters" role="search">
        <div>
          <label htmlFor="list-q">{props.searchLabel ?? 'Search code or name'}</label>
          <input id="list-q" type="search" name="q" defaultValue={q.q} {...inputHints(searchField)} />
        </div>
        {(props.filters ?? []).map((f) => (
          <div key={f.name}>
            <label htmlFor={`list-${f.name}`}>{f.label}</label>
            <select id={`list-${f.name}`} name={f.name} defaultValue={q.filters[f.name] ?? ''}>
              <option value="">All</option>
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ))}
        {props.sorts?.length ? (
          <>
            <div>
              <label htmlFor="list-sort">Sort by</label>
              <select id="list-sort" name="sort" defaultValue={q.sort}>
                {props.sorts.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="list-dir">Direction</label>
              <select id="list-dir" name="dir" defaultValue={q.dir}>
                <option value="asc">Ascending</option>
                <option value="desc">Descending</option>
              </select>
            </div>
          </>
        ) : null}
        <div>
          <button type="submit">Apply</button>
        </div>
      </Form>
      {props.error ? (
        <p className="banner error" role="alert" data-testid="filter-error">
          {props.error}
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p className="muted" data-testid="list-empty">
          Nothing matches.
        </p>
      ) : (
        <table className="responsive" data-testid={props.testId ?? 'admin-list'}>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th key={c.key} className={c.kind === 'number' ? 'num' : undefined}>
                  {c.label}
                </th>
              ))}
              {props.rowActions ? <th>Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.id}
                data-testid="list-row"
                data-row-id={row.id}
                className={row.isActive === false ? 'muted' : undefined}
                aria-busy={row.pending ? true : undefined}
              >
                {props.columns.map((c) => (
                  <td key={c.key} data-label={c.label} className={c.kind === 'number' ? 'num' : undefined}>
                    {c.link && props.rowHref ? (
                      <Link to={props.rowHref(row)}>
                        <Cell value={row[c.key]} kind={c.kind} />
                      </Link>
                    ) : (
                      <Cell value={row[c.key]} kind={c.kind} />
                    )}
                  </td>
                ))}
                {props.rowActions ? (
                  <td data-label="Actions">
                    <div className="actions">{props.rowActions(row)}</div>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={props.page} pages={props.pages} total={props.total} noun={props.noun ?? 'rows'} />
    </>
  );
}

/**
 * One row action (deactivate, restore, move up/down) as its own small POST form: a plain form
 * without JavaScript; with it a fetcher, so the list shows the outcome at once. The action gets
 * `intent` and `rowId`.
 */
export function RowAction({
  action,
  intent,
  rowId,
  label,
  pendingLabel,
  title,
  extra,
}: {
  action: string;
  intent: string;
  rowId: number;
  label: string;
  pendingLabel?: string;
  title?: string;
  extra?: Record<string, string>;
}) {
  const fetcher = useFetcher();
  const busy = fetcher.state !== 'idle';
  const refused =
    !busy && fetcher.data && typeof fetcher.data === 'object' && 'formError' in fetcher.data
      ? String((fetcher.data as { formError: unknown }).formError ?? '')
      : '';
  return (
    <fetcher.Form method="post" action={action}>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="rowId" value={rowId} />
      {Object.entries(extra ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" className="secondary" disabled={busy} title={title} aria-label={title} data-testid={`row-${intent}`}>
        {busy ? (pendingLabel ?? '…') : label}
      </button>
      {refused ? (
        <span className="error" role="alert" data-testid="row-error">
          {' '}
          {refused}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
