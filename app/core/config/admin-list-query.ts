// The query of an admin list (search, filters, sort, paging) read from the URL. Clamped, never a
// 500: an unknown sort falls back to the default; a filter value outside its choices is reported
// so the route can answer 400 with the filter named. Usage: app/ui/forms/admin-form.tsx.
import { pagingFrom } from '../paging/paging';
import { searchField } from '../forms/search-fields';
import { maxLengthOf } from './form-fields';

export interface AdminListSpec {
  /** Filter names the list accepts, each with its allowed values ("" = all). */
  filters?: Record<string, readonly string[]>;
  /** Sort keys the list offers; the first is the default. */
  sorts: readonly string[];
}

export interface AdminListQuery {
  q: string;
  filters: Record<string, string>;
  sort: string;
  dir: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export type AdminListParse = { ok: true; query: AdminListQuery } | { ok: false; message: string; query: AdminListQuery };

export function parseAdminListQuery(params: URLSearchParams, spec: AdminListSpec): AdminListParse {
  const raw = Object.fromEntries(params);
  const q = (params.get('q') ?? '').trim().slice(0, maxLengthOf(searchField));
  const sort = spec.sorts.includes(params.get('sort') ?? '') ? params.get('sort')! : spec.sorts[0];
  const dir = params.get('dir') === 'desc' ? 'desc' : 'asc';
  const filters: Record<string, string> = {};
  let message: string | null = null;
  for (const [name, allowed] of Object.entries(spec.filters ?? {})) {
    const value = (params.get(name) ?? '').trim();
    if (value === '') continue;
    if (!allowed.includes(value)) {
      message ??= `There is no ${name} "${value.slice(0, 40)}" to filter on.`;
      continue;
    }
    filters[name] = value;
  }
  const query: AdminListQuery = { q, filters, sort, dir, ...pagingFrom(raw) };
  return message ? { ok: false, message, query } : { ok: true, query };
}

/** The query back as URL params (for links that keep every other param). */
export function listQueryParams(query: AdminListQuery): URLSearchParams {
  const out = new URLSearchParams();
  if (query.q) out.set('q', query.q);
  for (const [k, v] of Object.entries(query.filters)) out.set(k, v);
  out.set('sort', query.sort);
  out.set('dir', query.dir);
  if (query.page > 1) out.set('page', String(query.page));
  return out;
}
