import { and, eq, type SQL } from 'drizzle-orm';
import { clientStatusCounts } from '../../../db/schema';
import { scopeCondition, type StaffScope } from '../access/scope.server';
import type { WorkspaceQuery } from './workspace-query.server';

/**
 * The rows of the maintained counts (decision 100) a workspace query covers: its period, company and
 * scope, live clients, and the filters the aggregate keys (branch, pension type, payment, terminal; the
 * status one when `withStatus`). The counts per status and the counts per branch (decision 129) both
 * read them, so the two can never disagree about which rows a page counts.
 */
export function workspaceCountConditions(scope: StaffScope, companyId: number, q: WorkspaceQuery, withStatus: boolean): SQL | undefined {
  const csc = clientStatusCounts;
  return and(
    eq(csc.periodKey, q.periodRef.key),
    eq(csc.companyId, companyId),
    eq(csc.deleted, 0),
    scopeCondition(scope, { companyId: csc.companyId, branchId: csc.branchId }),
    withStatus && q.status ? eq(csc.statusTypeId, q.status) : undefined,
    q.branch ? eq(csc.branchId, q.branch) : undefined,
    q.pensionType ? eq(csc.pensionTypeId, q.pensionType) : undefined,
    q.payment ? eq(csc.hasPayment, q.payment === 'yes' ? 1 : 0) : undefined,
    q.terminal ? eq(csc.isTerminal, q.terminal === 'yes' ? 1 : 0) : undefined,
  );
}
