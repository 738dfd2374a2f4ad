// Who asked and who decided (maker-checker, decision 101): the audit log and the activity viewer
// show, next to a change applied through an approval and next to each approval.* row, the maker,
// when they asked, the checker, when they decided and the outcome. Read from change_requests (the
// request's own record of both people and both times) for the requests a page names, in one query.
import { alias } from 'drizzle-orm/sqlite-core';
import { eq, inArray } from 'drizzle-orm';
import { changeRequests, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';

export interface ApprovalTrail {
  requestId: number;
  makerEmail: string;
  madeAt: Date;
  checkerEmail: string | null;
  decidedAt: Date | null;
  /** The request's state: approved, rejected, withdrawn, expired, stale, or pending. */
  outcome: string;
}

const maker = alias(users, 'trail_maker');
const checker = alias(users, 'trail_checker');

/** The trails of these requests, by request id (unknown ids are left out). */
export async function approvalTrails(ctx: AppContext, requestIds: Array<number | null | undefined>): Promise<Map<number, ApprovalTrail>> {
  const ids = [...new Set(requestIds.filter((id): id is number => typeof id === 'number' && Number.isSafeInteger(id) && id > 0))];
  if (!ids.length) return new Map();
  const rows = await ctx.db
    .select({
      requestId: changeRequests.id,
      makerEmail: maker.email,
      madeAt: changeRequests.createdAt,
      checkerEmail: checker.email,
      decidedAt: changeRequests.decidedAt,
      outcome: changeRequests.state,
    })
    .from(changeRequests)
    .innerJoin(maker, eq(maker.id, changeRequests.makerId))
    .leftJoin(checker, eq(checker.id, changeRequests.checkerId))
    .where(inArray(changeRequests.id, ids));
  return new Map(rows.map((r) => [r.requestId, r]));
}

/** The request an activity row is about: the applied change's details.approval, or an approval.* row's resource. */
export function approvalRequestOf(row: { resourceType: string | null; resourceId: string | null; details: unknown }): number | null {
  const approval = (row.details as { approval?: { requestId?: unknown } } | null)?.approval;
  if (approval && typeof approval.requestId === 'number') return approval.requestId;
  if (row.resourceType === 'change_request' && row.resourceId && /^\d+$/.test(row.resourceId)) return Number(row.resourceId);
  return null;
}

/** Rows with their trail attached (null where the row has no approval). */
export async function withApprovalTrails<T>(
  ctx: AppContext,
  rows: T[],
  requestOf: (row: T) => number | null,
): Promise<Array<T & { approval: ApprovalTrail | null }>> {
  const trails = await approvalTrails(ctx, rows.map(requestOf));
  return rows.map((row) => {
    const id = requestOf(row);
    return { ...row, approval: id === null ? null : (trails.get(id) ?? null) };
  });
}
