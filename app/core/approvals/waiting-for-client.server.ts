// What waits for a checker about one client (decision 117): a status change of one of its period
// rows (status.revert, decision 101) or its reinstatement (status.reinstate), pending and not yet
// expired. The client page shows them to everyone who may see the client, so nobody works the client
// unaware of a change that may land, or asks for the same change twice (a second ask is refused).
import { and, asc, eq, gt, inArray, or } from 'drizzle-orm';
import { changeRequests, clientPeriodStatus, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';

export interface WaitingRequest {
  id: number;
  action: 'status.revert' | 'status.reinstate';
  /** The period a status change is for (null for a reinstatement). */
  periodKey: string | null;
  /** The status code a status change asks for (null for a reinstatement). */
  toStatus: string | null;
  makerName: string;
  askedAt: Date;
  remark: string;
}

const ACTIONS = ['status.revert', 'status.reinstate'] as const;

/** The client's pending requests, oldest first. `client` comes from the caller's scoped read (clientInScope). */
export async function waitingForClient(ctx: AppContext, client: { id: number; companyId: number }): Promise<WaitingRequest[]> {
  const rows = await ctx.db
    .select({
      id: changeRequests.id,
      action: changeRequests.action,
      payload: changeRequests.payload,
      makerName: users.fullName,
      askedAt: changeRequests.createdAt,
      remark: changeRequests.remark,
    })
    .from(changeRequests)
    .innerJoin(users, eq(users.id, changeRequests.makerId))
    .where(
      and(
        // change_requests_company_state_idx: the company's pending requests, a short list.
        eq(changeRequests.companyId, client.companyId),
        eq(changeRequests.state, 'pending'),
        gt(changeRequests.expiresAt, ctx.clock.now()),
        inArray(changeRequests.action, [...ACTIONS]),
        or(
          and(
            eq(changeRequests.targetType, 'client_period_status'),
            inArray(
              changeRequests.targetId,
              ctx.db.select({ id: clientPeriodStatus.id }).from(clientPeriodStatus).where(eq(clientPeriodStatus.clientId, client.id)),
            ),
          ),
          and(eq(changeRequests.targetType, 'client'), eq(changeRequests.targetId, client.id)),
        ),
      ),
    )
    .orderBy(asc(changeRequests.id));
  return rows.map((r) => {
    const payload = r.payload as { periodKey?: unknown; toStatus?: unknown };
    const isRevert = r.action === 'status.revert';
    return {
      id: r.id,
      action: isRevert ? 'status.revert' : 'status.reinstate',
      periodKey: isRevert && typeof payload.periodKey === 'string' ? payload.periodKey : null,
      toStatus: isRevert && typeof payload.toStatus === 'string' ? payload.toStatus : null,
      makerName: r.makerName,
      askedAt: r.askedAt,
      remark: r.remark,
    };
  });
}
