import { and, asc, eq, sql } from "drizzle-orm";
import { clientPeriodStatus, statusEvents, statusReasons, statusTypes, users } from "../../../db/schema";
import type { AppContext } from "../../platform/context";
import type { StaffScope } from "../access/scope";

/**
 * The ordered events of a client's period (who, when, from → to, reason, remarks, payment).
 * With `self` scope on status:history:read only the user's own events are returned.
 */
export async function periodHistory(ctx: AppContext, historyScope: StaffScope, viewerId: number, clientId: number, periodKey: string) {
  const onlyOwn = historyScope.companies.every((c) => c.level === "self");
  return ctx.db
    .select({
      sequence: statusEvents.eventSequence, createdAt: statusEvents.createdAt, by: users.fullName,
      fromCode: sql<string | null>`(select code from status_types f where f.id = ${statusEvents.fromStatusTypeId})`,
      toCode: statusTypes.code, toName: statusTypes.name, reason: statusReasons.name, remarks: statusEvents.remarks,
      hasPayment: statusEvents.hasPayment, isRevert: statusEvents.isRevert,
    })
    .from(statusEvents)
    .innerJoin(clientPeriodStatus, eq(clientPeriodStatus.id, statusEvents.periodStatusId))
    .innerJoin(statusTypes, eq(statusTypes.id, statusEvents.toStatusTypeId))
    .leftJoin(statusReasons, eq(statusReasons.id, statusEvents.statusReasonId))
    .leftJoin(users, eq(users.id, statusEvents.createdBy))
    .where(and(
      eq(clientPeriodStatus.clientId, clientId), eq(clientPeriodStatus.periodKey, periodKey),
      onlyOwn ? eq(statusEvents.createdBy, viewerId) : undefined,
    ))
    .orderBy(asc(statusEvents.eventSequence));
}
