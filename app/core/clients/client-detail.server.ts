import { aliasedTable, and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import {
  accountTypes,
  branches,
  clientPeriodStatus,
  clients,
  companies,
  parStatuses,
  pensionTypes,
  pensionerTypes,
  products,
  statusReasons,
  statusTypes,
} from '../../../db/schema';
import type { AppContext } from '../../platform/context';
import { scopeCondition, scopeIncludesBranch, type StaffScope } from '../access/scope.server';
import type { StaffAccess } from '../access/staff-access.server';
import { periodOf } from '../status/periods';

/** One client inside the scope, with its lookups named; null when unknown or out of scope. */
export async function clientInScope(ctx: AppContext, scope: StaffScope, clientId: number) {
  const [client] = await ctx.db
    .select({
      id: clients.id,
      companyId: clients.companyId,
      branchId: clients.branchId,
      clientCode: clients.clientCode,
      fullName: clients.fullName,
      pensionNumber: clients.pensionNumber,
      birthDate: clients.birthDate,
      contactNumber: clients.contactNumber,
      contactNumberAlt: clients.contactNumberAlt,
      pastDueCentavos: clients.pastDueCentavos,
      loanStatus: clients.loanStatus,
      isActive: clients.isActive,
      lastSyncedAt: clients.lastSyncedAt,
      teleStatus: clients.teleStatus,
      updateStatus: clients.updateStatus,
      pointer: clients.pointer,
      monthToUpdate: clients.monthToUpdate,
      companyCode: companies.code,
      companyName: companies.name,
      productName: products.name,
      trackingCycle: products.trackingCycle,
      branchCode: branches.code,
      branchName: branches.name,
      parName: parStatuses.name,
      pensionTypeName: pensionTypes.name,
      pensionerTypeName: pensionerTypes.name,
      accountTypeName: accountTypes.name,
    })
    .from(clients)
    .innerJoin(companies, eq(companies.id, clients.companyId))
    .innerJoin(products, eq(products.id, clients.productId))
    .innerJoin(branches, eq(branches.id, clients.branchId))
    .innerJoin(parStatuses, eq(parStatuses.id, clients.parStatusId))
    .leftJoin(pensionTypes, eq(pensionTypes.id, clients.pensionTypeId))
    .leftJoin(pensionerTypes, eq(pensionerTypes.id, clients.pensionerTypeId))
    .leftJoin(accountTypes, eq(accountTypes.id, clients.accountTypeId))
    .where(and(eq(clients.id, clientId), isNull(clients.deletedAt), scopeCondition(scope, { companyId: clients.companyId, branchId: clients.branchId })))
    .limit(1);
  return client ?? null;
}

type PeriodsClient = { id: number; companyId: number; branchId: number; trackingCycle: 'monthly' | 'quarterly' };

/**
 * The client's period rows, newest first (caller has already checked the client is in scope).
 * The current period's row is always there (its state is what the status form works on); the
 * other periods are history, so they follow status:history:read over the client's branch: all of
 * them at branch/area/all scope, at `self` scope only those the reader last updated, none without it.
 */
export async function clientPeriods(ctx: AppContext, client: PeriodsClient, access: StaffAccess, limit = 12) {
  const reason = aliasedTable(statusReasons, 'reason');
  const currentKey = periodOf(client.trackingCycle, ctx.clock.now()).key;
  const history = access.scope('status:history:read');
  const level =
    history && scopeIncludesBranch(history, client.companyId, client.branchId)
      ? history.companies.find((c) => c.companyId === client.companyId)?.level
      : undefined;
  const pastVisible = level === undefined ? sql`0` : level === 'self' ? eq(clientPeriodStatus.lastUpdatedBy, access.userId) : undefined;
  return ctx.db
    .select({
      id: clientPeriodStatus.id,
      periodKey: clientPeriodStatus.periodKey,
      periodType: clientPeriodStatus.periodType,
      periodYear: clientPeriodStatus.periodYear,
      periodNumber: clientPeriodStatus.periodNumber,
      statusTypeId: clientPeriodStatus.statusTypeId,
      statusReasonId: clientPeriodStatus.statusReasonId,
      version: clientPeriodStatus.version,
      statusCode: statusTypes.code,
      statusName: statusTypes.name,
      reasonName: reason.name,
      remarks: clientPeriodStatus.remarks,
      hasPayment: clientPeriodStatus.hasPayment,
      isTerminal: clientPeriodStatus.isTerminal,
      updateCount: clientPeriodStatus.updateCount,
      lastUpdatedAt: clientPeriodStatus.lastUpdatedAt,
    })
    .from(clientPeriodStatus)
    .innerJoin(statusTypes, eq(statusTypes.id, clientPeriodStatus.statusTypeId))
    .leftJoin(reason, eq(reason.id, clientPeriodStatus.statusReasonId))
    .where(and(eq(clientPeriodStatus.clientId, client.id), pastVisible ? or(eq(clientPeriodStatus.periodKey, currentKey), pastVisible) : undefined))
    .orderBy(desc(clientPeriodStatus.periodYear), desc(clientPeriodStatus.periodNumber))
    .limit(limit);
}
