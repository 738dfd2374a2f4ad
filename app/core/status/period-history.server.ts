import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { clientPeriodStatus, clients, statusEvents, statusReasons, statusTypes, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { StaffScope } from '../access/scope.server';

/**
 * The ordered events of a client's period (who, when, from → to, reason, remarks, payment).
 * With `self` scope on status:history:read only the user's own events are returned.
 */
export async function periodHistory(ctx: AppContext, historyScope: StaffScope, viewerId: number, clientId: number, periodKey: string) {
  // Per company: the history scope's territory, and with `self` only the viewer's own events.
  const visible = or(
    ...historyScope.companies.map((c) =>
      and(
        eq(clients.companyId, c.companyId),
        c.branchIds === 'all' ? undefined : inArray(clients.branchId, c.branchIds.length ? c.branchIds : [-1]),
        c.level === 'self' ? eq(statusEvents.createdBy, viewerId) : undefined,
      ),
    ),
  );
  return ctx.db
    .select({
      sequence: statusEvents.eventSequence,
      createdAt: statusEvents.createdAt,
      by: users.fullName,
      fromCode: sql<string | null>`(select code from status_types f where f.id = ${statusEvents.fromStatusTypeId})`,
      toCode: statusTypes.code,
      toName: statusTypes.name,
      reason: statusReasons.name,
      remarks: statusEvents.remarks,
      hasPayment: statusEvents.hasPayment,
      isRevert: statusEvents.isRevert,
    })
    .from(statusEvents)
    .innerJoin(clientPeriodStatus, eq(clientPeriodStatus.id, statusEvents.periodStatusId))
    .innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
    .innerJoin(statusTypes, eq(statusTypes.id, statusEvents.toStatusTypeId))
    .leftJoin(statusReasons, eq(statusReasons.id, statusEvents.statusReasonId))
    .leftJoin(users, eq(users.id, statusEvents.createdBy))
    .where(and(eq(clientPeriodStatus.clientId, clientId), eq(clientPeriodStatus.periodKey, periodKey), visible))
    .orderBy(asc(statusEvents.eventSequence));
}
