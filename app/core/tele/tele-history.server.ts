import { and, desc, eq, inArray, or } from 'drizzle-orm';
import { clientTeleHistory, clients, users } from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import type { StaffScope } from '../access/scope.server';

export const TELE_HISTORY_LIMIT = 50;

/**
 * The client's tele history, newest first: who, when, tele/update status, reason, remarks, month,
 * NextBank status, request and response. Scoped by status:history:read; with `self` scope only the
 * viewer's own rows (domain.md, "Territory and permissions").
 */
export async function teleHistory(ctx: AppContext, historyScope: StaffScope, viewerId: number, clientId: number) {
  const visible = or(
    ...historyScope.companies.map((c) =>
      and(
        eq(clients.companyId, c.companyId),
        c.branchIds === 'all' ? undefined : inArray(clients.branchId, c.branchIds.length ? c.branchIds : [-1]),
        c.level === 'self' ? eq(clientTeleHistory.createdBy, viewerId) : undefined,
      ),
    ),
  );
  return ctx.db
    .select({
      id: clientTeleHistory.id,
      action: clientTeleHistory.action,
      createdAt: clientTeleHistory.createdAt,
      by: users.fullName,
      teleStatus: clientTeleHistory.teleStatus,
      updateStatus: clientTeleHistory.updateStatus,
      reason: clientTeleHistory.reason,
      remarks: clientTeleHistory.remarks,
      monthToUpdate: clientTeleHistory.monthToUpdate,
      pointerBefore: clientTeleHistory.pointerBefore,
      pointerAfter: clientTeleHistory.pointerAfter,
      nextbankStatus: clientTeleHistory.nextbankStatus,
      nextbankRequest: clientTeleHistory.nextbankRequest,
      nextbankResponse: clientTeleHistory.nextbankResponse,
      error: clientTeleHistory.error,
      sentAt: clientTeleHistory.sentAt,
      confirmedAt: clientTeleHistory.confirmedAt,
    })
    .from(clientTeleHistory)
    .innerJoin(clients, eq(clients.id, clientTeleHistory.clientId))
    .leftJoin(users, eq(users.id, clientTeleHistory.createdBy))
    .where(and(eq(clientTeleHistory.clientId, clientId), visible))
    .orderBy(desc(clientTeleHistory.id))
    .limit(TELE_HISTORY_LIMIT);
}
export type TeleHistoryRow = Awaited<ReturnType<typeof teleHistory>>[number];
