import { asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { branches, clientPeriodStatus, clientStatusCounts, clients } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { StaffScope } from '../access/scope.server';
import { pageSlices } from '../paging/page-slices';
import { workspaceCountConditions } from './workspace-count-conditions.server';
import type { WorkspaceQuery } from './workspace-query.server';

// The workspace sorted by branch or by status, on a local file (decision 129): the counts per branch or
// per status are known before the page is read (the maintained aggregate, decision 100), so the page's
// place is found in them and only the one or two groups it falls in are read, each in client order from
// an index and cut at the page. The plain query sorted every row of the scope first: the admin's FCASH
// month by branch (94k rows) 232 ms, a tele agent's ~5,000 rows by status 28 ms, at 200k clients.

/** The workspace's WHERE for one company: `withStatus` false leaves out the status filter. */
export type WorkspaceWhere = (withStatus: boolean) => SQL;

/** Above this many branches one arm per branch costs more to plan than the company-wide status walk. */
export const BRANCH_ARMS_MAX = 40;

/** Live period rows per branch in the scope and the filters the aggregate keys (the status one too), in the sort's order. */
export async function branchCountsInOrder(ctx: AppContext, scope: StaffScope, companyId: number, q: WorkspaceQuery) {
  const csc = clientStatusCounts;
  const n = sql<number>`sum(${csc.n})`.mapWith(Number);
  return ctx.db
    .select({ branchId: csc.branchId, n })
    .from(csc)
    .innerJoin(branches, eq(branches.id, csc.branchId))
    .where(workspaceCountConditions(scope, companyId, q, true))
    .groupBy(csc.branchId, branches.code)
    .having(sql`sum(${csc.n}) > 0`)
    .orderBy(q.dir === 'desc' ? desc(branches.code) : asc(branches.code));
}

/**
 * The page's ids sorted by branch: for each branch the page falls in, that branch's rows in client
 * order (clients_live_branch_company_idx ends in the rowid), skipping the rows earlier pages took.
 */
export function branchSeekIds(where: WorkspaceWhere, q: WorkspaceQuery, page: number, counts: Array<{ branchId: number; n: number }>): SQL {
  const start = (page - 1) * q.pageSize;
  const arms = pageSlices(counts, start, start + q.pageSize).map(
    ({ group, offset, take }) =>
      sql`select * from (select ${clients.id} as id from ${clients} indexed by clients_live_branch_company_idx
        inner join ${clientPeriodStatus} on ${clientPeriodStatus.clientId} = ${clients.id}
        where ${where(true)} and ${clients.branchId} = ${group.branchId}
        order by ${clients.id} limit ${take} offset ${offset})`,
  );
  return unionOf(arms);
}

export type StatusOrder = Array<{ id: number; sequence: number }>;

/**
 * The page's ids sorted by status (workflow sequence, then client). Statuses of one sequence are one
 * group. Within the group the page falls in, the rows come in client order: for a whole company (or more
 * than BRANCH_ARMS_MAX branches) from (period_key, status_type_id, client_id), one arm per status; for
 * named branches or a branch filter, one arm per branch walking its live clients in id order and testing
 * each one's period row. Arms are merged by client id and cut at the group's slice. Null when a counted
 * status is missing from the order (a status added since the lookups were cached): the plain query then.
 */
export function statusSeekIds(
  where: WorkspaceWhere,
  branchIds: number[] | 'all',
  q: WorkspaceQuery,
  page: number,
  order: StatusOrder,
  counts: Array<{ statusTypeId: number; n: number }>,
): SQL | null {
  const known = new Set(order.map((s) => s.id));
  if (counts.some((c) => c.n > 0 && !known.has(c.statusTypeId) && (!q.status || c.statusTypeId === q.status))) return null;
  const nOf = new Map(counts.map((c) => [c.statusTypeId, c.n]));
  const groups: Array<{ ids: number[]; n: number }> = [];
  for (const s of q.dir === 'desc' ? [...order].reverse() : order) {
    const last = groups.at(-1);
    const n = nOf.get(s.id) ?? 0;
    if (last && order.find((o) => o.id === last.ids[0])!.sequence === s.sequence) {
      last.ids.push(s.id);
      last.n += n;
    } else groups.push({ ids: [s.id], n });
  }
  const start = (page - 1) * q.pageSize;
  const byBranch = branchIds !== 'all' && branchIds.length <= BRANCH_ARMS_MAX;
  const cps = clientPeriodStatus;
  const slices = pageSlices(groups, start, start + q.pageSize).map(({ group, offset, take }) => {
    const end = offset + take;
    const arms = byBranch
      ? branchIds.map(
          (branchId) =>
            // The branch's clients in id order (`indexed by`), each probed in the status index (covering).
            sql`select * from (select ${clients.id} as id from ${clients} indexed by clients_live_branch_company_idx
              inner join ${cps} on ${cps.clientId} = ${clients.id}
              where ${where(false)} and ${clients.branchId} = ${branchId} and ${cps.statusTypeId} in ${group.ids}
              order by ${clients.id} limit ${end})`,
        )
      : group.ids.map(
          (statusId) =>
            sql`select * from (select ${cps.clientId} as id from ${cps} indexed by client_period_status_period_status_idx
              inner join ${clients} on ${clients.id} = ${cps.clientId}
              where ${where(false)} and ${cps.statusTypeId} = ${statusId}
              order by ${cps.clientId} limit ${end})`,
        );
    if (arms.length === 1) return sql`select * from (select id from (${arms[0]}) limit ${take} offset ${offset})`;
    return sql`select * from (select id from (${sql.join(arms, sql` union all `)}) order by id limit ${take} offset ${offset})`;
  });
  return unionOf(slices);
}

/** The ids of all arms; an empty page (no slice) selects nothing. */
function unionOf(arms: SQL[]): SQL {
  if (arms.length === 0) return sql`select null as id where 0`;
  return sql.join(arms, sql` union all `);
}
