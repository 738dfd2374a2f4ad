// A search page of the clients list without sorting and counting every match (decision 105). At 200,000
// clients a common name or a 3-character piece matches ~5,000 clients; looking each one up (scope,
// deletion, its name) twice, for the sort and for the total, was the whole cost of the search.
import { notInArray, sql, type SQL } from 'drizzle-orm';
import { clientBranchCounts, clients } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { StaffScope } from '../access/scope.server';
import { clientSearchMatch } from '../search/client-search.server';

/** A search total past this shows as "5,000+" (or the current page's end, when further on). */
export const SEARCH_COUNT_CAP = 5000;
/** Up to this many index matches a page is sorted from the matches; above it the names are walked in order instead. */
export const SORT_MATCHES_MAX = 1000;

/** The client ids the index finds for a search box text, as a FROM source `m(id)` (rowid = client id). */
export function searchIdsSource(text: string): SQL | null {
  const match = clientSearchMatch(text);
  return match ? sql`(select rowid as id from clients_search where clients_search match ${match})` : null;
}

/** How many clients the index finds (before scope and deletion): the index alone, no client row read. */
export async function searchMatchCount(ctx: AppContext, ids: SQL): Promise<number> {
  const [row] = await ctx.db.all<{ n: number }>(sql`select count(*) as n from ${ids}`);
  return Number(row.n);
}

/**
 * One read of the index for a search (decision 108), giving:
 * - `matches`: how many clients the index finds (before scope and deletion), no client row read;
 * - `ids`: when they are few (up to SORT_MATCHES_MAX), the matches themselves as a FROM source `m(id)`
 *   over their ids, so the page and the total do not evaluate the index again (a full client code
 *   costs ~10 ms an evaluation: its trigrams are in every code);
 * - `live`: for a scope of whole companies without other filters, the live matches in scope (the
 *   search's exact total) without looking up each match: matches minus the soft-deleted ones (read
 *   from `clients_deleted_idx`, few rows), valid when no live client sits in a company outside the
 *   scope (`client_branch_counts`). Looking up ~5,000 matches for the total was most of a common
 *   search. Null when the scope or the filters need the lookups (named branches, a company/branch/product/PAR filter).
 */
export async function searchMatches(
  ctx: AppContext,
  scope: StaffScope,
  ids: SQL,
  filtered: boolean,
): Promise<{ matches: number; ids: SQL | null; live: number | null }> {
  const companyIds = scope.companies.map((c) => c.companyId);
  const wholeCompanies = !filtered && companyIds.length > 0 && scope.companies.every((c) => c.branchIds === 'all');
  // `materialized`: the index is read once for every figure. `indexed by`: the deleted clients are read
  // from their own index and probed against the matches, never the other way round.
  const [row] = await ctx.db.all<{ n: number; few: string | null; gone: number | null; outside: number | null }>(
    sql`with m as materialized ${ids} select (select count(*) from m) as n,
      (select json_group_array(id) from (select id from m limit ${SORT_MATCHES_MAX + 1})) as few,
      ${
        wholeCompanies
          ? sql`(select count(*) from ${clients} indexed by clients_deleted_idx where ${clients.deletedAt} is not null and ${clients.id} in (select id from m)) as gone,
      (select coalesce(sum(${clientBranchCounts.live}), 0) from ${clientBranchCounts} where ${notInArray(clientBranchCounts.companyId, companyIds)}) as outside`
          : sql`null as gone, null as outside`
      }`,
  );
  const matches = Number(row.n);
  const few = matches <= SORT_MATCHES_MAX && row.few ? sql`(select value as id from json_each(${row.few}))` : null;
  const live = row.gone !== null && Number(row.outside) === 0 ? matches - Number(row.gone) : null;
  return { matches, ids: few, live };
}

/** A total counted to `n` shown against the cap (or the current page's end), as cappedSearchTotal does. */
export function capTotal(n: number, page: number, pageSize: number, countCap = SEARCH_COUNT_CAP): { total: number; capped: boolean } {
  const cap = Math.max(countCap, page * pageSize);
  return n > cap ? { total: cap, capped: true } : { total: n, capped: false };
}

/**
 * The page's ids read from the matches (each looked up by id), sorted: for a search that matches few
 * clients. `where` is the list's conditions without the search itself.
 */
export function pageIdsFromMatches(ctx: AppContext, ids: SQL, where: SQL, order: SQL, limit: number, offset: number) {
  // CROSS JOIN keeps the matches as the outer loop: the planner would otherwise walk a company's names.
  return ctx.db.all<{ id: number }>(
    sql`select ${clients.id} as id from ${ids} m cross join ${clients} on ${clients.id} = m.id where ${where} order by ${order}, ${clients.id} limit ${limit} offset ${offset}`,
  );
}

/** Every company of the scope is limited to named branches (a branch officer, an area manager, a tele agent). */
export function branchScope(scope: StaffScope): boolean {
  return scope.companies.every((c) => c.branchIds !== 'all');
}

/**
 * The page's ids for a scope of named branches: the branches' clients (~1,300 a branch) probed against
 * the matches, then sorted. `+column` keeps the planner off the company-wide name index, whose walk
 * in name order crossed every branch of the company (137 ms for a branch officer at 200k).
 */
export function pageIdsFromBranches(ctx: AppContext, ids: SQL, where: SQL, column: SQL, dir: 'asc' | 'desc', limit: number, offset: number) {
  return ctx.db.all<{ id: number }>(
    sql`select ${clients.id} as id from ${clients} where ${where} and ${clients.id} in (select id from ${ids}) order by +${column} ${sql.raw(dir)}, ${clients.id} limit ${limit} offset ${offset}`,
  );
}

/**
 * The search total, counted up to the cap (or up to the current page's end) and no further. A scope
 * of named branches is read branch first (a branch holds ~1,300 clients); a whole company match first.
 */
export async function cappedSearchTotal(
  ctx: AppContext,
  scope: StaffScope,
  ids: SQL,
  where: SQL,
  page: number,
  pageSize: number,
  countCap = SEARCH_COUNT_CAP,
): Promise<{ total: number; capped: boolean }> {
  const cap = Math.max(countCap, page * pageSize);
  const rows = branchScope(scope)
    ? sql`select 1 from ${clients} where ${where} and ${clients.id} in (select id from ${ids}) limit ${cap + 1}`
    : sql`select 1 from ${ids} m cross join ${clients} on ${clients.id} = m.id where ${where} limit ${cap + 1}`;
  const [row] = await ctx.db.all<{ n: number }>(sql`select count(*) as n from (${rows})`);
  return capTotal(Number(row.n), page, pageSize, countCap);
}
