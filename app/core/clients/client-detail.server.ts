import { aliasedTable, and, desc, eq, isNull } from 'drizzle-orm';
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
import { scopeCondition, type StaffScope } from '../access/scope.server';

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

/** The client's period rows, newest first (caller has already checked the client is in scope). */
export async function clientPeriods(ctx: AppContext, clientId: number, limit = 12) {
  const reason = aliasedTable(statusReasons, 'reason');
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
    .where(eq(clientPeriodStatus.clientId, clientId))
    .orderBy(desc(clientPeriodStatus.periodYear), desc(clientPeriodStatus.periodNumber))
    .limit(limit);
}
