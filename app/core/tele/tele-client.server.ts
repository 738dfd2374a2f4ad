import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { clientTeleHistory, clients, companies } from '../../../db/schema';
import type { AppDatabase, AppContext } from '../../platform/context';
import { scopeCondition, type StaffScope } from '../access/scope.server';

/** A database or an open transaction (both can select). */
type Reader = Pick<AppDatabase, 'select'>;

export const TELE_COMPANY_CODE = 'FCASH';

/** The tele workflow's facts of one client inside the scope, or null (unknown or out of scope). */
export async function teleClientInScope(db: Reader, scope: StaffScope, clientId: number) {
  const [row] = await db
    .select({
      id: clients.id,
      companyId: clients.companyId,
      branchId: clients.branchId,
      companyCode: companies.code,
      customerIdNb: clients.customerIdNb,
      teleStatus: clients.teleStatus,
      updateStatus: clients.updateStatus,
      pointer: clients.pointer,
      monthToUpdate: clients.monthToUpdate,
    })
    .from(clients)
    .innerJoin(companies, eq(companies.id, clients.companyId))
    .where(and(eq(clients.id, clientId), isNull(clients.deletedAt), scopeCondition(scope, { companyId: clients.companyId, branchId: clients.branchId })))
    .limit(1);
  return row ?? null;
}
export type TeleClient = NonNullable<Awaited<ReturnType<typeof teleClientInScope>>>;

export async function teleCompanyId(ctx: AppContext): Promise<number | null> {
  const [row] = await ctx.db.select({ id: companies.id }).from(companies).where(eq(companies.code, TELE_COMPANY_CODE)).limit(1);
  return row?.id ?? null;
}

/**
 * The id of the client's newest tele history row (any action), 0 when there is none: the version
 * token the tele forms carry, so a save based on an older state is refused (decision 045).
 */
export async function latestTeleHistoryId(db: Reader, clientId: number): Promise<number> {
  const [row] = await db
    .select({ id: clientTeleHistory.id })
    .from(clientTeleHistory)
    .where(eq(clientTeleHistory.clientId, clientId))
    .orderBy(desc(clientTeleHistory.id))
    .limit(1);
  return row?.id ?? 0;
}

export const MONTH_COMMAND_ACTIONS = ['month_to_update', 'retry'] as const;

/** The newest Month to Update command of the client (a first send or a retry): what the page's state shows. */
export async function latestMonthCommand(db: Reader, clientId: number) {
  const [row] = await db
    .select({
      id: clientTeleHistory.id,
      action: clientTeleHistory.action,
      monthToUpdate: clientTeleHistory.monthToUpdate,
      nextbankStatus: clientTeleHistory.nextbankStatus,
      nextbankRequest: clientTeleHistory.nextbankRequest,
      idempotencyKey: clientTeleHistory.idempotencyKey,
      error: clientTeleHistory.error,
      createdAt: clientTeleHistory.createdAt,
      confirmedAt: clientTeleHistory.confirmedAt,
    })
    .from(clientTeleHistory)
    .where(and(eq(clientTeleHistory.clientId, clientId), inArray(clientTeleHistory.action, [...MONTH_COMMAND_ACTIONS])))
    .orderBy(desc(clientTeleHistory.id))
    .limit(1);
  return row ?? null;
}
export type MonthCommand = NonNullable<Awaited<ReturnType<typeof latestMonthCommand>>>;

/** While NextBank has not answered the latest command, no new one is queued (decision 041). */
export function isWaitingForNextbank(command: Pick<MonthCommand, 'nextbankStatus'> | null): boolean {
  return command?.nextbankStatus === 'pending' || command?.nextbankStatus === 'sent';
}
