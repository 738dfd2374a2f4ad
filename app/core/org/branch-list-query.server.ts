import type { AdminListQuery, AdminListSpec } from '../config/admin-list-query';
import { BRANCH_CATEGORIES, type BranchCategory } from './org-forms.server';

/** What /branches filters on; an area outside the reader's areas is refused (400) like an unknown one. */
export function branchListSpec(areaIds: readonly number[]): AdminListSpec {
  return {
    sorts: ['code', 'name'],
    filters: { area: areaIds.map(String), category: BRANCH_CATEGORIES, active: ['yes', 'no'], deleted: ['yes'] },
  };
}

/**
 * The area the URL asks to filter on, before the reader's areas are known: the list can be read
 * beside them, and is dropped when branchListSpec with the reader's areas refuses the area.
 */
export function askedAreaIds(params: URLSearchParams): number[] {
  const asked = (params.get('area') ?? '').trim();
  return /^[1-9][0-9]*$/.test(asked) && Number.isSafeInteger(Number(asked)) ? [Number(asked)] : [];
}

export interface BranchListQuery {
  q?: string;
  area?: number;
  category?: BranchCategory;
  active?: boolean;
  /** The deleted branches of the companies the reader manages (to restore one). */
  deleted: boolean;
  sort: 'code' | 'name';
  dir: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

/** The list query parsed by the shared admin list block, typed for branchList. */
export function branchQueryOf(q: AdminListQuery): BranchListQuery {
  const f = q.filters;
  return {
    q: q.q || undefined,
    area: f.area ? Number(f.area) : undefined,
    category: f.category as BranchCategory | undefined,
    active: f.active === undefined ? undefined : f.active === 'yes',
    deleted: f.deleted === 'yes',
    sort: q.sort === 'name' ? 'name' : 'code',
    dir: q.dir,
    page: q.page,
    pageSize: q.pageSize,
  };
}
